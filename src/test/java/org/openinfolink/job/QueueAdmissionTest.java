package org.openinfolink.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openinfolink.store.JdbcJobStore;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.TestStores;

/**
 * {@link QueueAdmission} over a real job store (H2 in memory) and a clock the test moves. Jobs
 * queued "by another node" are inserted into the store directly: only a count of the queue can
 * see them, so whether a submission was counted shows in whether it sees them.
 */
class QueueAdmissionTest {

    private static final long WITHIN_RECOUNT = QueueAdmission.RECOUNT_NANOS / 2;

    private final BasicDataSource database = TestStores.migrated(TestDatabase.H2);
    private final JdbcJobStore store = new JdbcJobStore(database, 64);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private int inserted;

    @AfterEach
    void close() throws SQLException {
        database.close();
    }

    private QueueAdmission admission(int maxQueued, int maxQueuedPerClient) {
        return new QueueAdmission(store, maxQueued, maxQueuedPerClient, nanos::get);
    }

    /** Queues jobs of a client in the store, as another node would. */
    private void queueElsewhere(String clientName, int jobs) {
        for (int i = 0; i < jobs; i++) {
            inserted++;
            store.insert(new JobRequest("app", "elsewhere-" + inserted, clientName, "Main", "RunScenario", "{}", 60,
                    false), null);
        }
    }

    @Test
    void farBelowTheLimitsASubmissionUsesTheLastCountUntilItIsStale() {
        QueueAdmission admission = admission(100, 100);
        admission.admit("crm");
        queueElsewhere("crm", 100);

        nanos.addAndGet(WITHIN_RECOUNT);
        assertDoesNotThrow(() -> admission.admit("crm"), "counted 0 a moment ago, plus this node's one job");

        nanos.addAndGet(QueueAdmission.RECOUNT_NANOS);
        JobRefusedException refused = assertThrows(JobRefusedException.class, () -> admission.admit("crm"));
        assertEquals(JobRefusedException.Reason.QUEUE_FULL, refused.reason());
        assertTrue(refused.getMessage().contains("100 jobs are queued"), refused.getMessage());
    }

    @Test
    void nearALimitEverySubmissionCountsTheQueue() {
        QueueAdmission admission = admission(10, 10);
        admission.admit("crm");
        queueElsewhere("crm", 7);

        // the estimate is 1: 1 + 1 + a margin of 1 is far below 10, so this one is not counted
        admission.admit("crm");
        queueElsewhere("crm", 2);
        nanos.addAndGet(QueueAdmission.RECOUNT_NANOS);
        admission.admit("crm");
        // counted 9, so the estimate is 10 with this job: the next is counted at once, and sees 10
        queueElsewhere("crm", 1);
        assertThrows(JobRefusedException.class, () -> admission.admit("crm"));
    }

    @Test
    void aClientNearingItsShareIsCountedWithinTheRecountTime() {
        QueueAdmission admission = admission(1000, 4);
        admission.admit("billing");
        queueElsewhere("billing", 4);

        // estimates 1 and 2: one more job and a margin of 1 stay within the share of 4
        admission.admit("billing");
        admission.admit("billing");
        // estimate 3: counted, and the 4 queued elsewhere are seen
        JobRefusedException refused = assertThrows(JobRefusedException.class, () -> admission.admit("billing"));
        assertTrue(refused.getMessage().contains("Client 'billing' has 4 jobs queued"), refused.getMessage());

        assertDoesNotThrow(() -> admission.admit("crm"), "another client's share is its own");
    }

    @Test
    void onOneNodeTheEstimateNeverAdmitsAJobPastALimit() {
        QueueAdmission admission = admission(20, 20);
        int admitted = 0;
        while (true) {
            try {
                admission.admit("crm");
            } catch (JobRefusedException e) {
                break;
            }
            admitted++;
            queueElsewhere("crm", 1);  // the job this node admitted, stored as the registry would
            nanos.addAndGet(WITHIN_RECOUNT / 10);
        }
        assertEquals(20, admitted, "exactly the limit, though most submissions used the estimate");
    }
}
