package org.openinfolink.store;

import org.openinfolink.testdb.TestDatabase;

/** The audit store's suite on H2 in memory, as the embedded default store runs it. */
class H2AuditStoreTest extends AuditStoreSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
