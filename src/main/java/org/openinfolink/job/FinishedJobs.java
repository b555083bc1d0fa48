package org.openinfolink.job;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.sql.ColumnInfo;

/**
 * Finished jobs as this node last read them from the store: the record, its trace, its result
 * sets and their records when small, so that a client polling a finished job is answered without
 * reading the store again. Bounded in jobs and bytes, least recently used first out.
 *
 * <p>Correct without asking the store because a finished job never changes, and retention never
 * deletes one that finished less than {@code jobs.keepFinishedMinMinutes} ago: an entry is kept at
 * most until then (less a margin for the clocks of store and node), and never longer than
 * {@link #MAX_AGE}. A job that retention may already have deleted is never cached.
 *
 * <p>Thread safe. What it loads from the store is loaded outside its lock.
 */
final class FinishedJobs {

    /** The most jobs kept. */
    static final int MAX_JOBS = 10_000;
    /** The most bytes of records and rendered answers kept, over all jobs. */
    static final long MAX_RECORD_BYTES = 16L * 1024 * 1024;
    /** The largest result set whose records are kept. */
    static final int MAX_RESULT_BYTES = 64 * 1024;
    /** The longest an entry is kept. */
    static final Duration MAX_AGE = Duration.ofSeconds(30);
    /** How much sooner than the retention floor an entry goes: the store's clock and this node's may differ. */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(10);

    private final Duration floor;
    private final Clock clock;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long recordBytes;

    /** What is kept of one job; the parts other than the record are filled when first read. */
    private static final class Entry {
        private final JobRecord job;
        private final long expiresAtMillis;
        private List<StepTrace> trace;
        private List<ResultInfo> results;
        private final Map<Integer, byte[]> records = new HashMap<>();
        /** Answers rendered from what is kept, by the caller's key. */
        private final Map<String, byte[]> answers = new HashMap<>();
        private long bytes;

