package org.openinfolink.scenario;

import java.util.Map;

/**
 * A scenario file as loaded: either a valid {@link Scenario}, or the reason it is invalid. An
 * invalid scenario stays listed (with its reason) and answers SCENARIO_INVALID when run.
 *
 * @param name          the scenario's name
 * @param description   its description when it could be read, else null
 * @param parameters    its parameters when they could be read, else empty
 * @param scenario      the scenario, or null when invalid
 * @param invalidReason why it is invalid, e.g. {@code step 1: query is required}, or null
 */
public record ScenarioEntry(String name, String description, Map<String, ParameterDefinition> parameters,
                            Scenario scenario, String invalidReason) {

    public static ScenarioEntry valid(Scenario scenario) {
        return new ScenarioEntry(scenario.name(), scenario.description(), scenario.parameters(), scenario, null);
    }

    public static ScenarioEntry invalid(String name, String description,
                                        Map<String, ParameterDefinition> parameters, String reason) {
        return new ScenarioEntry(name, description, parameters, null, reason);
    }

    public boolean isValid() {
        return scenario != null;
    }
}
