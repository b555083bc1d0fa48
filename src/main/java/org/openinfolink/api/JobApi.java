package org.openinfolink.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openinfolink.audit.AuditAction;
import org.openinfolink.audit.AuditEntry;
import org.openinfolink.auth.AuthenticationException;
import org.openinfolink.auth.Client;
import org.openinfolink.engine.JobPlan;
import org.openinfolink.engine.RequestRejectedException;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.job.JobQuery;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobRefusedException;
import org.openinfolink.job.JobRequest;
import org.openinfolink.job.JobState;
import org.openinfolink.job.ResultInfo;
import org.openinfolink.job.StopOutcome;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.json.Json;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.OperationType;
import org.openinfolink.scenario.ParameterDefinition;
import org.openinfolink.scenario.ScenarioEntry;
import org.openinfolink.server.InfoLinkServer;

/**
 * The job API (CONTRACT section 2). Each public method is the whole of one JSP under
 * {@code /api/v1/}: it reads the request, runs the checks in the contract's order (method and size,
 * JSON, apiKey present, key valid, appId present, access to the app, the rest), calls the job
 * registry and writes the answer. Every failure is answered as the error envelope.
 *
 * <p>Every {@code executeJob} and {@code stopJob} call, and every call whose authentication is
 * refused, is recorded in the audit trail ({@link CallAudit}).
 */
public final class JobApi {

    private static final Logger LOG = Logger.getLogger(JobApi.class.getName());
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final int DEFAULT_LIST_LIMIT = 50;
    private static final int MAX_LIST_LIMIT = 500;
    private static final Set<String> STATUS_NAMES =
            Set.of("running", "completed", "completedWithError", "stopped");

    private final InfoLinkServer server;
    private final ApiResponder responder;
    private final CallAudit audit;

    private JobApi(InfoLinkServer server, ApiResponder responder, CallAudit audit) {
        this.server = server;
        this.responder = responder;
        this.audit = audit;
    }

