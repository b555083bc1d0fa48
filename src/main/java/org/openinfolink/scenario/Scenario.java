package org.openinfolink.scenario;

import java.util.List;
import java.util.Map;

/**
 * A validated scenario: a named sequence of steps with declared parameters. Immutable.
 *
 * @param name           the scenario's name (its file name without {@code .yaml})
 * @param description    free text, or null
 * @param parameters     declared parameters in file order
 * @param timeoutSeconds the job timeout, or null for {@code jobs.defaultTimeoutSeconds}
 * @param steps          the steps in order
 * @param rerunIfInterrupted whether a job interrupted by a node's end is queued again (at most
 *                       {@code 3} attempts) instead of ending stopped: the scenario is idempotent
 * @param concurrency    the limit on its jobs running at once, or null for none
 */
public record Scenario(String name, String description, Map<String, ParameterDefinition> parameters,
                       Integer timeoutSeconds, List<Step> steps, boolean rerunIfInterrupted,
                       Concurrency concurrency) {
}
