package org.openinfolink.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openinfolink.config.HomeLocator;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobRequest;
import org.openinfolink.job.JobState;
import org.openinfolink.job.ResultInfo;
import org.openinfolink.job.StopOutcome;
import org.openinfolink.json.Json;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.OperationType;
import org.openinfolink.scenario.Scenario;
import org.openinfolink.scenario.ScenarioEntry;
import org.openinfolink.server.InfoLinkServer;
import org.openinfolink.sql.StandardType;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testsupport.TestHome;

/**
 * A real server for engine tests, built the way a deployment builds it: a configuration home
 * under {@code target/test-homes/} with {@code infolink.yaml} and one app ({@value #APP}) whose
 * sources point at test databases and whose scenarios are YAML files as a user writes them.
 *
 * <p>Jobs are submitted to the server's {@link org.openinfolink.job.JobRegistry} as
 * {@code executeJob.jsp} submits a RunScenario request: the operation planned by the server's
 * {@link org.openinfolink.engine.JobPlanner}, then stored. Results are read back from the job
 * store as JSON.
 *
 * <p>Not thread safe: one test class drives it from its test thread. {@link #close()} stops the
 * server; the home stays for {@link #restart()} and for inspection after a failure.
 */
final class EngineHarness implements AutoCloseable {

    /** The app every scenario belongs to. */
    static final String APP = "engine";

    /** How long a job that should end may take before the test fails. */
    static final Duration JOB_WAIT = Duration.ofSeconds(60);

    private final TestHome home;
    private final Path workDir;
    private InfoLinkServer server;

    EngineHarness(String name) {
        home = TestHome.create(name);
        workDir = home.path().resolve("work");
    }

    /** Writes {@code infolink.yaml}. */
    EngineHarness settings(String yaml) {
        home.settings(yaml);
        return this;
    }

    /**
     * Writes the app's {@code app.yaml}: a pooled source per entry of {@code sources}, the first
     * one as {@code defaultSource}, and {@code moreYaml} (e.g. a {@code variables:} block) after.
     */
    EngineHarness app(Map<String, DatabaseServer> sources, String moreYaml) {
        StringBuilder yaml = new StringBuilder("name: Engine tests\nsources:\n");
        for (Map.Entry<String, DatabaseServer> source : sources.entrySet()) {
            DatabaseServer database = source.getValue();
            yaml.append("  ").append(source.getKey()).append(":\n")
                    .append("    url: ").append(quoted(database.url())).append('\n');
            if (database.username() != null) {
                yaml.append("    username: ").append(quoted(database.username())).append('\n')
                        .append("    password: ").append(quoted(database.password())).append('\n');
            }
            yaml.append("    pool: {maxTotal: 4, maxWaitMillis: 10000}\n");
        }
        yaml.append("defaultSource: ").append(sources.keySet().iterator().next()).append('\n').append(moreYaml);
        home.app(APP, yaml.toString());
        return this;
    }

    /** Writes {@code apps/engine/scenarios/<name>.yaml}. */
    EngineHarness scenario(String name, String yaml) {
        home.scenario(APP, name, yaml);
        return this;
    }

    /** Starts the server on the home; every app and scenario must be valid. */
    void start() {
        server = InfoLinkServer.start(new HomeLocator.Location(home.path(), "engine test home"), workDir,
                System::getenv);
        assertEquals(List.of(), server.problems(), "configuration problems of " + home.path());
    }

    /** Stops the server and starts a new one on the same home and work folder. */
    void restart() {
        server.close();
        start();
    }

    InfoLinkServer server() {
        return server;
    }

    Path homePath() {
        return home.path();
    }

    App app() {
        return server.apps().get(APP);
    }

    /** The scenario as loaded; fails the test with the reason when it is invalid. */
    Scenario scenario(String name) {
        ScenarioEntry entry = app().scenario(name).orElseThrow(() -> new AssertionError("no scenario " + name));
        assertTrue(entry.isValid(), () -> "scenario " + name + " is invalid: " + entry.invalidReason());
        return entry.scenario();
    }

    /**
     * A finished job as the store keeps it: its record, trace and result sets (records read whole,
     * which suits the small results of these tests).
     */
    record Finished(JobRecord job, List<StepTrace> trace, List<StoredResult> results) {
        JobState state() {
            return job.state();
        }

        String message() {
            return job.message();
        }

        Instant startedAt() {
            return job.startedAt();
        }

        Instant finishedAt() {
            return job.finishedAt();
        }
    }

    /** A column of a stored result set, from its {@code schema}. */
    record StoredColumn(String name, StandardType standardType, String typeStr) {
    }

