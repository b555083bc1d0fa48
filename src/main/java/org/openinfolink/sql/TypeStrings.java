package org.openinfolink.sql;

import java.sql.Types;
import java.util.Locale;
import java.util.Map;

/**
 * Spells a column's type as the database's DDL writes it ({@code varchar(50)},
 * {@code numeric(10,2)}, {@code timestamp(3) with time zone}), from what the driver reports.
 * A time or timestamp shows its fractional digits only when they differ from the database's
 * default (PostgreSQL 6; H2 0 for times and 6 for timestamps; MariaDB 0).
 */
final class TypeStrings {

    private static final Map<String, String> POSTGRESQL_ALIASES = Map.of(
            "int2", "smallint",
            "int4", "integer",
            "int8", "bigint",
            "float4", "real",
            "float8", "double precision",
            "bool", "boolean");

    /** H2's precision of a DECFLOAT declared without one. */
    private static final int H2_DECFLOAT_DEFAULT_PRECISION = 100_000;

    private TypeStrings() {
    }

    /**
     * @param reportedName the driver's type name as reported
     * @param typeName     the same in lower case
     * @param precision    the precision, {@code -1} for a length without limit
     */
    static String of(SqlDialect dialect, String reportedName, String typeName, int jdbcType, int precision, int scale) {
        return switch (dialect) {
            case POSTGRESQL -> postgres(typeName, precision, scale);
            case H2 -> h2(reportedName, typeName, precision, scale);
            case MARIADB -> mariaDb(typeName, precision, scale);
            case OTHER -> standard(reportedName, jdbcType, precision, scale);
        };
    }

    private static String postgres(String name, int precision, int scale) {
        if (name.startsWith("_")) {
            return postgres(name.substring(1), -1, 0) + "[]";
        }
        return switch (name) {
            case "bpchar" -> precision > 0 ? "char(" + precision + ")" : "bpchar";
            case "varchar" -> withLength("varchar", precision);
            case "bit" -> withLength("bit", precision);
            case "varbit" -> withLength("bit varying", precision);
            case "numeric" -> precision > 0 ? decimal("numeric", precision, scale) : "numeric";
            case "time" -> fractional("time", scale, 6, "");
            case "timetz" -> fractional("time", scale, 6, " with time zone");
            case "timestamp" -> fractional("timestamp", scale, 6, "");
            case "timestamptz" -> fractional("timestamp", scale, 6, " with time zone");
            default -> POSTGRESQL_ALIASES.getOrDefault(name, name);
        };
    }

    private static String h2(String reportedName, String name, int precision, int scale) {
        return switch (name) {
            case "character", "character varying", "character large object", "varchar_ignorecase",
                    "binary", "binary varying", "binary large object" -> withLength(name, precision);
            case "numeric", "decimal" -> decimal(name, precision, scale);
            case "decfloat" -> precision == H2_DECFLOAT_DEFAULT_PRECISION ? name : withLength(name, precision);
            case "time" -> fractional("time", scale, 0, "");
            case "time with time zone" -> fractional("time", scale, 0, " with time zone");
            case "timestamp" -> fractional("timestamp", scale, 6, "");
            case "timestamp with time zone" -> fractional("timestamp", scale, 6, " with time zone");
            default -> lowerOutsideQuotes(reportedName);
        };
    }

    private static String mariaDb(String name, int precision, int scale) {
        String unsigned = name.endsWith(" unsigned") ? " unsigned" : "";
        String base = name.substring(0, name.length() - unsigned.length());
        String spelled = switch (base) {
            case "char", "varchar", "binary", "varbinary", "bit" -> withLength(base, precision);
            case "integer" -> "int";
            case "boolean" -> "tinyint(1)";
            case "decimal" -> decimal(base, precision, scale);
            case "time", "datetime", "timestamp" -> fractional(base, scale, 0, "");
            default -> base;
        };
        return spelled + unsigned;
    }

    private static String standard(String reportedName, int jdbcType, int precision, int scale) {
        String name = lowerOutsideQuotes(reportedName);
        return switch (jdbcType) {
            case Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR, Types.BINARY, Types.VARBINARY ->
                    withLength(name, precision);
            case Types.NUMERIC, Types.DECIMAL -> precision > 0 ? decimal(name, precision, scale) : name;
            default -> name;
        };
    }

    private static String withLength(String name, int length) {
        return length > 0 ? name + "(" + length + ")" : name;
    }

    private static String decimal(String name, int precision, int scale) {
        return name + "(" + precision + "," + scale + ")";
    }

    private static String fractional(String name, int digits, int defaultDigits, String suffix) {
        return digits == defaultDigits ? name + suffix : name + "(" + digits + ")" + suffix;
    }

    /** Lower case, except inside single quotes (the values of an H2 {@code ENUM('A', 'B')}). */
    private static String lowerOutsideQuotes(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            lower.append(quoted ? c : Character.toLowerCase(c));
        }
        return lower.toString();
    }
}
