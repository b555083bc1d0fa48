package org.openinfolink.sql;

import java.sql.Types;
import java.util.List;
import java.util.Locale;

/**
 * The {@code CREATE TABLE} that holds a copy of a result ({@code Transform into}), in the
 * target database's dialect, from the result's {@link ColumnInfo}s.
 *
 * <p>Each column gets the target type of its {@link StandardType} (see {@link TargetType}):
 * <ul>
 *   <li>text: {@code char(n)} for a fixed-length source, {@code varchar(n)} for another length,
 *       the target's unlimited text type when the source has no length or one the target cannot
 *       declare (MariaDB: over 1,000 characters, to stay inside its 65,535-byte row limit);</li>
 *   <li>integer: {@code smallint}, {@code integer} or {@code bigint} by the source's JDBC type,
 *       one size up for MariaDB's unsigned types, and {@code numeric(20)} for
 *       {@code BIGINT UNSIGNED}; any other integer (MariaDB {@code YEAR}) is {@code bigint};</li>
 *   <li>decimal: {@code numeric(p,s)}, or the target's decimal without limit when the source
 *       has no precision, an H2 {@code decfloat}, or a precision or scale the target cannot
 *       declare (PostgreSQL {@code numeric}, H2 {@code decfloat}, MariaDB
 *       {@code decimal(65,30)});</li>
 *   <li>float: {@code real} for a source {@code REAL}, else double precision;</li>
 *   <li>time and datetime: with time zone when the source has one (MariaDB has no such type:
 *       {@code time(6)} and {@code datetime(6)}, and the codecs bind values in UTC); H2 gets 9
 *       fractional digits, the others 6 (their maximum);</li>
 *   <li>binary: {@code bytea}, H2 {@code binary varying}, MariaDB {@code longblob};</li>
 *   <li>other: PostgreSQL to PostgreSQL keeps the source type as it is (a user-defined type must
 *       exist in the target); a {@code uuid} source becomes a PostgreSQL or H2 {@code uuid} and
 *       a MariaDB {@code char(36)} (MariaDB's own uuid type refuses uuids of some versions and
 *       variants that PostgreSQL holds); a JSON source becomes the target's json type; anything
 *       else becomes unlimited text.</li>
 * </ul>
 * Every column is nullable. A MariaDB table is created with {@code DEFAULT CHARACTER SET utf8mb4}
 * so that any text fits, whatever the database's default.
 */
public final class TableDdl {

    /**
     * The column types per target dialect. Patterns take the length, or the precision and
     * scale, through {@link String#format}.
     */
    enum TargetType {
        //                 PostgreSQL                  H2                              MariaDB            standard SQL
        CHAR(              "char(%d)",                 "character(%d)",                "char(%d)",        "char(%d)"),
        VARCHAR(           "varchar(%d)",              "character varying(%d)",        "varchar(%d)",     "varchar(%d)"),
        UNLIMITED_TEXT(    "text",                     "character varying",            "longtext",        "clob"),
        SMALLINT(          "smallint",                 "smallint",                     "smallint",        "smallint"),
        INTEGER(           "integer",                  "integer",                      "int",             "integer"),
        BIGINT(            "bigint",                   "bigint",                       "bigint",          "bigint"),
        UNSIGNED_BIGINT(   "numeric(20)",              "numeric(20)",                  "decimal(20)",     "numeric(20)"),
        DECIMAL(           "numeric(%d,%d)",           "numeric(%d,%d)",               "decimal(%d,%d)",  "numeric(%d,%d)"),
        UNLIMITED_DECIMAL( "numeric",                  "decfloat",                     "decimal(65,30)",  "numeric"),
        REAL(              "real",                     "real",                         "float",           "real"),
        DOUBLE(            "double precision",         "double precision",             "double",          "double precision"),
        BOOLEAN(           "boolean",                  "boolean",                      "boolean",         "boolean"),
        DATE(              "date",                     "date",                         "date",            "date"),
        TIME(              "time",                     "time(9)",                      "time(6)",         "time"),
        ZONED_TIME(        "time with time zone",      "time(9) with time zone",       "time(6)",         "time with time zone"),
        DATETIME(          "timestamp",                "timestamp(9)",                 "datetime(6)",     "timestamp"),
        ZONED_DATETIME(    "timestamp with time zone", "timestamp(9) with time zone",  "datetime(6)",     "timestamp with time zone"),
        BINARY(            "bytea",                    "binary varying",               "longblob",        "blob"),
        UUID(              "uuid",                     "uuid",                         "char(36)",        "char(36)"),
        JSON(              "json",                     "json",                         "json",            "clob"),
        OTHER(             "text",                     "character varying",            "longtext",        "clob");

        private final String postgres;
        private final String h2;
        private final String mariaDb;
        private final String standard;

        TargetType(String postgres, String h2, String mariaDb, String standard) {
            this.postgres = postgres;
            this.h2 = h2;
            this.mariaDb = mariaDb;
            this.standard = standard;
        }

        String in(SqlDialect target, Object... sizes) {
            String pattern = switch (target) {
                case POSTGRESQL -> postgres;
                case H2 -> h2;
                case MARIADB -> mariaDb;
                case OTHER -> standard;
            };
            return sizes.length == 0 ? pattern : String.format(Locale.ROOT, pattern, sizes);
        }
    }

