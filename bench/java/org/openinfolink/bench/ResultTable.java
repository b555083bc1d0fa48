package org.openinfolink.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The large-result part's report: a header naming the run, one line per database and mode (the
 * median of its runs, see {@link RunSummary}) with the database the server kept its job store on
 * and each server line's ratio to the baseline of the same database, the legend, and a short
 * summary in the words of the issue. Immutable.
 */
final class ResultTable {

    /** The goal: the server's rows per second at least this share of the baseline's. */
    static final double RATIO_GOAL = 0.8;

    private static final double MB = 1024.0 * 1024.0;
    private static final String ROW = "%-10s  %-10s  %-8s  %9s  %6s  %7s  %9s  %17s  %8s  %7s  %10s  %5s  %s";

    private final List<String> header;
    private final List<RunSummary> summaries;

    /** @param header lines printed above the table (date, machine, versions) */
    ResultTable(List<String> header, List<RunSummary> summaries) {
        this.header = List.copyOf(header);
        this.summaries = List.copyOf(summaries);
    }

    /** The whole report, one element per line. */
    List<String> lines() {
        List<String> lines = new ArrayList<>(header);
        lines.add("");
        lines.add(String.format(Locale.ROOT, ROW, "database", "job store", "mode", "rows", "MB", "time", "rows/s",
                "rows/s range", "vs base", "job", "first byte", "polls", "server peak heap (old gen)"));
        for (RunSummary summary : summaries) {
            lines.add(line(summary));
        }
        lines.add("");
        lines.add("Each line is the median of its runs (by time); rows/s range: the slowest and fastest run.");
        lines.add("vs base: the server's rows/s divided by the baseline's rows/s on the same database.");
        lines.add("database: where the result is computed; job store: the database the server keeps jobs and result"
                + " chunks in.");
        lines.add("job: the job's own run time on the server (query, JSON, writing the result's chunks to the job"
                + " store), from its startedAt/finishedAt.");
        lines.add("first byte: until the answer carrying the records began (sync: the executeJob answer;"
                + " async: the getJobStatus poll that saw the job finished).");
        lines.add("server peak heap: the sum of the heap pools' peaks since a GC before the run (an upper bound),"
                + " highest of the runs, of the server's heap; old gen: the old generation's peak alone.");
        lines.add("");
        lines.addAll(summary());
        return lines;
    }

    /** One line per server mode in the words of the issue. */
    List<String> summary() {
        List<String> lines = new ArrayList<>();
        for (RunSummary summary : summaries) {
            if (summary.isBaseline()) {
                continue;
            }
            Measurement m = summary.median();
            RunSummary baseline = baselineOf(summary);
            double ratio = m.rowsPerSecond() / baseline.rowsPerSecond();
            lines.add(String.format(Locale.ROOT,
                    "%-10s %-5s %-22s  %,d rows  %.1f s  %,.0f rows/s  ratio %.2f of baseline"
                            + " (%,.0f rows/s; goal %.2f: %s)  peak heap %s of %s",
                    m.database(), m.mode(), "(job store " + m.store() + ")", m.rows(), m.seconds(), m.rowsPerSecond(),
                    ratio, baseline.rowsPerSecond(), RATIO_GOAL, ratio >= RATIO_GOAL ? "met" : "NOT met",
                    megabytes(summary.peakHeapBytes()), megabytes(summary.maxHeapBytes())));
        }
        return lines;
    }

    private String line(RunSummary summary) {
        Measurement m = summary.median();
        RunSummary baseline = baselineOf(summary);
        return String.format(Locale.ROOT, ROW,
                m.database(), m.store(), m.mode(),
                String.format(Locale.ROOT, "%,d", m.rows()),
                String.format(Locale.ROOT, "%.1f", m.bytes() / MB),
                String.format(Locale.ROOT, "%.2f s", m.seconds()),
                String.format(Locale.ROOT, "%,.0f", m.rowsPerSecond()),
                String.format(Locale.ROOT, "%,.0f-%,.0f", summary.minRowsPerSecond(), summary.maxRowsPerSecond()),
                String.format(Locale.ROOT, "%.2f", m.rowsPerSecond() / baseline.rowsPerSecond()),
                m.job() == null ? "-" : String.format(Locale.ROOT, "%.2f s", m.job().toNanos() / 1e9),
                m.firstByteNanos() == null ? "-" : String.format(Locale.ROOT, "%.2f s", m.firstByteNanos() / 1e9),
                m.isBaseline() ? "-" : Integer.toString(m.polls()),
                summary.isBaseline() ? "- (benchmark JVM)"
                        : megabytes(summary.peakHeapBytes()) + " of " + megabytes(summary.maxHeapBytes())
                        + " (" + megabytes(summary.peakOldGenBytes()) + ")");
    }

    private RunSummary baselineOf(RunSummary summary) {
        return summaries.stream()
                .filter(other -> other.isBaseline() && other.database().equals(summary.database()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no baseline for " + summary.database()));
    }

    private static String megabytes(Long bytes) {
        return bytes == null ? "-" : String.format(Locale.ROOT, "%.0f MB", bytes / MB);
    }
}