    /** {@code POST /api/v1/executeJob.jsp}. */
    public static void executeJob(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "executeJob", AuditAction.EXECUTE_JOB, JobApi::executeJob, true);
    }

    /** {@code GET|POST /api/v1/getJobStatus.jsp}. */
    public static void getJobStatus(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "getJobStatus", null, JobApi::getJobStatus, false);
    }

    /** {@code GET|POST /api/v1/stopJob.jsp} and {@code /api/v1/stop.jsp}. */
    public static void stopJob(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "stopJob", AuditAction.STOP_JOB, JobApi::stopJob, false);
    }

    /** Extension: {@code GET|POST /api/v1/getScenarios.jsp}. */
    public static void getScenarios(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "getScenarios", null, JobApi::getScenarios, false);
    }

    /** Extension: {@code GET|POST /api/v1/getJobs.jsp}. */
    public static void getJobs(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "getJobs", null, JobApi::getJobs, false);
    }

    /** Extension: {@code GET|POST /api/v1/getSchedules.jsp}. */
    public static void getSchedules(ServletContext context, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        handle(context, request, response, "getSchedules", null, JobApi::getSchedules, false);
    }

    @FunctionalInterface
    private interface Endpoint {
        void answer(JobApi api, ApiRequest request, HttpServletResponse response) throws IOException;
    }

    /**
     * Runs one endpoint.
     *
     * @param auditAction what the audit trail records of every call, or null when it records only a
     *                    refused authentication
     */
    private static void handle(ServletContext context, HttpServletRequest request, HttpServletResponse response,
                               String name, AuditAction auditAction, Endpoint endpoint, boolean postOnly)
            throws IOException {
        InfoLinkServer server = (InfoLinkServer) context.getAttribute(InfoLinkServer.ATTRIBUTE);
        ApiResponder responder = ApiResponder.of(server);
        CallAudit audit = new CallAudit(server == null ? null : server.audit(), name, auditAction,
                request.getRemoteAddr());
        if (server != null) {
            server.callStarted();
        }
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
            audit.request(apiRequest);
            endpoint.answer(new JobApi(server, responder, audit), apiRequest, response);
        } catch (ApiException | AuthenticationException | JobRefusedException | RequestRejectedException
                 | StoreUnavailableException e) {
            if (e instanceof AuthenticationException) {
                audit.authenticationRefused();
            }
            ApiException refusal = ApiErrors.of(e);
            if (refusal instanceof MalformedRequestException malformed) {
                answerMalformed(request, response, responder, name, malformed);
                return;
            }
            if (response.isCommitted()) {
                throw new IOException("Answer of " + name + " broken off: " + refusal.getMessage(), e);
            }
            response.resetBuffer();
            responder.error(response, refusal);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            responder.internalError(response, e, name);
        } finally {
            if (server != null) {
                audit.finish(responder.answeredCode());
                server.metrics().apiRequest(name, responder.answeredCode());
                server.callEnded();
            }
        }
    }

    /**
     * Logs a malformed request as one WARNING line, naming no field value and without a stack
     * trace, and answers INVALID_REQUEST if the client still listens; a client that hung up is
     * not an error of the server.
     */
    private static void answerMalformed(HttpServletRequest request, HttpServletResponse response,
                                        ApiResponder responder, String name, MalformedRequestException malformed) {
        LOG.warning(() -> name + ": malformed request from " + request.getRemoteAddr()
                + " answered INVALID_REQUEST: " + malformed.logDetail());
        // When Tomcat failed to read the body it has already called sendError(400) and marked the
        // request with the exception: the answer below is discarded and the error page answers
        // instead, with this refusal.
        request.setAttribute(ErrorPageServlet.REFUSAL_ATTRIBUTE, malformed);
        try {
            if (!response.isCommitted()) {
                response.resetBuffer();
                responder.error(response, malformed);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.fine(() -> name + ": the INVALID_REQUEST answer could not be sent: " + e.getClass().getSimpleName());
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
        if (opNameNode == null || opNameNode.isNull()) {
            throw ApiException.missing("operation.opName");
        }
        if (!opNameNode.isTextual()) {
            throw ApiException.invalid("operation.opName must be a string.");
        }
        if (opNameNode.asText().isEmpty()) {
            throw ApiException.missing("operation.opName");
        }
        String opName = opNameNode.asText();
        OperationType type = OperationType.byName(opName).orElseThrow(() ->
                new ApiException(ErrorCode.UNKNOWN_OPERATION, "Unknown operation '" + opName + "'."));
        if (!client.mayRun(type)) {
            throw new ApiException(ErrorCode.OPERATION_NOT_ALLOWED, "Operation '" + opName
                    + "' is not allowed for this API key.");
        }
        JobPlan plan = server.planner().plan(app, type, operationNode);
        String operation = canonical(operationNode).toString();
        JobRecord job = server.jobs().submit(new JobRequest(app.id(), jobId, client.name(), plan.scenarioName(),
                plan.opName(), operation, (int) plan.timeout().toSeconds(), plan.rerunIfInterrupted(),
                plan.concurrency()), !isAsync);
        audit.job(job.jobId());
        audit.detail(plan.opName() + (plan.scenarioName() == null ? "" : " " + plan.scenarioName())
                + (isAsync ? ", async" : ", sync"));
        audit.record(AuditEntry.OK);
        if (isAsync) {
            responder.success(response, (json, out) -> json.writeStringField("jobId", job.jobId()));
            return;
        }
        answerWhenFinished(job, noResultSchema, response);
    }

    private void answerWhenFinished(JobRecord submitted, boolean noResultSchema, HttpServletResponse response)
            throws IOException {
        int syncTimeoutSeconds = server.settings().jobs().syncTimeoutSeconds();
        JobRecord job;
        try {
            job = server.jobs().await(submitted, Duration.ofSeconds(syncTimeoutSeconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job = submitted;
        }
        String jobId = job.jobId();
        if (!job.state().isFinished()) {
            responder.error(response, ErrorCode.SYNC_TIMEOUT, "Job '" + jobId + "' is still running after "
                    + syncTimeoutSeconds + " seconds; poll getJobStatus.jsp for its outcome.",
                    (json, out) -> json.writeStringField("jobId", jobId));
            return;
        }
        JobRecord finished = job;
        List<ResultInfo> results = server.jobs().results(finished);
        if (finished.state() == JobState.COMPLETED) {
            responder.success(response, (json, out) -> {
                JobViews.writeResults(json, out, server.jobs(), finished, results, noResultSchema);
                json.writeStringField("jobId", jobId);
            });
            return;
        }
        ErrorCode code = finished.state() == JobState.STOPPED ? ErrorCode.JOB_STOPPED : ErrorCode.JOB_FAILED;
        responder.error(response, code, finished.message(), (json, out) -> {
            json.writeStringField("jobId", jobId);
            JobViews.writeResults(json, out, server.jobs(), finished, results, noResultSchema);
        });
    }

    // ---- getJobStatus, stopJob ---------------------------------------------------------------

    private void getJobStatus(ApiRequest request, HttpServletResponse response) throws IOException {
        JobRecord job = jobFor(request);
        boolean noResultSchema = request.bool("noResultSchema", false);
        List<StepTrace> trace = server.jobs().trace(job);
        List<ResultInfo> results = job.state().isFinished() ? server.jobs().results(job) : List.of();
        ApiResponder.ResultFields status = (json, out) -> JobViews.writeStatus(json, out, server.jobs(), job, trace,
                results, noResultSchema);
        if (job.state().isFinished()) {
            // a finished job's answer never changes: rendered once while this node keeps the job whole
            byte[] kept = server.jobs().keptAnswer(job, noResultSchema ? "status, no schema" : "status",
                    () -> ApiResponder.successBody(status));
            if (kept != null) {
                responder.success(response, kept);
                return;
            }
        }
        responder.success(response, status);
    }

    private void stopJob(ApiRequest request, HttpServletResponse response) throws IOException {
        JobRecord job = jobFor(request);
        StopOutcome outcome = server.jobs().stop(job.appId(), job.jobId()).orElseThrow(() -> notFound(job.appId(),
                job.jobId()));
        audit.record(outcome.name());
        responder.success(response, (json, out) -> {
            json.writeStringField("status", outcome.text());
            json.writeStringField("jobId", job.jobId());
        });
    }

    private JobRecord jobFor(ApiRequest request) {
        Client client = authenticate(request);
        App app = appFor(request, client);
        String jobId = request.requiredText("jobId", false);
        return server.jobs().find(app.id(), jobId).orElseThrow(() -> notFound(app.id(), jobId));
    }

    private static ApiException notFound(String appId, String jobId) {
        return new ApiException(ErrorCode.JOB_NOT_FOUND, "Job '" + jobId + "' not found in app '" + appId + "'.");
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
        Set<String> appIds = appsToList(request, client);
        String status = request.text("status", false);
        if (status != null && !STATUS_NAMES.contains(status)) {
            throw ApiException.invalid("status must be one of " + new TreeSet<>(STATUS_NAMES) + ".");
        }
        Set<JobState> states = status == null ? Set.of() : EnumSet.copyOf(Arrays.stream(JobState.values())
                .filter(state -> state.statusName().equals(status)).toList());
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
        List<JobRecord> page = server.jobs().list(new JobQuery(appIds, states, scenario, before, limit + 1));
        boolean more = page.size() > limit;
        List<JobRecord> jobs = more ? page.subList(0, limit) : page;
        responder.success(response, (json, out) -> {
            json.writeArrayFieldStart("jobs");
            for (JobRecord job : jobs) {
                json.writeStartObject();
                JobViews.writeStatusFields(json, job);
                json.writeEndObject();
            }
            json.writeEndArray();
            if (more) {
                json.writeStringField("next", Long.toString(jobs.get(jobs.size() - 1).seq()));
            }
        });
    }

    private void getSchedules(ApiRequest request, HttpServletResponse response) throws IOException {
        Client client = authenticate(request);
        App app = appFor(request, client);
        var schedules = server.scheduler().schedules(app.id());
        var snapshot = server.scheduler().snapshot();
        responder.success(response, (json, out) -> {
            json.writeStringField("appId", app.id());
            if (!app.isValid()) {
                json.writeStringField("invalid", app.invalidReason());
            }
            ScheduleViews.writeSchedules(json, schedules, snapshot, app.id());
        });
    }

    /**
     * The apps a listing covers: the one named by {@code appId}, or with {@code appId=*} every app
     * the client may use (null: all of them, for a client with {@code "*"}).
     */
    private Set<String> appsToList(ApiRequest request, Client client) {
        String appId = request.requiredText("appId", true);
        if (!appId.equals("*")) {
            return Set.of(appFor(request, client).id());
        }
        if (client.mayUseApp("*")) {
            return null;
        }
        return server.apps().keySet().stream().filter(client::mayUseApp).collect(Collectors.toSet());
    }

    // ---- shared checks -----------------------------------------------------------------------

    /** The client of an API key or a Bearer token (the token wins when both are sent). */
    private Client authenticate(ApiRequest request) {
        String bearerToken = request.bearerToken();
        Client client = server.authenticator().authenticate(bearerToken == null ? request.apiKey() : null,
                bearerToken);
        audit.caller(client);
        return client;
    }

    /**
     * The app named by {@code appId}. A key limited to some apps learns nothing about others: for
     * it, an unknown app and a forbidden one both answer ACCESS_DENIED.
     */
    private App appFor(ApiRequest request, Client client) {
        String appId = request.requiredText("appId", true);
        audit.app(appId);
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
