package org.openinfolink.store;

import org.openinfolink.testdb.TestDatabase;

/** The job store's suite on H2 in memory, as the embedded default store runs it. */
class H2JobStoreTest extends JobStoreSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
