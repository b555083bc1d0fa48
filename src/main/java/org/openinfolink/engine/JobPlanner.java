package org.openinfolink.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.openinfolink.scenario.App;
import org.openinfolink.scenario.InvalidOperationException;
import org.openinfolink.scenario.Operation;
import org.openinfolink.scenario.OperationParser;
import org.openinfolink.scenario.OperationType;
import org.openinfolink.scenario.Scenario;
import org.openinfolink.scenario.ScenarioChecker;
import org.openinfolink.scenario.ScenarioEntry;
import org.openinfolink.sql.SqlDialect;

/**
 * Turns a job's operation, as the client sent it ({@code {"opName": ..., "opParams": {...}}}), into
 * a {@link JobPlan}: the one place a RunScenario request or a direct operation is parsed. The API
 * calls it to refuse a bad request before a job exists; the node that runs a stored job calls it
 * again on the stored operation. Stateless and thread safe.
 */
public final class JobPlanner {

    private final ScenarioEngine engine;
    private final SqlDialect defaultDialect;
    private final int defaultTimeoutSeconds;

    /**
     * @param defaultDialect        the dialect of the server's {@code default} source, for checks
     * @param defaultTimeoutSeconds {@code jobs.defaultTimeoutSeconds}
     */
    public JobPlanner(ScenarioEngine engine, SqlDialect defaultDialect, int defaultTimeoutSeconds) {
        this.engine = engine;
        this.defaultDialect = defaultDialect;
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
    }

    /**
     * Plans an operation of an app whose type the caller has already checked (known, allowed).
     *
     * @throws RequestRejectedException when the request cannot run as given
     */
    public JobPlan plan(App app, OperationType type, JsonNode operation) {
        if (!app.isValid()) {
            throw new RequestRejectedException(RequestRejectedException.Reason.SCENARIO_INVALID,
                    "App '" + app.id() + "' is invalid: " + app.invalidReason());
        }
        JsonNode opParams = operation.get("opParams");
        return type == OperationType.RUN_SCENARIO ? scenario(app, opParams) : direct(app, type, opParams);
    }

    private JobPlan scenario(App app, JsonNode opParams) {
        if (opParams != null && !opParams.isNull() && !opParams.isObject()) {
            throw invalid("operation.opParams must be an object.");
        }
        JsonNode scenarioNode = opParams == null ? null : opParams.get("scenario");
        if (scenarioNode != null && !scenarioNode.isNull() && !scenarioNode.isTextual()) {
            throw invalid("operation.opParams.scenario must be a string.");
        }
        if (scenarioNode == null || scenarioNode.isNull() || scenarioNode.asText().isEmpty()) {
            throw new RequestRejectedException(RequestRejectedException.Reason.MISSING_FIELD,
                    "operation.opParams.scenario parameter is required.");
        }
        String scenarioName = scenarioNode.asText();
        ScenarioEntry entry = app.scenario(scenarioName).orElseThrow(() -> new RequestRejectedException(
                RequestRejectedException.Reason.SCENARIO_NOT_FOUND,
                "Scenario '" + scenarioName + "' not found in app '" + app.id() + "'."));
        if (!entry.isValid()) {
            throw new RequestRejectedException(RequestRejectedException.Reason.SCENARIO_INVALID,
                    "Scenario '" + scenarioName + "' is invalid: " + entry.invalidReason() + ".");
        }
        for (Map.Entry<String, JsonNode> field : opParams.properties()) {
            if (!field.getKey().equals("scenario") && !field.getKey().equals("parameters")) {
                throw invalid("operation.opParams has an unknown field '" + field.getKey()
                        + "'; RunScenario takes scenario and parameters.");
            }
        }
        JsonNode parametersNode = opParams.get("parameters");
        Map<String, JsonNode> given = new LinkedHashMap<>();
        if (parametersNode != null && !parametersNode.isNull()) {
            if (!parametersNode.isObject()) {
                throw invalid("operation.opParams.parameters must be an object.");
            }
            parametersNode.properties().forEach(field -> given.put(field.getKey(), field.getValue()));
        }
        Scenario scenario = entry.scenario();
        Map<String, Object> parameters = ScenarioParameters.convert(scenario, given);
        int timeoutSeconds = scenario.timeoutSeconds() != null ? scenario.timeoutSeconds() : defaultTimeoutSeconds;
        return new JobPlan(scenarioName, OperationType.RUN_SCENARIO.opName(), Duration.ofSeconds(timeoutSeconds),
                scenario.rerunIfInterrupted(), scenario.concurrency(), execution -> engine.runScenario(app, scenario, parameters, execution));
    }

    private JobPlan direct(App app, OperationType type, JsonNode opParams) {
        Operation parsed;
        try {
            parsed = OperationParser.parse(type, opParams);
            Set<String> names = new HashSet<>(app.variables().keySet());
            ScenarioChecker.forApp(app, defaultDialect).check(parsed, names);
        } catch (InvalidOperationException e) {
            throw invalid("Operation '" + type.opName() + "' is invalid: " + e.getMessage() + ".");
        }
        if (parsed instanceof Operation.RunScenario) {
            throw new IllegalStateException("RunScenario is not a direct operation");
        }
        return new JobPlan(null, type.opName(), Duration.ofSeconds(defaultTimeoutSeconds), false,
                execution -> engine.runOperation(app, parsed, execution));
    }

    private static RequestRejectedException invalid(String message) {
        return new RequestRejectedException(RequestRejectedException.Reason.INVALID_FIELD, message);
    }

    /** Ends the engine's own threads once no job runs. */
    public void close() {
        engine.close();
    }
}
