package org.openinfolink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openinfolink.sql.SqlDialect.H2;
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

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openinfolink.testdb.TestDatabase;

class MariaDbTypesTest extends TypeMatrixTest {

    static final List<TypeCase> CASES = List.of(
            column("c_char", "char(10)", "'abc'", "char", "char(10)", 10, 0, TEXT, str("abc"))
                    .to(POSTGRESQL, "char(10)", str("abc       ")).to(H2, "character(10)", str("abc       ")),
            column("c_varchar", "varchar(50)", "'hello'", "varchar", "varchar(50)", 50, 0, TEXT, str("hello"))
                    .to(POSTGRESQL, "varchar(50)").to(H2, "character varying(50)"),
            column("c_tinytext", "tinytext", "'tiny'", "tinytext", "tinytext", 255, 0, TEXT, str("tiny"))
                    .to(POSTGRESQL, "varchar(255)").to(H2, "character varying(255)"),
            column("c_text", "text", "'Grüße, 世界 😀'", "text", "text", 65535, 0, TEXT, str("Grüße, 世界 😀"))
                    .to(POSTGRESQL, "varchar(65535)").to(H2, "character varying(65535)"),
            column("c_mediumtext", "mediumtext", "'medium'", "mediumtext", "mediumtext", 16777215, 0, TEXT,
                    str("medium"))
                    .to(POSTGRESQL, "text").to(H2, "character varying(16777215)"),
            column("c_longtext", "longtext", "'long'", "longtext", "longtext", -1, 0, TEXT, str("long"))
                    .to(POSTGRESQL, "text").to(H2, "character varying"),
            column("c_enum", "enum('red','green')", "'green'", "char", "char(5)", 5, 0, TEXT, str("green"))
                    .to(POSTGRESQL, "char(5)").to(H2, "character(5)"),
            column("c_tinyint", "tinyint", "-128", "tinyint", "tinyint", 3, 0, INTEGER, "-128")
                    .to(POSTGRESQL, "smallint").to(H2, "smallint"),
            column("c_tinyint_unsigned", "tinyint unsigned", "255", "tinyint unsigned", "tinyint unsigned", 3, 0,
                    INTEGER, "255")
                    .to(POSTGRESQL, "smallint").to(H2, "smallint"),
            column("c_smallint", "smallint", "-32768", "smallint", "smallint", 5, 0, INTEGER, "-32768")
                    .to(POSTGRESQL, "smallint").to(H2, "smallint"),
            column("c_smallint_unsigned", "smallint unsigned", "65535", "smallint unsigned", "smallint unsigned",
                    5, 0, INTEGER, "65535")
                    .to(POSTGRESQL, "integer").to(H2, "integer"),
            column("c_mediumint", "mediumint", "-8388608", "mediumint", "mediumint", 7, 0, INTEGER, "-8388608")
                    .to(POSTGRESQL, "integer").to(H2, "integer"),
            column("c_int", "int", "-2147483648", "integer", "int", 10, 0, INTEGER, "-2147483648")
                    .to(POSTGRESQL, "integer").to(H2, "integer"),
            column("c_int_unsigned", "int unsigned", "4294967295", "integer unsigned", "int unsigned", 10, 0,
                    INTEGER, "4294967295")
                    .to(POSTGRESQL, "bigint").to(H2, "bigint"),
            column("c_bigint", "bigint", "-9223372036854775808", "bigint", "bigint", 19, 0, INTEGER,
                    "-9223372036854775808")
                    .to(POSTGRESQL, "bigint").to(H2, "bigint"),
            column("c_bigint_unsigned", "bigint unsigned", "18446744073709551615", "bigint unsigned",
                    "bigint unsigned", 20, 0, INTEGER, "18446744073709551615")
                    .to(POSTGRESQL, "numeric(20,0)").to(H2, "numeric(20,0)"),
            column("c_year", "year", "2026", "year", "year", 4, 0, INTEGER, "2026")
                    .to(POSTGRESQL, "bigint").to(H2, "bigint"),
            column("c_boolean", "boolean", "true", "boolean", "tinyint(1)", 1, 0, BOOLEAN, "true")
                    .to(POSTGRESQL, "boolean").to(H2, "boolean"),
            column("c_bit1", "bit(1)", "b'1'", "bit", "bit(1)", 1, 0, BOOLEAN, "true")
                    .to(POSTGRESQL, "boolean").to(H2, "boolean"),
            column("c_decimal", "decimal(10,2)", "12345678.90", "decimal", "decimal(10,2)", 10, 2, DECIMAL,
                    "12345678.90")
                    .to(POSTGRESQL, "numeric(10,2)").to(H2, "numeric(10,2)"),
            column("c_decimal_big", "decimal(30,10)", "12345678901234567890.1234567890", "decimal",
                    "decimal(30,10)", 30, 10, DECIMAL, "12345678901234567890.1234567890")
                    .to(POSTGRESQL, "numeric(30,10)").to(H2, "numeric(30,10)"),
            column("c_decimal_default", "decimal", "42", "decimal", "decimal(10,0)", 10, 0, DECIMAL, "42")
                    .to(POSTGRESQL, "numeric(10,0)").to(H2, "numeric(10,0)"),
            column("c_decimal_unsigned", "decimal(10,2) unsigned", "1.50", "decimal unsigned",
                    "decimal(10,2) unsigned", 10, 2, DECIMAL, "1.50")
                    .to(POSTGRESQL, "numeric(10,2)").to(H2, "numeric(10,2)"),
            column("c_float", "float", "1.1", "float", "float", 12, 31, FLOAT, "1.1")
                    .to(POSTGRESQL, "real").to(H2, "real"),
            column("c_double", "double", "3.141592653589793", "double", "double", 22, 31, FLOAT, "3.141592653589793")
                    .to(POSTGRESQL, "double precision").to(H2, "double precision"),
            column("c_date", "date", "'2026-11-29'", "date", "date", 10, 0, DATE, str("2026-11-29"))
                    .to(POSTGRESQL, "date").to(H2, "date"),
            column("c_time", "time", "'20:11:29'", "time", "time", 10, 0, TIME, str("20:11:29"))
                    .to(POSTGRESQL, "time").to(H2, "time(9)"),
            column("c_time_ms", "time(3)", "'20:11:29.123'", "time", "time(3)", 14, 3, TIME, str("20:11:29.123"))
                    .to(POSTGRESQL, "time").to(H2, "time(9)"),
            column("c_datetime", "datetime", "'2026-11-29 20:11:29'", "datetime", "datetime", 19, 0, DATETIME,
                    str("2026-11-29T20:11:29"))
                    .to(POSTGRESQL, "timestamp").to(H2, "timestamp(9)"),
            column("c_datetime_us", "datetime(6)", "'2026-11-29 20:11:29.123456'", "datetime", "datetime(6)", 26, 6,
                    DATETIME, str("2026-11-29T20:11:29.123456"))
                    .to(POSTGRESQL, "timestamp").to(H2, "timestamp(9)"),
            column("c_timestamp", "timestamp(3) NULL", "'2026-11-29 20:11:29.5'", "timestamp", "timestamp(3)", 23, 3,
                    DATETIME, str("2026-11-29T20:11:29.500"))
                    .to(POSTGRESQL, "timestamp").to(H2, "timestamp(9)"),
            column("c_binary", "binary(3)", "X'0102ff'", "binary", "binary(3)", 3, 0, BINARY, str("AQL/"))
                    .to(POSTGRESQL, "bytea").to(H2, "binary varying"),
            column("c_varbinary", "varbinary(16)", "X'0102ff'", "varbinary", "varbinary(16)", 16, 0, BINARY,
                    str("AQL/"))
                    .to(POSTGRESQL, "bytea").to(H2, "binary varying"),
            column("c_blob", "blob", "X'0102ff'", "blob", "blob", 65535, 0, BINARY, str("AQL/"))
                    .to(POSTGRESQL, "bytea").to(H2, "binary varying"),
            column("c_longblob", "longblob", "X'0102ff'", "longblob", "longblob", -1, 0, BINARY, str("AQL/"))
                    .to(POSTGRESQL, "bytea").to(H2, "binary varying"),
            column("c_bit8", "bit(8)", "b'10101010'", "bit", "bit(8)", 8, 0, BINARY, str("qg=="))
                    .to(POSTGRESQL, "bytea").to(H2, "binary varying"),
            column("c_uuid", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "uuid", "uuid", 36, 0, OTHER,
                    str("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
                    .to(POSTGRESQL, "uuid").to(H2, "uuid"),
            column("c_json", "json", "'{\"a\": [1, 2.50]}'", "json", "json", -1, 0, OTHER, str("{\"a\": [1, 2.50]}"))
                    .to(POSTGRESQL, "json").to(H2, "json", str("{\"a\":[1,2.50]}")));

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    List<TypeCase> cases() {
        return CASES;
    }

    @Test
    void keepsTimesOutsideOneDayAsMariaDbText() throws Exception {
        String select = "SELECT CAST('-838:59:59' AS TIME) AS negative, CAST('25:00:01.5' AS TIME(1)) AS long_time,"
                + " CAST('23:59:59.5' AS TIME(1)) AS in_day";
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement()) {
            List<ColumnInfo> columns;
            try (ResultSet rs = statement.executeQuery(select)) {
                columns = ColumnTypes.describe(rs.getMetaData(), SqlDialect.MARIADB);
                assertEquals(Map.of("negative", str("-838:59:59"), "long_time", str("25:00:01.5"),
                                "in_day", str("23:59:59.500")),
                        TypedTable.fieldTexts(TypedTable.writeRecords(rs, columns)).get(0));
            }
            try (ResultSet rs = statement.executeQuery(select)) {
                rs.next();
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    values.add(columns.get(i).codec().read(rs, i + 1));
                }
                assertEquals(List.of("-838:59:59", "25:00:01.5", LocalTime.of(23, 59, 59, 500_000_000)), values);
            }
        }
    }
}
