package org.openinfolink.job;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * Jobs kept in this server's memory; they are lost when it stops. Thread safe: lookups and
 * listings are lock-free; forgetting finished jobs is serialized.
 */
public final class InMemoryJobStore implements JobStore {

    private final Map<String, Job> byKey = new ConcurrentHashMap<>();
    private final ConcurrentNavigableMap<Long, Job> bySequence = new ConcurrentSkipListMap<>();
    private final Deque<Job> finishedOrder = new ArrayDeque<>();

    private static String key(String appId, String jobId) {
        return appId + '\u0000' + jobId;
    }

    @Override
    public Job putIfAbsent(Job job) {
        Job existing = byKey.putIfAbsent(key(job.appId(), job.id()), job);
        if (existing == null) {
            bySequence.put(job.sequence(), job);
        }
        return existing;
    }

    @Override
    public Optional<Job> find(String appId, String jobId) {
        return Optional.ofNullable(byKey.get(key(appId, jobId)));
    }

    @Override
    public List<Job> list(String appId, Predicate<Job> filter, Long beforeSequence, int limit) {
        ConcurrentNavigableMap<Long, Job> older = beforeSequence == null
                ? bySequence.descendingMap() : bySequence.headMap(beforeSequence, false).descendingMap();
        List<Job> jobs = new ArrayList<>();
        for (Job job : older.values()) {
            if (job.appId().equals(appId) && filter.test(job)) {
                jobs.add(job);
                if (jobs.size() == limit) {
                    break;
                }
            }
        }
        return jobs;
    }

    @Override
    public List<Job> unfinished() {
        return bySequence.values().stream().filter(job -> !job.state().isFinished()).toList();
    }

    @Override
    public void remove(Job job) {
        byKey.remove(key(job.appId(), job.id()), job);
        bySequence.remove(job.sequence(), job);
    }

    @Override
    public synchronized List<Job> finished(Job job, int keep) {
        finishedOrder.addLast(job);
        List<Job> forgotten = new ArrayList<>();
        while (finishedOrder.size() > keep) {
            Job oldest = finishedOrder.pollFirst();
            remove(oldest);
            forgotten.add(oldest);
        }
        return forgotten;
    }

    @Override
    public synchronized List<Job> forgetFinishedBefore(Instant cutoff) {
        List<Job> forgotten = new ArrayList<>();
        Iterator<Job> oldestFirst = finishedOrder.iterator();
        while (oldestFirst.hasNext()) {
            Job job = oldestFirst.next();
            Instant finishedAt = job.finishedAt();
            if (finishedAt != null && finishedAt.isBefore(cutoff)) {
                oldestFirst.remove();
                remove(job);
                forgotten.add(job);
            }
        }
        return forgotten;
    }
}
