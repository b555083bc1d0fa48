package org.openinfolink.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.openinfolink.audit.AuditTrail;
import org.openinfolink.auth.ApiKeyVerifier;
import org.openinfolink.auth.Authenticator;
import org.openinfolink.auth.TokenService;
import org.openinfolink.config.DemoHome;
import org.openinfolink.config.HomeLocator;
import org.openinfolink.config.Settings;
import org.openinfolink.engine.AppVariables;
import org.openinfolink.engine.JobPlan;
import org.openinfolink.engine.JobPlanner;
import org.openinfolink.engine.RequestRejectedException;
import org.openinfolink.engine.ScenarioEngine;
import org.openinfolink.engine.SqlSteps;
import org.openinfolink.job.JobEvents;
import org.openinfolink.job.JobLog;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobRegistry;
import org.openinfolink.json.Json;
import org.openinfolink.metrics.ServerMetrics;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.AppLoader;
import org.openinfolink.scenario.OperationType;
import org.openinfolink.scenario.SourceDefinition;
import org.openinfolink.schedule.ScheduleEntry;
import org.openinfolink.schedule.ScheduleLoader;
import org.openinfolink.schedule.Scheduler;
import org.openinfolink.sql.DataSourceRegistry;
import org.openinfolink.sql.PoolFactory;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.store.JdbcAuditStore;
import org.openinfolink.store.JdbcJobStore;
import org.openinfolink.store.JdbcScheduleStore;
import org.openinfolink.store.JdbcTokenStore;
import org.openinfolink.store.JdbcVariableStore;
import org.openinfolink.store.StoreMigrations;

/**
 * Everything one deployment of the server holds: settings, clients, apps, data sources, the engine
 * and the job registry. Built once by {@link InfoLinkContextListener}, kept in the ServletContext
 * under {@link #ATTRIBUTE}, and closed in order when the context stops.
 *
 * <p>Thread safe: all parts are immutable or thread safe themselves. {@link #close()} is
 * idempotent.
 */
public final class InfoLinkServer implements AutoCloseable {

    /** The ServletContext attribute holding the running server. */
    public static final String ATTRIBUTE = "org.openinfolink.server";

    /**
     * Bytes of result records kept per row of {@code il_result_chunk}. Not more: H2 2.5 keeps a
     * row in a page of its file, and pages of a megabyte (rows of 1 MB) corrupted its file in a
     * trial with its default write delay.
     */
    static final int RESULT_CHUNK_BYTES = 256 * 1024;

    /** The size of the store's own pool ({@code store: url}) when {@code pool.maxTotal} does not say. */
    static final int STORE_POOL_MAX_TOTAL = 24;

    /** How long a stopping server lets API calls in progress finish before it closes the pools. */
    static final int CALL_DRAIN_SECONDS = 10;

    private static final Logger LOG = Logger.getLogger(InfoLinkServer.class.getName());

    /** The class path resource holding the version (filtered by the build). */
    static final String VERSION_RESOURCE = "/org/openinfolink/server/version.properties";

    private final Settings settings;
    private final ApiKeyVerifier verifier;
    private final DataSourceRegistry dataSources;
    private final Map<String, App> apps;
    private final List<String> problems;
    private final JobPlanner planner;
    private final JobRegistry jobs;
    private final Scheduler scheduler;
    private final TokenService tokens;
    private final Authenticator authenticator;
    private final ServerMetrics metrics;
    private final AuditTrail audit;
    private final Path home;
    private final String storeName;
    private final Instant startedAt;
    private final Object inFlightLock = new Object();
    private int inFlight;
    private boolean closed;

    private InfoLinkServer(Settings settings, ApiKeyVerifier verifier,
                           DataSourceRegistry dataSources, Map<String, App> apps, List<String> problems,
                           JobPlanner planner, JobRegistry jobs, Scheduler scheduler, TokenService tokens,
                           ServerMetrics metrics, AuditTrail audit, Path home, String storeName) {
        this.settings = settings;
        this.verifier = verifier;
        this.dataSources = dataSources;
        this.apps = apps;
        this.problems = problems;
        this.planner = planner;
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.tokens = tokens;
        this.authenticator = new Authenticator(verifier, tokens);
        this.metrics = metrics;
        this.audit = audit;
        this.home = home;
        this.storeName = storeName;
        this.startedAt = Instant.now();
    }

