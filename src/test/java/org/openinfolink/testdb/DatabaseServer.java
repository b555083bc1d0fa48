package org.openinfolink.testdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.commons.dbcp2.BasicDataSource;
import org.openinfolink.sql.SqlDialect;

/**
 * Where to reach one test database: a server of some {@link TestDatabase} kind, or (after
 * {@link #createDatabase}) one database on it.
 *
 * @param kind     the database kind
 * @param url      the JDBC URL
 * @param username the user, or {@code null} when the URL carries it
 * @param password the password, empty when there is none
 */
public record DatabaseServer(TestDatabase kind, String url, String username, String password) {

    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    /**
     * Creates a fresh, empty database with a unique name that starts with {@code prefix} and
     * returns where to reach it. The database is never dropped: it lives as long as the server
     * (H2: as long as the JVM).
     *
     * @param prefix lower-case letters, digits and {@code _}, starting with a letter
     */
    public DatabaseServer createDatabase(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("Not a database name prefix: " + prefix);
        }
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (kind == TestDatabase.H2) {
            return new DatabaseServer(kind, h2Url(name), username, password);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(kind == TestDatabase.MARIADB
                    ? "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
                    : "CREATE DATABASE " + name + "");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + " on " + url, e);
        }
        return new DatabaseServer(kind, withDatabase(url, name), username, password);
    }

    /**
     * A new DBCP2 pool over this database: at most 8 connections, 10 s to wait for one,
     * validated with {@code SELECT 1}. The caller closes it.
     */
    public BasicDataSource newPool() {
        BasicDataSource pool = new BasicDataSource();
        pool.setDriverClassName(driverClassName(url));
        pool.setUrl(url);
        if (username != null) {
            pool.setUsername(username);
            pool.setPassword(password);
        }
        pool.setMaxTotal(8);
        pool.setMaxWait(Duration.ofMillis(10_000));
        pool.setValidationQuery("SELECT 1");
        return pool;
    }

    /** A new connection outside any pool; the caller closes it. */
    public Connection connect() throws SQLException {
        return username == null
                ? DriverManager.getConnection(url)
                : DriverManager.getConnection(url, username, password);
    }

    static String h2Url(String name) {
        return "jdbc:h2:mem:" + name
                + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE;LAZY_QUERY_EXECUTION=TRUE";
    }

    private static String driverClassName(String url) {
        return switch (SqlDialect.ofJdbcUrl(url)) {
            case H2 -> "org.h2.Driver";
            case POSTGRESQL -> "org.postgresql.Driver";
            case MARIADB -> "org.mariadb.jdbc.Driver";
            case OTHER -> throw new IllegalArgumentException("No known driver for " + url);
        };
    }

    /**
     * The URL {@code serverUrl} with its database path ({@code //host:port/<db>}) replaced by
     * {@code database}; query parameters are kept.
     */
    static String withDatabase(String serverUrl, String database) {
        int hostStart = serverUrl.indexOf("//");
        if (hostStart < 0) {
            throw new IllegalArgumentException("Not a //host URL: " + serverUrl);
        }
        int end = serverUrl.length();
        for (char terminator : new char[] {'?', ';'}) {
            int at = serverUrl.indexOf(terminator, hostStart);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        int pathStart = serverUrl.indexOf('/', hostStart + 2);
        String host = pathStart < 0 || pathStart > end
                ? serverUrl.substring(0, end) : serverUrl.substring(0, pathStart);
        return host + "/" + database + serverUrl.substring(end);
    }
}
