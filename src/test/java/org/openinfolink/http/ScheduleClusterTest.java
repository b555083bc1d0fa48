package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openinfolink.schedule.Scheduler;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testdb.TestDatabase;
import org.openinfolink.testsupport.Poll;
import org.openinfolink.testsupport.TestHome;

/**
 * Schedules on a cluster (CONTRACT sections 10 and 14): three embedded servers, each its own
 * Tomcat, web application and job registry, share one job store on the embedded PostgreSQL. Over
 * a window every fire of two schedules starts exactly once (one job per fire time, each run once,
 * by the schedule as author). Then every node stops; while none runs, fires pass; after a restart
 * the {@code runOnce} schedule gets exactly one catch-up run, the {@code skip} schedule none, and
 * both go on firing.
 */
class ScheduleClusterTest {

    private static final String APP = "7";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration PERIOD = Duration.ofSeconds(2);
    private static final Duration MISFIRE_THRESHOLD = Scheduler.MISFIRE_THRESHOLD;
    private static final DateTimeFormatter FIRE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** One job of a schedule as the store holds it. */
    private record Fire(Instant time, String jobId, String state, int attempt, String clientName, String nodeId) {
    }

    private final DatabaseServer storeDb = TestDatabase.POSTGRESQL.server().createDatabase("sched_store");
    private final DatabaseServer appDb = TestDatabase.POSTGRESQL.server().createDatabase("sched_app");

    private TestHome home(String node) {
        TestHome home = TestHome.create("schedule-cluster-" + node);
        home.settings("""
                jobs:
                  shutdownTimeoutSeconds: 5
                store:
                  url: %s
                  username: %s
                  password: "%s"
                  nodeId: %s
                  heartbeatSeconds: 1
                """.formatted(storeDb.url(), storeDb.username(), storeDb.password(), node));
        home.app(APP, """
                name: Cluster
                sources:
                  appdb:
                    url: %s
                    username: %s
                    password: "%s"
                defaultSource: appdb
                schedules:
                  ticks:
                    scenario: Record
                    cron: "*/2 * * * * ?"
                    misfire: runOnce
                  skipped:
                    scenario: Record
                    cron: "1/2 * * * * ?"
                    misfire: skip
                """.formatted(appDb.url(), appDb.username(), appDb.password()));
        home.scenario(APP, "Record", """
                description: Records each run of a fire, with the job's id
                steps:
                  - opName: RunSourceScript
                    opParams:
                      script: INSERT INTO fire_runs (job_id) VALUES (${jobId})
                """);
        return home;
    }

    @Test
    void everyFireStartsOnceOnThreeNodesAndMissedFiresFollowTheMisfirePolicy() throws Exception {
        try (Connection app = appDb.connect(); Statement statement = app.createStatement()) {
            statement.execute("CREATE TABLE fire_runs (job_id VARCHAR(200) NOT NULL)");
        }
        List<EmbeddedServer> nodes = new ArrayList<>();
        try {
            for (String node : List.of("node-1", "node-2", "node-3")) {
                EmbeddedServer server = new EmbeddedServer(home(node).path());
                nodes.add(server);
                assertTrue(server.isAvailable(), node + " started");
            }
            // the window starts once all three run and lasts a little over five periods of each schedule
            Instant windowStart = Instant.now().plusSeconds(1);
            Instant windowEnd = windowStart.plusSeconds(11);
            Poll.until(WAIT, () -> fires("ticks").keySet(), times -> !times.isEmpty()
                    && !new TreeSet<>(times).last().isBefore(windowEnd.plusSeconds(1)),
                    "ticks fired past the window");
            Poll.until(WAIT, () -> fires("skipped").keySet(), times -> !times.isEmpty()
                    && !new TreeSet<>(times).last().isBefore(windowEnd.plusSeconds(1)), "skipped fired past the window");
            for (String schedule : List.of("ticks", "skipped")) {
                Map<Instant, Fire> fires = awaitFinished(schedule);
                List<Instant> expected = fireTimes(schedule.equals("ticks") ? 0 : 1, windowStart, windowEnd);
                assertTrue(expected.size() >= 5, expected.toString());
                for (Instant time : expected) {
                    assertTrue(fires.containsKey(time), schedule + ": no job for the fire at " + time + ": "
                            + fires.keySet());
                }
                assertFireTimesOnTheCron(schedule, fires.keySet());
            }
            assertEveryFireRanOnce();

            for (EmbeddedServer node : nodes) {
                node.close();
            }
            nodes.clear();
            Map<String, Instant> handledAtStop = new HashMap<>();
            for (String schedule : List.of("ticks", "skipped")) {
                handledAtStop.put(schedule, handledUntil(schedule));
                Instant lastJob = new TreeSet<>(fires(schedule).keySet()).last();
                assertEquals(lastJob, handledAtStop.get(schedule), "the last fire handled is the last started");
            }

            // no node runs while at least four fires of each schedule pass, beyond the misfire threshold
            Instant downUntil = Instant.now().plus(MISFIRE_THRESHOLD).plus(PERIOD.multipliedBy(4));
            Poll.until(Duration.ofSeconds(30), Instant::now, now -> now.isAfter(downUntil), "downtime over");
            Instant restartedAt = Instant.now();
            for (String node : List.of("node-1", "node-2")) {
                nodes.add(new EmbeddedServer(home(node).path()));
            }
            Instant upAgain = Instant.now();
            Instant afterRestart = upAgain.plus(PERIOD.multipliedBy(3));
            for (String schedule : List.of("ticks", "skipped")) {
                Poll.until(WAIT, () -> fires(schedule).keySet(), times -> !new TreeSet<>(times).last()
                        .isBefore(afterRestart), schedule + " fired again after the restart");
            }
            Instant missedBefore = restartedAt.minus(MISFIRE_THRESHOLD);

            Map<Instant, Fire> ticks = awaitFinished("ticks");
            Instant stoppedAt = handledAtStop.get("ticks");
            List<Instant> caughtUp = ticks.keySet().stream()
                    .filter(time -> time.isAfter(stoppedAt) && time.isBefore(missedBefore)).toList();
            assertEquals(List.of(stoppedAt.plus(PERIOD)), caughtUp,
                    "runOnce: one catch-up run, the job of the first fire missed; all: " + ticks.keySet());

            Map<Instant, Fire> skipped = awaitFinished("skipped");
            Instant skippedFrom = handledAtStop.get("skipped");
            assertEquals(List.of(), skipped.keySet().stream()
                            .filter(time -> time.isAfter(skippedFrom) && time.isBefore(missedBefore)).toList(),
                    "skip: no run for the fires missed; all: " + skipped.keySet());

            for (String schedule : List.of("ticks", "skipped")) {
                Map<Instant, Fire> fires = fires(schedule);
                assertFireTimesOnTheCron(schedule, fires.keySet());
                // after the restart the schedule fires on every period again
                List<Instant> resumed = fireTimes(schedule.equals("ticks") ? 0 : 1, upAgain, afterRestart);
                for (Instant time : resumed) {
                    assertTrue(fires.containsKey(time), schedule + ": no job for " + time + " after the restart: "
                            + fires.keySet());
                }
            }
            assertEveryFireRanOnce();
        } finally {
            for (EmbeddedServer node : nodes) {
                node.close();
            }
        }
    }