    /**
     * Starts a server.
     *
     * @param location    where the configuration home is (or that the demo runs)
     * @param workDir     the container's private work folder for this context
     * @param environment reads environment variables for {@code ${env:NAME}}
     * @throws RuntimeException with a message naming the file and setting when the configuration
     *                          is unusable; whatever was opened is closed again
     */
    public static InfoLinkServer start(HomeLocator.Location location, Path workDir, UnaryOperator<String> environment) {
        Path home = location.isDemo() ? DemoHome.install(workDir.resolve("demo-home")) : location.path();
        Path dataDir = location.isDemo() ? workDir.resolve("infolink-data") : home.resolve("data");
        LOG.info("Configuration home: " + home + " (" + location.source() + ")");
        Settings settings = Settings.load(home);
        LOG.info("Settings: " + settings.describe());
        ApiKeyVerifier verifier = ApiKeyVerifier.load(home);
        LOG.info(verifier.clients().size() + " API client(s) configured: "
                + verifier.clients().stream().map(client -> client.name()).toList());

        DataSourceRegistry dataSources = DataSourceRegistry.open(dataDir);
        ServerMetrics metrics = new ServerMetrics();
        JobRegistry jobs = null;
        Scheduler scheduler = null;
        TokenService tokens = null;
        AuditTrail audit = null;
        try {
            AppLoader loader = new AppLoader(environment, dataSources.defaultDialect());
            Map<String, App> apps = new TreeMap<>(loader.load(home));
            List<String> problems = new ArrayList<>(loader.problems());
            for (App app : List.copyOf(apps.values())) {
                List<String> sourceProblems = dataSources.register(app);
                if (!sourceProblems.isEmpty() && app.isValid()) {
                    String reason = home.resolve("apps").resolve(app.id()).resolve("app.yaml") + ": "
                            + String.join("; ", sourceProblems);
                    LOG.severe("App '" + app.id() + "' is invalid: " + reason);
                    problems.add(reason);
                    apps.put(app.id(), new App(app.id(), app.name(), app.description(), app.sources(),
                            app.defaultSource(), app.variables(), app.scenarios(), reason));
                }
            }
            ScheduleLoader scheduleLoader = new ScheduleLoader(Clock.systemUTC().instant());
            Map<String, List<ScheduleEntry>> schedules = scheduleLoader.load(home, apps);
            problems.addAll(scheduleLoader.problems());
            LOG.info(apps.size() + " app(s) loaded: " + apps.keySet()
                    + (problems.isEmpty() ? "" : "; " + problems.size() + " problem(s), see above"));

            DataSource storeSource = storeSource(settings, home, dataSources, environment);
            String storeName = settings.store().hasSource() ? "store: of " + Settings.FILE_NAME
                    : dataSources.isDefaultEmbedded() ? "the embedded database" : DataSourceRegistry.DEFAULT_JNDI_NAME;
            StoreMigrations.migrate(storeSource, storeName);
            JdbcJobStore store = new JdbcJobStore(storeSource, RESULT_CHUNK_BYTES, metrics.rowsStreamed());
            AppVariables variables = new AppVariables(new JdbcVariableStore(storeSource), apps.values());
            Clock clock = Clock.systemUTC();
            ScenarioEngine engine = new ScenarioEngine(new SqlSteps(dataSources, settings.jobs(), clock), variables,
                    clock);
            JobPlanner planner = new JobPlanner(engine, dataSources.defaultDialect(),
                    settings.jobs().defaultTimeoutSeconds());
            Map<String, App> loaded = Collections.unmodifiableMap(apps);
            String nodeId = settings.store().nodeId() != null ? settings.store().nodeId() : generatedNodeId();
            jobs = new JobRegistry(settings.jobs(), settings.store(), store, job -> planStored(loaded, planner, job),
                    JobEvents.all(List.of(new JobLog(nodeId), metrics.jobEvents())), nodeId, clock);
            jobs.start();
            audit = new AuditTrail(new JdbcAuditStore(storeSource), settings.audit().keepDays(),
                    settings.store().purgeBatchSize());
            audit.start();
            scheduler = new Scheduler(schedules, new JdbcScheduleStore(storeSource),
                    Scheduler.starter(loaded, planner, jobs, audit));
            scheduler.start();
            tokens = new TokenService(new JdbcTokenStore(storeSource), verifier,
                    settings.auth().tokenLifetimeSeconds(), settings.auth().refreshTokenLifetimeSeconds());
            tokens.start();
            metrics.watch(jobs);
            metrics.watch(dataSources.pools());
            if (location.isDemo()) {
                LOG.warning("Running the built-in demo: no " + HomeLocator.PARAMETER + " is configured. Demo API key: "
                        + DemoHome.DEMO_API_KEY + " (app 7). Configure a home before serving real clients.");
            }
            return new InfoLinkServer(settings, verifier, dataSources, loaded, List.copyOf(problems), planner, jobs,
                    scheduler, tokens, metrics, audit, home, storeName);
        } catch (RuntimeException | Error e) {
            if (scheduler != null) {
                scheduler.close();
            }
            if (tokens != null) {
                tokens.close();
            }
            if (jobs != null) {
                jobs.close();
            }
            if (audit != null) {
                audit.close();
            }
            metrics.close();
            dataSources.close();
            throw e;
        }
    }

