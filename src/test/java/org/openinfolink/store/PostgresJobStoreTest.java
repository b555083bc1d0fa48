package org.openinfolink.store;

import org.junit.jupiter.api.Test;
import org.openinfolink.testdb.TestDatabase;

/** The job store's suite on PostgreSQL (embedded, zonky), where several nodes may share it. */
class PostgresJobStoreTest extends JobStoreSuite {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Test
    @Override
    void aLateWriteWaitsForARequeueInProgressAndIsThenRefused() throws Exception {
        super.aLateWriteWaitsForARequeueInProgressAndIsThenRefused();
    }
}
