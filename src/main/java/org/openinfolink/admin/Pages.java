package org.openinfolink.admin;

import java.util.List;

/**
 * The models the console's views render: plain immutable records of text the controller has
 * already formatted, so a view only lays out and escapes ({@code <c:out>}). Nothing here holds a
 * key, a secret or a hash.
 */
public final class Pages {

    private Pages() {
    }

    /**
     * What every page shows around its content.
     *
     * @param page      the page's name in the navigation ({@code overview}, {@code jobs}, ...)
     * @param title     the page's title
     * @param user      who is logged in
     * @param admin     whether that user may act (role {@code infolink-admin}) or only read
     * @param csrfToken the session's token, for every form that POSTs
     * @param nodeId    this node
     * @param version   the server's version
     * @param notice    a one-time message after an action, or null
     */
    public record Frame(String page, String title, String user, boolean admin, String csrfToken, String nodeId,
                        String version, String notice) {
    }

    /** A name and its value, e.g. one setting. */
    public record Entry(String name, String value) {
    }

    /** A node of the store: its id, heartbeat age, running jobs, whether it is this node. */
    public record NodeRow(String nodeId, String heartbeatAge, int runningJobs, boolean self) {
    }

    /** A pool's figures now; a figure the pool does not tell is -1. */
    public record PoolRow(String name, int active, int idle, int max, int waiting, boolean exhausted) {
    }

    /**
     * One job in a listing.
     *
     * @param state      its state name ({@code running}, {@code completedWithError}, ...)
     * @param progress   {@code step 2 of 5: Load rows} while it runs, else empty
     * @param duration   how long it ran or runs so far
     * @param href       the console's page of the job, relative to the console
     */
    public record JobRow(String appId, String jobId, String scenario, String state, String client,
                         String submitted, String started, String finished, String duration, String node,
                         int attempt, String progress, String message, String href) {
    }

    /**
     * The Overview.
     *
     * @param charts jobs finished per minute by status and job durations, last hour and last day
     */
    public record Overview(String version, String nodeId, String startedAt, String uptime, String home,
                           String store, List<Entry> settings, List<NodeRow> nodes, int queued,
                           int runningHere, List<JobRow> running, List<PoolRow> pools, List<BarChart> charts,
                           int problems) {
    }

    /** A data source of an app: its name and what it is (a pool's URL with any password masked). */
    public record SourceRow(String name, String kind, String target) {
    }

    /** A parameter of a scenario. */
    public record ParameterRow(String name, String type, boolean required, String defaultText) {
    }

    /** A scenario file of an app: valid, or why not. */
    public record ScenarioRow(String name, String description, List<ParameterRow> parameters, boolean valid,
                              String invalidReason) {
    }

    /** An app with its sources and scenarios. */
    public record AppRow(String id, String name, String description, boolean valid, String invalidReason,
                         String defaultSource, List<SourceRow> sources, List<ScenarioRow> scenarios,
                         List<String> variables) {
    }

    /**
     * The Apps page.
     *
     * @param problems every invalid file as {@code <path>: <reason>}
     */
    public record Apps(List<AppRow> apps, List<String> problems) {
    }

    /**
     * The Jobs page: the filters as given, one page of jobs, the cursor of the next.
     *
     * @param filterQuery the filters as a query string, for the live refresh and the paging links
     * @param olderHref   the next page's link, or null on the last page
     * @param live        whether the rows refresh themselves (the first page only)
     */
    public record Jobs(List<String> apps, List<String> states, String app, String state, String scenario,
                       String from, String to, List<JobRow> jobs, String filterQuery, String olderHref,
                       boolean live, String error) {
    }

    /** One step of a job's trace. */
    public record TraceRow(String label, String title, String operation, String outcome, String started,
                           String duration, String rows, String message, List<String> statements) {
    }

    /**
     * The first records of a result set, as text cells.
     *
     * @param shown how many records are shown (at most 100)
     */
    public record ResultView(int number, String name, long rows, List<String> columns, List<List<Cell>> records,
                             int shown) {
    }

    /** A cell: its text, or SQL NULL. */
    public record Cell(String text, boolean isNull) {
    }

    /**
     * The Job page.
     *
     * @param finished  whether it has ended (then nothing refreshes)
     * @param stoppable whether a Stop button makes sense (it has not ended, nor is it being stopped)
     */
    public record Job(JobRow job, String operation, boolean finished, boolean stoppable, List<TraceRow> trace,
                      List<ResultView> results) {
    }

    /** A client of {@code clients.yaml}: never its key, secret or their hashes. */
    public record ClientRow(String name, String apps, List<String> operations, boolean apiKey, String clientId) {
    }

    /** An audit entry as shown. */
    public record AuditRow(String at, String who, String remoteAddress, String action, String appId,
                           String jobId, String outcome, String detail, String jobHref) {
    }

    /** The Audit page: the filters as given, one page of entries, the next page's link. */
    public record Audit(List<String> actions, String action, String who, String app, String job, String outcome,
                        String from, String to, List<AuditRow> entries, String olderHref, String error) {
    }

    /** An error page of the console. */
    public record Error(int status, String title, String message) {
    }
}
