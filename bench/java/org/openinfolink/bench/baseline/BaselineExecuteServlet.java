package org.openinfolink.bench.baseline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Baseline (a) of the {@code small} part: {@code POST executeJob.jsp} with {@code "isAsync": false}
 * of the one scenario, done on the request thread by a bare servlet. It reads the JSON body with
 * Jackson, checks the API key ({@link BaselineSupport#keyAccepted}), the app and the scenario, runs
 * the scenario's query through its own DBCP2 pool on an H2 file database and writes the server's
 * sync answer, {@code {"result": {"results": [{"name", "result": {"schema", "records"}}], "jobId"},
 * "status": "success"}}, with Jackson straight from the cursor. No job, no job store, no queue:
 * the floor for "a small sync call". Stateless; thread safe.
 */
public final class BaselineExecuteServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        BaselineSupport support = BaselineSupport.of(getServletContext());
        JsonNode body = BaselineSupport.MAPPER.readTree(request.getInputStream());
        if (body == null || !body.isObject()) {
            BaselineSupport.error(response, 400, "BAD_REQUEST", "The body must be a JSON object.");
            return;
        }
        if (!support.keyAccepted(request.getHeader(BaselineSupport.apiKeyHeader()), body.path("apiKey").asText(null))) {
            BaselineSupport.error(response, 401, "UNAUTHORIZED", "Unknown API key.");
            return;
        }
        if (!support.appId().equals(body.path("appId").asText(null))) {
            BaselineSupport.error(response, 403, "APP_NOT_ALLOWED", "The client may not use this app.");
            return;
        }
        JsonNode operation = body.path("operation");
        if (!"RunScenario".equals(operation.path("opName").asText(null))
                || !support.scenario().equals(operation.path("opParams").path("scenario").asText(null))) {
            BaselineSupport.error(response, 400, "UNKNOWN_SCENARIO", "The baseline runs one scenario only.");
            return;
        }
        if (body.path("isAsync").asBoolean(true)) {
            BaselineSupport.error(response, 400, "BAD_REQUEST", "The baseline answers sync calls only.");
            return;
        }
        String jobId = body.hasNonNull("jobId") ? body.get("jobId").asText() : UUID.randomUUID().toString();
        response.setStatus(200);
        response.setContentType("application/json;charset=UTF-8");
        try (JsonGenerator json = BaselineSupport.MAPPER.getFactory().createGenerator(response.getOutputStream())) {
            json.writeStartObject();
            json.writeObjectFieldStart("result");
            json.writeArrayFieldStart("results");
            support.writeResultSet(json);
            json.writeEndArray();
            json.writeStringField("jobId", jobId);
            json.writeEndObject();
            json.writeStringField("status", "success");
            json.writeEndObject();
        } catch (SQLException e) {
            // the answer has begun: a broken document is what the client sees, as with a failure half-way
            throw new IOException("the baseline's query failed", e);
        }
    }
}
