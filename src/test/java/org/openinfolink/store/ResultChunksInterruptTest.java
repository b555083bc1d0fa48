package org.openinfolink.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;
import org.openinfolink.engine.ResultOutput;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobRequest;
import org.openinfolink.sql.DataSourceRegistry;
import org.openinfolink.sql.PoolFactory;
import org.openinfolink.testsupport.Poll;

/**
 * A thread interrupted while it writes a result set (as the engine's writer is when its step
 * fails) on the embedded H2 file store, the default of a fresh install: the chunk insert in flight
 * is let finish, so H2, which closes its file channel when an interrupt reaches its I/O, stays open.
 */
class ResultChunksInterruptTest {

    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int INTERRUPTS = 20;

    @Test
    void interruptingAWriterLeavesTheEmbeddedStoreOpen() throws Exception {
        Path dataDir = Path.of("target", "chunks-interrupt-" + UUID.randomUUID()).toAbsolutePath();
        try (BasicDataSource pool = PoolFactory.create(DataSourceRegistry.embeddedUrl(dataDir), "sa", "", null,
                Map.of())) {
            StoreMigrations.migrate(pool, "the test's store");
            JdbcJobStore store = new JdbcJobStore(pool, CHUNK_BYTES);
            StoreRows rows = new StoreRows(pool);
            byte[] chunk = new byte[CHUNK_BYTES];
            for (int i = 0; i < INTERRUPTS; i++) {
                JobRecord job = store.insert(new JobRequest("app", "job-" + i, "client", "Main", "RunScenario",
                        "{}", 60, false), "node-a").job();
                ResultOutput output = store.newResult(job, 1, "rows", List.of());
                AtomicReference<IOException> failure = new AtomicReference<>();
                Thread writer = new Thread(() -> {
                    try {
                        while (true) {
                            output.records().write(chunk);
                        }
                    } catch (IOException e) {
                        failure.set(e);
                    }
                });
                writer.start();
                // once a group is in, the writer goes on with the next one in flight
                Poll.until(Duration.ofSeconds(30), () -> rows.queryLong(
                        "SELECT COUNT(*) FROM il_result_chunk WHERE job_seq = ?", job.seq()), n -> n > 0,
                        "chunks of " + job.jobId() + " in the store");
                writer.interrupt();
                writer.join(10_000);

                assertTrue(failure.get() instanceof InterruptedIOException, "the writer stops: " + failure.get());
                output.discard();
                assertEquals(job.seq(), store.find("app", job.jobId()).orElseThrow().seq(),
                        "the store still answers after interrupt " + (i + 1));
            }
        }
    }
}
