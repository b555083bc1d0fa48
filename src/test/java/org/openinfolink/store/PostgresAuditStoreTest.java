package org.openinfolink.store;

import org.openinfolink.testdb.TestDatabase;

/** The audit store's suite on PostgreSQL (embedded, zonky). */
class PostgresAuditStoreTest extends AuditStoreSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
