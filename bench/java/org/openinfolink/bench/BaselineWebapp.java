package org.openinfolink.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.openinfolink.bench.baseline.BaselineExecuteServlet;
import org.openinfolink.bench.baseline.BaselineStatusServlet;
import org.openinfolink.bench.baseline.BaselineSupport;
import org.openinfolink.tomcat.StockTomcat;

/**
 * The baseline webapp of the {@code small} part: the servlets of {@code org.openinfolink.bench.baseline}
 * (compiled from {@code bench/java}) as an exploded webapp, deployed next to the server's
 * {@code /infolink} in the same running Tomcat as the context {@value #CONTEXT}.
 *
 * <p>{@link StockTomcat} rebuilds its CATALINA_BASE at each start and deploys only the WAR, so the
 * baseline is added after the start: the webapp is built under {@code <output>/baseline-webapp}
 * ({@code WEB-INF/classes} with the baseline's classes only, {@code WEB-INF/lib} with the jars of
 * H2, Jackson and DBCP2 taken from the benchmark's own class path, and a {@code web.xml} that
 * carries the configuration), then a context file {@code conf/Catalina/localhost/baseline.xml}
 * naming it is moved into the base in one step. The stock {@code <Host autoDeploy="true">} deploys
 * it on its next background check (every 10 s); {@link #deploy} waits until it answers.
 */
final class BaselineWebapp {

    /** The baseline's context path. */
    static final String CONTEXT = "baseline";

    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration DEPLOY_POLL = Duration.ofMillis(250);

    /** Classes whose jars the baseline needs in WEB-INF/lib; an absent optional one is skipped. */
    private static final List<String> JAR_CLASSES = List.of(
            "org.h2.Driver",
            "com.fasterxml.jackson.core.JsonGenerator",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.annotation.JsonProperty",
            "org.apache.commons.dbcp2.BasicDataSource",
            "org.apache.commons.pool2.ObjectPool",
            "org.apache.commons.logging.Log");

    private BaselineWebapp() {
    }

