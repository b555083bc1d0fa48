package org.openinfolink.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openinfolink.testdb.DatabaseServer;
import org.openinfolink.testsupport.TestHome;
import org.openinfolink.tomcat.StockTomcat;

/**
 * One server under test: the built WAR in a stock Tomcat, started through {@link StockTomcat} with
 * {@code tomcat-conf/infolink.xml} (whose {@code jdbc/infolink} is the H2 file database that
 * serves the app's {@code default} source and, unless {@code infolink.yaml} has a {@code store:},
 * the job store), a capped heap, and a configuration home written with {@link TestHome}: one
 * client {@code bench} allowed to run scenarios of the one app {@value #APP_ID}, the settings,
 * the app and its scenarios as the caller wrote them.
 *
 * <p>Each server has a CATALINA_BASE of its own, {@code <output>/tomcat-<name>}, rebuilt at each
 * start and kept afterwards with its logs. The caller closes the server: Tomcat stops (SIGTERM,
 * then SIGKILL after 30 s).
 */
final class BenchServer implements AutoCloseable {

    /** The benchmark app's id. */
    static final String APP_ID = "bench";

    private final String name;
    private final StockTomcat tomcat;
    private final String apiKey;

    private BenchServer(String name, StockTomcat tomcat, String apiKey) {
        this.name = name;
        this.tomcat = tomcat;
        this.apiKey = apiKey;
    }

    /**
     * Writes the home and starts Tomcat; returns once the context answers.
     *
     * @param options   where the distribution, WAR and context file are, the heap and the output folder
     * @param name      names the CATALINA_BASE and the home
     * @param settings  the text of {@code infolink.yaml}
     * @param appYaml   the text of the app's {@code app.yaml}
     * @param scenarios the app's scenarios: name to the text of its YAML file
     */
    static BenchServer start(BenchOptions options, String name, String settings, String appYaml,
                             Map<String, String> scenarios) throws IOException {
        TestHome home = TestHome.create("bench-" + name).settings(settings);
        String apiKey = home.client("bench", List.of(APP_ID), null);
        home.app(APP_ID, appYaml);
        scenarios.forEach((scenario, yaml) -> home.scenario(APP_ID, scenario, yaml));
        return start(options, name, home, apiKey);
    }

    /**
     * Starts Tomcat on a home written already (several nodes may share one); returns once the
     * context answers.
     *
     * @param name   names the CATALINA_BASE
     * @param apiKey the key of the home's client {@code bench}
     */
    static BenchServer start(BenchOptions options, String name, TestHome home, String apiKey) throws IOException {
        StockTomcat.Options tomcatOptions = StockTomcat.Options.forDistribution(options.tomcatHome())
                .war(options.war())
                .contextFile(options.contextFile())
                .catalinaBase(options.outputDirectory().resolve("tomcat-" + name))
                // a fixed heap, as servers run: with -Xms below -Xmx G1 shrinks the heap after the
                // full GC that HeapProbe runs before a measurement, and the run pays for growing it again
                .jvmOption("-Xms" + options.serverHeap())
                .jvmOption("-Xmx" + options.serverHeap())
                .systemProperty("infolink.home", home.path().toString())
                .unsetEnvironment("INFOLINK_HOME")
                .startTimeout(Duration.ofMinutes(2))
                .stopTimeout(Duration.ofSeconds(30));
        return new BenchServer(name, StockTomcat.start(tomcatOptions), apiKey);
    }

    String name() {
        return name;
    }

    StockTomcat tomcat() {
        return tomcat;
    }

    String apiKey() {
        return apiKey;
    }

    /** The CPU time the Tomcat process has used so far; zero where the platform does not say. */
    Duration cpuTime() {
        return ProcessHandle.of(tomcat.pid()).flatMap(process -> process.info().totalCpuDuration())
                .orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        tomcat.close();
    }

    /**
     * The {@code store:} block of {@code infolink.yaml} that puts the job store on {@code database}.
     *
     * @param maxTotal the store pool's most connections
     */
    static String storeYaml(DatabaseServer database, int maxTotal) {
        return "store:\n"
                + "  url: " + yamlString(database.url()) + "\n"
                + "  username: " + yamlString(database.username()) + "\n"
                + "  password: " + yamlString(database.password()) + "\n"
                + "  pool: {maxTotal: " + maxTotal + ", maxWaitMillis: 10000}\n";
    }

    /** A source entry under {@code sources:} of {@code app.yaml}, for {@code database}. */
    static String sourceYaml(String sourceName, DatabaseServer database, int maxTotal) {
        return "  " + sourceName + ":\n"
                + "    url: " + yamlString(database.url()) + "\n"
                + "    username: " + yamlString(database.username()) + "\n"
                + "    password: " + yamlString(database.password()) + "\n"
                + "    pool: {maxTotal: " + maxTotal + ", maxWaitMillis: 10000}\n";
    }

    /** A YAML double-quoted scalar. */
    static String yamlString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
