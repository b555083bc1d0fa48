package org.openinfolink.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.openinfolink.job.JobRegistry;
import org.openinfolink.job.JobStore;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.json.Json;
import org.openinfolink.server.InfoLinkServer;

/**
 * {@code GET /health} (CONTRACT section 12.2), for load balancers and Kubernetes probes: HTTP 200
 * with {@code "status": "UP"} when this node can take jobs, else 503 with {@code "DOWN"} and the
 * check that failed, and every node of the job store with its heartbeat age and the jobs it runs.
 * It needs no authentication and names no secret. Every call checks for real: the server is
 * running and not shutting down, and the job store answers a query now.
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        InfoLinkServer server = (InfoLinkServer) getServletContext().getAttribute(InfoLinkServer.ATTRIBUTE);
        String accepting = server == null ? "the server is not running"
                : server.jobs().isShuttingDown() ? "the server is shutting down" : null;
        String store = null;
        Integer queued = null;
        List<JobStore.NodeInfo> nodes = List.of();
        long storeMillis = -1;
        if (server != null) {
            long started = System.nanoTime();
            try {
                queued = server.jobs().queuedCount();
                storeMillis = (System.nanoTime() - started) / 1_000_000;
                nodes = server.jobs().nodes();
            } catch (StoreUnavailableException e) {
                store = e.getMessage();
                storeMillis = (System.nanoTime() - started) / 1_000_000;
            }
        }
        boolean up = accepting == null && store == null;
        response.setStatus(up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        try (JsonGenerator json = Json.generator(response.getOutputStream())) {
            json.writeStartObject();
            json.writeStringField("status", up ? "UP" : "DOWN");
            if (server != null) {
                JobRegistry jobs = server.jobs();
                json.writeStringField("node", jobs.nodeId());
                json.writeNumberField("runningJobs", jobs.runningCount());
                if (queued != null) {
                    json.writeNumberField("queuedJobs", queued);
                }
            }
            json.writeArrayFieldStart("nodes");
            for (JobStore.NodeInfo node : nodes) {
                json.writeStartObject();
                json.writeStringField("node", node.nodeId());
                json.writeNumberField("heartbeatAgeMillis", node.heartbeatAgeMillis());
                json.writeNumberField("runningJobs", node.runningJobs());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("checks");
            check(json, "accepting", accepting, -1);
            check(json, "store", server == null ? "the server is not running" : store, storeMillis);
            json.writeEndObject();
            json.writeEndObject();
        }
    }

    private static void check(JsonGenerator json, String name, String failure, long millis) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeStringField("status", failure == null ? "UP" : "DOWN");
        if (failure != null) {
            json.writeStringField("reason", failure);
        }
        if (millis >= 0) {
            json.writeNumberField("millis", millis);
        }
        json.writeEndObject();
    }
}