    /** What each target can declare. */
    enum Limit {
        //                     PostgreSQL   H2              MariaDB  standard SQL
        MAX_CHAR_LENGTH(       10_485_760,  1_000_000_000,  255,     2_000),
        MAX_VARCHAR_LENGTH(    10_485_760,  1_000_000_000,  1_000,   4_000),
        MAX_DECIMAL_PRECISION( 1_000,       100_000,        65,      38),
        MAX_DECIMAL_SCALE(     1_000,       100_000,        38,      38);

        private final int postgres;
        private final int h2;
        private final int mariaDb;
        private final int standard;

        Limit(int postgres, int h2, int mariaDb, int standard) {
            this.postgres = postgres;
            this.h2 = h2;
            this.mariaDb = mariaDb;
            this.standard = standard;
        }

        int in(SqlDialect target) {
            return switch (target) {
                case POSTGRESQL -> postgres;
                case H2 -> h2;
                case MARIADB -> mariaDb;
                case OTHER -> standard;
            };
        }
    }

    private TableDdl() {
    }

    /**
     * The {@code CREATE TABLE} statement for a copy of a result.
     *
     * @param tableName a validated plain or schema-qualified identifier, used as it is
     * @param columns   the result's columns, at least one; their labels are quoted, so any label
     *                  works, but two equal labels make the statement fail
     * @param target    the database the table is created in
     */
    public static String createTable(String tableName, List<ColumnInfo> columns, SqlDialect target) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("A table needs at least one column: " + tableName);
        }
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(tableName).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            ColumnInfo column = columns.get(i);
            sql.append(i == 0 ? "\n  " : ",\n  ")
                    .append(quoteIdentifier(column.name(), target))
                    .append(' ')
                    .append(columnType(column, target));
        }
        sql.append("\n)");
        if (target == SqlDialect.MARIADB) {
            sql.append(" DEFAULT CHARACTER SET utf8mb4");
        }
        return sql.toString();
    }

    /** The target's type for a copy of {@code column}, e.g. {@code varchar(50)}. */
    public static String columnType(ColumnInfo column, SqlDialect target) {
        return switch (column.standardType()) {
            case TEXT -> textType(column, target);
            case INTEGER -> integerType(column).in(target);
            case DECIMAL -> decimalType(column, target);
            case FLOAT -> (column.jdbcType() == Types.REAL ? TargetType.REAL : TargetType.DOUBLE).in(target);
            case BOOLEAN -> TargetType.BOOLEAN.in(target);
            case DATE -> TargetType.DATE.in(target);
            case TIME -> (column.withTimeZone() ? TargetType.ZONED_TIME : TargetType.TIME).in(target);
            case DATETIME -> (column.withTimeZone() ? TargetType.ZONED_DATETIME : TargetType.DATETIME).in(target);
            case BINARY -> TargetType.BINARY.in(target);
            case OTHER -> otherType(column, target);
        };
    }

    /** {@code name} quoted with the target's identifier quote ({@code "} or a backtick). */
    public static String quoteIdentifier(String name, SqlDialect target) {
        String quote = target == SqlDialect.MARIADB ? "`" : "\"";
        return quote + name.replace(quote, quote + quote) + quote;
    }

    private static String textType(ColumnInfo column, SqlDialect target) {
        int length = column.precision();
        boolean fixed = column.jdbcType() == Types.CHAR || column.jdbcType() == Types.NCHAR;
        if (fixed && length > 0 && length <= Limit.MAX_CHAR_LENGTH.in(target)) {
            return TargetType.CHAR.in(target, length);
        }
        if (length > 0 && length <= Limit.MAX_VARCHAR_LENGTH.in(target)) {
            return TargetType.VARCHAR.in(target, length);
        }
        return TargetType.UNLIMITED_TEXT.in(target);
    }

    private static TargetType integerType(ColumnInfo column) {
        boolean unsigned = column.unsigned();
        return switch (column.jdbcType()) {
            case Types.TINYINT -> TargetType.SMALLINT;
            case Types.SMALLINT -> unsigned ? TargetType.INTEGER : TargetType.SMALLINT;
            case Types.INTEGER -> unsigned ? TargetType.BIGINT : TargetType.INTEGER;
            case Types.BIGINT -> unsigned ? TargetType.UNSIGNED_BIGINT : TargetType.BIGINT;
            default -> TargetType.BIGINT;
        };
    }

    private static String decimalType(ColumnInfo column, SqlDialect target) {
        int precision = column.precision();
        int scale = column.scale();
        boolean declarable = precision > 0
                && !column.typeName().equals("decfloat")
                && precision <= Limit.MAX_DECIMAL_PRECISION.in(target)
                && scale >= 0
                && scale <= precision
                && scale <= Limit.MAX_DECIMAL_SCALE.in(target);
        return declarable
                ? TargetType.DECIMAL.in(target, precision, scale)
                : TargetType.UNLIMITED_DECIMAL.in(target);
    }

    private static String otherType(ColumnInfo column, SqlDialect target) {
        if (column.dialect() == SqlDialect.POSTGRESQL && target == SqlDialect.POSTGRESQL) {
            return column.typeStr();
        }
        if (column.isUuid()) {
            return TargetType.UUID.in(target);
        }
        if (column.isJson()) {
            return TargetType.JSON.in(target);
        }
        return TargetType.OTHER.in(target);
    }
}