    /** A result set of a finished job, read back from the store. */
    record StoredResult(String name, List<StoredColumn> columns, long rows, byte[] records) {
        InputStream openRecords() {
            return new ByteArrayInputStream(records);
        }
    }

    /** Submits a RunScenario job with a generated id; values may be strings, numbers or booleans. */
    JobRecord submit(String scenarioName, Map<String, ?> parameters) {
        return submit(null, scenarioName, parameters);
    }

    /**
     * Submits a RunScenario job as {@code executeJob.jsp} does: planned by the server's planner
     * from the operation a client sends, then stored and started by the registry.
     *
     * @throws RequestRejectedException when a parameter is refused ({@code INVALID_PARAMETER})
     */
    JobRecord submit(String jobId, String scenarioName, Map<String, ?> parameters) {
        ObjectNode operation = Json.mapper().createObjectNode().put("opName", "RunScenario");
        ObjectNode opParams = operation.putObject("opParams").put("scenario", scenarioName);
        opParams.set("parameters", Json.mapper().valueToTree(parameters));
        JobPlan plan = server.planner().plan(app(), OperationType.RUN_SCENARIO, operation);
        return server.jobs().submit(new JobRequest(APP, jobId, "engine-test", plan.scenarioName(), plan.opName(),
                operation.toString(), (int) plan.timeout().toSeconds(), plan.rerunIfInterrupted()));
    }

    /** Asks a job to stop. */
    StopOutcome stop(JobRecord job) {
        return server.jobs().stop(job.appId(), job.jobId()).orElseThrow();
    }

    /** Runs a scenario to its end and returns the finished job. */
    Finished run(String scenarioName, Map<String, ?> parameters) throws Exception {
        return await(submit(scenarioName, parameters));
    }

    /** Runs a scenario that must complete; fails with the job's message otherwise. */
    Finished runCompleted(String scenarioName, Map<String, ?> parameters) throws Exception {
        Finished done = run(scenarioName, parameters);
        assertEquals(JobState.COMPLETED, done.state(), () -> scenarioName + " ended " + done.state() + ": "
                + done.message());
        return done;
    }

    /** Waits for a job to finish, at most {@link #JOB_WAIT}. */
    Finished await(JobRecord job) throws Exception {
        return await(job, JOB_WAIT);
    }

    /** Waits for a job to finish, at most {@code timeout}; fails the test if it does not. */
    Finished await(JobRecord job, Duration timeout) throws Exception {
        JobRecord ended = server.jobs().await(job, timeout);
        assertTrue(ended.state().isFinished(), () -> ended + " still " + ended.state() + " after " + timeout);
        List<StoredResult> results = new ArrayList<>();
        for (ResultInfo info : server.jobs().results(ended)) {
            List<StoredColumn> columns = new ArrayList<>();
            for (JsonNode column : Json.mapper().readTree(info.schemaJson())) {
                columns.add(new StoredColumn(column.get("name").asText(), StandardType.valueOf(
                        column.get("typeStandard").get("name").asText().toUpperCase(Locale.ROOT)),
                        column.get("type").get("typeStr").asText()));
            }
            byte[] records;
            try (InputStream in = server.jobs().openRecords(ended, info)) {
                records = in.readAllBytes();
            }
            results.add(new StoredResult(info.name(), List.copyOf(columns), info.rows(), records));
        }
        return new Finished(ended, server.jobs().trace(ended), List.copyOf(results));
    }

    /** The result set of a finished job with that name. */
    static StoredResult result(Finished job, String name) {
        return job.results().stream().filter(result -> name.equals(result.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no result set '" + name + "' in " + names(job)));
    }

    /** The names of a job's result sets, in order. */
    static List<String> names(Finished job) {
        return job.results().stream().map(StoredResult::name).collect(Collectors.toList());
    }

    /** The records of a result set, parsed with decimals kept exact. */
    static List<JsonNode> records(StoredResult result) throws IOException {
        JsonNode array;
        try (InputStream in = result.openRecords()) {
            array = Json.mapper().readTree(in);
        }
        assertTrue(array.isArray(), "records are a JSON array");
        assertEquals(result.rows(), array.size(), "rows counted for " + result.name());
        List<JsonNode> records = new ArrayList<>();
        array.forEach(records::add);
        return records;
    }

    /** One column of every record, as JSON text, e.g. {@code [1, 2, 3]}. */
    static List<String> column(StoredResult result, String column) throws IOException {
        return records(result).stream().map(record -> record.get(column).toString()).collect(Collectors.toList());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    private static String quoted(String value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
