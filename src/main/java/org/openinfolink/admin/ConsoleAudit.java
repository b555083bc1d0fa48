package org.openinfolink.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.openinfolink.audit.AuditAction;
import org.openinfolink.audit.AuditEntry;
import org.openinfolink.audit.AuditQuery;
import org.openinfolink.audit.AuditRecord;
import org.openinfolink.server.InfoLinkServer;

/**
 * The console's side of the audit trail (CONTRACT section 13): records its users' logins, refused
 * logins, actions and logouts, and prepares the Audit page. Used by one request thread.
 */
final class ConsoleAudit {

    /** Session attribute: the user whose login this session has recorded. */
    private static final String LOGIN_RECORDED = "org.openinfolink.admin.loginRecorded";
    /** How long the Audit page waits for entries just recorded to reach the store. */
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(1);

    private final InfoLinkServer server;
    private final HttpServletRequest request;

    ConsoleAudit(InfoLinkServer server, HttpServletRequest request) {
        this.server = server;
        this.request = request;
    }

    /**
     * Records the login of this session's user the first time the session shows a page: the
     * container's FORM login ran just before, and tells the web application nothing itself.
     */
    void loginSeen(HttpSession session) {
        String user = request.getRemoteUser();
        if (user == null) {
            return;
        }
        synchronized (session) {
            if (user.equals(session.getAttribute(LOGIN_RECORDED))) {
                return;
            }
            session.setAttribute(LOGIN_RECORDED, user);
        }
        record(AuditAction.CONSOLE_LOGIN, user, null, null, "OK",
                "as " + (request.isUserInRole(AdminServlet.ROLE_ADMIN) ? AdminServlet.ROLE_ADMIN : AdminServlet.ROLE_VIEWER)
                        + " (" + request.getAuthType() + ")");
    }

    /** Records a console action of the logged-in user. */
    void action(AuditAction action, String appId, String jobId, String outcome, String detail) {
        String user = request.getRemoteUser();
        record(action, user == null ? "-" : user, appId, jobId, outcome, detail);
    }

    /** Records a refused login; {@code user} is the name typed, which may be anything. */
    void loginRefused(String user) {
        String shown = user == null || user.isBlank() ? "-" : user.strip();
        record(AuditAction.CONSOLE_LOGIN_REFUSED, shown.length() > 100 ? shown.substring(0, 100) : shown, null, null,
                "INVALID_CREDENTIALS", "FORM login");
    }

    private void record(AuditAction action, String who, String appId, String jobId, String outcome, String detail) {
        server.audit().record(new AuditEntry(action, who, request.getRemoteAddr(), appId, jobId, outcome, detail));
    }

    /** The Audit page's model: the filters as given, one page of entries, newest first. */
    Pages.Audit page(ConsolePages pages) {
        List<String> actions = Arrays.stream(AuditAction.values()).map(AuditAction::actionName).toList();
        String action = pages.text("action");
        String who = pages.text("who");
        String app = pages.text("app");
        String job = pages.text("job");
        String outcome = pages.text("outcome");
        String from = pages.text("from");
        String to = pages.text("to");
        List<String> problems = new ArrayList<>();
        Optional<AuditAction> chosen = AuditAction.byName(action);
        if (!action.isEmpty() && chosen.isEmpty()) {
            problems.add("There is no action '" + action + "'.");
        }
        Instant fromTime = pages.time("from", from, problems);
        Instant toTime = pages.time("to", to, problems);
        Long before = pages.cursor(problems);
        List<Pages.AuditRow> rows = List.of();
        String olderHref = null;
        if (problems.isEmpty()) {
            // what was recorded a moment ago, e.g. the action that led here, is written first
            server.audit().flush(FLUSH_WAIT);
            List<AuditRecord> found = server.audit().list(new AuditQuery(chosen.orElse(null), blankToNull(who),
                    blankToNull(app), blankToNull(job), blankToNull(outcome), fromTime, toTime, before,
                    ConsolePages.PAGE_SIZE + 1));
            if (found.size() > ConsolePages.PAGE_SIZE) {
                found = found.subList(0, ConsolePages.PAGE_SIZE);
                TreeMap<String, String> filters = new TreeMap<>();
                filters.put("action", action);
                filters.put("who", who);
                filters.put("app", app);
                filters.put("job", job);
                filters.put("outcome", outcome);
                filters.put("from", from);
                filters.put("to", to);
                filters.put("before", Long.toString(found.get(found.size() - 1).seq()));
                olderHref = "audit?" + ConsolePages.query(filters);
            }
            rows = found.stream().map(ConsoleAudit::row).toList();
        }
        return new Pages.Audit(actions, action, who, app, job, outcome, from, to, rows, olderHref,
                problems.isEmpty() ? null : String.join(" ", problems));
    }

    private static Pages.AuditRow row(AuditRecord record) {
        AuditEntry entry = record.entry();
        String jobHref = entry.appId() != null && entry.jobId() != null
                ? ConsolePages.jobHref(entry.appId(), entry.jobId()) : null;
        return new Pages.AuditRow(Formats.time(record.at()), entry.who(), nullToEmpty(entry.remoteAddress()),
                entry.action().actionName(), nullToEmpty(entry.appId()), nullToEmpty(entry.jobId()),
                nullToEmpty(entry.outcome()), nullToEmpty(entry.detail()), jobHref);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
