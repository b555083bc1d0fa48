package org.openinfolink.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.openinfolink.scenario.ParameterDefinition;
import org.openinfolink.scenario.Scenario;

/** Converts the parameter values of a request or a nested RunScenario by a scenario's declarations. */
public final class ScenarioParameters {

    private ScenarioParameters() {
    }

    /**
     * The converted values of every declared parameter: the given value, else the default, else
     * null. JSON null counts as not given.
     *
     * @param values name to value; strings or JSON scalars
     * @throws RequestRejectedException INVALID_FIELD with the user-facing sentence, e.g.
     *         {@code Parameter 'minId' of scenario 'Main' must be an integer, got 'abc'.}
     */
    public static Map<String, Object> convert(Scenario scenario, Map<String, JsonNode> values) {
        for (String name : values.keySet()) {
            if (!scenario.parameters().containsKey(name)) {
                throw invalid("Scenario '" + scenario.name() + "' has no parameter '"
                        + name + "'.");
            }
        }
        Map<String, Object> converted = new HashMap<>();
        for (ParameterDefinition parameter : scenario.parameters().values()) {
            JsonNode value = values.get(parameter.name());
            boolean given = value != null && !value.isNull() && !value.isMissingNode();
            if (!given) {
                if (parameter.required()) {
                    throw invalid("Parameter '" + parameter.name() + "' of scenario '"
                            + scenario.name() + "' is required.");
                }
                converted.put(parameter.name(), parameter.defaultValue());
                continue;
            }
            try {
                converted.put(parameter.name(), parameter.type().convert(value));
            } catch (IllegalArgumentException e) {
                throw invalid("Parameter '" + parameter.name() + "' of scenario '"
                        + scenario.name() + "' must be " + parameter.type().description() + ", got '"
                        + (value.isContainerNode() ? value.toString() : value.asText()) + "'.");
            }
        }
        return converted;
    }

    private static RequestRejectedException invalid(String message) {
        return new RequestRejectedException(RequestRejectedException.Reason.INVALID_FIELD, message);
    }
}
