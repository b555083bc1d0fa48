package org.openinfolink.http;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.AccessLogValve;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.apache.naming.factory.ResourceLinkFactory;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * An embedded Tomcat serving the real {@code src/main/webapp} (JSPs, web.xml) with the compiled
 * classes, at {@code /infolink} on a free loopback port, in the style of Tomcat's own
 * {@code TomcatBaseTest}. Everything it writes stays under {@code target/}.
 */
public final class EmbeddedServer implements AutoCloseable {

    public static final String CONTEXT_PATH = "/infolink";
    public static final String ACCESS_LOG_PATTERN =
            "%h %l %u %t \"%m %{org.openinfolink.accessLogPath}r%{org.openinfolink.accessLogQuery}r %H\" %s %b %D";

    /** Numbers the engines: Tomcat's naming tells contexts apart by engine, host and path. */
    private static final AtomicInteger ENGINES = new AtomicInteger();

    private final Tomcat tomcat = new Tomcat();
    private final Path baseDir;
    private final Context context;

    /**
     * Starts a server.
     *
     * @param home the configuration home, or null for the built-in demo
     */
    public EmbeddedServer(Path home) throws IOException, LifecycleException {
        this(home, context -> { });
    }

    /**
     * Starts a server after {@code beforeStart} has set up its context, e.g. with a container
     * DataSource resource.
     *
     * @param home the configuration home, or null for the built-in demo
     */
    public EmbeddedServer(Path home, Consumer<Context> beforeStart) throws IOException, LifecycleException {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target.resolve("embedded-tomcat"));
        baseDir = Files.createTempDirectory(target.resolve("embedded-tomcat"), "base");
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("localhost");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.enableNaming();
        // several servers may run in one JVM (cluster tests): each context's naming needs its own name
        tomcat.getEngine().setName("Tomcat-" + ENGINES.incrementAndGet());

        AccessLogValve accessLog = new AccessLogValve();
        accessLog.setDirectory(baseDir.resolve("logs").toString());
        accessLog.setPattern(ACCESS_LOG_PATTERN);
        accessLog.setBuffered(false);
        tomcat.getHost().getPipeline().addValve(accessLog);

        File webapp = new File("src/main/webapp").getAbsoluteFile();
        context = tomcat.addWebapp(CONTEXT_PATH, webapp.getPath());
        if (home != null) {
            context.addParameter("infolink.home", home.toString());
        }
        StandardRoot resources = new StandardRoot(context);
        resources.addPreResources(new DirResourceSet(resources, "/WEB-INF/classes",
                new File("target/classes").getAbsolutePath(), "/"));
        // test-only pages (src/test/webapp), e.g. one that fails on purpose
        resources.addPostResources(new DirResourceSet(resources, "/",
                new File("src/test/webapp").getAbsolutePath(), "/"));
        context.setResources(resources);
        ((StandardJarScanner) context.getJarScanner()).setScanManifest(false);
        beforeStart.accept(context);
        tomcat.start();
    }

    /**
     * Adds a user to the container's Realm (Tomcat's built-in in-memory one), as
     * {@code tomcat-users.xml} would; it counts from the next request on.
     */
    public EmbeddedServer addUser(String name, String password, String... roles) {
        tomcat.addUser(name, password);
        for (String role : roles) {
            tomcat.addRole(name, role);
        }
        return this;
    }

    /** Everything the access log holds so far. */
    public String accessLog() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(baseDir.resolve("logs"))) {
            for (Path file : files.sorted().toList()) {
                all.append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    /** Whether the web application started (false when its listener refused the configuration). */
    public boolean isAvailable() {
        return context.getState() == LifecycleState.STARTED;
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>/infolink} followed by {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + CONTEXT_PATH + path;
    }

    public Path baseDir() {
        return baseDir;
    }

    /**
     * Closes the web application's job registry as a stopping context does first, leaving the
     * context up. The web application has its own class loader, so this goes by reflection.
     */
    public void closeJobRegistry() throws ReflectiveOperationException {
        Object server = context.getServletContext().getAttribute("org.openinfolink.server");
        Object jobs = server.getClass().getMethod("jobs").invoke(server);
        jobs.getClass().getMethod("close").invoke(jobs);
    }

    /** Stops the web application only (its listener shuts the server down), keeping Tomcat up. */
    public void stopContext() throws LifecycleException {
        context.stop();
    }

    @Override
    public void close() throws LifecycleException {
        // Tomcat keeps one global naming context per JVM, the last started server's; a context
        // refuses to stop under another server's, so point it at this one's
        ResourceLinkFactory.setGlobalContext(tomcat.getServer().getGlobalNamingContext());
        tomcat.stop();
        tomcat.destroy();
    }
}
