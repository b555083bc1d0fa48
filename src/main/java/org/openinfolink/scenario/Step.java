package org.openinfolink.scenario;

/**
 * One step of a scenario. Immutable.
 *
 * @param number    1-based position in the scenario
 * @param title     the title shown in progress and messages
 * @param operation what the step does
 */
public record Step(int number, String title, Operation operation) {
}
