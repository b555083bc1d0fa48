package org.openinfolink.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.openinfolink.config.ConfigReader;
import org.openinfolink.config.ConfigurationException;
import org.openinfolink.sql.SqlDialect;
import org.openinfolink.sql.SqlSyntaxException;
import org.openinfolink.sql.SqlTemplate;
import org.openinfolink.sql.StatementSplitter;
import org.openinfolink.sql.TextTemplate;

/**
 * Validates the scenarios of one app and the operations of direct requests against it: step
 * parameters, template names, source names, SQL lexing where the dialect is known, nested
 * scenarios and cycles. Reasons read like {@code step 1: query is required}. Not thread safe.
 */
public final class ScenarioChecker {

    /** Names every template may use besides parameters and variables. */
    public static final Set<String> BUILT_INS = Set.of("jobId", "appId", "scenario", "now");

    /** A plain or schema-qualified SQL identifier, as {@code into.tableName} must be. */
    public static final Pattern TABLE_NAME =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");

    private static final Set<String> SCENARIO_KEYS = Set.of("description", "parameters", "timeoutSeconds", "steps",
            "rerunIfInterrupted", "concurrency");
    private static final Set<String> CONCURRENCY_KEYS = Set.of("max", "whenBusy");
    private static final Set<String> STEP_KEYS = Set.of("opName", "title", "opParams");
    private static final Set<String> PARAMETER_KEYS = Set.of("type", "required", "default", "description");

    private final String appId;
    private final AppLoader.AppHeader app;
    private final SqlDialect defaultSourceDialect;

    ScenarioChecker(String appId, AppLoader.AppHeader app, SqlDialect defaultSourceDialect) {
        this.appId = appId;
        this.app = app;
        this.defaultSourceDialect = defaultSourceDialect;
    }

    /**
     * A checker for direct operations in a loaded app.
     *
     * @param defaultSourceDialect the dialect of the server's default source, when known
     */
    public static ScenarioChecker forApp(App app, SqlDialect defaultSourceDialect) {
        return new ScenarioChecker(app.id(), new AppLoader.AppHeader(app.name(), app.description(), app.sources(),
                app.defaultSource(), app.variables()), defaultSourceDialect);
    }

    /** A scenario file read as far as it could be, with the first reason it is invalid. */
    static final class Parsed {
        final String name;
        String description;
        Map<String, ParameterDefinition> parameters = new LinkedHashMap<>();
        Integer timeoutSeconds;
        boolean rerunIfInterrupted;
        Concurrency concurrency;
        List<Step> steps = new ArrayList<>();
        String invalidReason;

        Parsed(String name) {
            this.name = name;
        }

        ScenarioEntry toEntry() {
            Map<String, ParameterDefinition> params = Collections.unmodifiableMap(parameters);
            if (invalidReason != null) {
                return ScenarioEntry.invalid(name, description, params, invalidReason);
            }
            return ScenarioEntry.valid(new Scenario(name, description, params, timeoutSeconds, List.copyOf(steps),
                    rerunIfInterrupted, concurrency));
        }
    }

    Parsed parse(String name, ConfigReader reader) {
        Parsed parsed = new Parsed(name);
        try {
            JsonNode root = reader.readMapping();
            parsed.description = reader.text(root, "", "description");
            reader.checkKeys(root, "", SCENARIO_KEYS);
            readParameters(reader, root, parsed);
            long timeout = reader.integer(root, "", "timeoutSeconds", 0, 1, Integer.MAX_VALUE);
            parsed.timeoutSeconds = timeout == 0 ? null : (int) timeout;
            parsed.rerunIfInterrupted = reader.bool(root, "", "rerunIfInterrupted", false);
            parsed.concurrency = readConcurrency(reader, root);
            readSteps(root, parsed);
        } catch (ConfigurationException e) {
            String prefix = reader.file() + ": ";
            String message = e.getMessage();
            parsed.invalidReason = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        } catch (InvalidStep e) {
            parsed.invalidReason = e.getMessage();
        }
        return parsed;
    }

