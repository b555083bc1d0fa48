package org.openinfolink.server;

import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.auth.ApiKeyVerifier;
import org.openinfolink.config.DemoHome;
import org.openinfolink.config.HomeLocator;
import org.openinfolink.config.Settings;
import org.openinfolink.engine.AppVariables;
import org.openinfolink.engine.ScenarioEngine;
import org.openinfolink.engine.SqlSteps;
import org.openinfolink.job.InMemoryJobStore;
import org.openinfolink.job.JobRegistry;
import org.openinfolink.result.ResultSpools;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.AppLoader;
import org.openinfolink.sql.DataSourceRegistry;

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

    private static final Logger LOG = Logger.getLogger(InfoLinkServer.class.getName());

    private final Settings settings;
    private final ApiKeyVerifier verifier;
    private final DataSourceRegistry dataSources;
    private final Map<String, App> apps;
    private final List<String> problems;
    private final ScenarioEngine engine;
    private final JobRegistry jobs;
    private boolean closed;

    private InfoLinkServer(Settings settings, ApiKeyVerifier verifier,
                           DataSourceRegistry dataSources, Map<String, App> apps, List<String> problems,
                           ScenarioEngine engine, JobRegistry jobs) {
        this.settings = settings;
        this.verifier = verifier;
        this.dataSources = dataSources;
        this.apps = apps;
        this.problems = problems;
        this.engine = engine;
        this.jobs = jobs;
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
        JobRegistry jobs = null;
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
            LOG.info(apps.size() + " app(s) loaded: " + apps.keySet()
                    + (problems.isEmpty() ? "" : "; " + problems.size() + " problem(s), see above"));

            AppVariables variables = new AppVariables(dataDir.resolve("variables"), apps.values());
            ResultSpools spools = ResultSpools.open(workDir.resolve("spool"));
            Clock clock = Clock.systemUTC();
            ScenarioEngine engine = new ScenarioEngine(new SqlSteps(dataSources, spools, settings.jobs(), clock),
                    variables, clock);
            jobs = new JobRegistry(settings.jobs(), new InMemoryJobStore(), clock);
            if (location.isDemo()) {
                LOG.warning("Running the built-in demo: no " + HomeLocator.PARAMETER + " is configured. Demo API key: "
                        + DemoHome.DEMO_API_KEY + " (app 7). Configure a home before serving real clients.");
            }
            return new InfoLinkServer(settings, verifier, dataSources,
                    Collections.unmodifiableMap(apps), List.copyOf(problems), engine, jobs);
        } catch (RuntimeException | Error e) {
            if (jobs != null) {
                jobs.close();
            }
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

    public ScenarioEngine engine() {
        return engine;
    }

    public JobRegistry jobs() {
        return jobs;
    }

    public DataSourceRegistry dataSources() {
        return dataSources;
    }

    /**
     * Stops in order: the job registry (refuse, stop, wait), then the pools, then the JDBC drivers
     * this web application registered. Each step runs even if an earlier one fails.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            jobs.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Stopping the job registry failed", e);
        } finally {
            try {
                dataSources.close();
            } finally {
                deregisterOwnDrivers();
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
