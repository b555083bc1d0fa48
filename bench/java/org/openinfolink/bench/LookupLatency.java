package org.openinfolink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.openinfolink.testdb.DatabaseServer;

/**
 * Part {@code poll}: {@code getJobStatus.jsp} and {@code getJobs.jsp} latency with many finished
 * jobs in a PostgreSQL job store. Three template jobs run on the server ({@code Small},
 * {@code Mark}, {@code Rare}); {@link JobSeeder} copies them into {@code bench.poll.jobs} finished
 * jobs with SQL and analyses the tables; then a few concurrent clients ({@link LoadGenerator})
 * make {@code getJobStatus} calls of random seeded jobs, and then ask for {@code getJobs} pages
 * (limit 50) of six kinds ({@link PageKind}), taking turns. Each part has a warm-up of a tenth of
 * its calls, not measured.
 *
 * <p>Every answer is checked against what was seeded: a status has the job's status, scenario,
 * its template's trace and result records exactly; a page lists exactly the expected jobs, newest
 * first, with the right {@code next} cursor. Any error fails the part, with the report made so far.
 */
final class LookupLatency {

    /** The goal for the 95th percentile of either call. */
    static final Duration GOAL_P95 = Duration.ofMillis(50);

    private static final int PAGE_LIMIT = 50;
    private static final long RANDOM_SEED = 20261202L;

    /** The kinds of getJobs pages asked for, in turn. */
    enum PageKind {
        NEWEST("newest page, no filter"),
        DEEP("after a deep cursor, no filter"),
        FAILED("status=completedWithError (5 %), deep cursor"),
        STOPPED("status=stopped (2 %), newest"),
        RARE("scenario=Rare (1 %), deep cursor"),
        RUNNING("status=running (none left)");

        private final String description;

        PageKind(String description) {
            this.description = description;
        }
    }

    /** One page to ask for, and what it must list: seeded job numbers, and whether a next cursor follows. */
    private record Page(PageKind kind, Map<String, String> parameters, int[] expected, boolean hasNext) {
    }

    private LookupLatency() {
    }

