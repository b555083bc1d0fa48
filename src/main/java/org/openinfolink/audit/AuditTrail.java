package org.openinfolink.audit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.job.NamedThreadFactory;
import org.openinfolink.job.StoreUnavailableException;

/**
 * The audit trail (CONTRACT section 13): every entry goes to the log at once and to the
 * {@link AuditStore} soon after, and entries older than {@code audit.keepDays} are deleted.
 *
 * <p><b>Recording never waits for the store.</b> {@link #record} writes one INFO line to the logger
 * {@value #LOGGER_NAME} on the caller's thread, then queues the entry and returns. A writer thread
 * ({@code infolink-audit-writer-1}) inserts what is queued in batches of up to
 * {@value #BATCH_SIZE}, at the latest about {@value #BATCH_DELAY_MILLIS} ms after the first entry of
 * a batch was recorded, each stamped with the time it was recorded (on the store's clock). So a
 * crash loses at most the entries of the last ~100 ms from the store, never from the log.
 *
 * <p><b>When the store cannot be written</b> the writer keeps the queued entries, up to
 * {@value #MAX_QUEUED}, and retries with a growing delay (from 0.5 to 10 s) until the store takes
 * them. Entries recorded while the queue is full are in the log only; the first such loss is
 * logged as a WARNING at once, and the number lost when the store is written again. A batch that
 * fails for any other reason than the store's unavailability (a bug) is logged as SEVERE and given
 * up, so one bad entry cannot hold up the rest.
 *
 * <p><b>Retention.</b> A purge thread ({@code infolink-audit-purge-1}) deletes the records older
 * than {@code keepDays} at start and then every hour, in batches of {@code purgeBatchSize} records
 * per transaction; a failed purge is logged and tried again an hour later.
 *
 * <p>Thread safe: any thread may call {@link #record}, {@link #list} and {@link #flush} at any
 * time. {@link #start()} is called once; {@link #close()} is idempotent. The trail owns its two
 * threads, not the store: whoever made the store's DataSource closes it, after closing the trail.
 */
public final class AuditTrail implements AutoCloseable {

    /** The logger of the audit lines: one INFO line per entry, {@code key=value} fields. */
    public static final String LOGGER_NAME = "org.openinfolink.audit";

    /** Entries inserted per transaction at most. */
    static final int BATCH_SIZE = 500;
    /** How long an entry waits at most for others to fill its batch. */
    static final long BATCH_DELAY_MILLIS = 100;
    /** Entries kept while the store cannot be written; more are in the log only. */
    static final int MAX_QUEUED = 10_000;
    /** How long {@link #flush()} waits at most, in seconds. */
    static final long FLUSH_TIMEOUT_SECONDS = 10;

