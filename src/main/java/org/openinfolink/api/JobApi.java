package org.openinfolink.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.openinfolink.auth.Client;
import org.openinfolink.engine.ScenarioParameters;
import org.openinfolink.job.Job;
import org.openinfolink.job.JobRequest;
import org.openinfolink.job.JobState;
import org.openinfolink.job.JobWork;
import org.openinfolink.job.StopOutcome;
import org.openinfolink.json.Json;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.InvalidOperationException;
import org.openinfolink.scenario.Operation;
import org.openinfolink.scenario.OperationParser;
import org.openinfolink.scenario.OperationType;
import org.openinfolink.scenario.ParameterDefinition;
import org.openinfolink.scenario.Scenario;
import org.openinfolink.scenario.ScenarioChecker;
import org.openinfolink.scenario.ScenarioEntry;
import org.openinfolink.server.InfoLinkServer;

/**
 * The job API (CONTRACT section 2). Each public method is the whole of one JSP under
 * {@code /api/v1/}: it reads the request, runs the checks in the contract's order (method and size,
 * JSON, apiKey present, key valid, appId present, access to the app, the rest), calls the job
 * registry and writes the answer. Every failure is answered as the error envelope.
 */
public final class JobApi {

    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final int DEFAULT_LIST_LIMIT = 50;
    private static final int MAX_LIST_LIMIT = 500;
    private static final Set<String> STATUS_NAMES =
            Set.of("running", "completed", "completedWithError", "stopped");

    private final InfoLinkServer server;
    private final ApiResponder responder;

    private JobApi(InfoLinkServer server, ApiResponder responder) {
        this.server = server;
        this.responder = responder;
    }

