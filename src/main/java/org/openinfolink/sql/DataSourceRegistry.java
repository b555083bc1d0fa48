package org.openinfolink.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.SourceDefinition;

/**
 * Every data source the server uses: the embedded H2 database, the container's
 * {@code jdbc/infolink} when the context defines one, and each app's named sources.
 *
 * <p>Built once at start-up; app sources are registered then, on the starting thread, and only
 * read afterwards, so lookups are thread safe. {@link #close()} closes the pools this registry
 * created (never the container's DataSources) and is idempotent.
 */
public final class DataSourceRegistry implements AutoCloseable {

    /** The container DataSource that becomes the {@code default} source when the context defines it. */
    public static final String DEFAULT_JNDI_NAME = "java:comp/env/jdbc/infolink";

    private static final Logger LOG = Logger.getLogger(DataSourceRegistry.class.getName());

    private final BasicDataSource embedded;
    private final DataSource containerDefault;
    private final SqlDialect defaultDialect;
    private final Map<String, Map<String, DataSource>> appSources = new ConcurrentHashMap<>();
    private final List<BasicDataSource> ownPools = new ArrayList<>();
    private final List<PoolFigures> pools = new CopyOnWriteArrayList<>();
    private final Set<DataSource> measured = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private DataSourceRegistry(BasicDataSource embedded, DataSource containerDefault, SqlDialect defaultDialect) {
        this.embedded = embedded;
        this.containerDefault = containerDefault;
        this.defaultDialect = defaultDialect;
        ownPools.add(embedded);
        measure("embedded", embedded);
        if (containerDefault != null) {
            measure(jndiShortName(DEFAULT_JNDI_NAME), containerDefault);
        }
    }

    /**
     * Opens the embedded database under {@code dataDir} and looks up the container default.
     *
     * @param dataDir where the embedded H2 database file lives (created if missing)
     */
    public static DataSourceRegistry open(Path dataDir) {
        BasicDataSource embedded = PoolFactory.create(embeddedUrl(dataDir), "sa", "", "org.h2.Driver",
                Map.of("maxTotal", "16", "maxIdle", "4"));
        DataSource container = lookupOptional(DEFAULT_JNDI_NAME).orElse(null);
        DataSource defaultSource = container != null ? container : embedded;
        SqlDialect dialect = SqlDialect.OTHER;
        try (Connection connection = defaultSource.getConnection()) {
            dialect = SqlDialect.of(connection);
        } catch (SQLException e) {
            if (container == null) {
                closeQuietly(embedded);
                throw new IllegalStateException("The embedded database in " + dataDir + " cannot be opened: "
                        + e.getMessage(), e);
            }
            LOG.warning("The default source " + DEFAULT_JNDI_NAME + " cannot be reached now (" + e.getMessage()
                    + "); jobs using it will fail until it can.");
        }
        LOG.info("Default source: " + (container != null ? DEFAULT_JNDI_NAME : "the embedded database in "
                + dataDir) + " (" + dialect + ")");
        return new DataSourceRegistry(embedded, container, dialect);
    }

