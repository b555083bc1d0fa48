package org.openinfolink.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openinfolink.job.JobEvents;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobRequest;
import org.openinfolink.job.JobState;

/**
 * The job counters and the duration histogram, fed by the registry's job events and by nothing
 * else: jobs submitted through this node and jobs ended here, by app and scenario (the opName for
 * an ad-hoc operation), the ended ones also by status. Thread safe; each event is a lookup of a
 * meter in this class's maps and an increment.
 */
final class JobMetrics implements JobEvents {

    /** The buckets of the duration histogram. */
    private static final Duration[] DURATION_BUCKETS = {
        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
        Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1)};

    /** The tags of one meter: app, scenario and, for the finished counter, the status (else null). */
    private record Key(String appId, String scenario, String status) {
    }

    private final MeterRegistry registry;
    // the meters by their tags: building a meter's id and looking it up in the registry for every
    // job cost more than the job's own increment
    private final Map<Key, Counter> submitted = new ConcurrentHashMap<>();
    private final Map<Key, Counter> finished = new ConcurrentHashMap<>();
    private final Map<Key, Timer> durations = new ConcurrentHashMap<>();

    JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void submitted(JobRecord job) {
        submitted.computeIfAbsent(new Key(job.appId(), scenario(job.request()), null), key ->
                Counter.builder("infolink.jobs.submitted")
                        .description("Jobs stored by this node's API")
                        .tags("app", key.appId(), "scenario", key.scenario())
                        .register(registry)).increment();
    }

    @Override
    public void ended(JobRecord job, JobState state, String message, Duration ranFor) {
        if (state == null) {
            return;
        }
        String scenario = scenario(job.request());
        finished.computeIfAbsent(new Key(job.appId(), scenario, state.statusName()), key ->
                Counter.builder("infolink.jobs.finished")
                        .description("Jobs that ended on this node, by final status")
                        .tags("app", key.appId(), "scenario", key.scenario(), "status", key.status())
                        .register(registry)).increment();
        durations.computeIfAbsent(new Key(job.appId(), scenario, null), key ->
                Timer.builder("infolink.jobs.duration")
                        .description("How long jobs ran on this node")
                        .tags("app", key.appId(), "scenario", key.scenario())
                        .serviceLevelObjectives(DURATION_BUCKETS)
                        .register(registry)).record(ranFor);
    }

    private static String scenario(JobRequest request) {
        return request.scenarioName() != null ? request.scenarioName() : request.opName();
    }
}