    /**
     * Builds the webapp, deploys it into {@code tomcat} and waits until it answers.
     *
     * @param apiKeySha256 the hex SHA-256 of the one client's key
     * @param appId        the one app the client may use
     * @param scenario     the scenario name the baseline answers for
     * @param resultName   the result set's name
     * @param query        the scenario's query, run on the baseline's H2 database
     * @param stepTitle    the title of the scenario's one step, for the status document's trace
     * @param statusJobId  the id of the finished job the status servlet keeps
     * @return the baseline's root, {@code http://127.0.0.1:<port>/baseline}
     */
    static URI deploy(BenchOptions options, StockTomcat tomcat, String apiKeySha256, String appId, String scenario,
                      String resultName, String query, String stepTitle, String statusJobId) throws IOException, InterruptedException {
        Path webapp = options.outputDirectory().resolve("baseline-webapp");
        deleteTree(webapp);
        Path classes = webapp.resolve("WEB-INF/classes");
        Path lib = Files.createDirectories(webapp.resolve("WEB-INF/lib"));
        copyBaselineClasses(classes);
        for (String jar : jars()) {
            Path source = Path.of(jar);
            Files.copy(source, lib.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        // the baseline's own H2 file database, with the URL options of jdbc/infolink (tomcat-conf/infolink.xml)
        String jdbcUrl = "jdbc:h2:file:" + tomcat.catalinaBase().resolve("data/baseline/default")
                + ";DATABASE_TO_LOWER=TRUE;LAZY_QUERY_EXECUTION=TRUE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=64";
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("apiKeySha256", apiKeySha256);
        parameters.put("appId", appId);
        parameters.put("scenario", scenario);
        parameters.put("resultName", resultName);
        parameters.put("query", query);
        parameters.put("jdbcUrl", jdbcUrl);
        parameters.put("stepTitle", stepTitle);
        parameters.put("statusJobId", statusJobId);
        Files.writeString(webapp.resolve("WEB-INF/web.xml"), webXml(parameters), StandardCharsets.UTF_8);

        Path descriptors = tomcat.catalinaBase().resolve("conf/Catalina/localhost");
        Path pending = descriptors.resolve(CONTEXT + ".xml.pending");
        Files.writeString(pending, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Context docBase=\""
                + xml(webapp.toString()) + "\"/>\n", StandardCharsets.UTF_8);
        Files.move(pending, descriptors.resolve(CONTEXT + ".xml"), StandardCopyOption.ATOMIC_MOVE);

        URI root;
        try {
            root = new URI("http", null, "127.0.0.1", tomcat.httpPort(), "/" + CONTEXT, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        awaitDeployed(tomcat, URI.create(root + "/api/v1/getJobStatus.jsp"));
        return root;
    }

    /** Until the status servlet answers (401 without a key); a 404 means not deployed yet. */
    private static void awaitDeployed(StockTomcat tomcat, URI probe) throws IOException, InterruptedException {
        RawHttp http = new RawHttp();
        long deadline = System.nanoTime() + DEPLOY_TIMEOUT.toNanos();
        while (true) {
            RawHttp.Response response = http.get(probe, Map.of());
            String text = response.text();
            if (response.status() == 401) {
                return;
            }
            if (response.status() != 404) {
                throw new IllegalStateException("the baseline webapp answered HTTP " + response.status() + ": " + text
                        + "; see " + tomcat.catalinaOut());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the baseline webapp was not deployed within "
                        + DEPLOY_TIMEOUT.toSeconds() + " s; see " + tomcat.catalinaOut());
            }
            tomcat.pauseWhileRunning(DEPLOY_POLL);
        }
    }

    private static void copyBaselineClasses(Path classes) throws IOException {
        Path root;
        try {
            root = Path.of(BaselineSupport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String packagePath = BaselineSupport.class.getPackageName().replace('.', '/');
        Path from = root.resolve(packagePath);
        if (!Files.isDirectory(from)) {
            throw new IllegalStateException("the baseline's classes are not in a directory: " + from);
        }
        Path to = Files.createDirectories(classes.resolve(packagePath));
        int copied = 0;
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(".class")) {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    copied++;
                }
            }
        }
        if (copied < 3) {
            throw new IllegalStateException("only " + copied + " baseline classes in " + from);
        }
    }

    private static Set<String> jars() {
        Set<String> jars = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (String name : JAR_CLASSES) {
            try {
                Class<?> type = Class.forName(name, false, BaselineWebapp.class.getClassLoader());
                jars.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (ClassNotFoundException e) {
                missing.add(name);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        if (missing.size() > 1 || (missing.size() == 1 && !missing.get(0).startsWith("org.apache.commons.logging"))) {
            throw new IllegalStateException("not on the benchmark's class path: " + missing);
        }
        return jars;
    }

    private static String webXml(Map<String, String> parameters) {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
                """);
        parameters.forEach((name, value) -> xml.append("  <context-param><param-name>").append(name)
                .append("</param-name><param-value>").append(xml(value)).append("</param-value></context-param>\n"));
        xml.append("  <listener><listener-class>").append(BaselineSupport.class.getName())
                .append("</listener-class></listener>\n");
        servlet(xml, "execute", BaselineExecuteServlet.class.getName(), "/api/v1/executeJob.jsp");
        servlet(xml, "status", BaselineStatusServlet.class.getName(), "/api/v1/getJobStatus.jsp");
        return xml.append("</web-app>\n").toString();
    }

    private static void servlet(StringBuilder xml, String name, String className, String path) {
        xml.append("  <servlet><servlet-name>").append(name).append("</servlet-name><servlet-class>").append(className)
                .append("</servlet-class><load-on-startup>1</load-on-startup></servlet>\n")
                .append("  <servlet-mapping><servlet-name>").append(name).append("</servlet-name><url-pattern>")
                .append(path).append("</url-pattern></servlet-mapping>\n");
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