    public Settings settings() {
        return settings;
    }

    public ApiKeyVerifier verifier() {
        return verifier;
    }

    public Map<String, App> apps() {
        return apps;
    }

    /** Every configuration problem found at start-up, as {@code <path>: <reason>}. */
    public List<String> problems() {
        return problems;
    }

    /** Turns a client's operation into a job plan; the API refuses bad requests with it. */
    public JobPlanner planner() {
        return planner;
    }

    public JobRegistry jobs() {
        return jobs;
    }

    /** Fires the apps' schedules on this node; lists them for the API. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Issues and checks OAuth2 tokens (the token endpoint). */
    public TokenService tokens() {
        return tokens;
    }

    /** Turns an API key or a Bearer token into a client: every endpoint authenticates through it. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** The audit trail (CONTRACT section 13): the API, the token endpoint and the console record into it. */
    public AuditTrail audit() {
        return audit;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** The configuration home this server serves (the demo's copy when it runs the demo). */
    public Path home() {
        return home;
    }

    /** Which database holds the job store, in words: {@code the embedded database}, a JNDI name, ... */
    public String storeName() {
        return storeName;
    }

    /** When this server started. */
    public Instant startedAt() {
        return startedAt;
    }

    /** The server's version, as the build wrote it into {@value #VERSION_RESOURCE}; {@code unknown} if absent. */
    public static String version() {
        try (InputStream in = InfoLinkServer.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The job store's database: {@code store:} of {@code infolink.yaml} when it names one, else the
     * {@code default} source's.
     */
    private static DataSource storeSource(Settings settings, Path home, DataSourceRegistry dataSources,
                                          UnaryOperator<String> environment) {
        if (!settings.store().hasSource()) {
            return dataSources.defaultSource();
        }
        SourceDefinition definition = new AppLoader(environment, SqlDialect.OTHER)
                .readStoreSource(home.resolve(Settings.FILE_NAME));
        if (definition instanceof SourceDefinition.Pool pool && !pool.pool().containsKey("maxTotal")) {
            // every API call and every running job borrows store connections: more than an app's default
            Map<String, String> sized = new TreeMap<>(pool.pool());
            sized.put("maxTotal", Integer.toString(STORE_POOL_MAX_TOTAL));
            sized.putIfAbsent("maxIdle", Integer.toString(STORE_POOL_MAX_TOTAL));
            definition = new SourceDefinition.Pool(pool.url(), pool.username(), pool.password(),
                    pool.driverClassName(), Collections.unmodifiableMap(sized));
        }
        try {
            return dataSources.open("store", definition, PoolFactory.STORE_SOCKET_TIMEOUT);
        } catch (NamingException e) {
            throw new IllegalStateException(Settings.FILE_NAME + ": store.jndi: "
                    + ((SourceDefinition.Jndi) definition).jndiName() + " cannot be looked up ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** A stored job's plan, made on the node that runs it from the apps this node loaded. */
    private static JobPlan planStored(Map<String, App> apps, JobPlanner planner, JobRecord job) {
        App app = apps.get(job.appId());
        if (app == null) {
            throw new RequestRejectedException(RequestRejectedException.Reason.SCENARIO_NOT_FOUND,
                    "app '" + job.appId() + "' is not configured on this node");
        }
        JsonNode operation;
        try {
            operation = Json.mapper().readTree(job.request().operation());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The stored operation of " + job + " is not JSON", e);
        }
        OperationType type = OperationType.byName(job.request().opName()).orElseThrow(() ->
                new RequestRejectedException(RequestRejectedException.Reason.INVALID_FIELD,
                        "unknown operation '" + job.request().opName() + "'"));
        return planner.plan(app, type, operation);
    }

    /** Host name, "-" and 6 random hex digits: unique per start. */
    private static String generatedNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        return host.replaceAll("[^A-Za-z0-9._:-]", "_") + "-" + suffix;
    }

    public DataSourceRegistry dataSources() {
        return dataSources;
    }

    /** Counts an API call in progress; {@link #close()} lets calls in progress finish before the pools close. */
    public void callStarted() {
        synchronized (inFlightLock) {
            inFlight++;
        }
    }

    /** Ends what {@link #callStarted()} counted. */
    public void callEnded() {
        synchronized (inFlightLock) {
            inFlight--;
            inFlightLock.notifyAll();
        }
    }

    /**
     * Stops in order: the scheduler (no new fires), the job registry (refuse, wait, stop), the API calls still answering (a
     * caller waiting for a job gets its outcome, for at most {@value #CALL_DRAIN_SECONDS} s), the
     * audit trail (what it holds is written while the store is still open), the token purge loop
     * and the metrics, the pools, then the JDBC drivers this web application registered. Each step
     * runs even if an earlier one fails.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            scheduler.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Stopping the scheduler failed", e);
        }
        try {
            jobs.close();
            planner.close();
            awaitCallsEnded();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Stopping the job registry failed", e);
        } finally {
            try {
                audit.close();
                tokens.close();
                metrics.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Stopping the audit trail, the token purge or the metrics failed", e);
            } finally {
                try {
                    dataSources.close();
                } finally {
                    deregisterOwnDrivers();
                }
            }
        }
    }

    private void awaitCallsEnded() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CALL_DRAIN_SECONDS);
        synchronized (inFlightLock) {
            while (inFlight > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    LOG.warning(inFlight + " API call(s) still answering after " + CALL_DRAIN_SECONDS
                            + " s of shutdown");
                    return;
                }
                try {
                    inFlightLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Deregisters the JDBC drivers loaded by this web application, so the class loader can go. When
     * the server runs on the JVM's own class path (embedded, as in tests), the drivers belong to the
     * JVM and other users of {@link DriverManager}: they stay registered.
     */
    private static void deregisterOwnDrivers() {
        ClassLoader own = InfoLinkServer.class.getClassLoader();
        if (own == ClassLoader.getSystemClassLoader()) {
            return;
        }
        Enumeration<Driver> drivers = DriverManager.getDrivers();
        while (drivers.hasMoreElements()) {
            Driver driver = drivers.nextElement();
            if (driver.getClass().getClassLoader() == own) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException | SecurityException e) {
                    LOG.log(Level.FINE, "Cannot deregister " + driver.getClass().getName(), e);
                }
            }
        }
    }
}
