package org.openinfolink.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.audit.AuditAction;
import org.openinfolink.audit.AuditEntry;
import org.openinfolink.audit.AuditTrail;
import org.openinfolink.engine.JobPlan;
import org.openinfolink.engine.JobPlanner;
import org.openinfolink.engine.RequestRejectedException;
import org.openinfolink.job.JobRefusedException;
import org.openinfolink.job.JobRegistry;
import org.openinfolink.job.JobRequest;
import org.openinfolink.job.NamedThreadFactory;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.OperationType;

/**
 * Starts the fires of the schedules on this node (CONTRACT section 14). Every node runs one; each
 * fire still starts once in the cluster, because its job id ({@code <schedule>-<fire time>}) is
 * inserted only if absent, and because a schedule's progress is a row of the store that only one
 * node can move on from what it read ({@link ScheduleStore#advance}).
 *
 * <p>Every {@value #TICK_MILLIS} ms the scheduler reads the store's clock and the schedules' rows,
 * and starts the fires due since each schedule's last handled fire. A fire at most
 * {@link #MISFIRE_THRESHOLD} late is on time. Older ones were missed while no node ran: with
 * {@code misfire: runOnce} they get one catch-up run, the job of the first fire missed; with
 * {@code skip}, none. A disabled schedule is moved on without starting anything, so enabling it
 * later catches up nothing from the time it was disabled.
 *
 * <p>Thread safe. Runs on its own named thread; an iteration that fails is logged once and tried
 * again on the next tick. {@link #close()} stops it and is idempotent.
 */
public final class Scheduler implements AutoCloseable {

    /** Starts the job of one fire. */
    @FunctionalInterface
    public interface Starter {
        /**
         * @throws JobRefusedException      when the registry refuses the job now
         * @throws RequestRejectedException when the schedule's operation cannot run
         */
        void start(Schedule schedule, String jobId);
    }

    /** What one tick does for one schedule. */
    record Plan(List<Instant> toStart, Instant handledUntil, int missed, Instant firstMissed) {
        static final Plan NOTHING_DUE = new Plan(List.of(), null, 0, null);
    }

    /** How late a fire may start and still be on time, not missed. */
    public static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(5);

    static final long TICK_MILLIS = 1000;

    /** Missed fires counted one by one; past this many, the rest are skipped over in one step. */
    private static final int MAX_MISSED_STEPS = 10_000;

    private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