    /** {@code concurrency: {max: n, whenBusy: queue | reject}}; null when absent. */
    private static Concurrency readConcurrency(ConfigReader reader, JsonNode root) {
        JsonNode node = reader.mapping(root, "", "concurrency");
        if (node.isMissingNode()) {
            return null;
        }
        reader.checkKeys(node, "concurrency", CONCURRENCY_KEYS);
        if (node.path("max").isMissingNode() || node.path("max").isNull()) {
            throw reader.fail("concurrency.max", "is required, e.g. concurrency: {max: 1, whenBusy: queue}");
        }
        int max = (int) reader.integer(node, "concurrency", "max", 1, 1, 1000);
        String whenBusy = reader.text(node, "concurrency", "whenBusy");
        Concurrency.WhenBusy mode = whenBusy == null ? Concurrency.WhenBusy.QUEUE
                : Concurrency.WhenBusy.byName(whenBusy).orElseThrow(() -> reader.fail("concurrency.whenBusy",
                        "must be queue or reject, got '" + whenBusy + "'"));
        return new Concurrency(max, mode);
    }

    private void readParameters(ConfigReader reader, JsonNode root, Parsed parsed) {
        JsonNode params = reader.mapping(root, "", "parameters");
        for (Map.Entry<String, JsonNode> entry : params.properties()) {
            String name = entry.getKey();
            String where = "parameters." + name;
            if (!OperationParser.NAME.matcher(name).matches()) {
                throw reader.fail(where, "is not a valid parameter name");
            }
            JsonNode node = entry.getValue();
            if (node.isTextual()) {
                node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                        .put("type", node.asText());
            }
            if (!node.isObject()) {
                throw reader.fail(where, "must be a mapping like {type: integer, required: true}");
            }
            reader.checkKeys(node, where, PARAMETER_KEYS);
            String typeName = reader.text(node, where, "type");
            ParameterType type = typeName == null ? ParameterType.TEXT : ParameterType.byName(typeName)
                    .orElseThrow(() -> reader.fail(where + ".type", "unknown type '" + typeName
                            + "'; use text, integer, decimal, boolean, date or datetime"));
            boolean required = reader.bool(node, where, "required", false);
            JsonNode defaultNode = node.path("default");
            Object defaultValue = null;
            String defaultText = null;
            if (!defaultNode.isMissingNode() && !defaultNode.isNull()) {
                try {
                    defaultValue = type.convert(defaultNode);
                    defaultText = ParameterType.asText(defaultValue);
                } catch (IllegalArgumentException e) {
                    throw reader.fail(where + ".default", "must be " + type.description() + ", got '"
                            + defaultNode.asText() + "'");
                }
            }
            parsed.parameters.put(name, new ParameterDefinition(name, type, required, defaultValue, defaultText));
        }
    }

    private void readSteps(JsonNode root, Parsed parsed) {
        JsonNode steps = root.path("steps");
        if (steps.isMissingNode() || steps.isNull() || !steps.isArray() || steps.isEmpty()) {
            throw new InvalidStep("steps: a list of at least one step is required");
        }
        int number = 0;
        for (JsonNode stepNode : steps) {
            number++;
            String where = "step " + number + ": ";
            if (!stepNode.isObject()) {
                throw new InvalidStep(where + "must be a mapping with opName and opParams");
            }
            for (String key : iterable(stepNode)) {
                if (!STEP_KEYS.contains(key)) {
                    throw new InvalidStep(where + "unknown key '" + key + "'; expected opName, title, opParams");
                }
            }
            String opName = stepNode.path("opName").asText("");
            if (opName.isEmpty()) {
                throw new InvalidStep(where + "opName is required");
            }
            OperationType type = OperationType.byName(opName).orElseThrow(() -> new InvalidStep(where
                    + "unknown operation '" + opName + "'; known: " + OperationType.allNames()));
            if (SqlTemplate.containsScriptTemplate(stepNode.toString())) {
                throw new InvalidStep(where + "JavaScript templates $((...)) are not supported;"
                        + " use ${name} templates");
            }
            Operation operation;
            try {
                operation = OperationParser.parse(type, stepNode.path("opParams"));
            } catch (InvalidOperationException e) {
                throw new InvalidStep(where + e.getMessage());
            }
            JsonNode titleNode = stepNode.path("title");
            String title = titleNode.isValueNode() && !titleNode.asText().isBlank()
                    ? titleNode.asText() : operation.defaultTitle();
            parsed.steps.add(new Step(number, title, operation));
        }
    }

