package org.openinfolink.scenario;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The operations a step or a request can run (CONTRACT section 4.2), by their API names. */
public enum OperationType {
    RUN_SCENARIO("RunScenario"),
    TRANSFORM("Transform"),
    RUN_SOURCE_SCRIPT("RunSourceScript"),
    SET_VARIABLE("SetVariable");

    private final String opName;

    OperationType(String opName) {
        this.opName = opName;
    }

    /** The name used in requests, scenario files and {@code clients.yaml}. */
    public String opName() {
        return opName;
    }

    /** The operation of that exact (case-sensitive) name. */
    public static Optional<OperationType> byName(String opName) {
        return Arrays.stream(values()).filter(type -> type.opName.equals(opName)).findFirst();
    }

    public static String allNames() {
        return Arrays.stream(values()).map(OperationType::opName).collect(Collectors.joining(", "));
    }
}
