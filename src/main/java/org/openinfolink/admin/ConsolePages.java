package org.openinfolink.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.openinfolink.auth.Client;
import org.openinfolink.engine.StepTrace;
import org.openinfolink.job.JobQuery;
import org.openinfolink.job.JobRecord;
import org.openinfolink.job.JobRegistry;
import org.openinfolink.job.JobState;
import org.openinfolink.job.JobStore;
import org.openinfolink.job.ResultInfo;
import org.openinfolink.json.Json;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.OperationType;
import org.openinfolink.scenario.ParameterDefinition;
import org.openinfolink.scenario.ScenarioEntry;
import org.openinfolink.scenario.SourceDefinition;
import org.openinfolink.server.InfoLinkServer;
import org.openinfolink.sql.PoolFigures;

/**
 * Prepares the model of each console page from the server and one request's parameters, and
 * renders it. Used by one request thread. Reads only: nothing here changes a job.
 */
final class ConsolePages {

    /** Jobs or audit entries per page. */
    static final int PAGE_SIZE = 50;
    /** The records of each result set the Job page shows. */
    static final int RECORDS_SHOWN = 100;
    private static final int MAX_FILTER_LENGTH = 200;
    /** Field names whose values the Job page masks in a request's operation. */
    private static final Pattern SECRET_FIELD = Pattern.compile("(?i).*(password|passwd|pwd|secret|token|apikey|api_key).*");
    /** A password in a JDBC URL: {@code password=...} up to the next separator. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)((?:password|pwd)=)[^&;]*");
    private static final String MASK = "••••••";
    /** Says an answer is a page fragment, not a whole page (nor the login page of an ended session). */
    static final String FRAGMENT_HEADER = "X-Console-Fragment";
    /**
     * Reads one record of a result set's array: the records after it are not trailing garbage,
     * as the shared mapper's FAIL_ON_TRAILING_TOKENS would take them.
     */
    private static final ObjectReader RECORD_READER = Json.mapper().reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final InfoLinkServer server;
    private final HttpServletRequest request;
    private final ConsoleAudit audit;

    ConsolePages(InfoLinkServer server, HttpServletRequest request) {
        this.server = server;
        this.request = request;
        this.audit = new ConsoleAudit(server, request);
    }

    // ---- pages ---------------------------------------------------------------------------------

    void overview(HttpServletResponse response) throws ServletException, IOException {
        JobRegistry jobs = server.jobs();
        List<Pages.NodeRow> nodes = jobs.nodes().stream()
                .map(node -> new Pages.NodeRow(node.nodeId(), Formats.duration(Duration.ofMillis(
                        node.heartbeatAgeMillis())), node.runningJobs(), node.nodeId().equals(jobs.nodeId())))
                .toList();
        List<Pages.JobRow> running = jobs.list(new JobQuery(null, EnumSet.of(JobState.RUNNING, JobState.STOPPING),
                null, null, PAGE_SIZE)).stream().map(this::row).toList();
        List<Pages.PoolRow> pools = server.dataSources().pools().stream().map(ConsolePages::pool).toList();
        List<Pages.Entry> settings = server.settings().effective().entrySet().stream()
                .map(setting -> new Pages.Entry(setting.getKey(), setting.getValue())).toList();
        JobStore.FinishedCounts counts = jobs.finishedCounts(Charts.DAY_MILLIS, Charts.DURATION_BOUNDS_MILLIS);
        Instant started = server.startedAt();
        Pages.Overview model = new Pages.Overview(InfoLinkServer.version(), jobs.nodeId(), Formats.time(started),
                Formats.duration(Duration.between(started, Instant.now())), server.home().toString(),
                server.storeName(), settings, nodes, jobs.queuedCount(), jobs.runningCount(), running, pools,
                Charts.of(counts), server.problems().size());
        render(response, "overview", "overview", "Overview", model);
    }

    void apps(HttpServletResponse response) throws ServletException, IOException {
        List<Pages.AppRow> apps = server.apps().values().stream().map(ConsolePages::app).toList();
        render(response, "apps", "apps", "Apps", new Pages.Apps(apps, server.problems()));
    }

