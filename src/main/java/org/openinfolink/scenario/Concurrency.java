package org.openinfolink.scenario;

import java.util.Locale;
import java.util.Optional;

/**
 * A scenario's limit on its jobs running at once, across every node of the job store
 * ({@code concurrency: {max: 1, whenBusy: queue}}, CONTRACT section 15). Immutable.
 *
 * @param max      how many of the scenario's jobs may run at once, at least 1
 * @param whenBusy what happens to a job submitted while {@code max} run
 */
public record Concurrency(int max, WhenBusy whenBusy) {

    /** What a job submitted to a busy scenario does. */
    public enum WhenBusy {
        /** It waits queued until a job of the scenario ends. */
        QUEUE,
        /** It is refused with {@code SCENARIO_BUSY}. */
        REJECT;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<WhenBusy> byName(String name) {
            for (WhenBusy value : values()) {
                if (value.yamlName().equals(name)) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        }
    }

    public Concurrency {
        if (max < 1) {
            throw new IllegalArgumentException("concurrency.max must be at least 1");
        }
    }

    public boolean rejectsWhenBusy() {
        return whenBusy == WhenBusy.REJECT;
    }
}