    /**
     * The JDBC URL of the embedded database kept under {@code dataDir}. {@code WRITE_DELAY=0}: H2
     * writes each commit to the file at once instead of up to half a second later, so what the job
     * store committed survives a crash or {@code kill -9}. {@code QUERY_CACHE_SIZE=64}: each
     * session keeps 64 compiled statements instead of 8, enough for the job store's and a few
     * scenarios'; fewer are compiled again at every job.
     */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("infolink")
                + ";DATABASE_TO_LOWER=TRUE;LAZY_QUERY_EXECUTION=TRUE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=64";
    }

    /** The dialect of the {@code default} source, or OTHER when it could not be reached. */
    public SqlDialect defaultDialect() {
        return defaultDialect;
    }

    /**
     * Creates or looks up the sources of an app. Called at start-up only.
     *
     * @return the problems found, e.g. {@code sources.crm: JNDI name java:comp/env/jdbc/crm not found};
     *         empty when every source is usable
     */
    public synchronized List<String> register(App app) {
        List<String> problems = new ArrayList<>();
        Map<String, DataSource> sources = new HashMap<>();
        for (Map.Entry<String, SourceDefinition> entry : app.sources().entrySet()) {
            String where = "sources." + entry.getKey();
            try {
                sources.put(entry.getKey(), create(app.id() + "/" + entry.getKey(), entry.getValue(), null));
            } catch (NamingException e) {
                problems.add(where + ": JNDI name " + ((SourceDefinition.Jndi) entry.getValue()).jndiName()
                        + " cannot be looked up (" + e.getClass().getSimpleName() + ")");
            } catch (IllegalArgumentException e) {
                problems.add(where + "." + e.getMessage());
            }
        }
        appSources.put(app.id(), Map.copyOf(sources));
        return problems;
    }

    /**
     * The DataSource for a source name of an app, {@code default} included.
     *
     * @return empty when the app has no such source
     */
    public Optional<DataSource> source(String appId, String sourceName) {
        DataSource source = appSources.getOrDefault(appId, Map.of()).get(sourceName);
        if (source == null && App.DEFAULT_SOURCE.equals(sourceName)) {
            source = defaultSource();
        }
        return Optional.ofNullable(source);
    }

    /** The DataSource of the source {@code default}: the container's {@code jdbc/infolink}, else the embedded one. */
    public DataSource defaultSource() {
        return containerDefault != null ? containerDefault : embedded;
    }

    /** Whether {@link #defaultSource()} is the embedded database (no {@code jdbc/infolink} in the context). */
    public boolean isDefaultEmbedded() {
        return containerDefault == null;
    }

    /**
     * A DataSource outside any app, such as the job store's own: looked up, or a pool this registry
     * creates and closes.
     *
     * @param name          names the pool in {@link #pools()}, e.g. {@code store}
     * @param socketTimeout for a pool this registry creates, the bound on each answer of its
     *                      database (see {@link PoolFactory#STORE_SOCKET_TIMEOUT}); null for none
     * @throws NamingException when a JNDI name cannot be looked up
     */
    public synchronized DataSource open(String name, SourceDefinition definition, Duration socketTimeout)
            throws NamingException {
        return create(name, definition, socketTimeout);
    }

    /**
     * The figures of every pool the server uses that tells them, each once: the embedded
     * database's, the container's {@code jdbc/infolink}, the store's and every app source's. The
     * list is complete once start-up has registered the apps.
     */
    public List<PoolFigures> pools() {
        return List.copyOf(pools);
    }

    private void measure(String name, DataSource dataSource) {
        if (!measured.add(dataSource)) {
            return;
        }
        if (dataSource instanceof BasicDataSource own && ownPools.contains(own)) {
            pools.add(PoolFigures.of(name, own));
        } else {
            PoolFigures.ofForeign(name, dataSource).ifPresent(pools::add);
        }
    }

    /** {@code jdbc/infolink} of {@code java:comp/env/jdbc/infolink}. */
    private static String jndiShortName(String jndiName) {
        return jndiName.startsWith("java:comp/env/") ? jndiName.substring("java:comp/env/".length()) : jndiName;
    }

    private DataSource create(String name, SourceDefinition definition, Duration socketTimeout)
            throws NamingException {
        if (definition instanceof SourceDefinition.Jndi jndi) {
            DataSource found = lookup(jndi.jndiName());
            measure(jndiShortName(jndi.jndiName()), found);
            return found;
        }
        if (definition instanceof SourceDefinition.Pool pool) {
            if (pool.driverClassName() == null && PoolFactory.driverFor(pool.url()) == null) {
                throw new IllegalArgumentException("url: no driver ships for '" + pool.url()
                        + "'; set driverClassName and put the driver in the container's lib folder");
            }
            BasicDataSource dataSource = PoolFactory.create(pool.url(), pool.username(), pool.password(),
                    pool.driverClassName(), pool.pool(), socketTimeout);
            ownPools.add(dataSource);
            measure(name, dataSource);
            return dataSource;
        }
        return embedded;
    }

    private static DataSource lookup(String jndiName) throws NamingException {
        Object found = new InitialContext().lookup(jndiName);
        if (!(found instanceof DataSource dataSource)) {
            throw new NameNotFoundException(jndiName + " is not a DataSource");
        }
        return dataSource;
    }

    private static Optional<DataSource> lookupOptional(String jndiName) {
        try {
            return Optional.of(lookup(jndiName));
        } catch (NamingException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (BasicDataSource pool : ownPools) {
            closeQuietly(pool);
        }
    }

    private static void closeQuietly(BasicDataSource pool) {
        try {
            pool.close();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Closing a connection pool failed", e);
        }
    }
}