    /** The fire times of a {@code N/2 * * * * ?} schedule in [from, to], N = offset. */
    private static List<Instant> fireTimes(int offset, Instant from, Instant to) {
        List<Instant> times = new ArrayList<>();
        long second = from.getEpochSecond() + (from.getNano() > 0 ? 1 : 0);
        for (; second <= to.getEpochSecond(); second++) {
            if (second % 2 == offset) {
                times.add(Instant.ofEpochSecond(second));
            }
        }
        return times;
    }

    private static void assertFireTimesOnTheCron(String schedule, Iterable<Instant> times) {
        for (Instant time : times) {
            assertEquals(schedule.equals("ticks") ? 0 : 1, time.getEpochSecond() % 2, schedule + ": " + time);
            assertEquals(0, time.getNano(), time.toString());
        }
    }

    /** Every job of a schedule by fire time, once all have finished; each ran once, by the schedule. */
    private Map<Instant, Fire> awaitFinished(String schedule) throws Exception {
        Map<Instant, Fire> fires = Poll.until(WAIT, () -> fires(schedule), all -> all.values().stream()
                .allMatch(fire -> fire.state().equals("completed")), "every " + schedule + " job completed");
        for (Fire fire : fires.values()) {
            assertEquals(1, fire.attempt(), fire.toString());
            assertEquals("schedule:" + schedule, fire.clientName(), fire.toString());
            assertEquals(schedule + "-" + FIRE_TIME.format(fire.time()), fire.jobId());
        }
        return fires;
    }

    /** The scenario recorded each job's run once: no fire started twice, under any id. */
    private void assertEveryFireRanOnce() throws SQLException {
        Map<String, Integer> runs = new TreeMap<>();
        try (Connection app = appDb.connect(); Statement statement = app.createStatement();
             ResultSet rs = statement.executeQuery("SELECT job_id, COUNT(*) FROM fire_runs GROUP BY job_id")) {
            while (rs.next()) {
                runs.put(rs.getString(1), rs.getInt(2));
            }
        }
        Map<String, Integer> jobs = new TreeMap<>();
        for (String schedule : List.of("ticks", "skipped")) {
            fires(schedule).values().forEach(fire -> jobs.put(fire.jobId(), 1));
        }
        assertEquals(jobs, runs, "each job ran exactly once");
    }

    private Map<Instant, Fire> fires(String schedule) throws SQLException {
        Map<Instant, Fire> fires = new TreeMap<>();
        try (Connection store = storeDb.connect(); PreparedStatement select = store.prepareStatement(
                "SELECT job_id, state, attempt, client_name, node_id FROM il_job WHERE app_id = ?"
                        + " AND job_id LIKE ? ORDER BY job_id")) {
            select.setString(1, APP);
            select.setString(2, schedule + "-%");
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String jobId = rs.getString(1);
                    Instant time = FIRE_TIME.parse(jobId.substring(schedule.length() + 1), Instant::from);
                    fires.put(time, new Fire(time, jobId, rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return fires; // no store schema yet
            }
            throw e;
        }
        return fires;
    }

    private Instant handledUntil(String schedule) throws SQLException {
        try (Connection store = storeDb.connect(); PreparedStatement select = store.prepareStatement(
                "SELECT handled_until FROM il_schedule WHERE app_id = ? AND schedule_name = ?")) {
            select.setString(1, APP);
            select.setString(2, schedule);
            try (ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next(), "a row for " + schedule);
                return Instant.ofEpochMilli(rs.getLong(1));
            }
        }
    }
}
