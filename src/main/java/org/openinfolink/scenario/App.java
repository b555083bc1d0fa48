package org.openinfolink.scenario;

import java.util.Map;
import java.util.Optional;

/**
 * An app as loaded from {@code apps/<appId>/}. Immutable. An app whose {@code app.yaml} is invalid
 * keeps its id and the reason; running anything in it answers SCENARIO_INVALID.
 *
 * @param id              the app id (its folder name)
 * @param name            the display name, or the id
 * @param description     free text, or null
 * @param sources         named source definitions; {@code default} may be absent here (the
 *                        server's default applies)
 * @param defaultSource   the source used by steps without {@code sourceName}
 * @param variables       app variables with their initial values
 * @param scenarios       every scenario file by name, valid or not
 * @param invalidReason   why {@code app.yaml} is unusable, or null
 */
public record App(String id, String name, String description, Map<String, SourceDefinition> sources,
                  String defaultSource, Map<String, String> variables, Map<String, ScenarioEntry> scenarios,
                  String invalidReason) {

    public static final String DEFAULT_SOURCE = "default";

    public boolean isValid() {
        return invalidReason == null;
    }

    public Optional<ScenarioEntry> scenario(String scenarioName) {
        return Optional.ofNullable(scenarios.get(scenarioName));
    }
}
