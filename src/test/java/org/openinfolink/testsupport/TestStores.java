package org.openinfolink.testsupport;

import org.apache.commons.dbcp2.BasicDataSource;
import org.openinfolink.store.StoreMigrations;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;

/** Fresh job stores for tests: a new database on a test server, migrated by Flyway. */
public final class TestStores {

    private TestStores() {
    }

    /**
     * A pool over a new, migrated job store database on a server of {@code kind}; the caller
     * closes it.
     */
    public static BasicDataSource migrated(TestDatabase kind) {
        DatabaseServer database = kind.server().createDatabase("store");
        BasicDataSource pool = database.newPool();
        pool.setMaxTotal(16);
        StoreMigrations.migrate(pool, kind + " test store");
        return pool;
    }
}
