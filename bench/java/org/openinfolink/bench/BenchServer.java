package org.openinfolink.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testsupport.TestHome;
import org.openinfolink.tomcat.StockTomcat;

/**
 * The server under test: the built WAR in a stock Tomcat, started through {@link StockTomcat} with
 * {@code tomcat-conf/infolink.xml} (whose {@code jdbc/infolink} is the H2 file database that
 * serves the app's {@code default} source), a capped heap, and a configuration home written with
 * {@link TestHome}: one client, one app {@value #APP_ID} with a PostgreSQL source {@code pg}, and
 * one scenario per {@link BenchDatabase}.
 *
 * <p>The home keeps {@code jobs.maxResultRows} at 1,000,000 (the result is exactly that large),
 * raises {@code jobs.syncTimeoutSeconds} so a sync run never answers SYNC_TIMEOUT, fetches 1000
 * rows per round trip as the baseline does (the default, written out), and keeps only
 * the two newest finished jobs, so the spool files of earlier runs are deleted as the benchmark
 * goes. The caller closes the server: Tomcat stops (SIGTERM, then SIGKILL after 30 s).
 */
final class BenchServer implements AutoCloseable {

    /** The benchmark app's id. */
    static final String APP_ID = "bench";

    private static final String SETTINGS = """
            jobs:
              syncTimeoutSeconds: 1800
              maxResultRows: 1000000
              statementFetchSize: 1000
              keepFinished: 2
            """;

    private final StockTomcat tomcat;
    private final String apiKey;

    private BenchServer(StockTomcat tomcat, String apiKey) {
        this.tomcat = tomcat;
        this.apiKey = apiKey;
    }

    /**
     * Writes the home and starts Tomcat; returns once the context answers.
     *
     * @param options    where the distribution, WAR and context file are, the heap and the base
     * @param databases  the databases to write a scenario for
     * @param postgresql the database of the app's {@code pg} source
     */
    static BenchServer start(BenchOptions options, List<BenchDatabase> databases, DatabaseServer postgresql)
            throws IOException {
        TestHome home = TestHome.create("bench").settings(SETTINGS);
        String apiKey = home.client("bench", List.of(APP_ID), null);
        home.app(APP_ID, appYaml(postgresql));
        for (BenchDatabase database : databases) {
            home.scenario(APP_ID, database.scenarioName(), scenarioYaml(database));
        }
        StockTomcat.Options tomcatOptions = StockTomcat.Options.forDistribution(options.tomcatHome())
                .war(options.war())
                .contextFile(options.contextFile())
                .catalinaBase(options.outputDirectory().resolve("tomcat-base"))
                .jvmOption("-Xmx" + options.serverHeap())
                .systemProperty("infolink.home", home.path().toString())
                .unsetEnvironment("INFOLINK_HOME")
                .startTimeout(Duration.ofMinutes(2))
                .stopTimeout(Duration.ofSeconds(30));
        return new BenchServer(StockTomcat.start(tomcatOptions), apiKey);
    }

    StockTomcat tomcat() {
        return tomcat;
    }

    String apiKey() {
        return apiKey;
    }

    @Override
    public void close() {
        tomcat.close();
    }

    private static String appYaml(DatabaseServer postgresql) {
        return "name: Benchmark\n"
                + "description: A large result on H2 (the container default) and PostgreSQL\n"
                + "sources:\n"
                + "  pg:\n"
                + "    url: " + yamlString(postgresql.url()) + "\n"
                + "    username: " + yamlString(postgresql.username()) + "\n"
                + "    password: " + yamlString(postgresql.password()) + "\n"
                + "    pool: {maxTotal: 4, maxWaitMillis: 10000}\n";
    }

    private static String scenarioYaml(BenchDatabase database) {
        return "description: " + BenchDatabase.ROWS + " rows of 6 columns computed by " + database.label() + "\n"
                + "steps:\n"
                + "  - opName: Transform\n"
                + "    title: large result\n"
                + "    opParams:\n"
                + "      sourceName: " + database.sourceName() + "\n"
                + "      query: " + yamlString(database.query()) + "\n"
                + "      returnResult: true\n"
                + "      resultName: rows\n";
    }

    /** A YAML double-quoted scalar. */
    private static String yamlString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
