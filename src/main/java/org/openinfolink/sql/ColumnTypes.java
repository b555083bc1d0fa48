package org.openinfolink.sql;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Describes the columns of a result set: the database's own type as the contract reports it and
 * the portable {@link StandardType}.
 *
 * <p>The standard type follows the JDBC type code, except where a driver's code misleads:
 * PostgreSQL reports {@code bool} as {@code BIT} (boolean), {@code bit}/{@code varbit} bit strings
 * as {@code BIT} (other: their text, e.g. {@code 10101010}) and {@code money} as {@code DOUBLE}
 * (other: its text, e.g. {@code $12.34}); H2 reports {@code uuid} as {@code BINARY} (other);
 * MariaDB reports {@code YEAR} as {@code DATE} (integer) and {@code JSON} as
 * {@code LONGVARCHAR} (other). MariaDB names a column {@code JSON} only in its extended type
 * metadata (MariaDB 10.5 and later with Connector/J 3); without it a JSON column is
 * {@code LONGTEXT} and comes out as text. MariaDB's {@code BIT(1)} and
 * {@code BOOLEAN}/{@code TINYINT(1)} are boolean, a {@code BIT(n)} with n &gt; 1 is binary.
 * Connector/J reports MariaDB's {@code ENUM}, {@code SET} and {@code INET6} as {@code CHAR} of
 * their longest value: they are text. Arrays, intervals, XML and any unknown type are other.
 *
 * <p>The precision is the driver's, except that a length without limit is {@code -1}: a
 * reported precision of {@code Integer.MAX_VALUE} (PostgreSQL {@code text}, {@code bytea},
 * H2 LOBs), {@code 0} or less for text, binary, decimal or other (MariaDB {@code LONGTEXT},
 * PostgreSQL {@code numeric} without precision), and H2's 1,000,000,000, which H2 reports for
 * {@code character varying}, {@code binary varying} and {@code json} declared without a length.
 */
public final class ColumnTypes {

    /** The length H2 gives a varying type declared without one (its maximum). */
    static final int H2_UNLIMITED_LENGTH = 1_000_000_000;

    private static final Map<String, StandardType> POSTGRESQL_BY_NAME = Map.of(
            "bool", StandardType.BOOLEAN,
            "bit", StandardType.OTHER,
            "varbit", StandardType.OTHER,
            "money", StandardType.OTHER);

    private static final Map<String, StandardType> H2_BY_NAME = Map.of(
            "uuid", StandardType.OTHER);

    private static final Map<String, StandardType> MARIADB_BY_NAME = Map.of(
            "year", StandardType.INTEGER,
            "json", StandardType.OTHER);

    private ColumnTypes() {
    }

    /**
     * Describes every column of a result, in column order.
     *
     * @param dialect the database the result comes from ({@link SqlDialect#of})
     */
    public static List<ColumnInfo> describe(ResultSetMetaData md, SqlDialect dialect) throws SQLException {
        int count = md.getColumnCount();
        List<ColumnInfo> columns = new ArrayList<>(count);
        for (int column = 1; column <= count; column++) {
            columns.add(describe(md, column, dialect));
        }
        return List.copyOf(columns);
    }

    private static ColumnInfo describe(ResultSetMetaData md, int column, SqlDialect dialect) throws SQLException {
        String reportedName = Objects.requireNonNullElse(md.getColumnTypeName(column), "");
        String typeName = reportedName.toLowerCase(Locale.ROOT);
        int jdbcType = md.getColumnType(column);
        int reportedPrecision = md.getPrecision(column);
        int scale = md.getScale(column);
        StandardType standardType = standardType(dialect, typeName, jdbcType, reportedPrecision);
        int precision = precision(reportedPrecision, standardType, dialect);
        boolean withTimeZone = jdbcType == Types.TIME_WITH_TIMEZONE
                || jdbcType == Types.TIMESTAMP_WITH_TIMEZONE
                || (dialect == SqlDialect.POSTGRESQL && (typeName.equals("timetz") || typeName.equals("timestamptz")));
        boolean unsigned = dialect == SqlDialect.MARIADB && typeName.endsWith(" unsigned");
        String typeStr = TypeStrings.of(dialect, reportedName, typeName, jdbcType, precision, scale);
        return new ColumnInfo(md.getColumnLabel(column), typeName, typeStr, precision, scale, jdbcType,
                standardType, withTimeZone, unsigned, dialect);
    }

    private static StandardType standardType(SqlDialect dialect, String typeName, int jdbcType, int precision) {
        Map<String, StandardType> byName = switch (dialect) {
            case POSTGRESQL -> POSTGRESQL_BY_NAME;
            case H2 -> H2_BY_NAME;
            case MARIADB -> MARIADB_BY_NAME;
            case OTHER -> Map.of();
        };
        StandardType named = byName.get(typeName);
        return named != null ? named : byJdbcType(jdbcType, precision);
    }

    private static StandardType byJdbcType(int jdbcType, int precision) {
        return switch (jdbcType) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR,
                    Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB -> StandardType.TEXT;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> StandardType.INTEGER;
            case Types.NUMERIC, Types.DECIMAL -> StandardType.DECIMAL;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> StandardType.FLOAT;
            case Types.BOOLEAN -> StandardType.BOOLEAN;
            case Types.BIT -> precision <= 1 ? StandardType.BOOLEAN : StandardType.BINARY;
            case Types.DATE -> StandardType.DATE;
            case Types.TIME, Types.TIME_WITH_TIMEZONE -> StandardType.TIME;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> StandardType.DATETIME;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> StandardType.BINARY;
            default -> StandardType.OTHER;
        };
    }

    private static int precision(int reported, StandardType standardType, SqlDialect dialect) {
        if (reported >= Integer.MAX_VALUE) {
            return -1;
        }
        boolean hasLength = switch (standardType) {
            case TEXT, BINARY, DECIMAL, OTHER -> true;
            default -> false;
        };
        if (hasLength && reported <= 0) {
            return -1;
        }
        if (hasLength && dialect == SqlDialect.H2 && reported == H2_UNLIMITED_LENGTH) {
            return -1;
        }
        return reported;
    }
}
