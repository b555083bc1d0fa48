package org.openinfolink.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The server settings of {@code infolink.yaml} (CONTRACT section 5), read and validated once at
 * start-up. Immutable.
 *
 * @param jobs  how jobs are run and kept
 * @param api   how requests are read and errors answered
 * @param store where jobs are kept and how nodes share them (section 9)
 * @param auth  how long OAuth2 tokens last (section 12.1)
 * @param audit how long the audit trail is kept (section 13)
 */
public record Settings(Jobs jobs, Api api, Store store, Auth auth, Audit audit) {

    /** With the default audit settings. */
    public Settings(Jobs jobs, Api api, Store store, Auth auth) {
        this(jobs, api, store, auth, new Audit(DEFAULT_AUDIT_KEEP_DAYS));
    }

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
     * @param keepFinishedMinMinutes  a finished job is never forgotten sooner than this after it ended
     * @param maxQueuedPerClient      jobs one client may have waiting; more of its jobs are refused
     *                                with SERVER_BUSY while other clients' are accepted
     */
    public record Jobs(int maxConcurrent, int maxQueued, int syncTimeoutSeconds, int defaultTimeoutSeconds,
                       long maxResultRows, int statementFetchSize, int statementTimeoutSeconds,
                       int keepFinished, int keepFinishedMinutes, int shutdownTimeoutSeconds,
                       int keepFinishedMinMinutes, int maxQueuedPerClient) {

        /** With the default client share: a quarter of {@code maxQueued}, rounded up. */
        public Jobs(int maxConcurrent, int maxQueued, int syncTimeoutSeconds, int defaultTimeoutSeconds,
                    long maxResultRows, int statementFetchSize, int statementTimeoutSeconds,
                    int keepFinished, int keepFinishedMinutes, int shutdownTimeoutSeconds,
                    int keepFinishedMinMinutes) {
            this(maxConcurrent, maxQueued, syncTimeoutSeconds, defaultTimeoutSeconds, maxResultRows,
                    statementFetchSize, statementTimeoutSeconds, keepFinished, keepFinishedMinutes,
                    shutdownTimeoutSeconds, keepFinishedMinMinutes, defaultClientShare(maxQueued));
        }

        /** A quarter of the queue, rounded up. */
        public static int defaultClientShare(int maxQueued) {
            return (int) ((maxQueued + 3L) / 4);
        }
    }

    /**
     * @param nodeId             this node's id in the store; null for host name + "-" + 6 random hex digits
     * @param heartbeatSeconds   how often the node writes its heartbeat and looks for work and stops
     * @param nodeTimeoutSeconds a node silent this long is dead
     * @param purgeBatchSize     jobs deleted per transaction by retention
     * @param hasSource          whether {@code store:} names its own database ({@code jndi}, {@code url}
     *                           or {@code embedded}); else the store is on the {@code default} source's
     */
    public record Store(String nodeId, int heartbeatSeconds, int nodeTimeoutSeconds, int purgeBatchSize,
                        boolean hasSource) {
    }

    /** The keys that define a database: an app's source in {@code app.yaml}, and {@code store:} here. */
    public static final Set<String> SOURCE_KEYS =
            Set.of("jndi", "url", "username", "password", "driverClassName", "pool", "embedded");

    /**
     * @param maxRequestBytes larger request bodies are refused with REQUEST_TOO_LARGE
     * @param httpErrorStatus true: errors also carry their 4xx/5xx HTTP status
     */
    public record Api(long maxRequestBytes, boolean httpErrorStatus) {
    }

    /**
     * @param tokenLifetimeSeconds        how long an access token of the token endpoint is valid
     * @param refreshTokenLifetimeSeconds how long a refresh token is valid (it is used up sooner)
     */
    public record Auth(int tokenLifetimeSeconds, int refreshTokenLifetimeSeconds) {
    }

    /**
     * @param keepDays audit records older than this many days are deleted
     */
    public record Audit(int keepDays) {
    }

    public static final String FILE_NAME = "infolink.yaml";

    private static final int DAY_SECONDS = 24 * 3600;
    private static final int DEFAULT_AUDIT_KEEP_DAYS = 90;

    /** The defaults, used where {@code infolink.yaml} is absent or silent. */
    public static Settings defaults() {
        return new Settings(
                new Jobs(4, 1000, 300, 3600, 1_000_000, 1000, 0, 1000, 1440, 30, 15),
                new Api(1_048_576, false),
                new Store(null, 2, 10, 1000, false),
                new Auth(1800, 86_400),
                new Audit(DEFAULT_AUDIT_KEEP_DAYS));
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
        reader.checkKeys(root, "", Set.of("jobs", "api", "store", "auth", "audit"));
        Settings d = defaults();

        JsonNode jobs = reader.mapping(root, "", "jobs");
        reader.checkKeys(jobs, "jobs", Set.of("maxConcurrent", "maxQueued", "syncTimeoutSeconds",
                "defaultTimeoutSeconds", "maxResultRows", "statementFetchSize", "statementTimeoutSeconds",
                "keepFinished", "keepFinishedMinutes", "shutdownTimeoutSeconds", "keepFinishedMinMinutes",
                "maxQueuedPerClient"));
        Jobs j = d.jobs();
        int maxQueued = (int) reader.integer(jobs, "jobs", "maxQueued", j.maxQueued(), 0, 1_000_000);
        Jobs readJobs = new Jobs(
                (int) reader.integer(jobs, "jobs", "maxConcurrent", j.maxConcurrent(), 1, 1000),
                maxQueued,
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
                        3600),
                (int) reader.integer(jobs, "jobs", "keepFinishedMinMinutes", j.keepFinishedMinMinutes(), 0,
                        525_600),
                (int) reader.integer(jobs, "jobs", "maxQueuedPerClient", Jobs.defaultClientShare(maxQueued), 0,
                        1_000_000));

