package org.openinfolink.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The server settings of {@code infolink.yaml} (CONTRACT section 5), read and validated once at
 * start-up. Immutable.
 *
 * @param jobs how jobs are run and kept
 * @param api  how requests are read and errors answered
 */
public record Settings(Jobs jobs, Api api) {

    /**
     * @param maxConcurrent           jobs running at once on this server
     * @param maxQueued               jobs waiting beyond those; more are refused with SERVER_BUSY
     * @param syncTimeoutSeconds      how long {@code isAsync=false} waits before SYNC_TIMEOUT
     * @param defaultTimeoutSeconds   a job running longer ends completedWithError
     * @param maxResultRows           a result set larger than this ends the job completedWithError
     * @param statementFetchSize      rows fetched per round trip from a cursor
     * @param statementTimeoutSeconds extension: query timeout of every statement, 0 = only the job's
     * @param keepFinished            extension: finished jobs kept for polling, newest first
     * @param keepFinishedMinutes     extension: how long a finished job is kept
     * @param shutdownTimeoutSeconds  extension: how long a stopping server waits for running jobs
     */
    public record Jobs(int maxConcurrent, int maxQueued, int syncTimeoutSeconds, int defaultTimeoutSeconds,
                       long maxResultRows, int statementFetchSize, int statementTimeoutSeconds,
                       int keepFinished, int keepFinishedMinutes, int shutdownTimeoutSeconds) {
    }

    /**
     * @param maxRequestBytes larger request bodies are refused with REQUEST_TOO_LARGE
     * @param httpErrorStatus true: errors also carry their 4xx/5xx HTTP status
     */
    public record Api(long maxRequestBytes, boolean httpErrorStatus) {
    }

    public static final String FILE_NAME = "infolink.yaml";

    private static final int DAY_SECONDS = 24 * 3600;

    /** The defaults, used where {@code infolink.yaml} is absent or silent. */
    public static Settings defaults() {
        return new Settings(
                new Jobs(4, 1000, 300, 3600, 1_000_000, 1000, 0, 1000, 1440, 30),
                new Api(1_048_576, false));
    }

    /**
     * Reads {@code infolink.yaml} of a home; defaults when the file does not exist.
     *
     * @throws ConfigurationException naming the file and the setting when a value is wrong
     */
    public static Settings load(Path home) {
        Path file = home.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return defaults();
        }
        ConfigReader reader = new ConfigReader(file);
        JsonNode root = reader.readMapping();
        reader.checkKeys(root, "", Set.of("jobs", "api"));
        Settings d = defaults();

        JsonNode jobs = reader.mapping(root, "", "jobs");
        reader.checkKeys(jobs, "jobs", Set.of("maxConcurrent", "maxQueued", "syncTimeoutSeconds",
                "defaultTimeoutSeconds", "maxResultRows", "statementFetchSize", "statementTimeoutSeconds",
                "keepFinished", "keepFinishedMinutes", "shutdownTimeoutSeconds"));
        Jobs j = d.jobs();
        Jobs readJobs = new Jobs(
                (int) reader.integer(jobs, "jobs", "maxConcurrent", j.maxConcurrent(), 1, 1000),
                (int) reader.integer(jobs, "jobs", "maxQueued", j.maxQueued(), 0, 1_000_000),
                (int) reader.integer(jobs, "jobs", "syncTimeoutSeconds", j.syncTimeoutSeconds(), 0, DAY_SECONDS),
                (int) reader.integer(jobs, "jobs", "defaultTimeoutSeconds", j.defaultTimeoutSeconds(), 1,
                        365L * DAY_SECONDS),
                reader.integer(jobs, "jobs", "maxResultRows", j.maxResultRows(), 1, Long.MAX_VALUE),
                (int) reader.integer(jobs, "jobs", "statementFetchSize", j.statementFetchSize(), 1, 1_000_000),
                (int) reader.integer(jobs, "jobs", "statementTimeoutSeconds", j.statementTimeoutSeconds(), 0,
                        365L * DAY_SECONDS),
                (int) reader.integer(jobs, "jobs", "keepFinished", j.keepFinished(), 0, 10_000_000),
                (int) reader.integer(jobs, "jobs", "keepFinishedMinutes", j.keepFinishedMinutes(), 0,
                        525_600),
                (int) reader.integer(jobs, "jobs", "shutdownTimeoutSeconds", j.shutdownTimeoutSeconds(), 0,
                        3600));

        JsonNode api = reader.mapping(root, "", "api");
        reader.checkKeys(api, "api", Set.of("maxRequestBytes", "httpErrorStatus"));
        Api readApi = new Api(
                reader.integer(api, "api", "maxRequestBytes", d.api().maxRequestBytes(), 64, 1L << 30),
                reader.bool(api, "api", "httpErrorStatus", d.api().httpErrorStatus()));
        return new Settings(readJobs, readApi);
    }

    /** One line describing the effective settings, for the start-up log. Holds no secret. */
    public String describe() {
        Jobs j = jobs;
        return "jobs.maxConcurrent=" + j.maxConcurrent() + " jobs.maxQueued=" + j.maxQueued()
                + " jobs.syncTimeoutSeconds=" + j.syncTimeoutSeconds()
                + " jobs.defaultTimeoutSeconds=" + j.defaultTimeoutSeconds()
                + " jobs.maxResultRows=" + j.maxResultRows()
                + " jobs.statementFetchSize=" + j.statementFetchSize()
                + " jobs.statementTimeoutSeconds=" + j.statementTimeoutSeconds()
                + " jobs.keepFinished=" + j.keepFinished()
                + " jobs.keepFinishedMinutes=" + j.keepFinishedMinutes()
                + " jobs.shutdownTimeoutSeconds=" + j.shutdownTimeoutSeconds()
                + " api.maxRequestBytes=" + api.maxRequestBytes()
                + " api.httpErrorStatus=" + api.httpErrorStatus();
    }
}