    /** Seeds the store, measures both calls, and returns the report lines. */
    static List<String> run(BenchOptions options, BenchServer server, JobStoreApi api, DatabaseServer store)
            throws Exception {
        Benchmarks.progress("poll: running the template jobs");
        Map<String, JsonNode> templateAnswers = new LinkedHashMap<>();
        Map<String, Long> templateSeqs = new LinkedHashMap<>();
        for (String scenario : List.of(JobSeeder.SMALL, JobSeeder.MARK, JobSeeder.RARE)) {
            String jobId = "template-" + scenario;
            JsonNode answer = api.execute(scenario, jobId, false);
            templateAnswers.put(scenario, api.status(jobId));
            templateSeqs.put(scenario, StoreQueries.seqOf(store, jobId));
            if (!"completed".equals(templateAnswers.get(scenario).path("status").asText())) {
                throw new IllegalStateException("template job " + jobId + " did not complete: " + answer);
            }
        }
        SubmissionLoad.awaitDrained(store, server);

        Benchmarks.progress(String.format(Locale.ROOT, "poll: seeding %,d finished jobs", options.pollJobs()));
        long seedStart = System.nanoTime();
        JobSeeder.Seeded seeded;
        try (Connection connection = store.connect()) {
            seeded = JobSeeder.seed(connection, options.pollJobs(), new JobSeeder.Templates(
                    templateSeqs.get(JobSeeder.SMALL), templateSeqs.get(JobSeeder.MARK),
                    templateSeqs.get(JobSeeder.RARE)));
        }
        Duration seeding = Duration.ofNanos(System.nanoTime() - seedStart);
        long storeJobs = StoreQueries.count(store, "il_job");
        Benchmarks.progress(String.format(Locale.ROOT, "poll: seeded in %.1f s (with VACUUM ANALYZE); the store"
                + " holds %,d jobs", seeding.toNanos() / 1e9, storeJobs));

        SplittableRandom random = new SplittableRandom(RANDOM_SEED);
        int[] statusJobs = random.ints(options.pollStatusCalls(), 1, seeded.jobs() + 1).toArray();
        int[] warmUpJobs = random.ints(Math.max(1, options.pollStatusCalls() / 10), 1, seeded.jobs() + 1).toArray();
        List<Page> pages = pages(options.pollPages(), seeded, random);
        List<Page> warmUpPages = pages(Math.max(PageKind.values().length, options.pollPages() / 10), seeded, random);
        int clients = options.pollClients();

        Benchmarks.progress("poll: getJobStatus, " + warmUpJobs.length + " warm-up and " + statusJobs.length
                + " measured calls from " + clients + " clients");
        LoadGenerator.Outcome statusWarmUp = LoadGenerator.forCount("status", clients, warmUpJobs.length,
                (client, number) -> checkStatus(api, warmUpJobs[number], templateAnswers));
        LoadGenerator.Outcome status = LoadGenerator.forCount("status", clients, statusJobs.length,
                (client, number) -> checkStatus(api, statusJobs[number], templateAnswers));

        Benchmarks.progress("poll: getJobs, " + warmUpPages.size() + " warm-up and " + pages.size()
                + " measured pages from " + clients + " clients");
        LoadGenerator.Outcome pagesWarmUp = LoadGenerator.forCount("pages", clients, warmUpPages.size(),
                (client, number) -> checkPage(api, warmUpPages.get(number), seeded));
        LoadGenerator.Outcome listing = LoadGenerator.forCount("pages", clients, pages.size(),
                (client, number) -> checkPage(api, pages.get(number), seeded));

        for (LoadGenerator.Outcome outcome : List.of(statusWarmUp, status, pagesWarmUp, listing)) {
            if (outcome.succeeded() == 0) {
                throw new IllegalStateException("no call succeeded; the first errors: "
                        + String.join(" | ", outcome.errorSamples()));
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%,d jobs in the PostgreSQL job store (%,d seeded with SQL in %.1f s,"
                        + " then VACUUM ANALYZE); %d concurrent clients; limit %d per page; warm-up calls not counted",
                storeJobs, seeded.jobs(), seeding.toNanos() / 1e9, clients, PAGE_LIMIT));
        lines.add("");
        lines.add(String.format(Locale.ROOT, "%-48s  %6s  %8s  %8s  %8s  %8s  %6s  %s", "call", "calls", "p50",
                "p95", "p99", "max", "errors", "p95 / 50 ms"));
        lines.add(line("getJobStatus (random seeded job)", status.latencies(), status.errors()));
        lines.add(line("getJobs (all kinds)", listing.latencies(), listing.errors()));
        for (PageKind kind : PageKind.values()) {
            listing.latencies(number -> pages.get(number).kind() == kind)
                    .ifPresent(latencies -> lines.add(line("  " + kind.description, latencies, -1)));
        }
        lines.add("");
        lines.add("Latency: from sending the GET to the last byte of the answer. The goal is a p95 under "
                + GOAL_P95.toMillis() + " ms for both calls: "
                + verdict(status.latencies()) + " for getJobStatus, " + verdict(listing.latencies()) + " for getJobs.");
        Path plans = options.outputDirectory().resolve(StoreQueries.PLANS_FILE);
        StoreQueries.writePlans(store, plans, seeded);
        lines.add("Query plans of the store's SQL for these calls (EXPLAIN ANALYZE, custom and generic): " + plans);
        requireNoErrors(lines, "getJobStatus warm-up", statusWarmUp);
        requireNoErrors(lines, "getJobStatus", status);
        requireNoErrors(lines, "getJobs warm-up", pagesWarmUp);
        requireNoErrors(lines, "getJobs", listing);
        return lines;
    }

    /**
     * {@code count} pages, the kinds taking turns; the cursors of a deep page are drawn from the upper
     * 90 % of the seeded jobs (for {@code Rare}, the upper half), so a full page always follows.
     */
    private static List<Page> pages(int count, JobSeeder.Seeded seeded, SplittableRandom random) {
        List<Page> pages = new ArrayList<>();
        int jobs = seeded.jobs();
        for (int i = 0; i < count; i++) {
            PageKind kind = PageKind.values()[i % PageKind.values().length];
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("limit", Integer.toString(PAGE_LIMIT));
            int from = jobs;
            switch (kind) {
                case NEWEST -> {
                }
                case DEEP, FAILED -> from = random.nextInt(jobs / 10, jobs) + 1;
                case RARE -> from = random.nextInt(jobs / 2, jobs) + 1;
                case STOPPED -> parameters.put("status", "stopped");
                case RUNNING -> parameters.put("status", "running");
            }
            if (kind == PageKind.FAILED) {
                parameters.put("status", "completedWithError");
            }
            if (kind == PageKind.RARE) {
                parameters.put("scenario", JobSeeder.RARE);
            }
            if (from < jobs) {
                parameters.put("after", Long.toString(seeded.seq(from)));
            }
            pages.add(expectedPage(kind, parameters, from < jobs ? from - 1 : jobs));
        }
        return pages;
    }

    /** The seeded jobs a page lists, newest first, from job {@code newest} down. */
    private static Page expectedPage(PageKind kind, Map<String, String> parameters, int newest) {
        if (kind == PageKind.RUNNING) {
            return new Page(kind, parameters, new int[0], false);
        }
        int[] expected = new int[PAGE_LIMIT];
        int found = 0;
        boolean more = false;
        for (int n = newest; n >= 1; n--) {
            if (matches(kind, n)) {
                if (found == PAGE_LIMIT) {
                    more = true;
                    break;
                }
                expected[found++] = n;
            }
        }
        if (found < PAGE_LIMIT || !more) {
            throw new IllegalStateException("too few seeded jobs for a full " + kind + " page below job " + newest
                    + "; seed more (bench.poll.jobs)");
        }
        return new Page(kind, parameters, expected, true);
    }

    private static boolean matches(PageKind kind, int n) {
        return switch (kind) {
            case NEWEST, DEEP -> true;
            case FAILED -> JobSeeder.state(n).equals("completedWithError");
            case STOPPED -> JobSeeder.state(n).equals("stopped");
            case RARE -> JobSeeder.scenario(n).equals(JobSeeder.RARE);
            case RUNNING -> false;
        };
    }

    /** Asks for seeded job {@code n} and checks the answer against its template. */
    private static void checkStatus(JobStoreApi api, int n, Map<String, JsonNode> templates) throws Exception {
        String jobId = "seed-" + n;
        JsonNode status = api.status(jobId);
        String state = JobSeeder.state(n);
        JsonNode template = templates.get(JobSeeder.scenario(n));
        boolean completed = state.equals("completed");
        boolean ok = jobId.equals(status.path("jobId").asText())
                && state.equals(status.path("state").asText())
                && (completed ? "completed" : state).equals(status.path("status").asText())
                && JobSeeder.scenario(n).equals(status.path("scenario").asText())
                && (completed ? template.path("trace").equals(status.path("trace")) : status.path("trace").isEmpty())
                && (completed ? template.path("results").equals(status.path("results"))
                        : status.path("results").isMissingNode());
        if (!ok) {
            throw new IllegalStateException("getJobStatus of " + jobId + " (expected " + state + ", scenario "
                    + JobSeeder.scenario(n) + ", the template's trace and results) answered " + status);
        }
    }

    private static void checkPage(JobStoreApi api, Page page, JobSeeder.Seeded seeded) throws Exception {
        JsonNode result = api.jobs(page.parameters());
        JsonNode jobs = result.path("jobs");
        boolean ok = jobs.size() == page.expected().length;
        for (int i = 0; ok && i < page.expected().length; i++) {
            int n = page.expected()[i];
            JsonNode job = jobs.get(i);
            ok = ("seed-" + n).equals(job.path("jobId").asText())
                    && JobSeeder.state(n).equals(job.path("state").asText())
                    && JobSeeder.scenario(n).equals(job.path("scenario").asText());
        }
        String next = result.path("next").asText(null);
        String expectedNext = page.hasNext()
                ? Long.toString(seeded.seq(page.expected()[page.expected().length - 1])) : null;
        ok = ok && (expectedNext == null ? next == null : expectedNext.equals(next));
        if (!ok) {
            throw new IllegalStateException("getJobs " + page.parameters() + " answered " + jobs.size()
                    + " jobs (first " + jobs.path(0).path("jobId").asText("-") + ", next " + next + "), expected "
                    + page.expected().length + " (first " + (page.expected().length == 0 ? "-" : "seed-"
                    + page.expected()[0]) + ", next " + expectedNext + ")");
        }
    }

    private static String line(String call, Latencies latencies, int errors) {
        return String.format(Locale.ROOT, "%-48s  %,6d  %8s  %8s  %8s  %8s  %6s  %.2f", call, latencies.count(),
                Latencies.millis(latencies.p50()), Latencies.millis(latencies.p95()), Latencies.millis(latencies.p99()),
                Latencies.millis(latencies.max()), errors < 0 ? "" : Integer.toString(errors),
                latencies.p95() / (double) GOAL_P95.toNanos());
    }

    private static String verdict(Latencies latencies) {
        return latencies.p95() < GOAL_P95.toNanos() ? "met" : "NOT met";
    }

    private static void requireNoErrors(List<String> report, String what, LoadGenerator.Outcome outcome) {
        if (outcome.errors() > 0) {
            throw new BenchReport.PartFailed(report, outcome.errors() + " of " + outcome.calls() + " " + what
                    + " calls failed; the first: " + String.join(" | ", outcome.errorSamples()));
        }
    }
}