    private static final Logger AUDIT_LOG = Logger.getLogger(LOGGER_NAME);
    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());
    private static final long MILLIS_PER_DAY = TimeUnit.DAYS.toMillis(1);

    /**
     * How the trail batches, retries and purges: {@link #DEFAULT} in the server, shorter in tests.
     *
     * @param batchSize       entries per insert at most
     * @param batchDelay      how long an entry waits at most for others to fill its batch
     * @param maxQueued       entries kept while the store cannot be written
     * @param firstRetryDelay the wait after the first failed insert; it doubles with each failure
     * @param maxRetryDelay   the longest wait between two inserts that fail
     * @param purgeInterval   the time between two purges
     * @param closeTimeout    how long {@link #close()} waits for the queue to be written
     */
    record Tuning(int batchSize, Duration batchDelay, int maxQueued, Duration firstRetryDelay,
                  Duration maxRetryDelay, Duration purgeInterval, Duration closeTimeout) {

        static final Tuning DEFAULT = new Tuning(BATCH_SIZE, Duration.ofMillis(BATCH_DELAY_MILLIS), MAX_QUEUED,
                Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofSeconds(5));

        Tuning {
            if (batchSize < 1 || maxQueued < batchSize) {
                throw new IllegalArgumentException("batchSize " + batchSize + ", maxQueued " + maxQueued);
            }
        }
    }

    /** An entry waiting for the writer, with when it was recorded ({@link System#nanoTime()}). */
    private record Pending(AuditEntry entry, long recordedNanos) {
    }

    private final AuditStore store;
    private final int keepDays;
    private final int purgeBatchSize;
    private final Tuning tuning;
    private final ExecutorService writer =
            Executors.newSingleThreadExecutor(new NamedThreadFactory("infolink-audit-writer"));
    private final ScheduledThreadPoolExecutor purger =
            new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("infolink-audit-purge"));

    private final ReentrantLock lock = new ReentrantLock();
    /** Wakes the writer: an entry to write, a flush, a close. */
    private final Condition workToDo = lock.newCondition();
    /** Wakes flushers and close: entries were written, or the writer ended. */
    private final Condition progress = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Entries queued since the start. */
    private long accepted;
    /** Of those, the entries written (or given up as unwritable): they left the queue. */
    private long settled;
    /** While {@code settled} is below it, the writer writes at once instead of letting a batch fill. */
    private long flushUpTo;
    /** Set by flush and close: a writer waiting to retry tries again at once. */
    private boolean retryNow;
    /** Entries recorded while the queue was full, since the loss was last reported. */
    private long lost;
    private boolean storeFailing;
    private boolean started;
    private boolean closing;
    private boolean writerEnded;

    /**
     * A trail on a store; nothing runs until {@link #start()}.
     *
     * @param keepDays       records older than this many days are deleted ({@code audit.keepDays})
     * @param purgeBatchSize records deleted per transaction ({@code store.purgeBatchSize})
     */
    public AuditTrail(AuditStore store, int keepDays, int purgeBatchSize) {
        this(store, keepDays, purgeBatchSize, Tuning.DEFAULT);
    }

    AuditTrail(AuditStore store, int keepDays, int purgeBatchSize, Tuning tuning) {
        if (keepDays < 1 || purgeBatchSize < 1) {
            throw new IllegalArgumentException("keepDays " + keepDays + ", purgeBatchSize " + purgeBatchSize);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.keepDays = keepDays;
        this.purgeBatchSize = purgeBatchSize;
        this.tuning = tuning;
    }

    /**
     * Starts the writer and the purge loop (its first purge at once).
     *
     * @throws IllegalStateException when started already or closed
     */
    public void start() {
        lock.lock();
        try {
            if (started || closing) {
                throw new IllegalStateException(closing ? "The audit trail is closed" : "The audit trail runs already");
            }
            started = true;
        } finally {
            lock.unlock();
        }
        writer.execute(this::writeLoop);
        purger.scheduleWithFixedDelay(this::purge, 0, tuning.purgeInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Records an entry: logs it at once and queues it for the store, without waiting for the store.
     * After {@link #close()} the entry is logged only. Never throws for a store failure.
     */
    public void record(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        AUDIT_LOG.info(() -> logLine(entry));
        long recordedNanos = System.nanoTime();
        boolean firstLoss = false;
        lock.lock();
        try {
            if (closing) {
                LOG.fine(() -> "An audit entry recorded after the trail was closed is in the log only");
                return;
            }
            if (queue.size() >= tuning.maxQueued()) {
                firstLoss = lost == 0;
                lost++;
            } else {
                queue.addLast(new Pending(entry, recordedNanos));
                accepted++;
                if (queue.size() == 1 || queue.size() == tuning.batchSize()) {
                    workToDo.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (firstLoss) {
            LOG.warning("The audit trail keeps " + tuning.maxQueued() + " entries while the store cannot be"
                    + " written, and holds that many: further entries are in the log only until the store takes"
                    + " them again");
        }
    }

    /**
     * The records of a query, newest first, read from the store now: what is still queued is not
     * among them (call {@link #flush()} first to see an entry just recorded).
     *
     * @throws StoreUnavailableException when the store cannot be read
     */
    public List<AuditRecord> list(AuditQuery query) {
        return store.list(query);
    }

    /**
     * Waits until every entry recorded before this call is in the store, for at most
     * {@value #FLUSH_TIMEOUT_SECONDS} seconds; for tests and for a page that shows the trail right
     * after an action. Returns early, silently, when the store cannot be written that long.
     */
    public void flush() {
        if (!flush(Duration.ofSeconds(FLUSH_TIMEOUT_SECONDS))) {
            LOG.fine(() -> "The audit trail was not written to the store within " + FLUSH_TIMEOUT_SECONDS + " s");
        }
    }

    /**
     * Waits until every entry recorded before this call is in the store (or given up as
     * unwritable, which is logged), for at most {@code timeout}. A writer waiting to retry a failed
     * insert tries again at once.
     *
     * @return whether they are; false when the timeout passed, the thread was interrupted (its flag
     *         is set again) or the trail was closed first
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long target = accepted;
            if (settled >= target) {
                return true;
            }
            flushUpTo = Math.max(flushUpTo, target);
            retryNow = true;
            workToDo.signal();
            while (settled < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || writerEnded) {
                    return false;
                }
                progress.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the trail: no more entries are queued, the purge loop stops, and what is queued is
     * written while the store takes it, for at most 5 seconds. What is left then is logged as lost
     * (it is in the log). Idempotent; does not close the store.
     */
    @Override
    public void close() {
        boolean wasStarted;
        long target;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            wasStarted = started;
            target = accepted;
            retryNow = true;
            workToDo.signalAll();
        } finally {
            lock.unlock();
        }
        purger.shutdownNow();
        if (wasStarted && !awaitSettled(target, tuning.closeTimeout())) {
            LOG.warning("Closing the audit trail: the store did not take the queued entries within "
                    + tuning.closeTimeout().toSeconds() + " s");
        }
        writer.shutdownNow();
        try {
            if (!writer.awaitTermination(1, TimeUnit.SECONDS)) {
                LOG.warning("The audit writer did not stop within 1 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long unwritten;
        long lostNow;
        lock.lock();
        try {
            unwritten = queue.size();
            lostNow = lost;
        } finally {
            lock.unlock();
        }
        if (unwritten + lostNow > 0) {
            LOG.warning((unwritten + lostNow) + " audit entries were not written to the store before shutdown;"
                    + " they are in the log only");
        }
    }

    private boolean awaitSettled(long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (settled < target && !writerEnded) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progress.awaitNanos(left);
            }
            return settled >= target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    // ---- the writer ------------------------------------------------------------------------------

    private void writeLoop() {
        long retryDelayNanos = tuning.firstRetryDelay().toNanos();
        try {
            while (true) {
                List<Pending> batch = nextBatch();
                if (batch == null) {
                    return;
                }
                try {
                    insert(batch);
                    settle(batch.size(), true);
                    retryDelayNanos = tuning.firstRetryDelay().toNanos();
                } catch (StoreUnavailableException e) {
                    storeFailed(e);
                    awaitRetry(retryDelayNanos);
                    retryDelayNanos = Math.min(2 * retryDelayNanos, tuning.maxRetryDelay().toNanos());
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, batch.size() + " audit entries cannot be written to the store and are"
                            + " given up; they are in the log", e);
                    settle(batch.size(), false);
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting for the store: what is still queued is reported there
            Thread.currentThread().interrupt();
        } finally {
            lock.lock();
            try {
                writerEnded = true;
                progress.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The next entries to write, oldest first, left in the queue until written: once a batch is
     * full, its first entry has waited the batch delay, or a flush or close asks for them.
     *
     * @return null when the trail is closing and nothing is left
     */
    private List<Pending> nextBatch() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) {
                if (closing) {
                    return null;
                }
                workToDo.await();
            }
            long due = queue.peekFirst().recordedNanos() + tuning.batchDelay().toNanos();
            while (queue.size() < tuning.batchSize() && !closing && settled >= flushUpTo) {
                long left = due - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                workToDo.awaitNanos(left);
            }
            List<Pending> batch = new ArrayList<>(Math.min(queue.size(), tuning.batchSize()));
            Iterator<Pending> oldestFirst = queue.iterator();
            while (oldestFirst.hasNext() && batch.size() < tuning.batchSize()) {
                batch.add(oldestFirst.next());
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void insert(List<Pending> batch) {
        long now = System.nanoTime();
        List<AuditEntry> entries = new ArrayList<>(batch.size());
        List<Long> agesMillis = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            entries.add(pending.entry());
            agesMillis.add(TimeUnit.NANOSECONDS.toMillis(now - pending.recordedNanos()));
        }
        store.insert(entries, agesMillis);
    }

    /** Takes a batch off the queue: written, or given up. */
    private void settle(int count, boolean written) {
        boolean recovered;
        long lostNow;
        int kept;
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                queue.removeFirst();
            }
            settled += count;
            progress.signalAll();
            recovered = written && storeFailing;
            if (written) {
                storeFailing = false;
            }
            lostNow = written ? lost : 0;
            if (written) {
                lost = 0;
            }
            kept = queue.size();
        } finally {
            lock.unlock();
        }
        if (recovered) {
            LOG.info("The audit trail is written to the store again (" + kept + " entries still queued)");
        }
        if (lostNow > 0) {
            LOG.warning(lostNow + " audit entries were recorded while the store could not be written and the"
                    + " queue was full: they are in the log only");
        }
    }

    private void storeFailed(StoreUnavailableException e) {
        boolean first;
        int kept;
        lock.lock();
        try {
            first = !storeFailing;
            storeFailing = true;
            kept = queue.size();
        } finally {
            lock.unlock();
        }
        if (first) {
            LOG.warning("The audit trail cannot be written to the store now: " + e.getMessage() + " " + kept
                    + " entries are kept and written when it is back");
        }
    }

    /** Waits before retrying a failed insert, or until a flush or close asks for a retry now. */
    private void awaitRetry(long delayNanos) throws InterruptedException {
        long deadline = System.nanoTime() + delayNanos;
        lock.lockInterruptibly();
        try {
            while (!retryNow) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                workToDo.awaitNanos(left);
            }
            retryNow = false;
        } finally {
            lock.unlock();
        }
    }

    // ---- retention -------------------------------------------------------------------------------

    private void purge() {
        try {
            int deleted = store.purge(keepDays * MILLIS_PER_DAY, purgeBatchSize);
            if (deleted > 0) {
                LOG.info(deleted + " audit record(s) older than " + keepDays + " days deleted");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Deleting old audit records failed; trying again in "
                    + tuning.purgeInterval().toMinutes() + " min: " + e.getMessage());
        }
    }

    // ---- the log line ----------------------------------------------------------------------------

    /**
     * The entry as one line of {@code key=value} fields, absent values left out: {@code
     * action=executeJob who=crm-sync remoteAddress=10.0.0.7 appId=7 jobId=j-1 outcome=OK
     * detail="RunScenario Main, async"}. A value is quoted when it is empty or holds a space, a
     * quote, {@code =}, a backslash or a control character, which are escaped, so one entry is
     * always one line and cannot forge another's fields.
     */
    static String logLine(AuditEntry entry) {
        StringBuilder line = new StringBuilder(160);
        field(line, "action", entry.action().actionName());
        field(line, "who", entry.who());
        field(line, "remoteAddress", entry.remoteAddress());
        field(line, "appId", entry.appId());
        field(line, "jobId", entry.jobId());
        field(line, "outcome", entry.outcome());
        field(line, "detail", entry.detail());
        return line.toString();
    }

    private static void field(StringBuilder line, String key, String value) {
        if (value == null) {
            return;
        }
        if (!line.isEmpty()) {
            line.append(' ');
        }
        line.append(key).append('=');
        if (!value.isEmpty() && value.chars().noneMatch(AuditTrail::needsQuotes)) {
            line.append(value);
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (isControl(c)) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }

    private static boolean needsQuotes(int c) {
        return c == '"' || c == '=' || c == '\\' || Character.isWhitespace(c) || Character.isSpaceChar(c)
                || isControl(c);
    }

    /** Control characters, and the line and paragraph separators some viewers break lines at. */
    private static boolean isControl(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