    /** Validates every parsed scenario of the app together: names, sources, SQL, nesting, cycles. */
    void validate(Map<String, Parsed> scenarios) {
        Set<String> variableNames = new HashSet<>(app.variables().keySet());
        for (Parsed parsed : scenarios.values()) {
            for (Step step : parsed.steps) {
                if (step.operation() instanceof Operation.SetVariable set) {
                    variableNames.add(set.name());
                }
            }
        }
        for (Parsed parsed : scenarios.values()) {
            if (parsed.invalidReason != null) {
                continue;
            }
            Set<String> names = new HashSet<>(variableNames);
            names.addAll(parsed.parameters.keySet());
            for (Step step : parsed.steps) {
                try {
                    check(step.operation(), names);
                    if (step.operation() instanceof Operation.RunScenario nested) {
                        checkNested(nested, scenarios);
                    }
                } catch (InvalidOperationException e) {
                    parsed.invalidReason = "step " + step.number() + ": " + e.getMessage();
                    break;
                }
            }
        }
        refuseCycles(scenarios);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Parsed parsed : scenarios.values()) {
                if (parsed.invalidReason != null) {
                    continue;
                }
                for (Step step : parsed.steps) {
                    if (step.operation() instanceof Operation.RunScenario nested
                            && scenarios.get(nested.scenario()).invalidReason != null) {
                        parsed.invalidReason = "step " + step.number() + ": scenario '" + nested.scenario()
                                + "' is invalid";
                        changed = true;
                        break;
                    }
                }
            }
        }
    }

    /**
     * Checks one operation against the app: template names, source names, SQL lexing where the
     * source's dialect is known, the table name when it has no template.
     *
     * @param names the names templates may use besides the built-ins
     */
    public void check(Operation operation, Set<String> names) throws InvalidOperationException {
        if (operation instanceof Operation.Transform transform) {
            SqlDialect dialect = checkSource(transform.sourceName());
            checkSql(transform.query(), dialect, names, "query");
            checkText(transform.resultName(), names, "resultName");
            if (transform.into() != null) {
                checkSource(transform.into().sourceName());
                checkText(transform.into().tableName(), names, "into.tableName");
                if (!transform.into().tableName().contains("${")
                        && !TABLE_NAME.matcher(transform.into().tableName()).matches()) {
                    throw new InvalidOperationException("into.tableName '" + transform.into().tableName()
                            + "' is not a plain or schema-qualified identifier");
                }
            }
        } else if (operation instanceof Operation.RunSourceScript script) {
            checkScript(script, names);
        } else if (operation instanceof Operation.SetVariable set) {
            checkText(set.value(), names, "value");
        } else if (operation instanceof Operation.RunScenario nested) {
            for (Map.Entry<String, JsonNode> parameter : nested.parameters().entrySet()) {
                if (parameter.getValue().isTextual()) {
                    checkText(parameter.getValue().asText(), names, "parameters." + parameter.getKey());
                }
            }
        }
    }

    private void checkScript(Operation.RunSourceScript script, Set<String> names) throws InvalidOperationException {
        SqlDialect dialect = checkSource(script.sourceName());
        if (dialect == SqlDialect.OTHER) {
            checkNames(SqlTemplate.referencedNames(script.script()), names, "script");
            return;
        }
        try {
            List<String> statements = StatementSplitter.split(script.script(), dialect);
            if (statements.isEmpty()) {
                throw new InvalidOperationException("script has no statement");
            }
            // one parse of the whole script: ';' means nothing to templates, and errors name script lines
            checkNames(new LinkedHashSet<>(SqlTemplate.parse(script.script(), dialect).parameterNames()), names,
                    "script");
        } catch (SqlSyntaxException e) {
            throw new InvalidOperationException("script: " + e.getMessage());
        }
    }

    private void checkNested(Operation.RunScenario nested, Map<String, Parsed> scenarios)
            throws InvalidOperationException {
        Parsed target = scenarios.get(nested.scenario());
        if (target == null) {
            throw new InvalidOperationException("scenario '" + nested.scenario() + "' not found in app '"
                    + appId + "'");
        }
        for (String name : nested.parameters().keySet()) {
            if (!target.parameters.containsKey(name)) {
                throw new InvalidOperationException("scenario '" + nested.scenario() + "' has no parameter '"
                        + name + "'");
            }
        }
        for (ParameterDefinition parameter : target.parameters.values()) {
            JsonNode given = nested.parameters().get(parameter.name());
            if (parameter.required() && (given == null || given.isNull())) {
                throw new InvalidOperationException("parameter '" + parameter.name() + "' of scenario '"
                        + nested.scenario() + "' is required");
            }
        }
    }

    private void refuseCycles(Map<String, Parsed> scenarios) {
        Set<String> done = new HashSet<>();
        for (String start : scenarios.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            findCycle(start, scenarios, path, new LinkedHashSet<>(), done);
        }
    }

    private void findCycle(String name, Map<String, Parsed> scenarios, Deque<String> path,
                           Set<String> onPath, Set<String> done) {
        if (done.contains(name)) {
            return;
        }
        Parsed parsed = scenarios.get(name);
        if (parsed == null) {
            return;
        }
        path.addLast(name);
        onPath.add(name);
        for (Step step : parsed.steps) {
            if (step.operation() instanceof Operation.RunScenario nested) {
                String next = nested.scenario();
                if (onPath.contains(next)) {
                    List<String> cycle = new ArrayList<>();
                    boolean inCycle = false;
                    for (String element : path) {
                        inCycle |= element.equals(next);
                        if (inCycle) {
                            cycle.add(element);
                        }
                    }
                    cycle.add(next);
                    String description = String.join(" -> ", cycle);
                    for (String member : new TreeSet<>(cycle)) {
                        Parsed memberParsed = scenarios.get(member);
                        if (memberParsed.invalidReason == null) {
                            memberParsed.invalidReason = "RunScenario makes a cycle: " + description;
                        }
                    }
                } else {
                    findCycle(next, scenarios, path, onPath, done);
                }
            }
        }
        onPath.remove(name);
        path.removeLast();
        done.add(name);
    }

    private SqlDialect checkSource(String sourceName) throws InvalidOperationException {
        String name = sourceName == null ? app.defaultSource() : sourceName;
        SourceDefinition definition = app.sources().get(name);
        if (definition == null && !name.equals(App.DEFAULT_SOURCE)) {
            throw new InvalidOperationException("unknown source '" + name + "' in app '" + appId + "'");
        }
        if (definition == null) {
            return defaultSourceDialect;
        }
        if (definition instanceof SourceDefinition.Pool pool) {
            return SqlDialect.ofJdbcUrl(pool.url());
        }
        return definition instanceof SourceDefinition.Embedded ? SqlDialect.H2 : SqlDialect.OTHER;
    }

    private static void checkSql(String sql, SqlDialect dialect, Set<String> names, String field)
            throws InvalidOperationException {
        if (dialect != SqlDialect.OTHER) {
            try {
                checkNames(new LinkedHashSet<>(SqlTemplate.parse(sql, dialect).parameterNames()), names, field);
            } catch (SqlSyntaxException e) {
                throw new InvalidOperationException(field + ": " + e.getMessage());
            }
        } else {
            checkNames(SqlTemplate.referencedNames(sql), names, field);
        }
    }

    private static void checkText(String text, Set<String> names, String field) throws InvalidOperationException {
        if (text == null) {
            return;
        }
        try {
            checkNames(TextTemplate.parse(text).names(), names, field);
        } catch (IllegalArgumentException e) {
            throw new InvalidOperationException(field + ": " + e.getMessage());
        }
    }

    private static void checkNames(Set<String> referenced, Set<String> names, String field)
            throws InvalidOperationException {
        for (String name : referenced) {
            if (!names.contains(name) && !BUILT_INS.contains(name)) {
                throw new InvalidOperationException(field + ": unknown name ${" + name
                        + "}: not a parameter, app variable or built-in (jobId, appId, scenario, now)");
            }
        }
    }

    private static Iterable<String> iterable(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.properties().forEach(entry -> names.add(entry.getKey()));
        return names;
    }

    /** A step that cannot be read; the message is the whole reason. */
    private static final class InvalidStep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidStep(String reason) {
            super(reason, null, false, false);
        }
    }
}
