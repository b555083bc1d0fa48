package org.openinfolink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;

/** How the server's own pools keep their connections. */
class PoolFactoryTest {

    private static final String URL = "jdbc:h2:mem:pool_factory;DB_CLOSE_DELAY=-1";

    @Test
    void aBusyPoolKeepsEveryConnectionItOpenedWhenMaxTotalIsRaised() throws Exception {
        try (BasicDataSource pool = PoolFactory.create(URL, "sa", "", null, Map.of("maxTotal", "24"))) {
            borrowAndReturn(pool, 20);
            assertEquals(20, pool.getNumIdle(), "every returned connection is kept for the next borrower");
            assertEquals(20, pool.getNumIdle() + pool.getNumActive());

            borrowAndReturn(pool, 20);
            assertEquals(20, pool.getNumIdle(), "and again after a second round");
        }
    }

    @Test
    void aGivenMaxIdleIsKept() throws Exception {
        Map<String, String> settings = Map.of("maxTotal", "24", "maxIdle", "3");
        try (BasicDataSource pool = PoolFactory.create(URL, "sa", "", null, settings)) {
            borrowAndReturn(pool, 10);
            assertEquals(3, pool.getNumIdle(), "connections beyond maxIdle are closed when returned");
        }
    }

    @Test
    void theDefaultsKeepWhatTheyMayLend() throws Exception {
        try (BasicDataSource pool = PoolFactory.create(URL, "sa", "", null, Map.of())) {
            assertEquals(PoolFactory.DEFAULT_MAX_TOTAL, pool.getMaxTotal());
            assertEquals(PoolFactory.DEFAULT_MAX_TOTAL, pool.getMaxIdle());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aStorePoolWaitsForEachAnswerAtMostTheStoreSocketTimeout(TestDatabase database) throws Exception {
        DatabaseServer server = database.server();
        try (BasicDataSource pool = PoolFactory.create(server.url(), server.username(), server.password(), null,
                Map.of(), PoolFactory.STORE_SOCKET_TIMEOUT);
             Connection connection = pool.getConnection()) {
            assertEquals(PoolFactory.STORE_SOCKET_TIMEOUT.toMillis(), connection.getNetworkTimeout());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
    void aSourcePoolHasNoSocketTimeoutSoItsQueriesMayRunForMinutes(TestDatabase database) throws Exception {
        DatabaseServer server = database.server();
        try (BasicDataSource pool = PoolFactory.create(server.url(), server.username(), server.password(), null,
                Map.of());
             Connection connection = pool.getConnection()) {
            assertEquals(0, connection.getNetworkTimeout());
        }
    }

    @Test
    void aSocketTimeoutGivenInConnectionPropertiesWinsOverTheStoreDefault() throws Exception {
        DatabaseServer server = TestDatabase.POSTGRESQL.server();
        Map<String, String> settings = Map.of("connectionProperties", "socketTimeout=7");
        try (BasicDataSource pool = PoolFactory.create(server.url(), server.username(), server.password(), null,
                settings, PoolFactory.STORE_SOCKET_TIMEOUT);
             Connection connection = pool.getConnection()) {
            assertEquals(7_000, connection.getNetworkTimeout());
        }
    }

    /** Holds {@code count} connections at once, then returns them all. */
    private static void borrowAndReturn(BasicDataSource pool, int count) throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(pool.getConnection());
            }
            assertEquals(count, pool.getNumActive());
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }
}
