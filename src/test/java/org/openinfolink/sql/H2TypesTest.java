package org.openinfolink.sql;

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

import java.util.List;
import org.openinfolink.testdb.TestDatabase;

class H2TypesTest extends TypeMatrixTest {

    static final List<TypeCase> CASES = List.of(
            column("c_char", "char(10)", "'abc'", "character", "character(10)", 10, 0, TEXT, str("abc       "))
                    .to(POSTGRESQL, "char(10)").to(MARIADB, "char(10)", str("abc")),
            column("c_varchar", "varchar(50)", "'hello'", "character varying", "character varying(50)", 50, 0, TEXT,
                    str("hello"))
                    .to(POSTGRESQL, "varchar(50)").to(MARIADB, "varchar(50)"),
            column("c_varchar_unlimited", "varchar", "'no limit'", "character varying", "character varying", -1, 0,
                    TEXT, str("no limit"))
                    .to(POSTGRESQL, "text").to(MARIADB, "longtext"),
            column("c_varchar_ignorecase", "varchar_ignorecase(20)", "'MiXed'", "varchar_ignorecase",
                    "varchar_ignorecase(20)", 20, 0, TEXT, str("MiXed"))
                    .to(POSTGRESQL, "varchar(20)").to(MARIADB, "varchar(20)"),
            column("c_clob", "clob", "'Grüße, 世界 😀'", "character large object", "character large object", -1, 0,
                    TEXT, str("Grüße, 世界 😀"))
                    .to(POSTGRESQL, "text").to(MARIADB, "longtext"),
            column("c_clob_sized", "clob(1000)", "'sized'", "character large object",
                    "character large object(1000)", 1000, 0, TEXT, str("sized"))
                    .to(POSTGRESQL, "varchar(1000)").to(MARIADB, "varchar(1000)"),
            column("c_tinyint", "tinyint", "-128", "tinyint", "tinyint", 8, 0, INTEGER, "-128")
                    .to(POSTGRESQL, "smallint").to(MARIADB, "smallint"),
            column("c_smallint", "smallint", "-32768", "smallint", "smallint", 16, 0, INTEGER, "-32768")
                    .to(POSTGRESQL, "smallint").to(MARIADB, "smallint"),
            column("c_integer", "integer", "2147483647", "integer", "integer", 32, 0, INTEGER, "2147483647")
                    .to(POSTGRESQL, "integer").to(MARIADB, "int"),
            column("c_bigint", "bigint", "9223372036854775807", "bigint", "bigint", 64, 0, INTEGER,
                    "9223372036854775807")
                    .to(POSTGRESQL, "bigint").to(MARIADB, "bigint"),
            column("c_numeric", "numeric(10,2)", "12345678.90", "numeric", "numeric(10,2)", 10, 2, DECIMAL,
                    "12345678.90")
                    .to(POSTGRESQL, "numeric(10,2)").to(MARIADB, "decimal(10,2)"),
            column("c_numeric_big", "numeric(30,10)", "12345678901234567890.1234567890", "numeric", "numeric(30,10)",
                    30, 10, DECIMAL, "12345678901234567890.1234567890")
                    .to(POSTGRESQL, "numeric(30,10)").to(MARIADB, "decimal(30,10)"),
            column("c_decimal", "decimal(7,3)", "1234.567", "decimal", "decimal(7,3)", 7, 3, DECIMAL, "1234.567")
                    .to(POSTGRESQL, "numeric(7,3)").to(MARIADB, "decimal(7,3)"),
            column("c_decfloat", "decfloat", "0.000000000000000000015", "decfloat", "decfloat", 100000, 0, DECIMAL,
                    "0.000000000000000000015")
                    .to(POSTGRESQL, "numeric").to(MARIADB, "decimal(65,30)", "0.000000000000000000015000000000"),
            column("c_real", "real", "1.1", "real", "real", 24, 0, FLOAT, "1.1")
                    .to(POSTGRESQL, "real").to(MARIADB, "float"),
            column("c_double", "double precision", "3.141592653589793", "double precision", "double precision", 53, 0,
                    FLOAT, "3.141592653589793")
                    .to(POSTGRESQL, "double precision").to(MARIADB, "double"),
            column("c_boolean", "boolean", "true", "boolean", "boolean", 1, 0, BOOLEAN, "true")
                    .to(POSTGRESQL, "boolean").to(MARIADB, "tinyint(1)"),
            column("c_date", "date", "DATE '2026-11-29'", "date", "date", 10, 0, DATE, str("2026-11-29"))
                    .to(POSTGRESQL, "date").to(MARIADB, "date"),
            column("c_time", "time", "TIME '20:11:29'", "time", "time", 8, 0, TIME, str("20:11:29"))
                    .to(POSTGRESQL, "time").to(MARIADB, "time(6)"),
            column("c_time_ms", "time(3)", "TIME '20:11:29.123'", "time", "time(3)", 12, 3, TIME, str("20:11:29.123"))
                    .to(POSTGRESQL, "time").to(MARIADB, "time(6)"),
            column("c_timetz", "time with time zone", "TIME WITH TIME ZONE '20:11:29+01'", "time with time zone",
                    "time with time zone", 14, 0, TIME, str("20:11:29+01:00"))
                    .to(POSTGRESQL, "time with time zone").to(MARIADB, "time(6)", str("19:11:29")),
            column("c_timestamp", "timestamp", "TIMESTAMP '2026-11-29 20:11:29'", "timestamp", "timestamp", 26, 6,
                    DATETIME, str("2026-11-29T20:11:29"))
                    .to(POSTGRESQL, "timestamp").to(MARIADB, "datetime(6)"),
            column("c_timestamp_ms", "timestamp(3)", "TIMESTAMP '2026-11-29 20:11:29.5'", "timestamp",
                    "timestamp(3)", 23, 3, DATETIME, str("2026-11-29T20:11:29.500"))
                    .to(POSTGRESQL, "timestamp").to(MARIADB, "datetime(6)"),
            column("c_timestamptz", "timestamp with time zone",
                    "TIMESTAMP WITH TIME ZONE '2026-11-29 20:11:29.123+01'", "timestamp with time zone",
                    "timestamp with time zone", 32, 6, DATETIME, str("2026-11-29T20:11:29.123+01:00"))
                    .to(POSTGRESQL, "timestamp with time zone", str("2026-11-29T19:11:29.123Z"))
                    .to(MARIADB, "datetime(6)", str("2026-11-29T19:11:29.123")),
            column("c_binary", "binary(3)", "X'0102ff'", "binary", "binary(3)", 3, 0, BINARY, str("AQL/"))
                    .to(POSTGRESQL, "bytea").to(MARIADB, "longblob"),
            column("c_varbinary", "varbinary(16)", "X'0102ff'", "binary varying", "binary varying(16)", 16, 0, BINARY,
                    str("AQL/"))
                    .to(POSTGRESQL, "bytea").to(MARIADB, "longblob"),
            column("c_blob", "blob", "X'0102ff'", "binary large object", "binary large object", -1, 0, BINARY,
                    str("AQL/"))
                    .to(POSTGRESQL, "bytea").to(MARIADB, "longblob"),
            column("c_uuid", "uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "uuid", "uuid", 16, 0, OTHER,
                    str("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
                    .to(POSTGRESQL, "uuid").to(MARIADB, "char(36)"),
            column("c_json", "json", "JSON '{\"a\": [1, 2.50]}'", "json", "json", -1, 0, OTHER,
                    str("{\"a\":[1,2.50]}"))
                    .to(POSTGRESQL, "json").to(MARIADB, "json"),
            column("c_int_array", "integer array", "ARRAY[1, 2, 3]", "integer array", "integer array", 65536, 0,
                    OTHER, str("[1, 2, 3]"))
                    .to(POSTGRESQL, "text").to(MARIADB, "longtext"));

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    List<TypeCase> cases() {
        return CASES;
    }
}
