package org.openinfolink.admin;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.errors.InternalErrors;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.server.InfoLinkServer;

/**
 * The admin console's controller (CONTRACT section 11), at {@code /admin/*}: each GET prepares one
 * page's model ({@link ConsolePages}) and forwards to its view under {@code WEB-INF/jsp/admin/};
 * each action is a POST with the session's CSRF token. The container lets in only the roles
 * {@code infolink-admin} and {@code infolink-viewer} ({@code web.xml}); stopping a job needs
 * {@code infolink-admin}. Errors are HTML pages. GET never changes anything.
 */
public final class AdminServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(AdminServlet.class.getName());

    /** Everything, including stopping jobs. */
    public static final String ROLE_ADMIN = "infolink-admin";
    /** Reads every page, acts on nothing. */
    public static final String ROLE_VIEWER = "infolink-viewer";

    static final String VIEWS = "/WEB-INF/jsp/admin/";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        serve(request, response, "page", (server, path) -> {
            ConsolePages pages = new ConsolePages(server, request);
            switch (path) {
                case "/" -> pages.overview(response);
                case "/apps" -> pages.apps(response);
                case "/jobs" -> pages.jobs(response, "jobs");
                case "/jobs/rows" -> pages.jobs(response, "jobs-rows");
                case "/job" -> pages.job(response, "job");
                case "/job/live" -> pages.job(response, "job-live");
                case "/clients" -> pages.clients(response);
                case "/audit" -> pages.audit(response);
                default -> ConsoleResponses.error(request, response, HttpServletResponse.SC_NOT_FOUND,
                        "Not found", "The console has no page " + path + ".");
            }
        });
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        serve(request, response, "action", (server, path) -> {
            ConsoleActions actions = new ConsoleActions(server, request);
            HttpSession session = request.getSession(false);
            if (!CsrfTokens.matches(session, request.getParameter(CsrfTokens.PARAMETER))) {
                actions.refused(path, "INVALID_CSRF_TOKEN");
                ConsoleResponses.error(request, response, HttpServletResponse.SC_FORBIDDEN, "Form refused",
                        "This form is out of date or did not come from the console (its CSRF token does not "
                                + "match your session). Reload the page and try again.");
                return;
            }
            switch (path) {
                case "/job/stop" -> actions.stopJob(response);
                case "/logout" -> actions.logout(response);
                default -> ConsoleResponses.error(request, response, HttpServletResponse.SC_NOT_FOUND,
                        "Not found", "The console has no action " + path + ".");
            }
        });
    }

    /** What a GET or POST does once the server is known to run. */
    @FunctionalInterface
    private interface Handler {
        void handle(InfoLinkServer server, String path) throws ServletException, IOException;
    }

    /**
     * Runs a page or an action with the console's headers, and answers what it cannot do as an
     * HTML page: the server not running (503), the store unreachable (503), anything unexpected
     * (500, logged with a reference).
     *
     * @param what {@code page} or {@code action}, for messages and the log
     */
    private void serve(HttpServletRequest request, HttpServletResponse response, String what, Handler handler)
            throws ServletException, IOException {
        ConsoleResponses.secure(response);
        InfoLinkServer server = (InfoLinkServer) getServletContext().getAttribute(InfoLinkServer.ATTRIBUTE);
        if (server == null) {
            ConsoleResponses.error(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "Not running", "The server is not running: see the server's log.");
            return;
        }
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        try {
            handler.handle(server, path);
        } catch (StoreUnavailableException e) {
            LOG.log(Level.FINE, "Console " + what + " " + path + ": the job store is unavailable", e);
            ConsoleResponses.error(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "Job store unavailable", "The job store cannot be reached now"
                            + (what.equals("action") ? ": nothing was done. Try again when it is back."
                            : "; this page will work again when it is back."));
        } catch (RuntimeException e) {
            String reference = InternalErrors.log(LOG, "Console " + what + " " + path, e);
            ConsoleResponses.error(request, response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                    "Internal error", InternalErrors.message(reference));
        }
    }
}