        private Entry(JobRecord job, long expiresAtMillis) {
            this.job = job;
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    /**
     * @param floor the retention floor: a finished job is kept in the store at least this long
     */
    FinishedJobs(Duration floor, Clock clock) {
        this.floor = floor;
        this.clock = clock;
    }

    /** The finished job with that id, when it is kept and fresh. */
    synchronized Optional<JobRecord> find(String appId, String jobId) {
        Entry entry = fresh(key(appId, jobId));
        return entry == null ? Optional.empty() : Optional.of(entry.job);
    }

    /** Keeps a job read from the store, if it is finished and may be kept. */
    void remember(JobRecord job) {
        if (!job.state().isFinished() || job.finishedAt() == null) {
            return;
        }
        long now = clock.millis();
        long expires = Math.min(now + MAX_AGE.toMillis(),
                job.finishedAt().toEpochMilli() + floor.toMillis() - CLOCK_MARGIN.toMillis());
        if (expires <= now) {
            return;
        }
        synchronized (this) {
            String key = key(job.appId(), job.jobId());
            if (fresh(key) == null) {
                entries.put(key, new Entry(job, expires));
                while (entries.size() > MAX_JOBS) {
                    evictEldest();
                }
            }
        }
    }

    /**
     * Keeps a job that just ended on this node. When {@code output} is all it wrote (nothing of it
     * went to the store before its end), its trace, result sets and their records are kept too:
     * the callers waiting for the job are answered without reading the store.
     *
     * @param output the trace and result sets the job's end wrote, or null when they are not all it wrote
     */
    void rememberEnded(JobRecord job, JobStore.Written output) {
        remember(job);
        if (output == null) {
            return;
        }
        List<StepTrace> trace = output.steps().stream().map(JobStore.Written.Step::trace).toList();
        List<ResultInfo> results = output.results().stream().map(result -> new ResultInfo(result.number(),
                result.name(), ColumnInfo.schemaJson(result.columns()), result.rows())).toList();
        synchronized (this) {
            Entry entry = entryOf(job);
            if (entry == null || entry.trace != null || entry.results != null) {
                return;
            }
            entry.trace = trace;
            entry.results = results;
            for (JobStore.Written.Result result : output.results()) {
                if (result.records().length <= MAX_RESULT_BYTES) {
                    entry.records.put(result.number(), result.records());
                    counted(entry, result.records().length);
                }
            }
        }
    }

    /** A finished job's trace: kept, or loaded and kept. */
    List<StepTrace> trace(JobRecord job, Supplier<List<StepTrace>> load) {
        synchronized (this) {
            Entry entry = entryOf(job);
            if (entry != null && entry.trace != null) {
                return entry.trace;
            }
        }
        List<StepTrace> loaded = List.copyOf(load.get());
        synchronized (this) {
            Entry entry = entryOf(job);
            if (entry != null) {
                entry.trace = loaded;
            }
        }
        return loaded;
    }

    /** A finished job's result sets: kept, or loaded and kept. */
    List<ResultInfo> results(JobRecord job, Supplier<List<ResultInfo>> load) {
        synchronized (this) {
            Entry entry = entryOf(job);
            if (entry != null && entry.results != null) {
                return entry.results;
            }
        }
        List<ResultInfo> loaded = List.copyOf(load.get());
        synchronized (this) {
            Entry entry = entryOf(job);
            if (entry != null) {
                entry.results = loaded;
            }
        }
        return loaded;
    }

    /**
     * The records of a finished job's result set: kept, or opened; a set of at most
     * {@value #MAX_RESULT_BYTES} bytes is read whole and kept, a larger one streams from the store
     * as always (its first bytes from memory).
     */
    InputStream records(JobRecord job, ResultInfo result, Supplier<InputStream> open) {
        synchronized (this) {
            Entry entry = entryOf(job);
            if (entry == null) {
                return open.get();
            }
            byte[] kept = entry.records.get(result.number());
            if (kept != null) {
                return new ByteArrayInputStream(kept);
            }
        }
        InputStream in = open.get();
        byte[] start;
        try {
            start = in.readNBytes(MAX_RESULT_BYTES + 1);
        } catch (IOException e) {
            close(in);
            throw new UncheckedIOException(e);
        }
        if (start.length > MAX_RESULT_BYTES) {
            return new SequenceInputStream(new ByteArrayInputStream(start), in);
        }
        close(in);
        synchronized (this) {
            Entry entry = entryOf(job);
            if (entry != null && !entry.records.containsKey(result.number())) {
                entry.records.put(result.number(), start);
                counted(entry, start.length);
            }
        }
        return new ByteArrayInputStream(start);
    }

    /**
     * An answer about a finished job rendered once, from what is kept of it, and kept with it: the
     * answer to a poll of a finished job does not change either. Rendered only when the job's
     * trace, result sets and every set's records are kept already, so that rendering reads no
     * store and holds no large result in memory.
     *
     * @param key    which answer (one job may have several, such as with and without schemas)
     * @param render makes the answer; called without the lock, at most once per key while kept
     * @return the answer, or null when the job is not kept whole
     */
    byte[] answer(JobRecord job, String key, JobRegistry.Rendering render) throws IOException {
        synchronized (this) {
            Entry entry = entryOf(job);
            if (entry == null || !keptWhole(entry)) {
                return null;
            }
            byte[] kept = entry.answers.get(key);
            if (kept != null) {
                return kept;
            }
        }
        byte[] rendered = render.render();
        synchronized (this) {
            Entry entry = entryOf(job);
            if (entry != null && entry.answers.putIfAbsent(key, rendered) == null) {
                counted(entry, rendered.length);
            }
        }
        return rendered;
    }

    private static boolean keptWhole(Entry entry) {
        return entry.trace != null && entry.results != null
                && entry.results.stream().allMatch(result -> entry.records.containsKey(result.number()));
    }

    /** How many jobs are kept now. */
    synchronized int size() {
        return entries.size();
    }

    private Entry entryOf(JobRecord job) {
        if (!job.state().isFinished()) {
            return null;
        }
        Entry entry = fresh(key(job.appId(), job.jobId()));
        return entry != null && entry.job.seq() == job.seq() ? entry : null;
    }

    /** The entry under {@code key} unless it expired (then it goes). Holding the lock. */
    private Entry fresh(String key) {
        Entry entry = entries.get(key);
        if (entry != null && entry.expiresAtMillis <= clock.millis()) {
            entries.remove(key);
            recordBytes -= entry.bytes;
            return null;
        }
        return entry;
    }

    /** Counts bytes just kept for an entry, and evicts the eldest entries while over the bound. Holding the lock. */
    private void counted(Entry entry, int bytes) {
        entry.bytes += bytes;
        recordBytes += bytes;
        while (recordBytes > MAX_RECORD_BYTES && !entries.isEmpty()) {
            evictEldest();
        }
    }

    private void evictEldest() {
        Map.Entry<String, Entry> eldest = entries.entrySet().iterator().next();
        entries.remove(eldest.getKey());
        recordBytes -= eldest.getValue().bytes;
    }

    private static String key(String appId, String jobId) {
        return appId + '\u0000' + jobId;
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the bytes are read; a stream that fails to close has nothing more to give
        }
    }
}