    void jobs(HttpServletResponse response, String view) throws ServletException, IOException {
        fragmentHeader(response, view);
        List<String> appIds = List.copyOf(server.apps().keySet());
        List<String> states = Arrays.stream(JobState.values()).map(JobState::stateName).toList();
        String app = text("app");
        String state = text("state");
        String scenario = text("scenario");
        String from = text("from");
        String to = text("to");
        List<String> problems = new ArrayList<>();
        if (!app.isEmpty() && !server.apps().containsKey(app)) {
            problems.add("There is no app '" + app + "'.");
        }
        if (!state.isEmpty() && !states.contains(state)) {
            problems.add("There is no state '" + state + "'; choose one of " + String.join(", ", states) + ".");
        }
        Instant fromTime = time("from", from, problems);
        Instant toTime = time("to", to, problems);
        Long before = cursor(problems);
        List<Pages.JobRow> rows = List.of();
        String olderHref = null;
        String filterQuery = query(Map.of("app", app, "state", state, "scenario", scenario, "from", from, "to", to));
        if (problems.isEmpty()) {
            JobQuery query = new JobQuery(app.isEmpty() ? null : Set.of(app),
                    state.isEmpty() ? Set.of() : EnumSet.of(JobState.ofStateName(state)),
                    scenario.isEmpty() ? null : scenario, fromTime, toTime, before, PAGE_SIZE + 1);
            List<JobRecord> found = server.jobs().list(query);
            if (found.size() > PAGE_SIZE) {
                found = found.subList(0, PAGE_SIZE);
                olderHref = "jobs?" + filterQuery + (filterQuery.isEmpty() ? "" : "&") + "before="
                        + found.get(found.size() - 1).seq();
            }
            rows = found.stream().map(this::row).toList();
        } else {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        }
        Pages.Jobs model = new Pages.Jobs(appIds, states, app, state, scenario, from, to, rows, filterQuery, olderHref,
                before == null, problems.isEmpty() ? null : String.join(" ", problems));
        render(response, view, "jobs", "Jobs", model);
    }

    void job(HttpServletResponse response, String view) throws ServletException, IOException {
        fragmentHeader(response, view);
        String appId = text("app");
        String jobId = text("id");
        Optional<JobRecord> found = appId.isEmpty() || jobId.isEmpty() ? Optional.empty()
                : server.jobs().find(appId, jobId);
        if (found.isEmpty()) {
            ConsoleResponses.error(request, response, HttpServletResponse.SC_NOT_FOUND, "No such job",
                    "App '" + appId + "' has no job '" + jobId + "' (it may have been removed by retention).");
            return;
        }
        JobRecord job = found.get();
        List<Pages.TraceRow> trace = server.jobs().trace(job).stream().map(ConsolePages::traceRow).toList();
        List<Pages.ResultView> results = new ArrayList<>();
        if (job.state().isFinished()) {
            for (ResultInfo result : server.jobs().results(job)) {
                results.add(result(job, result));
            }
        }
        Pages.Job model = new Pages.Job(row(job), operation(job), job.state().isFinished(),
                job.state() == JobState.QUEUED || job.state() == JobState.RUNNING, trace, results);
        render(response, view, "jobs", "Job " + jobId, model);
    }

    void clients(HttpServletResponse response) throws ServletException, IOException {
        List<Pages.ClientRow> clients = server.verifier().clients().stream().map(ConsolePages::client).toList();
        render(response, "clients", "clients", "Clients", clients);
    }

    void audit(HttpServletResponse response) throws ServletException, IOException {
        render(response, "audit", "audit", "Audit", audit.page(this));
    }

    // ---- parts ---------------------------------------------------------------------------------

