package org.openinfolink.bench;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The measured runs of one mode on one database, summarised: the median run (by time) stands for
 * them, the spread of rows per second is kept, and the server's peak heap is the highest of the
 * runs. Immutable.
 *
 * @param runs the runs, at least one, all of the same database and mode
 */
record RunSummary(List<Measurement> runs) {

    RunSummary {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        runs = List.copyOf(runs);
    }

    /** The run with the median time (the slower of the middle two for an even count). */
    Measurement median() {
        List<Measurement> byTime = runs.stream().sorted(Comparator.comparingLong(Measurement::nanos)).toList();
        return byTime.get(byTime.size() / 2);
    }

    String database() {
        return runs.get(0).database();
    }

    String store() {
        return runs.get(0).store();
    }

    boolean isBaseline() {
        return runs.get(0).isBaseline();
    }

    double rowsPerSecond() {
        return median().rowsPerSecond();
    }

    double minRowsPerSecond() {
        return runs.stream().mapToDouble(Measurement::rowsPerSecond).min().orElseThrow();
    }

    double maxRowsPerSecond() {
        return runs.stream().mapToDouble(Measurement::rowsPerSecond).max().orElseThrow();
    }

    /** The highest peak heap of the runs; null for the baseline. */
    Long peakHeapBytes() {
        return highest(Measurement::peakHeapBytes);
    }

    /** The highest old generation peak of the runs; null for the baseline. */
    Long peakOldGenBytes() {
        return highest(Measurement::peakOldGenBytes);
    }

    Long maxHeapBytes() {
        return runs.get(0).maxHeapBytes();
    }

    private Long highest(Function<Measurement, Long> figure) {
        return runs.stream().map(figure).filter(value -> value != null).max(Long::compare).orElse(null);
    }
}
