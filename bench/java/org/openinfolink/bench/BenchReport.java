package org.openinfolink.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report of one run of the benchmark: a header, then one section per part, written to a file
 * again after every part, so a part that fails leaves the earlier ones and its own report so far
 * on disk. Owned by the benchmark's main thread.
 */
final class BenchReport {

    /** One part's work; returns its report lines. */
    @FunctionalInterface
    interface Part {
        List<String> run() throws Exception;
    }

    /** A part that measured but found something wrong: its report so far, and what was wrong. */
    static final class PartFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient List<String> report;

        PartFailed(List<String> report, String message) {
            super(message);
            this.report = List.copyOf(report);
        }

        List<String> report() {
            return report;
        }
    }

    private final Path file;
    private final List<String> lines = new ArrayList<>();

    BenchReport(Path file, List<String> header) {
        this.file = file;
        lines.addAll(header);
    }

    /**
     * Runs a part and adds its section; when it throws, adds what it reported and the failure,
     * writes the file, and throws on.
     */
    void part(String title, Part part) throws Exception {
        List<String> section = new ArrayList<>();
        section.add("");
        section.add("== " + title);
        section.add("");
        try {
            section.addAll(part.run());
        } catch (PartFailed e) {
            section.addAll(e.report());
            section.add("FAILED: " + e.getMessage());
            throw e;
        } catch (Exception | Error e) {
            section.add("FAILED: " + e);
            throw e;
        } finally {
            lines.addAll(section);
            write();
            System.out.println();
            section.forEach(System.out::println);
            System.out.println();
        }
    }

    /** Adds lines at the end and writes the file. */
    void finish(List<String> footer) throws IOException {
        lines.add("");
        lines.addAll(footer);
        write();
    }

    Path file() {
        return file;
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    private void write() throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
