package org.openinfolink.testdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatabaseServerTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void startsOneServerPerKind(TestDatabase kind) {
        assertSame(kind.server(), kind.server());
        assertEquals(kind, kind.server().kind());
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void createsIsolatedEmptyDatabases(TestDatabase kind) throws SQLException {
        DatabaseServer first = kind.server().createDatabase("isolation");
        DatabaseServer second = kind.server().createDatabase("isolation");
        assertNotEquals(first.url(), second.url());
        try (BasicDataSource pool = first.newPool();
             Connection connection = pool.getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE only_here (id integer)");
            statement.execute("INSERT INTO only_here VALUES (1)");
        }
        try (BasicDataSource pool = second.newPool();
             Connection connection = pool.getConnection();
             Statement statement = connection.createStatement()) {
            assertThrows(SQLException.class, () -> statement.executeQuery("SELECT id FROM only_here"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void poolsAreBoundedAndValidated(TestDatabase kind) throws SQLException {
        try (BasicDataSource pool = kind.server().createDatabase("pool").newPool()) {
            assertEquals(8, pool.getMaxTotal());
            assertEquals(Duration.ofSeconds(10), pool.getMaxWaitDuration());
            assertEquals("SELECT 1", pool.getValidationQuery());
            try (Connection connection = pool.getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT 1")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void replacesTheDatabaseOfAServerUrl() {
        assertEquals("jdbc:postgresql://db:5432/fresh?ssl=false",
                DatabaseServer.withDatabase("jdbc:postgresql://db:5432/postgres?ssl=false", "fresh"));
        assertEquals("jdbc:mariadb://127.0.0.1:3306/fresh",
                DatabaseServer.withDatabase("jdbc:mariadb://127.0.0.1:3306/", "fresh"));
        assertEquals("jdbc:mariadb://db/fresh?user=x",
                DatabaseServer.withDatabase("jdbc:mariadb://db?user=x", "fresh"));
    }
}
