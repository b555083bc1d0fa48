package org.openinfolink.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The SQL dialects the server knows by name. Lexing (quotes, comments, dollar quoting), type
 * descriptions and the DDL of tables created by {@code Transform into} depend on it; anything
 * else is {@link #OTHER} and treated as standard SQL.
 */
public enum SqlDialect {
    H2,
    POSTGRESQL,
    MARIADB,
    OTHER;

    /** The dialect of a live connection, from its database product name. */
    public static SqlDialect of(Connection connection) throws SQLException {
        return ofProductName(connection.getMetaData().getDatabaseProductName());
    }

    /** The dialect for a {@code DatabaseMetaData.getDatabaseProductName()} value. */
    public static SqlDialect ofProductName(String productName) {
        String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (name.contains("h2")) {
            return H2;
        }
        if (name.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MARIADB;
        }
        return OTHER;
    }

    /** The dialect a JDBC URL names, or {@link #OTHER} when the URL does not tell. */
    public static SqlDialect ofJdbcUrl(String url) {
        String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        return OTHER;
    }
}
