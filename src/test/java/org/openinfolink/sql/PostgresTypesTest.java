package org.openinfolink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openinfolink.sql.SqlDialect.H2;
import static org.openinfolink.sql.SqlDialect.MARIADB;
import static org.openinfolink.sql.SqlDialect.POSTGRESQL;
import static org.openinfolink.sql.StandardType.BINARY;
import static org.openinfolink.sql.StandardType.BOOLEAN;
import static org.openinfolink.sql.StandardType.DATE;
import static org.openinfolink.sql.StandardType.DATETIME;
import static org.openinfolink.sql.StandardType.DECIMAL;
import static org.openinfolink.sql.StandardType.FLOAT;
import static org.openinfolink.sql.StandardType.INTEGER;
import static org.openinfolink.sql.StandardType.OTHER;
import static org.openinfolink.sql.StandardType.TEXT;
import static org.openinfolink.sql.StandardType.TIME;
import static org.openinfolink.sql.TypeCase.column;
import static org.openinfolink.sql.TypeCase.str;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openinfolink.testdb.TestDatabase;

class PostgresTypesTest extends TypeMatrixTest {

    static final List<TypeCase> CASES = List.of(
            column("c_char", "char(10)", "'abc'", "bpchar", "char(10)", 10, 0, TEXT, str("abc       "))
                    .to(POSTGRESQL, "char(10)").to(MARIADB, "char(10)", str("abc")).to(H2, "character(10)"),
            column("c_varchar", "varchar(50)", "'hello'", "varchar", "varchar(50)", 50, 0, TEXT, str("hello"))
                    .to(POSTGRESQL, "varchar(50)").to(MARIADB, "varchar(50)").to(H2, "character varying(50)"),
            column("c_varchar_unlimited", "varchar", "'no limit'", "varchar", "varchar", -1, 0, TEXT, str("no limit"))
                    .to(POSTGRESQL, "text").to(MARIADB, "longtext").to(H2, "character varying"),
            column("c_text", "text", "'Grüße, 世界 😀'", "text", "text", -1, 0, TEXT, str("Grüße, 世界 😀"))
                    .to(POSTGRESQL, "text").to(MARIADB, "longtext").to(H2, "character varying"),
            column("c_smallint", "smallint", "-32768", "int2", "smallint", 5, 0, INTEGER, "-32768")
                    .to(POSTGRESQL, "smallint").to(MARIADB, "smallint").to(H2, "smallint"),
            column("c_integer", "integer", "2147483647", "int4", "integer", 10, 0, INTEGER, "2147483647")
                    .to(POSTGRESQL, "integer").to(MARIADB, "int").to(H2, "integer"),
            column("c_bigint", "bigint", "9223372036854775807", "int8", "bigint", 19, 0, INTEGER, "9223372036854775807")
                    .to(POSTGRESQL, "bigint").to(MARIADB, "bigint").to(H2, "bigint"),
            column("c_numeric", "numeric(10,2)", "12345678.90", "numeric", "numeric(10,2)", 10, 2, DECIMAL, "12345678.90")
                    .to(POSTGRESQL, "numeric(10,2)").to(MARIADB, "decimal(10,2)").to(H2, "numeric(10,2)"),
            column("c_numeric_big", "numeric(30,10)", "12345678901234567890.1234567890", "numeric", "numeric(30,10)",
                    30, 10, DECIMAL, "12345678901234567890.1234567890")
                    .to(POSTGRESQL, "numeric(30,10)").to(MARIADB, "decimal(30,10)").to(H2, "numeric(30,10)"),
            column("c_numeric_unlimited", "numeric", "0.000000000000000000015", "numeric", "numeric", -1, 0, DECIMAL,
                    "0.000000000000000000015")
                    .to(POSTGRESQL, "numeric").to(MARIADB, "decimal(65,30)", "0.000000000000000000015000000000")
                    .to(H2, "decfloat"),
            column("c_real", "real", "1.1", "float4", "real", 8, 8, FLOAT, "1.1")
                    .to(POSTGRESQL, "real").to(MARIADB, "float").to(H2, "real"),
            column("c_double", "double precision", "3.141592653589793", "float8", "double precision", 17, 17, FLOAT,
                    "3.141592653589793")
                    .to(POSTGRESQL, "double precision").to(MARIADB, "double").to(H2, "double precision"),
            column("c_boolean", "boolean", "true", "bool", "boolean", 1, 0, BOOLEAN, "true")
                    .to(POSTGRESQL, "boolean").to(MARIADB, "tinyint(1)").to(H2, "boolean"),
            column("c_date", "date", "'2026-11-29'", "date", "date", 13, 0, DATE, str("2026-11-29"))
                    .to(POSTGRESQL, "date").to(MARIADB, "date").to(H2, "date"),
            column("c_time", "time", "'20:11:29'", "time", "time", 15, 6, TIME, str("20:11:29"))
                    .to(POSTGRESQL, "time").to(MARIADB, "time(6)").to(H2, "time(9)"),
            column("c_time_ms", "time(3)", "'20:11:29.123'", "time", "time(3)", 12, 3, TIME, str("20:11:29.123"))
                    .to(POSTGRESQL, "time").to(MARIADB, "time(6)").to(H2, "time(9)"),
            column("c_timetz", "timetz", "'20:11:29+01'", "timetz", "time with time zone", 21, 6, TIME,
                    str("20:11:29+01:00"))
                    .to(POSTGRESQL, "time with time zone").to(MARIADB, "time(6)", str("19:11:29"))
                    .to(H2, "time(9) with time zone"),
            column("c_timestamp", "timestamp", "'2026-11-29 20:11:29'", "timestamp", "timestamp", 29, 6, DATETIME,
                    str("2026-11-29T20:11:29"))
                    .to(POSTGRESQL, "timestamp").to(MARIADB, "datetime(6)").to(H2, "timestamp(9)"),
            column("c_timestamp_ms", "timestamp(3)", "'2026-11-29 20:11:29.5'", "timestamp", "timestamp(3)", 26, 3,
                    DATETIME, str("2026-11-29T20:11:29.500"))
                    .to(POSTGRESQL, "timestamp").to(MARIADB, "datetime(6)").to(H2, "timestamp(9)"),
            column("c_timestamptz", "timestamptz", "'2026-11-29 20:11:29.123+01'", "timestamptz",
                    "timestamp with time zone", 35, 6, DATETIME, str("2026-11-29T19:11:29.123Z"))
                    .to(POSTGRESQL, "timestamp with time zone")
                    .to(MARIADB, "datetime(6)", str("2026-11-29T19:11:29.123"))
                    .to(H2, "timestamp(9) with time zone"),
            column("c_bytea", "bytea", "'\\x0102ff'", "bytea", "bytea", -1, 0, BINARY, str("AQL/"))
                    .to(POSTGRESQL, "bytea").to(MARIADB, "longblob").to(H2, "binary varying"),
            column("c_uuid", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "uuid", "uuid", -1, 0, OTHER,
                    str("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
                    .to(POSTGRESQL, "uuid").to(MARIADB, "char(36)").to(H2, "uuid"),
            column("c_json", "json", "'{\"a\": [1, 2.50]}'", "json", "json", -1, 0, OTHER, str("{\"a\": [1, 2.50]}"))
                    .to(POSTGRESQL, "json").to(MARIADB, "json").to(H2, "json", str("{\"a\":[1,2.50]}")),
            column("c_jsonb", "jsonb", "'{\"b\": \"x\"}'", "jsonb", "jsonb", -1, 0, OTHER, str("{\"b\": \"x\"}"))
                    .to(POSTGRESQL, "jsonb").to(MARIADB, "json").to(H2, "json", str("{\"b\":\"x\"}")),
            column("c_int_array", "integer[]", "'{1,2,3}'", "_int4", "integer[]", 10, 0, OTHER, str("{1,2,3}"))
                    .to(POSTGRESQL, "integer[]").to(MARIADB, "longtext").to(H2, "character varying"),
            column("c_interval", "interval", "'1 day 02:00:00'", "interval", "interval", 49, 6, OTHER,
                    str("1 day 02:00:00"))
                    .to(POSTGRESQL, "interval").to(MARIADB, "longtext").to(H2, "character varying"),
            column("c_money", "money", "12.34", "money", "money", -1, 0, OTHER, str("$12.34"))
                    .to(POSTGRESQL, "money").to(MARIADB, "longtext").to(H2, "character varying"),
            column("c_bit", "bit(8)", "B'10101010'", "bit", "bit(8)", 8, 0, OTHER, str("10101010"))
                    .to(POSTGRESQL, "bit(8)").to(MARIADB, "longtext").to(H2, "character varying"),
            column("c_varbit", "varbit", "B'101'", "varbit", "bit varying", -1, 0, OTHER, str("101"))
                    .to(POSTGRESQL, "bit varying").to(MARIADB, "longtext").to(H2, "character varying"),
            column("c_xml", "xml", "'<a>1</a>'", "xml", "xml", -1, 0, OTHER, str("<a>1</a>"))
                    .to(POSTGRESQL, "xml").to(MARIADB, "longtext").to(H2, "character varying"));

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    List<TypeCase> cases() {
        return CASES;
    }

    @Test
    void writesTheContractSchemaEntry() throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = new JsonFactory().createGenerator(out)) {
            describedColumn("c_varchar").writeSchema(gen);
        }
        assertEquals("{\"name\":\"c_varchar\",\"updateable\":false,"
                + "\"type\":{\"typeStr\":\"varchar(50)\",\"name\":\"varchar\",\"precision\":50,\"scale\":0},"
                + "\"typeStandard\":{\"typeStr\":\"text\",\"name\":\"text\"}}", out.toString());
    }

    @Test
    void writesValuesJsonNumbersCannotHoldAsStrings() throws Exception {
        String select = "SELECT 'NaN'::numeric AS n_nan, 'Infinity'::numeric AS n_inf, 'NaN'::float8 AS d_nan,"
                + " '-Infinity'::float8 AS d_minus_inf, 'Infinity'::real AS r_inf,"
                + " 'infinity'::date AS d, '-infinity'::timestamp AS ts, 'infinity'::timestamptz AS tstz";
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(select)) {
            List<ColumnInfo> columns = ColumnTypes.describe(rs.getMetaData(), SqlDialect.POSTGRESQL);
            Map<String, String> values = TypedTable.fieldTexts(TypedTable.writeRecords(rs, columns)).get(0);
            assertEquals(Map.of(
                    "n_nan", str("NaN"), "n_inf", str("Infinity"), "d_nan", str("NaN"),
                    "d_minus_inf", str("-Infinity"), "r_inf", str("Infinity"), "d", str("infinity"),
                    "ts", str("-infinity"), "tstz", str("infinity")), values);
        }
    }
}
