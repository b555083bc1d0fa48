package org.openinfolink.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;
import org.junit.jupiter.api.Test;
import org.openinfolink.testsupport.ContainerPools;

/**
 * {@code GET /metrics} (CONTRACT 12.3): only for the container roles infolink-metrics and
 * infolink-admin by BASIC, in the Prometheus text format as a Prometheus parser reads it, with job,
 * API, pool, row and JVM figures that move when jobs run.
 */
class MetricsTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void onlyTheMetricsAndAdminRolesGetIn() throws Exception {
        ApiFixture fixture = new ApiFixture("metrics-roles", null);
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            server.addUser("prometheus", "scr4pe", "infolink-metrics");
            server.addUser("root", "r00t", "infolink-admin");
            server.addUser("viewer", "v1ew", "infolink-viewer");

            HttpResponse<String> anonymous = metrics(server, null, null);
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="),
                    anonymous.headers().toString());
            assertEquals(403, metrics(server, "viewer", "v1ew").statusCode(), "a user without the role");
            assertEquals(401, metrics(server, "prometheus", "wrong").statusCode(), "a wrong password");
            HttpResponse<String> withKey = http.send(HttpRequest.newBuilder(URI.create(server.url("/metrics?apiKey="
                    + fixture.allAppsKey))).header("X-API-Key", fixture.allAppsKey).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, withKey.statusCode(), "an API key opens nothing here");

            HttpResponse<String> scraper = metrics(server, "prometheus", "scr4pe");
            assertEquals(200, scraper.statusCode());
            assertEquals("text/plain;version=0.0.4;charset=utf-8",
                    scraper.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase());
            assertEquals(200, metrics(server, "root", "r00t").statusCode());
        }
    }

    @Test
    void countersMoveWhenJobsRunAndEveryPartIsThere() throws Exception {
        ApiFixture fixture = new ApiFixture("metrics-jobs", null);
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            server.addUser("prometheus", "scr4pe", "infolink-metrics");
            Api api = new Api(server);
            Map<String, String> companies = Map.of("app", "7", "scenario", "Companies");

            List<MetricFamily> before = scrape(server);
            double submittedBefore = value(before, "infolink_jobs_submitted_total", companies).orElse(0.0);
            double rowsBefore = value(before, "infolink_result_rows_total", Map.of()).orElseThrow();
            assertEquals(MetricType.GAUGE, family(before, "infolink_jobs_queued").getType());
            assertEquals(0.0, value(before, "infolink_jobs_running", Map.of()).orElseThrow());
            assertEquals(0.0, value(before, "infolink_jobs_queued", Map.of()).orElseThrow());

            for (int i = 0; i < 3; i++) {
                var run = Api.runScenario(fixture.app7Key, "7", "Companies", false);
                run.with("operation").with("opParams").with("parameters").put("country", "US");
                assertEquals("success", api.post("/api/v1/executeJob.jsp", run).status());
            }
            var failing = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "FailsHalfway",
                    false));
            assertEquals("JOB_FAILED", failing.code());
            assertEquals("INVALID_API_KEY", api.get("/api/v1/getJobs.jsp", Api.params("apiKey", "il_nope",
                    "appId", "7")).code());
            assertEquals("success", api.get("/api/v1/getJobs.jsp", Api.params("apiKey", fixture.app7Key,
                    "appId", "7")).status());

            List<MetricFamily> after = scrape(server);
            assertEquals(submittedBefore + 3, value(after, "infolink_jobs_submitted_total", companies).orElseThrow());
            assertEquals(3.0, value(after, "infolink_jobs_finished_total", Map.of("app", "7", "scenario", "Companies",
                    "status", "completed")).orElseThrow());
            assertEquals(1.0, value(after, "infolink_jobs_finished_total", Map.of("app", "7",
                    "scenario", "FailsHalfway", "status", "completedWithError")).orElseThrow());
            Histogram durations = (Histogram) metric(after, "infolink_jobs_duration_seconds", companies).orElseThrow();
            assertEquals(3, durations.getSampleCount());
            assertTrue(durations.getBuckets().size() > 5, "a histogram with buckets: " + durations.getBuckets());
            assertEquals(MetricType.HISTOGRAM, family(after, "infolink_jobs_duration_seconds").getType());
            assertEquals(3, durations.getBuckets().get(durations.getBuckets().size() - 1).getCumulativeCount());
            assertEquals(rowsBefore + 3 * 2 + 1, value(after, "infolink_result_rows_total", Map.of()).orElseThrow(),
                    "two companies thrice, and the set kept before the failure");

            assertEquals(3.0, value(after, "infolink_api_requests_total", Map.of("endpoint", "executeJob",
                    "code", "none")).orElseThrow());
            assertEquals(1.0, value(after, "infolink_api_requests_total", Map.of("endpoint", "executeJob",
                    "code", "JOB_FAILED")).orElseThrow());
            assertEquals(1.0, value(after, "infolink_api_requests_total", Map.of("endpoint", "getJobs",
                    "code", "INVALID_API_KEY")).orElseThrow());
            assertEquals(1.0, value(after, "infolink_api_requests_total", Map.of("endpoint", "getJobs",
                    "code", "none")).orElseThrow());

            Map<String, String> embedded = Map.of("pool", "embedded");
            assertEquals(16.0, value(after, "infolink_pool_connections_max", embedded).orElseThrow());
            assertTrue(value(after, "infolink_pool_connections_active", embedded).orElseThrow() >= 0);
            assertTrue(value(after, "infolink_pool_connections_idle", embedded).orElseThrow() >= 1,
                    "the jobs left idle connections");
            assertEquals(0.0, value(after, "infolink_pool_connections_waiting", embedded).orElseThrow());

            assertTrue(family(after, "jvm_memory_used_bytes").getMetrics().size() > 1, "memory by area and pool");
            assertTrue(value(after, "jvm_threads_live_threads", Map.of()).orElseThrow() > 5);
            assertTrue(after.stream().anyMatch(f -> f.getName().startsWith("jvm_gc_")), "GC metrics");
        }
    }

    @Test
    void theJobsRunningAndQueuedAreGauges() throws Exception {
        ApiFixture fixture = new ApiFixture("metrics-gauges", "jobs:\n  maxConcurrent: 1\n");
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path())) {
            server.addUser("prometheus", "scr4pe", "infolink-metrics");
            Api api = new Api(server);
            String slow = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Slow", true))
                    .result().path("jobId").asText();
            String queued = api.post("/api/v1/executeJob.jsp", Api.runScenario(fixture.app7Key, "7", "Slow", true))
                    .result().path("jobId").asText();
            api.awaitState(fixture.app7Key, "7", slow, "running", Duration.ofSeconds(30));

            List<MetricFamily> busy = scrape(server);
            assertEquals(1.0, value(busy, "infolink_jobs_running", Map.of()).orElseThrow());
            assertEquals(1.0, value(busy, "infolink_jobs_queued", Map.of()).orElseThrow());
            assertTrue(value(busy, "infolink_pool_connections_active", Map.of("pool", "embedded")).orElseThrow() >= 1,
                    "the running job holds a connection");

            api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7", "jobId", queued));
            api.get("/api/v1/stopJob.jsp", Api.params("apiKey", fixture.app7Key, "appId", "7", "jobId", slow));
            api.awaitFinished(fixture.app7Key, "7", slow, Duration.ofSeconds(30));
            api.awaitFinished(fixture.app7Key, "7", queued, Duration.ofSeconds(30));
            assertEquals(0.0, value(scrape(server), "infolink_jobs_running", Map.of()).orElseThrow());
            assertEquals(1.0, value(scrape(server), "infolink_jobs_finished_total", Map.of("app", "7",
                    "scenario", "Slow", "status", "stopped")).orElseThrow(), "the running one ran here and stopped");
        }
    }

    @Test
    void aContainerPoolIsMeasuredThroughItsMxBeanInterface() throws Exception {
        ApiFixture fixture = new ApiFixture("metrics-container", null);
        String url = "jdbc:h2:mem:metrics_container;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
        try (EmbeddedServer server = new EmbeddedServer(fixture.home.path(),
                context -> ContainerPools.addH2Infolink(context, url, 5))) {
            server.addUser("prometheus", "scr4pe", "infolink-metrics");
            Api api = new Api(server);
            var run = Api.runScenario(fixture.app7Key, "7", "Companies", false);
            run.with("operation").with("opParams").with("parameters").put("country", "DE");
            assertEquals("success", api.post("/api/v1/executeJob.jsp", run).status());

            List<MetricFamily> metrics = scrape(server);
            Map<String, String> container = Map.of("pool", "jdbc/infolink");
            assertEquals(5.0, value(metrics, "infolink_pool_connections_max", container).orElseThrow());
            assertTrue(value(metrics, "infolink_pool_connections_idle", container).orElseThrow() >= 1,
                    "the job store and the job used it");
            assertEquals(0.0, value(metrics, "infolink_pool_connections_active", container).orElseThrow());
            assertFalse(value(metrics, "infolink_pool_connections_waiting", container).isPresent(),
                    "the MXBean interface does not tell waiting callers");
            assertEquals(16.0, value(metrics, "infolink_pool_connections_max", Map.of("pool", "embedded"))
                    .orElseThrow(), "the embedded pool is still there");
        }
    }

    private HttpResponse<String> metrics(EmbeddedServer server, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url("/metrics"))).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The metrics as a Prometheus text-format parser reads them. */
    private List<MetricFamily> scrape(EmbeddedServer server) throws Exception {
        HttpResponse<String> response = metrics(server, "prometheus", "scr4pe");
        assertEquals(200, response.statusCode(), response.body());
        CollectorPrometheusMetricsWalker walker = new CollectorPrometheusMetricsWalker();
        new TextPrometheusMetricsProcessor(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)),
                walker).walk();
        return walker.getAllMetricFamilies();
    }

    private static MetricFamily family(List<MetricFamily> families, String name) {
        return families.stream().filter(f -> f.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private static Optional<Metric> metric(List<MetricFamily> families, String name, Map<String, String> labels) {
        return families.stream().filter(f -> f.getName().equals(name)).flatMap(f -> f.getMetrics().stream())
                .filter(m -> m.getLabels().entrySet().containsAll(labels.entrySet())).findFirst();
    }

    private static Optional<Double> value(List<MetricFamily> families, String name, Map<String, String> labels) {
        return metric(families, name, labels).map(m -> m instanceof Counter c ? c.getValue()
                : m instanceof Gauge g ? g.getValue() : Double.NaN);
    }
}
