package org.openinfolink.schedule;

import java.util.Arrays;
import java.util.Optional;

/** What a schedule does about fires that no node started in time (after downtime). */
public enum Misfire {
    /** One catch-up run for all the fires missed, then the schedule goes on as usual. */
    RUN_ONCE("runOnce"),
    /** No run for the fires missed: the schedule goes on with its next fire. */
    SKIP("skip");

    private final String configName;

    Misfire(String configName) {
        this.configName = configName;
    }

    /** The name written in {@code app.yaml}. */
    public String configName() {
        return configName;
    }

    public static Optional<Misfire> byName(String name) {
        return Arrays.stream(values()).filter(value -> value.configName.equals(name)).findFirst();
    }
}