    /** {@code POST /api/v1/executeJob.jsp}. */
    public static void executeJob(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "executeJob", JobApi::executeJob, true);
    }

    /** {@code GET|POST /api/v1/getJobStatus.jsp}. */
    public static void getJobStatus(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "getJobStatus", JobApi::getJobStatus, false);
    }

    /** {@code GET|POST /api/v1/stopJob.jsp} and {@code /api/v1/stop.jsp}. */
    public static void stopJob(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "stopJob", JobApi::stopJob, false);
    }

    /** Extension: {@code GET|POST /api/v1/getScenarios.jsp}. */
    public static void getScenarios(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "getScenarios", JobApi::getScenarios, false);
    }

    /** Extension: {@code GET|POST /api/v1/getJobs.jsp}. */
    public static void getJobs(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "getJobs", JobApi::getJobs, false);
    }

    @FunctionalInterface
    private interface Endpoint {
        void answer(JobApi api, ApiRequest request, HttpServletResponse response) throws IOException;
    }

    private static void handle(ServletContext context, HttpServletRequest request, HttpServletResponse response,
                               String name, Endpoint endpoint, boolean postOnly) throws IOException {
        InfoLinkServer server = (InfoLinkServer) context.getAttribute(InfoLinkServer.ATTRIBUTE);
        ApiResponder responder = ApiResponder.of(server);
        try {
            if (server == null || server.jobs().isShuttingDown()) {
                throw new ApiException(ErrorCode.SHUTTING_DOWN, "The server is shutting down. Retry later.");
            }
            String method = request.getMethod();
            boolean allowed = postOnly ? method.equals("POST") : method.equals("GET") || method.equals("POST");
            if (!allowed) {
                throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, name + ".jsp does not accept " + method
                        + "; use " + (postOnly ? "POST" : "GET or POST") + ".");
            }
            ApiRequest apiRequest = ApiRequest.read(request, server.settings().api().maxRequestBytes(), postOnly);
            endpoint.answer(new JobApi(server, responder), apiRequest, response);
        } catch (ApiException e) {
            if (response.isCommitted()) {
                throw new IOException("Answer of " + name + " broken off: " + e.getMessage(), e);
            }
            response.resetBuffer();
            responder.error(response, e);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            responder.internalError(response, e, name);
        }
    }

    // ---- executeJob --------------------------------------------------------------------------

    private void executeJob(ApiRequest request, HttpServletResponse response) throws IOException {
        Client client = authenticate(request);
        App app = appFor(request, client);
        boolean isAsync = request.bool("isAsync", true);
        boolean noResultSchema = request.bool("noResultSchema", false);
        String jobId = jobIdOf(request);

        JsonNode operationNode = request.body().get("operation");
        if (operationNode == null || operationNode.isNull()) {
            throw ApiException.missing("operation");
        }
        if (!operationNode.isObject()) {
            throw ApiException.invalid("operation must be an object like {\"opName\": \"RunScenario\", "
                    + "\"opParams\": {...}}.");
        }
        JsonNode opNameNode = operationNode.get("opName");
        if (opNameNode == null || opNameNode.isNull() || opNameNode.asText().isEmpty()) {
            throw ApiException.missing("operation.opName");
        }
        if (!opNameNode.isTextual()) {
            throw ApiException.invalid("operation.opName must be a string.");
        }
        String opName = opNameNode.asText();
        OperationType type = OperationType.byName(opName).orElseThrow(() ->
                new ApiException(ErrorCode.UNKNOWN_OPERATION, "Unknown operation '" + opName + "'."));
        if (!client.mayRun(type)) {
            throw new ApiException(ErrorCode.OPERATION_NOT_ALLOWED, "Operation '" + opName
                    + "' is not allowed for this API key.");
        }
        if (!app.isValid()) {
            throw new ApiException(ErrorCode.SCENARIO_INVALID, "App '" + app.id() + "' is invalid: "
                    + app.invalidReason());
        }
        JsonNode opParams = operationNode.get("opParams");
        JobRequest jobRequest = type == OperationType.RUN_SCENARIO
                ? scenarioJob(app, client, jobId, opParams, operationNode)
                : operationJob(app, client, jobId, type, opParams, operationNode);

        Job job = server.jobs().submit(jobRequest);
        if (isAsync) {
            responder.success(response, (json, out) -> json.writeStringField("jobId", job.id()));
            return;
        }
        answerWhenFinished(job, noResultSchema, response);
    }

    private JobRequest scenarioJob(App app, Client client, String jobId, JsonNode opParams, JsonNode operation) {
        if (opParams != null && !opParams.isNull() && !opParams.isObject()) {
            throw ApiException.invalid("operation.opParams must be an object.");
        }
        JsonNode scenarioNode = opParams == null ? null : opParams.get("scenario");
        if (scenarioNode == null || scenarioNode.isNull() || scenarioNode.asText().isEmpty()) {
            throw ApiException.missing("operation.opParams.scenario");
        }
        String scenarioName = scenarioNode.asText();
        ScenarioEntry entry = app.scenario(scenarioName).orElseThrow(() -> new ApiException(
                ErrorCode.SCENARIO_NOT_FOUND, "Scenario '" + scenarioName + "' not found in app '" + app.id() + "'."));
        if (!entry.isValid()) {
            throw new ApiException(ErrorCode.SCENARIO_INVALID, "Scenario '" + scenarioName + "' is invalid: "
                    + entry.invalidReason() + ".");
        }
        for (Map.Entry<String, JsonNode> field : opParams.properties()) {
            if (!field.getKey().equals("scenario") && !field.getKey().equals("parameters")) {
                throw ApiException.invalid("operation.opParams has an unknown field '" + field.getKey()
                        + "'; RunScenario takes scenario and parameters.");
            }
        }
        JsonNode parametersNode = opParams.get("parameters");
        Map<String, JsonNode> given = new LinkedHashMap<>();
        if (parametersNode != null && !parametersNode.isNull()) {
            if (!parametersNode.isObject()) {
                throw ApiException.invalid("operation.opParams.parameters must be an object.");
            }
            parametersNode.properties().forEach(field -> given.put(field.getKey(), field.getValue()));
        }
        Scenario scenario = entry.scenario();
        Map<String, Object> parameters;
        try {
            parameters = ScenarioParameters.convert(scenario, given);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
        int timeoutSeconds = scenario.timeoutSeconds() != null
                ? scenario.timeoutSeconds() : server.settings().jobs().defaultTimeoutSeconds();
        JobWork work = execution -> server.engine().runScenario(app, scenario, parameters, execution);
        return new JobRequest(app.id(), jobId, client.name(), scenarioName, OperationType.RUN_SCENARIO.opName(),
                fingerprint(operation), Duration.ofSeconds(timeoutSeconds), work);
    }

    private JobRequest operationJob(App app, Client client, String jobId, OperationType type, JsonNode opParams,
                                    JsonNode operation) {
        Operation parsed;
        try {
            parsed = OperationParser.parse(type, opParams);
            Set<String> names = new HashSet<>(app.variables().keySet());
            ScenarioChecker.forApp(app, server.dataSources().defaultDialect()).check(parsed, names);
        } catch (InvalidOperationException e) {
            throw ApiException.invalid("Operation '" + type.opName() + "' is invalid: " + e.getMessage() + ".");
        }
        if (parsed instanceof Operation.RunScenario) {
            throw new IllegalStateException("RunScenario is not a direct operation");
        }
        Operation direct = parsed;
        JobWork work = execution -> server.engine().runOperation(app, direct, execution);
        return new JobRequest(app.id(), jobId, client.name(), null, type.opName(), fingerprint(operation),
                Duration.ofSeconds(server.settings().jobs().defaultTimeoutSeconds()), work);
    }

    private void answerWhenFinished(Job job, boolean noResultSchema, HttpServletResponse response) throws IOException {
        boolean finished;
        try {
            finished = job.awaitFinished(Duration.ofSeconds(server.settings().jobs().syncTimeoutSeconds()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            responder.error(response, ErrorCode.SYNC_TIMEOUT, "Job '" + job.id() + "' is still running after "
                    + server.settings().jobs().syncTimeoutSeconds() + " seconds; poll getJobStatus.jsp for its"
                    + " outcome.", (json, out) -> json.writeStringField("jobId", job.id()));
            return;
        }
        Job.Snapshot snapshot = job.snapshot();
        if (snapshot.state() == JobState.COMPLETED) {
            responder.success(response, (json, out) -> {
                JobViews.writeResults(json, out, snapshot.results(), noResultSchema);
                json.writeStringField("jobId", job.id());
            });
            return;
        }
        ErrorCode code = snapshot.state() == JobState.STOPPED ? ErrorCode.JOB_STOPPED : ErrorCode.JOB_FAILED;
        responder.error(response, code, snapshot.message(), (json, out) -> {
            json.writeStringField("jobId", job.id());
            JobViews.writeResults(json, out, snapshot.results(), noResultSchema);
        });
    }

    // ---- getJobStatus, stopJob ---------------------------------------------------------------

    private void getJobStatus(ApiRequest request, HttpServletResponse response) throws IOException {
        Job job = jobFor(request);
        boolean noResultSchema = request.bool("noResultSchema", false);
        Job.Snapshot snapshot = job.snapshot();
        responder.success(response, (json, out) -> JobViews.writeStatus(json, out, job, snapshot, true,
                noResultSchema));
    }

    private void stopJob(ApiRequest request, HttpServletResponse response) throws IOException {
        Job job = jobFor(request);
        StopOutcome outcome = server.jobs().stop(job);
        responder.success(response, (json, out) -> {
            json.writeStringField("status", outcome.text());
            json.writeStringField("jobId", job.id());
        });
    }

    private Job jobFor(ApiRequest request) {
        Client client = authenticate(request);
        App app = appFor(request, client);
        String jobId = request.requiredText("jobId", false);
        return server.jobs().find(app.id(), jobId).orElseThrow(() -> new ApiException(ErrorCode.JOB_NOT_FOUND,
                "Job '" + jobId + "' not found in app '" + app.id() + "'."));
    }

    // ---- extensions: getScenarios, getJobs ---------------------------------------------------

    private void getScenarios(ApiRequest request, HttpServletResponse response) throws IOException {
        Client client = authenticate(request);
        App app = appFor(request, client);
        responder.success(response, (json, out) -> {
            json.writeStringField("appId", app.id());
            json.writeStringField("name", app.name());
            if (!app.isValid()) {
                json.writeStringField("invalid", app.invalidReason());
            }
            json.writeArrayFieldStart("scenarios");
            for (ScenarioEntry entry : app.scenarios().values()) {
                json.writeStartObject();
                json.writeStringField("name", entry.name());
                json.writeStringField("description", entry.description());
                json.writeArrayFieldStart("parameters");
                for (ParameterDefinition parameter : entry.parameters().values()) {
                    json.writeStartObject();
                    json.writeStringField("name", parameter.name());
                    json.writeStringField("type", parameter.type().typeName());
                    json.writeBooleanField("required", parameter.required());
                    json.writeStringField("default", parameter.defaultText());
                    json.writeEndObject();
                }
                json.writeEndArray();
                if (!entry.isValid()) {
                    json.writeStringField("invalid", entry.invalidReason());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private void getJobs(ApiRequest request, HttpServletResponse response) throws IOException {
        Client client = authenticate(request);
        App app = appFor(request, client);
        String status = request.text("status", false);
        if (status != null && !STATUS_NAMES.contains(status)) {
            throw ApiException.invalid("status must be one of " + new TreeSet<>(STATUS_NAMES) + ".");
        }
        String scenario = request.text("scenario", false);
        int limit = integer(request, "limit", DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
        String after = request.text("after", false);
        Long before = null;
        if (after != null) {
            if (!after.matches("\\d{1,18}")) {
                throw ApiException.invalid("after must be the next cursor of an earlier getJobs answer.");
            }
            before = Long.parseLong(after);
        }
        Predicate<Job> filter = job -> (status == null || job.state().statusName().equals(status))
                && (scenario == null || scenario.equals(job.request().scenarioName()));
        List<Job> page = server.jobs().list(app.id(), filter, before, limit + 1);
        boolean more = page.size() > limit;
        List<Job> jobs = more ? page.subList(0, limit) : page;
        responder.success(response, (json, out) -> {
            json.writeArrayFieldStart("jobs");
            for (Job job : jobs) {
                json.writeStartObject();
                JobViews.writeStatus(json, out, job, job.snapshot(), false, true);
                json.writeEndObject();
            }
            json.writeEndArray();
            if (more) {
                json.writeStringField("next", Long.toString(jobs.get(jobs.size() - 1).sequence()));
            }
        });
    }

    // ---- shared checks -----------------------------------------------------------------------

    private Client authenticate(ApiRequest request) {
        String apiKey = request.apiKey();
        if (apiKey == null) {
            throw ApiException.missing("apiKey");
        }
        return server.verifier().verify(apiKey).orElseThrow(() ->
                new ApiException(ErrorCode.INVALID_API_KEY, "Invalid API key."));
    }

    /**
     * The app named by {@code appId}. A key limited to some apps learns nothing about others: for
     * it, an unknown app and a forbidden one both answer ACCESS_DENIED.
     */
    private App appFor(ApiRequest request, Client client) {
        String appId = request.requiredText("appId", true);
        if (!client.mayUseApp(appId)) {
            throw new ApiException(ErrorCode.ACCESS_DENIED, "This API key has no access to app '" + appId + "'.");
        }
        App app = server.apps().get(appId);
        if (app == null) {
            throw new ApiException(ErrorCode.APP_NOT_FOUND, "App '" + appId + "' not found.");
        }
        return app;
    }

    private static String jobIdOf(ApiRequest request) {
        JsonNode node = request.body().get("jobId");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || !JOB_ID.matcher(node.asText()).matches()) {
            throw ApiException.invalid("jobId must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        return node.asText();
    }

    private static int integer(ApiRequest request, String name, int defaultValue, int min, int max) {
        JsonNode node = request.body().get(name);
        String text = node != null && !node.isNull() ? node.asText() : request.text(name, false);
        if (text == null) {
            return defaultValue;
        }
        if (!text.matches("\\d{1,9}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            throw ApiException.invalid(name + " must be an integer from " + min + " to " + max + ".");
        }
        return Integer.parseInt(text);
    }

    /** The operation with its object keys sorted: two requests are the same if these are equal. */
    private static String fingerprint(JsonNode operation) {
        return canonical(operation).toString();
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = Json.mapper().createObjectNode();
            new TreeSet<>(iterableNames(node)).forEach(name -> sorted.set(name, canonical(node.get(name))));
            return sorted;
        }
        if (node.isArray()) {
            var array = Json.mapper().createArrayNode();
            node.forEach(element -> array.add(canonical(element)));
            return array;
        }
        return node;
    }

    private static List<String> iterableNames(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }
}