    private final Map<String, List<ScheduleEntry>> schedules;
    private final ScheduleStore store;
    private final Starter starter;
    private final ScheduledThreadPoolExecutor executor =
            new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("infolink-scheduler"));
    private final Set<ScheduleStore.Key> failingSchedules = ConcurrentHashMap.newKeySet();
    private volatile boolean failing;
    private boolean started;
    private boolean closed;

    /**
     * @param schedules every app's schedules, by app id, as {@link ScheduleLoader} read them
     * @param store     the cluster's schedule rows
     * @param starter   starts a fire's job ({@link #starter} in production)
     */
    public Scheduler(Map<String, List<ScheduleEntry>> schedules, ScheduleStore store, Starter starter) {
        this.schedules = Map.copyOf(schedules);
        this.store = store;
        this.starter = starter;
    }

    /**
     * The starter that plans a fire as an executeJob of its scenario would be, submits it, and
     * records the start in the audit trail with the schedule as its author (CONTRACT section 14).
     */
    public static Starter starter(Map<String, App> apps, JobPlanner planner, JobRegistry jobs, AuditTrail audit) {
        return (schedule, jobId) -> {
            App app = apps.get(schedule.appId());
            var operation = schedule.operation();
            JobPlan plan = planner.plan(app, OperationType.RUN_SCENARIO, operation);
            jobs.submit(new JobRequest(app.id(), jobId, schedule.author(), plan.scenarioName(), plan.opName(),
                    operation.toString(), (int) plan.timeout().toSeconds(), plan.rerunIfInterrupted(),
                    plan.concurrency()));
            audit.record(new AuditEntry(AuditAction.EXECUTE_JOB, schedule.author(), AuditEntry.UNKNOWN, app.id(), jobId,
                    AuditEntry.OK, "RunScenario " + plan.scenarioName() + ", fired by schedule " + schedule.name()));
        };
    }

    /** Starts ticking, when any app has a valid schedule. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        long valid = schedules.values().stream().flatMap(List::stream).filter(ScheduleEntry::isValid).count();
        if (valid == 0) {
            return;
        }
        executor.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info(valid + " schedule(s) active on this node");
    }

    /** An app's schedules, valid or not, in the order of its file. */
    public List<ScheduleEntry> schedules(String appId) {
        return schedules.getOrDefault(appId, List.of());
    }

    /** The store's clock and every schedule's row now. */
    public ScheduleStore.Snapshot snapshot() {
        return store.snapshot();
    }

    /**
     * The next fire of a schedule after {@code now}, counted from its last handled fire as the
     * scheduler counts (so the hour repeated when daylight saving ends fires once); empty when it
     * is disabled or never fires again.
     *
     * @param state the schedule's row, or null before the cluster first saw it
     */
    public static Optional<Instant> nextFire(Schedule schedule, ScheduleStore.State state, Instant now) {
        if (!schedule.enabled()) {
            return Optional.empty();
        }
        Optional<Instant> next = schedule.nextFireAfter(state == null ? now : state.handledUntil());
        for (int steps = 0; next.isPresent() && !next.get().isAfter(now); steps++) {
            next = schedule.nextFireAfter(steps < MAX_MISSED_STEPS ? next.get() : now);
        }
        return next;
    }

    /**
     * What a tick at {@code now} does for a schedule handled until {@code handledUntil}: the fires
     * to start (a catch-up run first, then those on time) and how far the schedule is then handled.
     * Counting goes from the last handled fire, never from an arbitrary instant, so a fire time
     * that a fall-back day repeats is not fired twice.
     */
    static Plan plan(Schedule schedule, Instant handledUntil, Instant now, Duration misfireThreshold) {
        Instant onTimeFrom = now.minus(misfireThreshold);
        Instant firstMissed = null;
        Instant last = null;
        List<Instant> onTime = new ArrayList<>();
        int missed = 0;
        boolean skippedOver = false;
        Instant cursor = handledUntil;
        while (true) {
            Optional<Instant> next = schedule.nextFireAfter(cursor);
            if (next.isEmpty() || next.get().isAfter(now)) {
                break;
            }
            Instant fire = next.get();
            last = fire;
            cursor = fire;
            if (!fire.isBefore(onTimeFrom)) {
                onTime.add(fire);
                continue;
            }
            missed++;
            if (firstMissed == null) {
                firstMissed = fire;
            }
            if (missed >= MAX_MISSED_STEPS && !skippedOver) {
                skippedOver = true;
                cursor = onTimeFrom.minusNanos(1);
            }
        }
        if (last == null) {
            return Plan.NOTHING_DUE;
        }
        List<Instant> toStart = new ArrayList<>();
        if (schedule.enabled()) {
            if (firstMissed != null && schedule.misfire() == Misfire.RUN_ONCE) {
                toStart.add(firstMissed);
            }
            toStart.addAll(onTime);
        }
        // past a skip-over, the last fire counted may not be the last one missed: handled until now
        Instant handled = skippedOver && onTime.isEmpty() ? now : last;
        return new Plan(List.copyOf(toStart), handled, missed, firstMissed);
    }

    /** One iteration: never throws; a failure is logged once until an iteration succeeds again. */
    void tick() {
        try {
            ScheduleStore.Snapshot snapshot = store.snapshot();
            for (List<ScheduleEntry> entries : schedules.values()) {
                for (ScheduleEntry entry : entries) {
                    if (entry.isValid()) {
                        tick(entry.schedule(), snapshot);
                    }
                }
            }
            if (failing) {
                LOG.info("Schedules fire again: the job store can be used");
            }
            failing = false;
        } catch (StoreUnavailableException e) {
            if (!failing) {
                LOG.warning("Schedules cannot fire now: " + e.getMessage() + " Trying again every "
                        + TICK_MILLIS + " ms.");
            }
            failing = true;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.log(Level.WARNING, "A tick of the scheduler failed; trying again every " + TICK_MILLIS + " ms", e);
            }
            failing = true;
        }
    }

    private void tick(Schedule schedule, ScheduleStore.Snapshot snapshot) {
        ScheduleStore.Key key = new ScheduleStore.Key(schedule.appId(), schedule.name());
        ScheduleStore.State state = snapshot.states().get(key);
        if (state == null) {
            store.addIfAbsent(key);
            return;
        }
        Plan plan = plan(schedule, state.handledUntil(), snapshot.now(), MISFIRE_THRESHOLD);
        if (plan.handledUntil() == null) {
            return;
        }
        Instant lastFire = null;
        String lastJobId = null;
        for (Instant fire : plan.toStart()) {
            String jobId = schedule.jobId(fire);
            try {
                starter.start(schedule, jobId);
                lastFire = fire;
                lastJobId = jobId;
            } catch (JobRefusedException e) {
                if (e.reason() == JobRefusedException.Reason.QUEUE_FULL
                        || e.reason() == JobRefusedException.Reason.SHUTTING_DOWN) {
                    // queue full or shutting down: this fire is tried again on the next tick
                    warnOnce(key, "Schedule '" + schedule.name() + "' of app '" + schedule.appId()
                            + "' cannot start " + jobId + " now: " + e.getMessage());
                    return;
                }
                warnOnce(key, "Schedule '" + schedule.name() + "' of app '" + schedule.appId() + "': " + e.getMessage()
                        + " The fire is not started.");
            } catch (RequestRejectedException e) {
                warnOnce(key, "Schedule '" + schedule.name() + "' of app '" + schedule.appId()
                        + "' cannot run: " + e.getMessage());
            }
        }
        boolean moved = store.advance(key, state.handledUntil(), plan.handledUntil(), lastFire, lastJobId);
        if (moved) {
            failingSchedules.remove(key);
            if (plan.missed() > 0 && schedule.enabled()) {
                LOG.warning("Schedule '" + schedule.name() + "' of app '" + schedule.appId() + "': " + plan.missed()
                        + " fire(s) from " + plan.firstMissed() + " were missed while no node ran; "
                        + (schedule.misfire() == Misfire.RUN_ONCE ? "one catch-up run: " + schedule.jobId(plan.firstMissed())
                        : "skipped (misfire: skip)"));
            }
        }
    }

    private void warnOnce(ScheduleStore.Key key, String message) {
        if (failingSchedules.add(key)) {
            LOG.warning(message);
        }
    }

    /** Stops ticking; a tick in progress may finish for up to 5 s. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warning("The scheduler did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
