package org.openinfolink.sql;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.apache.commons.dbcp2.BasicDataSource;

/**
 * Builds the server's own DBCP2 pools, always with a bounded wait for a connection, a bounded time
 * to open one and a check of every borrowed connection (the driver's {@code isValid}), so a lost
 * database answers with an error instead of hanging a job.
 */
public final class PoolFactory {

    /** Wait for a free connection when a source does not say. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_TOTAL = 8;
    /**
     * How long the driver may take to open one connection (connect and log in) when a source does
     * not say. DBCP's wait does not cover it, and PostgreSQL's driver otherwise waits forever for a
     * server that takes the connection and never answers.
     */
    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a connection of the job store's own pool waits for one answer of its database when
     * neither the URL nor {@code connectionProperties} says: without it, a statement sent to a
     * database that stops answering without closing the connection (a frozen server, a network
     * that drops packets) waits forever. Every store statement has a 30 s query timeout, so only
     * a database that does not answer at all reaches this bound.
     */
    public static final Duration STORE_SOCKET_TIMEOUT = Duration.ofSeconds(45);

    /** The pool settings a source may give, by their DBCP2 property names. */
    public static final Set<String> SETTINGS = Set.of("maxTotal", "maxIdle", "minIdle", "initialSize",
            "maxWaitMillis", "validationQuery", "validationQueryTimeout", "testOnBorrow", "testWhileIdle",
            "timeBetweenEvictionRunsMillis", "minEvictableIdleTimeMillis", "maxConnLifetimeMillis",
            "connectionProperties", "defaultQueryTimeout");

    private PoolFactory() {
    }

    /**
     * A new pool; it opens no connection until one is borrowed. The caller closes it.
     *
     * @param settings DBCP2 property names and values (maxTotal, maxWaitMillis, ...) overriding the
     *                 defaults; {@code maxIdle} is {@code maxTotal} unless given
     * @throws IllegalArgumentException naming the setting when a value is unusable
     */
    public static BasicDataSource create(String url, String username, String password, String driverClassName,
                                         Map<String, String> settings) {
        return create(url, username, password, driverClassName, settings, null);
    }

    /**
     * As {@link #create(String, String, String, String, Map)}, with a bound on the wait for each
     * answer of the database (PostgreSQL's and MariaDB's {@code socketTimeout}) unless the URL or
     * {@code connectionProperties} sets it; for a pool whose statements are all short, as the job
     * store's, never for a source whose queries may run for minutes.
     *
     * @param socketTimeout null for no bound
     */
    public static BasicDataSource create(String url, String username, String password, String driverClassName,
                                         Map<String, String> settings, Duration socketTimeout) {
        BasicDataSource pool = new BasicDataSource();
        pool.setUrl(url);
        pool.setUsername(username);
        pool.setPassword(password);
        pool.setDriverClassName(driverClassName != null ? driverClassName : driverFor(url));
        pool.setDriverClassLoader(PoolFactory.class.getClassLoader());
        pool.setMaxTotal(DEFAULT_MAX_TOTAL);
        pool.setMaxIdle(DEFAULT_MAX_TOTAL);
        pool.setMinIdle(0);
        pool.setInitialSize(0);
        pool.setMaxWait(DEFAULT_MAX_WAIT);
        // no validation query: a borrowed connection is checked with the driver's own
        // Connection.isValid, a ping that costs the database no statement
        pool.setValidationQueryTimeout(Duration.ofSeconds(5));
        pool.setTestOnBorrow(true);
        pool.setDefaultAutoCommit(true);
        pool.setRollbackOnReturn(true);
        pool.setAutoCommitOnReturn(true);
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            apply(pool, setting.getKey(), setting.getValue());
        }
        if (!settings.containsKey("maxIdle")) {
            // DBCP's own default (8) would close every connection returned beyond it under load,
            // and open a new one for the next borrower: a connection (a PostgreSQL backend) per job
            pool.setMaxIdle(pool.getMaxTotal());
        }
        String connectionProperties = settings.getOrDefault("connectionProperties", "");
        // each driver has its own property and unit: PostgreSQL's in seconds, MariaDB's in milliseconds
        switch (SqlDialect.ofJdbcUrl(url)) {
            case POSTGRESQL -> {
                bound(pool, url, connectionProperties, "loginTimeout", DEFAULT_LOGIN_TIMEOUT.toSeconds());
                if (socketTimeout != null) {
                    bound(pool, url, connectionProperties, "socketTimeout", socketTimeout.toSeconds());
                }
            }
            case MARIADB -> {
                bound(pool, url, connectionProperties, "connectTimeout", DEFAULT_LOGIN_TIMEOUT.toMillis());
                if (socketTimeout != null) {
                    bound(pool, url, connectionProperties, "socketTimeout", socketTimeout.toMillis());
                }
            }
            case H2, OTHER -> {
            }
        }
        return pool;
    }

    /** Gives the driver a timeout property unless the URL or {@code connectionProperties} already sets it. */
    private static void bound(BasicDataSource pool, String url, String connectionProperties, String property,
                              long value) {
        String name = property + "=";
        boolean given = url.contains(name) || Arrays.stream(connectionProperties.split(";"))
                .anyMatch(entry -> entry.strip().startsWith(name));
        if (!given) {
            pool.addConnectionProperty(property, Long.toString(value));
        }
    }

    /** The JDBC driver class for the databases whose drivers ship in the WAR; null for others. */
    public static String driverFor(String url) {
        return switch (SqlDialect.ofJdbcUrl(url)) {
            case H2 -> "org.h2.Driver";
            case POSTGRESQL -> "org.postgresql.Driver";
            case MARIADB -> "org.mariadb.jdbc.Driver";
            case OTHER -> null;
        };
    }

    private static void apply(BasicDataSource pool, String name, String value) {
        try {
            switch (name) {
                case "maxTotal" -> pool.setMaxTotal(Integer.parseInt(value));
                case "maxIdle" -> pool.setMaxIdle(Integer.parseInt(value));
                case "minIdle" -> pool.setMinIdle(Integer.parseInt(value));
                case "initialSize" -> pool.setInitialSize(Integer.parseInt(value));
                case "maxWaitMillis" -> pool.setMaxWait(Duration.ofMillis(Long.parseLong(value)));
                case "validationQuery" -> pool.setValidationQuery(value);
                case "validationQueryTimeout" -> pool.setValidationQueryTimeout(
                        Duration.ofSeconds(Long.parseLong(value)));
                case "testOnBorrow" -> pool.setTestOnBorrow(Boolean.parseBoolean(value));
                case "testWhileIdle" -> pool.setTestWhileIdle(Boolean.parseBoolean(value));
                case "timeBetweenEvictionRunsMillis" -> pool.setDurationBetweenEvictionRuns(
                        Duration.ofMillis(Long.parseLong(value)));
                case "minEvictableIdleTimeMillis" -> pool.setMinEvictableIdle(Duration.ofMillis(Long.parseLong(value)));
                case "maxConnLifetimeMillis" -> pool.setMaxConn(Duration.ofMillis(Long.parseLong(value)));
                case "connectionProperties" -> pool.setConnectionProperties(value);
                case "defaultQueryTimeout" -> pool.setDefaultQueryTimeout(Duration.ofSeconds(Long.parseLong(value)));
                default -> throw new IllegalArgumentException("pool." + name + ": unknown setting");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pool." + name + ": must be a number, got '" + value + "'");
        }
    }
}