    /** Renders a page inside the console's frame; the first page of a login records the login. */
    private void render(HttpServletResponse response, String view, String page, String title, Object model)
            throws ServletException, IOException {
        HttpSession session = request.getSession(true);
        audit.loginSeen(session);
        Pages.Frame frame = new Pages.Frame(page, title, request.getRemoteUser(),
                request.isUserInRole(AdminServlet.ROLE_ADMIN), CsrfTokens.of(session), server.jobs().nodeId(),
                InfoLinkServer.version(), ConsoleActions.takeNotice(session));
        ConsoleResponses.render(request, response, view, frame, model);
    }

    /** Marks a fragment of a page (its views end in {@code -rows} or {@code -live}) for the live refresh. */
    private static void fragmentHeader(HttpServletResponse response, String view) {
        if (view.endsWith("-rows") || view.endsWith("-live")) {
            response.setHeader(FRAGMENT_HEADER, "1");
        }
    }

    Pages.JobRow row(JobRecord job) {
        JobRecord.Progress progress = job.progress();
        String running = progress == null || job.state().isFinished() ? ""
                : "step " + progress.step() + " of " + progress.steps()
                        + (progress.title() == null ? "" : ": " + progress.title());
        Instant end = job.finishedAt() != null ? job.finishedAt() : job.startedAt() != null ? Instant.now() : null;
        return new Pages.JobRow(job.appId(), job.jobId(),
                job.request().scenarioName() == null ? "(" + job.request().opName() + ")" : job.request().scenarioName(),
                job.state().stateName(), job.request().clientName(), Formats.time(job.submittedAt()),
                Formats.time(job.startedAt()), Formats.time(job.finishedAt()), Formats.duration(job.startedAt(), end),
                job.nodeId() == null ? "" : job.nodeId(), job.attempt(), running,
                job.message() == null ? "" : job.message(), jobHref(job.appId(), job.jobId()));
    }

    static String jobHref(String appId, String jobId) {
        return "job?" + query(Map.of("app", appId, "id", jobId));
    }

    private static Pages.TraceRow traceRow(StepTrace step) {
        List<String> statements = step.statements().stream()
                .map(statement -> statement.number() + ". " + statement.sql()
                        + (statement.rowsChanged() < 0 ? "" : " (" + statement.rowsChanged() + " row(s))"))
                .toList();
        return new Pages.TraceRow(step.label(), step.title() == null ? "" : step.title(), step.opName(),
                step.outcome(), Formats.time(step.startedAt()), Formats.duration(step.startedAt(), step.finishedAt()),
                step.rows() == null ? "" : Long.toString(step.rows()), step.message() == null ? "" : step.message(),
                statements);
    }

