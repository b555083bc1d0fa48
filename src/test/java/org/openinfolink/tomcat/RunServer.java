package org.openinfolink.tomcat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openinfolink.config.DemoHome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs the built WAR in a stock Tomcat 11 in the foreground, until Ctrl-C: the README's
 * {@code mvn -Prun package}. The {@code run} profile of pom.xml builds the WAR, unpacks the
 * distribution and starts this class with the test class path.
 *
 * <p>It runs Tomcat in the CATALINA_BASE {@code target/tomcat-run} (by default) with
 * {@code tomcat-conf/server.xml} and {@code tomcat-conf/infolink.xml}, through {@link StockTomcat},
 * echoes Tomcat's console log, and prints where to find the server and its logs. The base is built
 * on the first run and kept by later ones ({@link StockTomcat.Options#keepBase()}): the conf files,
 * the context file and the WAR are refreshed at each start, while {@code data/} (the job store, the
 * H2 database of {@code jdbc/infolink}), {@code logs/} and {@code work/} (the demo's home and
 * embedded database) stay. So a job started before a restart still answers after it, and the logs
 * grow across runs. {@code mvn clean}, or deleting the base, starts afresh.
 *
 * <p>Stopping: Ctrl-C reaches this JVM and Tomcat alike; Tomcat stops itself, and the shutdown
 * hook of {@link StockTomcat} waits for it (and kills it after 30 s). SIGTERM to this JVM does
 * the same. Maven's {@code exec} goal does not pass signals on, so this JVM also stops when the
 * process that started it ends (for example {@code kill <maven pid>}).
 *
 * <p>System properties, all optional (the profile sets the paths):
 * <ul>
 *   <li>{@code infolink.port}: the HTTP port, default 8080;</li>
 *   <li>{@code infolink.address}: where the connector listens, {@code 127.0.0.1} (the default,
 *       this machine only) or {@code 0.0.0.0} (every interface); tomcat-conf/server.xml reads it;</li>
 *   <li>{@code infolink.heap}: Tomcat's fixed heap ({@code -Xms} and {@code -Xmx}), default {@code 512m};</li>
 *   <li>{@code infolink.tomcat.home}: the unpacked distribution, default
 *       {@code target/stock-tomcat/apache-tomcat-11.0.24};</li>
 *   <li>{@code infolink.war}: default {@code target/infolink.war};</li>
 *   <li>{@code infolink.run.base}: the CATALINA_BASE to build or keep, default {@code target/tomcat-run};</li>
 *   <li>{@code infolink.run.conf}: the folder with server.xml and infolink.xml, default
 *       {@code tomcat-conf};</li>
 *   <li>{@code infolink.users}: a {@code tomcat-users.xml} to install in the base's {@code conf/}
 *       (the users and roles of the admin console and /metrics); default the distribution's,
 *       which has no user;</li>
 *   <li>{@code infolink.home}: passed on to Tomcat when not empty, to serve a configuration
 *       home instead of the built-in demo ({@code INFOLINK_HOME} in the environment works too).</li>
 * </ul>
 */
public final class RunServer {

    private static final int DEFAULT_PORT = 8080;
    private static final String DEFAULT_ADDRESS = "127.0.0.1";
    private static final String DEFAULT_HEAP = "512m";

    private RunServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = port();
        String address = address();
        String heap = heap();
        Path conf = Path.of(System.getProperty("infolink.run.conf", "tomcat-conf"));
        StockTomcat.Options options = StockTomcat.Options
                .forDistribution(Path.of(System.getProperty("infolink.tomcat.home",
                        "target/stock-tomcat/apache-tomcat-11.0.24")))
                .war(Path.of(System.getProperty("infolink.war", "target/infolink.war")))
                .serverXml(conf.resolve("server.xml"))
                .confDirectory(conf.resolve("errors"), "infolink-errors")
                .systemProperty(StockTomcat.USER_DATA_LOG_PROPERTY, StockTomcat.USER_DATA_LOG_QUIET)
                .contextFile(conf.resolve(StockTomcat.CONTEXT_NAME + ".xml"))
                .catalinaBase(Path.of(System.getProperty("infolink.run.base", "target/tomcat-run")))
                .keepBase()
                .httpPort(port)
                .systemProperty("infolink.address", address)
                .jvmOption("-Xms" + heap)
                .jvmOption("-Xmx" + heap)
                .stopTimeout(Duration.ofSeconds(30))
                .echoOutputTo(System.out);
        String users = System.getProperty("infolink.users", "");
        if (!users.isBlank()) {
            Path usersFile = Path.of(users).toAbsolutePath();
            if (!Files.isRegularFile(usersFile)) {
                System.err.println("infolink.users: no such file " + usersFile);
                System.exit(1);
                return;
            }
            options.tomcatUsers(usersFile);
        }
        String home = System.getProperty("infolink.home", "");
        if (!home.isBlank()) {
            options.systemProperty("infolink.home", Path.of(home).toAbsolutePath().toString());
        }
        stopWithParentProcess();

        StockTomcat tomcat;
        try {
            tomcat = StockTomcat.start(options);
        } catch (IOException | RuntimeException e) {
            System.err.println();
            System.err.println("Could not start Tomcat: " + e.getMessage());
            System.exit(1);
            return;
        }
        String configuredHome = !home.isBlank() ? home : System.getenv().getOrDefault("INFOLINK_HOME", "");
        printBanner(tomcat, configuredHome, address, heap);

        int exitCode = tomcat.awaitExit();
        if (!stoppedBySignal(exitCode)) {
            System.err.println("Tomcat exited unexpectedly with code " + exitCode + "; see " + tomcat.catalinaOut());
            System.exit(1);
        }
    }

    private static int port() {
        String value = System.getProperty("infolink.port", Integer.toString(DEFAULT_PORT)).trim();
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println("infolink.port must be a port number from 1 to 65535, not '" + value + "'");
        System.exit(2);
        return -1;
    }

    /**
     * Ends this JVM, and with it (shutdown hook) Tomcat, when the parent process ends: Maven's
     * exec goal neither forwards a SIGTERM it receives nor kills this child when it dies.
     */
    private static void stopWithParentProcess() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("The parent process " + parent.pid() + " has ended: stopping Tomcat.");
            System.exit(0);
        }));
    }

    /** 0, or 128 + SIGINT / SIGTERM: Tomcat stopped as asked, not because of a failure. */
    private static boolean stoppedBySignal(int exitCode) {
        return exitCode == 0 || exitCode == 130 || exitCode == 143;
    }

    /**
     * Where the connector listens: the loopback address or every interface. The start waits for
     * Tomcat on 127.0.0.1, which both answer; to listen on one other interface only, edit the
     * Connector of tomcat-conf/server.xml.
     */
    private static String address() {
        String value = System.getProperty("infolink.address", DEFAULT_ADDRESS).trim();
        if (value.isEmpty()) {
            return DEFAULT_ADDRESS;
        }
        if (value.equals("127.0.0.1") || value.equals("0.0.0.0") || value.equals("localhost")) {
            return value;
        }
        System.err.println("infolink.address must be 127.0.0.1 (this machine only) or 0.0.0.0 (every interface),"
                + " not '" + value + "'; to listen on one other interface, edit the Connector in tomcat-conf/server.xml");
        System.exit(2);
        return null;
    }

    /** Tomcat's heap, as -Xms and -Xmx take it: 512m, 2g. */
    private static String heap() {
        String value = System.getProperty("infolink.heap", DEFAULT_HEAP).trim();
        if (value.isEmpty()) {
            return DEFAULT_HEAP;
        }
        if (value.matches("\\d+[kKmMgG]?")) {
            return value;
        }
        System.err.println("infolink.heap must be a heap size as -Xmx takes it (512m, 2g), not '" + value + "'");
        System.exit(2);
        return null;
    }

    /** @param home the configuration home Tomcat was given, empty for the built-in demo */
    private static void printBanner(StockTomcat tomcat, String home, String address, String heap) {
        Path cwd = Path.of("").toAbsolutePath();
        Path base = relative(cwd, tomcat.catalinaBase());
        String banner = String.join(System.lineSeparator(),
                "",
                "================================================================================",
                " InfoLink is running in " + tomcat.catalinaHome().getFileName() + " (pid " + tomcat.pid()
                        + ", started in " + tomcat.startupDuration().toMillis() + " ms)",
                "   URL:       " + tomcat.baseUrl() + "/" + (address.equals("0.0.0.0")
                        ? "  (listening on every interface)" : "  (this machine only)"),
                "   Console:   " + tomcat.baseUrl() + "/admin/  (users and roles: -Dinfolink.users=<tomcat-users.xml>)",
                "   Heap:      -Xms" + heap + " -Xmx" + heap,
                home.isEmpty() ? "   Try:       curl -d '" + demoRequest() + "' \\" + System.lineSeparator()
                        + "                   " + tomcat.baseUrl() + "/api/v1/executeJob.jsp"
                        : "   Home:      " + home,
                "   Base:      " + base + "  (CATALINA_BASE; data/, logs/ and work/ are kept between runs)",
                "   Logs:      " + base.resolve("logs/catalina.out") + "  (Tomcat's console, also shown here)",
                "              " + base.resolve("logs/localhost_access_log.<date>.txt") + "  (written in batches)",
                "   Stop:      Ctrl-C (or SIGTERM to pid " + ProcessHandle.current().pid()
                        + "); Tomcat stops with it.",
                "================================================================================",
                "");
        System.out.println(banner);
        System.out.flush();
    }

    /** The original's documented call (CONTRACT section 8) with the demo key. */
    private static String demoRequest() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode request = json.createObjectNode();
        request.put("apiKey", DemoHome.DEMO_API_KEY);
        request.put("appId", "7");
        ObjectNode operation = request.putObject("operation");
        operation.put("opName", "RunScenario");
        ObjectNode opParams = operation.putObject("opParams");
        opParams.put("scenario", "Main");
        opParams.putObject("parameters");
        request.put("isAsync", false);
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path relative(Path cwd, Path path) {
        return path.startsWith(cwd) ? cwd.relativize(path) : path;
    }
}
