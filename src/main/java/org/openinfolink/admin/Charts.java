package org.openinfolink.admin;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openinfolink.job.JobState;
import org.openinfolink.job.JobStore.FinishedCounts;

/**
 * Lays out the Overview's charts from the store's counts of finished jobs: jobs finished per
 * minute by status, and how long jobs ran, each over the last hour and the last day.
 */
final class Charts {

    /** The duration classes' upper bounds, as the store counts them. */
    static final long[] DURATION_BOUNDS_MILLIS = {100, 1_000, 10_000, 60_000, 600_000};
    private static final String[] DURATION_LABELS = {"< 100 ms", "< 1 s", "< 10 s", "< 1 min", "< 10 min", "≥ 10 min"};
    /** The window the store is asked about: the longest chart's. */
    static final long DAY_MILLIS = 24 * 60 * 60 * 1000L;

    private static final List<JobState> STATES = List.of(JobState.COMPLETED, JobState.COMPLETED_WITH_ERROR,
            JobState.STOPPED);
    /** 16 units right of the plot: the last label ("now", "≥ 10 min") is centred under its bar. */
    private static final BarChart.Area AREA = BarChart.Area.of(600, 180, 44, 10, 584, 150);

    private Charts() {
    }

    /** The four charts: finished per minute (hour, day), durations (hour, day). */
    static List<BarChart> of(FinishedCounts counts) {
        return List.of(
                finished(counts, "finished-hour", "Jobs finished per minute, last hour", 60, 1),
                finished(counts, "finished-day", "Jobs finished per 15 minutes, last 24 hours", 96, 15),
                durations(counts, "durations-hour", "Job durations, last hour", 60),
                durations(counts, "durations-day", "Job durations, last 24 hours", 24 * 60));
    }

    /** {@code buckets} bars of {@code minutesPerBucket} minutes each, oldest on the left. */
    private static BarChart finished(FinishedCounts counts, String id, String title, int buckets,
                                     int minutesPerBucket) {
        List<Map<JobState, Long>> perBucket = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            perBucket.add(new EnumMap<>(JobState.class));
        }
        for (FinishedCounts.Count count : counts.counts()) {
            int ago = count.minutesAgo() / minutesPerBucket;
            if (ago >= 0 && ago < buckets) {
                perBucket.get(buckets - 1 - ago).merge(count.state(), (long) count.jobs(), Long::sum);
            }
        }
        List<String> tips = new ArrayList<>();
        List<String> axis = new ArrayList<>();
        int labelMinutes = minutesPerBucket == 1 ? 10 : 240;
        for (int i = 0; i < buckets; i++) {
            int minutesAgo = (buckets - 1 - i) * minutesPerBucket;
            String ago = minutesAgo == 0 ? "now" : minutesAgo % 60 == 0 ? "-" + minutesAgo / 60 + " h"
                    : "-" + minutesAgo + " min";
            tips.add(minutesAgo == 0 ? "in the last " + (minutesPerBucket == 1 ? "minute" : "15 minutes")
                    : "in the " + (minutesPerBucket == 1 ? "minute" : "15 minutes") + " from " + ago);
            axis.add(minutesAgo % labelMinutes == 0 ? ago : null);
        }
        return stacked(id, title, perBucket, tips, axis);
    }

    /** One bar per duration class over the last {@code minutes}. */
    private static BarChart durations(FinishedCounts counts, String id, String title, int minutes) {
        List<Map<JobState, Long>> perClass = new ArrayList<>();
        for (int i = 0; i < DURATION_LABELS.length; i++) {
            perClass.add(new EnumMap<>(JobState.class));
        }
        for (FinishedCounts.Count count : counts.counts()) {
            if (count.minutesAgo() < minutes && count.durationClass() >= 0) {
                perClass.get(count.durationClass()).merge(count.state(), (long) count.jobs(), Long::sum);
            }
        }
        List<String> tips = new ArrayList<>();
        for (String label : DURATION_LABELS) {
            tips.add("that ran " + label);
        }
        return stacked(id, title, perClass, tips, List.of(DURATION_LABELS));
    }

    /**
     * @param tips one per group: the end of each bar's tooltip
     * @param axis one per group: its label under the axis, or null for none
     */
    private static BarChart stacked(String id, String title, List<Map<JobState, Long>> groups, List<String> tips,
                                    List<String> axis) {
        long max = 0;
        long total = 0;
        for (Map<JobState, Long> group : groups) {
            long sum = group.values().stream().mapToLong(Long::longValue).sum();
            max = Math.max(max, sum);
            total += sum;
        }
        long yMax = niceCeiling(max);
        double slot = (double) AREA.plotWidth() / groups.size();
        double barWidth = Math.max(1, slot * 0.8);
        List<BarChart.Bar> bars = new ArrayList<>();
        List<BarChart.Label> xLabels = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            double x = AREA.left() + i * slot + (slot - barWidth) / 2;
            double base = AREA.bottom();
            for (JobState state : STATES) {
                long jobs = groups.get(i).getOrDefault(state, 0L);
                if (jobs == 0) {
                    continue;
                }
                double height = (double) jobs / yMax * AREA.plotHeight();
                base -= height;
                bars.add(new BarChart.Bar(round(x), round(base), round(barWidth), round(height), state.stateName(),
                        jobs + " " + state.stateName() + " " + tips.get(i)));
            }
            if (axis.get(i) != null) {
                xLabels.add(new BarChart.Label(round(x + barWidth / 2), axis.get(i)));
            }
        }
        String summary = total == 0 ? "No job finished in this time."
                : total + " job(s) in all; at most " + max + " in one bar.";
        List<BarChart.Legend> legend = STATES.stream()
                .map(state -> new BarChart.Legend(state.stateName(), state.stateName())).toList();
        return new BarChart(id, title, summary, AREA, bars, xLabels, yMax, legend);
    }

    /** 1, 2, 5, 10, 20, 50, ...: the smallest at least {@code value} (and at least 1). */
    static long niceCeiling(long value) {
        long step = 1;
        while (true) {
            for (long factor : new long[] {1, 2, 5}) {
                if (step * factor >= value) {
                    return step * factor;
                }
            }
            step *= 10;
        }
    }

    private static double round(double value) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.1f", value));
    }
}
