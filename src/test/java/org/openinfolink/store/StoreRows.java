package org.openinfolink.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * A job store's database read and written with plain SQL, around the store: for the tests that
 * check what the contract says about rows, tables and the store's clock. Each call borrows and
 * returns one connection.
 */
final class StoreRows {

    private final DataSource dataSource;

    StoreRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The store's clock now, read with the expression the store itself uses. */
    long storeNow() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT " + StoreDialect.of(connection).nowMillis())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The number in the first column of the one row a query returns. */
    long queryLong(String sql, Object... values) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            try (ResultSet rs = statement.executeQuery()) {
                assertTrue(rs.next(), "no row: " + sql);
                return rs.getLong(1);
            }
        }
    }

    /** The numbers in the first column of every row a query returns, in its order. */
    List<Long> queryLongs(String sql, Object... values) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            List<Long> numbers = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    numbers.add(rs.getLong(1));
                }
            }
            return numbers;
        }
    }

    void update(String sql, Object... values) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            statement.executeUpdate();
        }
    }

    void execute(String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The rows of Flyway's history table in order, as {@code "<type> <version> <success>"}: {@code "SQL 1 true"}. */
    List<String> history() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT type, version, success FROM "
                     + StoreMigrations.HISTORY_TABLE + " ORDER BY installed_rank")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3));
            }
        }
        return rows;
    }

    /** The tables of the connection's own schema (its database, on MariaDB), in lower case. */
    Set<String> tables() throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            try (ResultSet rs = meta.getTables(connection.getCatalog(), connection.getSchema(), "%",
                    new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return tables;
    }

    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }
}
