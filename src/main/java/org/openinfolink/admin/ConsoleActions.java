package org.openinfolink.admin;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.openinfolink.audit.AuditAction;
import org.openinfolink.job.StopOutcome;
import org.openinfolink.server.InfoLinkServer;

/**
 * The console's actions, each a POST whose CSRF token {@link AdminServlet} has checked: stop a
 * job, log out. Each is recorded in the audit trail, refused ones too, and answers with a
 * redirect to a page (post, redirect, get), carrying its outcome as a one-time notice. Used by one
 * request thread.
 */
final class ConsoleActions {

    /** Session attribute: the notice the next page shows once. */
    private static final String NOTICE = "org.openinfolink.admin.notice";

    private final InfoLinkServer server;
    private final HttpServletRequest request;
    private final ConsoleAudit audit;

    ConsoleActions(InfoLinkServer server, HttpServletRequest request) {
        this.server = server;
        this.request = request;
        this.audit = new ConsoleAudit(server, request);
    }

    /** Stops a job, for {@code infolink-admin} only. */
    void stopJob(HttpServletResponse response) throws IOException {
        String appId = parameter("app");
        String jobId = parameter("id");
        if (!request.isUserInRole(AdminServlet.ROLE_ADMIN)) {
            audit.action(AuditAction.CONSOLE_STOP_JOB, appId, jobId, "FORBIDDEN", "needs " + AdminServlet.ROLE_ADMIN);
            ConsoleResponses.error(request, response, HttpServletResponse.SC_FORBIDDEN, "Not allowed",
                    "Stopping a job needs the role " + AdminServlet.ROLE_ADMIN + "; you may only look.");
            return;
        }
        Optional<StopOutcome> outcome = appId.isEmpty() || jobId.isEmpty() ? Optional.empty()
                : server.jobs().stop(appId, jobId);
        if (outcome.isEmpty()) {
            audit.action(AuditAction.CONSOLE_STOP_JOB, appId, jobId, "JOB_NOT_FOUND", null);
            ConsoleResponses.error(request, response, HttpServletResponse.SC_NOT_FOUND, "No such job",
                    "App '" + appId + "' has no job '" + jobId + "'.");
            return;
        }
        audit.action(AuditAction.CONSOLE_STOP_JOB, appId, jobId, "OK", outcome.get().text());
        notice("Job " + jobId + ": " + outcome.get().text() + ".");
        response.sendRedirect(response.encodeRedirectURL(request.getContextPath() + "/admin/"
                + ConsolePages.jobHref(appId, jobId)));
    }

    /** Ends the session and shows the login page again. */
    void logout(HttpServletResponse response) throws IOException, ServletException {
        audit.action(AuditAction.CONSOLE_LOGOUT, null, null, "OK", null);
        HttpSession session = request.getSession(false);
        request.logout();
        if (session != null) {
            session.invalidate();
        }
        response.sendRedirect(request.getContextPath() + "/admin/");
    }

    /** Records an action refused before it ran (a CSRF token that did not match); no action, no record. */
    void refused(String path, String outcome) {
        AuditAction action = switch (path) {
            case "/job/stop" -> AuditAction.CONSOLE_STOP_JOB;
            case "/logout" -> AuditAction.CONSOLE_LOGOUT;
            default -> null;
        };
        if (action != null) {
            audit.action(action, nullIfEmpty(parameter("app")), nullIfEmpty(parameter("id")), outcome, "POST " + path);
        }
    }

    /** The notice of the last action, once: it is gone after this. */
    static String takeNotice(HttpSession session) {
        Object notice = session.getAttribute(NOTICE);
        if (notice != null) {
            session.removeAttribute(NOTICE);
        }
        return notice instanceof String text ? text : null;
    }

    private void notice(String text) {
        request.getSession(true).setAttribute(NOTICE, text);
    }

    private String parameter(String name) {
        String value = request.getParameter(name);
        return value == null ? "" : value.strip();
    }

    private static String nullIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}