        JsonNode api = reader.mapping(root, "", "api");
        reader.checkKeys(api, "api", Set.of("maxRequestBytes", "httpErrorStatus"));
        Api readApi = new Api(
                reader.integer(api, "api", "maxRequestBytes", d.api().maxRequestBytes(), 64, 1L << 30),
                reader.bool(api, "api", "httpErrorStatus", d.api().httpErrorStatus()));

        JsonNode store = reader.mapping(root, "", "store");
        Set<String> storeKeys = new HashSet<>(SOURCE_KEYS);
        storeKeys.addAll(Set.of("nodeId", "heartbeatSeconds", "nodeTimeoutSeconds", "purgeBatchSize"));
        reader.checkKeys(store, "store", storeKeys);
        Store s = d.store();
        String nodeId = reader.text(store, "store", "nodeId");
        if (nodeId != null && !nodeId.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw reader.fail("store.nodeId", "must be 1-100 characters of A-Z a-z 0-9 . _ : -");
        }
        int heartbeat = (int) reader.integer(store, "store", "heartbeatSeconds", s.heartbeatSeconds(), 1, 300);
        int nodeTimeout = (int) reader.integer(store, "store", "nodeTimeoutSeconds", s.nodeTimeoutSeconds(), 2, 3600);
        if (nodeTimeout <= heartbeat) {
            throw reader.fail("store.nodeTimeoutSeconds", "must be longer than store.heartbeatSeconds (" + heartbeat
                    + ")");
        }
        boolean hasSource = SOURCE_KEYS.stream().anyMatch(store::has);
        Store readStore = new Store(nodeId, heartbeat, nodeTimeout,
                (int) reader.integer(store, "store", "purgeBatchSize", s.purgeBatchSize(), 1, 100_000), hasSource);

        JsonNode auth = reader.mapping(root, "", "auth");
        reader.checkKeys(auth, "auth", Set.of("tokenLifetimeSeconds", "refreshTokenLifetimeSeconds"));
        Auth readAuth = new Auth(
                (int) reader.integer(auth, "auth", "tokenLifetimeSeconds", d.auth().tokenLifetimeSeconds(), 1,
                        365L * DAY_SECONDS),
                (int) reader.integer(auth, "auth", "refreshTokenLifetimeSeconds",
                        d.auth().refreshTokenLifetimeSeconds(), 1, 365L * DAY_SECONDS));

        JsonNode audit = reader.mapping(root, "", "audit");
        reader.checkKeys(audit, "audit", Set.of("keepDays"));
        Audit readAudit = new Audit((int) reader.integer(audit, "audit", "keepDays", d.audit().keepDays(), 1, 36_500));
        return new Settings(readJobs, readApi, readStore, readAuth, readAudit);
    }

    /** One line describing the effective settings, for the start-up log. Holds no secret. */
    public String describe() {
        StringBuilder line = new StringBuilder();
        effective().forEach((name, value) -> line.append(line.isEmpty() ? "" : " ").append(name).append('=')
                .append(value));
        return line.toString();
    }

    /**
     * Every effective setting by its name in {@code infolink.yaml}, in the file's order, as text:
     * for the start-up log and the admin console. Holds no secret (the store's database is named,
     * not its credentials).
     */
    public Map<String, String> effective() {
        Jobs j = jobs;
        Map<String, String> all = new LinkedHashMap<>();
        all.put("jobs.maxConcurrent", String.valueOf(j.maxConcurrent()));
        all.put("jobs.maxQueued", String.valueOf(j.maxQueued()));
        all.put("jobs.syncTimeoutSeconds", String.valueOf(j.syncTimeoutSeconds()));
        all.put("jobs.defaultTimeoutSeconds", String.valueOf(j.defaultTimeoutSeconds()));
        all.put("jobs.maxResultRows", String.valueOf(j.maxResultRows()));
        all.put("jobs.statementFetchSize", String.valueOf(j.statementFetchSize()));
        all.put("jobs.statementTimeoutSeconds", String.valueOf(j.statementTimeoutSeconds()));
        all.put("jobs.keepFinished", String.valueOf(j.keepFinished()));
        all.put("jobs.keepFinishedMinutes", String.valueOf(j.keepFinishedMinutes()));
        all.put("jobs.shutdownTimeoutSeconds", String.valueOf(j.shutdownTimeoutSeconds()));
        all.put("jobs.keepFinishedMinMinutes", String.valueOf(j.keepFinishedMinMinutes()));
        all.put("jobs.maxQueuedPerClient", String.valueOf(j.maxQueuedPerClient()));
        all.put("api.maxRequestBytes", String.valueOf(api.maxRequestBytes()));
        all.put("api.httpErrorStatus", String.valueOf(api.httpErrorStatus()));
        all.put("store.nodeId", store.nodeId() == null ? "(generated)" : store.nodeId());
        all.put("store.heartbeatSeconds", String.valueOf(store.heartbeatSeconds()));
        all.put("store.nodeTimeoutSeconds", String.valueOf(store.nodeTimeoutSeconds()));
        all.put("store.purgeBatchSize", String.valueOf(store.purgeBatchSize()));
        all.put("store.database", store.hasSource() ? "(store: in infolink.yaml)" : "the default source's");
        all.put("auth.tokenLifetimeSeconds", String.valueOf(auth.tokenLifetimeSeconds()));
        all.put("auth.refreshTokenLifetimeSeconds", String.valueOf(auth.refreshTokenLifetimeSeconds()));
        all.put("audit.keepDays", String.valueOf(audit.keepDays()));
        return all;
    }
}
