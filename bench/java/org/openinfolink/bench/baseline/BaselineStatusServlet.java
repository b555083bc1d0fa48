package org.openinfolink.bench.baseline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Baseline (b) of the {@code small} part: {@code GET getJobStatus.jsp} of a finished job, done by a
 * bare servlet. At start it runs the scenario's query once and keeps one finished job (the id of
 * the context parameter {@code statusJobId}) in an in-memory map, as plain maps and lists; each
 * call checks the API key ({@link BaselineSupport#keyAccepted}: SHA-256 of the key compared with
 * the stored hash) and the app, looks the job up and writes the server's status document
 * ({@code jobId}, {@code appId}, {@code scenario}, {@code status}, {@code state}, the three times,
 * {@code attempt}, the one step's {@code trace} and {@code results}, in the server's order) in the
 * envelope with Jackson. No job
 * store: the floor for "a status call". Thread safe.
 */
public final class BaselineStatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final Map<String, Map<String, Object>> jobs = new ConcurrentHashMap<>();

    @Override
    public void init() throws ServletException {
        BaselineSupport support = BaselineSupport.of(getServletContext());
        String jobId = getServletContext().getInitParameter("statusJobId");
        Instant submitted = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Object> results;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JsonGenerator json = BaselineSupport.MAPPER.getFactory().createGenerator(bytes)) {
                json.writeStartArray();
                support.writeResultSet(json);
                json.writeEndArray();
            }
            results = BaselineSupport.MAPPER.readValue(bytes.toByteArray(), new TypeReference<List<Object>>() { });
        } catch (IOException | SQLException e) {
            throw new ServletException("the baseline's query failed", e);
        }
        Instant finished = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("step", "1");
        step.put("title", getServletContext().getInitParameter("stepTitle"));
        step.put("opName", "Transform");
        step.put("outcome", "completed");
        step.put("startedAt", submitted.toString());
        step.put("finishedAt", finished.toString());
        step.put("rows", rowCount(results));
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("jobId", jobId);
        job.put("appId", support.appId());
        job.put("scenario", support.scenario());
        job.put("status", "completed");
        job.put("state", "completed");
        job.put("submittedAt", submitted.toString());
        job.put("startedAt", submitted.toString());
        job.put("finishedAt", finished.toString());
        job.put("attempt", 1);
        job.put("trace", List.of(step));
        job.put("results", results);
        jobs.put(jobId, job);
    }

    @SuppressWarnings("unchecked")
    private static int rowCount(List<Object> results) {
        Map<String, Object> set = (Map<String, Object>) results.get(0);
        return ((List<Object>) ((Map<String, Object>) set.get("result")).get("records")).size();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        BaselineSupport support = BaselineSupport.of(getServletContext());
        if (!support.keyAccepted(request.getHeader(BaselineSupport.apiKeyHeader()), request.getParameter("apiKey"))) {
            BaselineSupport.error(response, 401, "UNAUTHORIZED", "Unknown API key.");
            return;
        }
        if (!support.appId().equals(request.getParameter("appId"))) {
            BaselineSupport.error(response, 403, "APP_NOT_ALLOWED", "The client may not use this app.");
            return;
        }
        String jobId = request.getParameter("jobId");
        Map<String, Object> job = jobId == null ? null : jobs.get(jobId);
        if (job == null) {
            BaselineSupport.error(response, 404, "JOB_NOT_FOUND", "No such job.");
            return;
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("result", job);
        envelope.put("status", "success");
        response.setStatus(200);
        response.setContentType("application/json;charset=UTF-8");
        BaselineSupport.MAPPER.writeValue(response.getOutputStream(), envelope);
    }
}