    /** The first {@value #RECORDS_SHOWN} records of a result set, read from the store's stream. */
    private Pages.ResultView result(JobRecord job, ResultInfo result) throws IOException {
        List<String> columns = new ArrayList<>();
        for (JsonNode column : Json.mapper().readTree(result.schemaJson())) {
            columns.add(column.path("name").asText());
        }
        List<List<Pages.Cell>> records = new ArrayList<>();
        try (InputStream in = server.jobs().openRecords(job, result);
             JsonParser parser = Json.mapper().createParser(in)) {
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                while (records.size() < RECORDS_SHOWN && parser.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode record = RECORD_READER.readTree(parser);
                    List<Pages.Cell> cells = new ArrayList<>();
                    for (String column : columns) {
                        JsonNode value = record.get(column);
                        cells.add(value == null || value.isNull() ? new Pages.Cell("", true)
                                : new Pages.Cell(value.isValueNode() ? value.asText() : value.toString(), false));
                    }
                    records.add(cells);
                }
            }
        }
        return new Pages.ResultView(result.number(), result.name() == null ? "" : result.name(), result.rows(), columns,
                records, records.size());
    }

    /** The request's operation, indented, with the values of secret-looking fields masked. */
    private static String operation(JobRecord job) throws IOException {
        JsonNode operation = Json.mapper().readTree(job.request().operation());
        mask(operation);
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(operation);
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<String> secret = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (SECRET_FIELD.matcher(field.getKey()).matches() && field.getValue().isValueNode()) {
                    secret.add(field.getKey());
                } else {
                    mask(field.getValue());
                }
            }
            secret.forEach(name -> object.put(name, MASK));
        } else if (node != null && node.isArray()) {
            node.forEach(ConsolePages::mask);
        }
    }

    private static Pages.PoolRow pool(PoolFigures figures) {
        int active = figures.active();
        int max = figures.max();
        return new Pages.PoolRow(figures.name(), active, figures.idle(), max, figures.waiting(),
                max > 0 && active >= max);
    }

    private static Pages.AppRow app(App app) {
        List<Pages.SourceRow> sources = app.sources().entrySet().stream()
                .map(source -> source(source.getKey(), source.getValue())).toList();
        List<Pages.ScenarioRow> scenarios = app.scenarios().values().stream().map(ConsolePages::scenario).toList();
        return new Pages.AppRow(app.id(), app.name(), app.description() == null ? "" : app.description(),
                app.isValid(), app.invalidReason(), app.defaultSource(), sources, scenarios,
                List.copyOf(app.variables().keySet()));
    }

    private static Pages.SourceRow source(String name, SourceDefinition definition) {
        if (definition instanceof SourceDefinition.Jndi jndi) {
            return new Pages.SourceRow(name, "JNDI", jndi.jndiName());
        }
        if (definition instanceof SourceDefinition.Pool pool) {
            return new Pages.SourceRow(name, "pool",
                    maskUrl(pool.url()) + (pool.username() == null ? "" : " as " + pool.username()));
        }
        return new Pages.SourceRow(name, "embedded", "the server's H2 database");
    }

    static String maskUrl(String url) {
        return url == null ? "" : URL_PASSWORD.matcher(url).replaceAll("$1" + MASK);
    }

    private static Pages.ScenarioRow scenario(ScenarioEntry entry) {
        List<Pages.ParameterRow> parameters = entry.parameters().values().stream()
                .map(ConsolePages::parameter).toList();
        return new Pages.ScenarioRow(entry.name(), entry.description() == null ? "" : entry.description(), parameters,
                entry.isValid(), entry.invalidReason());
    }

    private static Pages.ParameterRow parameter(ParameterDefinition parameter) {
        return new Pages.ParameterRow(parameter.name(), parameter.type().toString().toLowerCase(Locale.ROOT),
                parameter.required(), parameter.defaultText() == null ? "" : parameter.defaultText());
    }

    private static Pages.ClientRow client(Client client) {
        String apps = client.allApps() ? "every app (*)" : String.join(", ", client.apps().stream().sorted().toList());
        List<String> operations = client.operations().stream().map(OperationType::opName).sorted().toList();
        return new Pages.ClientRow(client.name(), apps, operations, client.keySha256() != null,
                client.clientId() == null ? "" : client.clientId());
    }

    // ---- parameters ----------------------------------------------------------------------------

    /** A filter's value, trimmed, at most {@value #MAX_FILTER_LENGTH} characters; empty when absent. */
    String text(String name) {
        String value = request.getParameter(name);
        if (value == null) {
            return "";
        }
        value = value.strip();
        return value.length() > MAX_FILTER_LENGTH ? value.substring(0, MAX_FILTER_LENGTH) : value;
    }

    /** A time filter as {@code <input type="datetime-local">} sends it, read as UTC; null when empty. */
    Instant time(String name, String value, List<String> problems) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            problems.add("'" + name + "' must be a time like 2026-12-02T14:30 (UTC), not '" + value + "'.");
            return null;
        }
    }

    /** The paging cursor {@code before}: null on the first page. */
    Long cursor(List<String> problems) {
        String before = text("before");
        if (before.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(before);
        } catch (NumberFormatException e) {
            problems.add("'before' must be a number (the paging cursor), not '" + before + "'.");
            return null;
        }
    }

    /** The non-empty values as a query string, in a stable order. */
    static String query(Map<String, String> values) {
        StringBuilder query = new StringBuilder();
        new TreeMap<>(values).forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                query.append(query.isEmpty() ? "" : "&").append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }
}
