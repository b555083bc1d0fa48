package org.openinfolink.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the console writes times and durations: UTC, to the second, short units. */
final class Formats {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter INPUT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** {@code 2026-12-02 22:15:03}, UTC; empty for null. */
    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** The value of an {@code <input type="datetime-local">}: {@code 2026-12-02T22:15}, UTC; empty for null. */
    static String inputTime(Instant instant) {
        return instant == null ? "" : INPUT.format(instant);
    }

    /** {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s}, {@code 2 h 10 min}, {@code 3 d 4 h}; empty for null. */
    static String duration(Duration duration) {
        if (duration == null) {
            return "";
        }
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        if (seconds < 86_400) {
            return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%d d %d h", seconds / 86_400, seconds % 86_400 / 3600);
    }

    static String duration(Instant from, Instant to) {
        return from == null || to == null ? "" : duration(Duration.between(from, to));
    }
}
