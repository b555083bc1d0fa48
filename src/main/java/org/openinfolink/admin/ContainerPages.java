package org.openinfolink.admin;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Logger;
import org.openinfolink.errors.InternalErrors;
import org.openinfolink.server.InfoLinkServer;

/**
 * The console's pages that the container forwards to, never a browser directly (they sit under
 * {@code WEB-INF}): the FORM login page ({@value #LOGIN}), the page of a failed login
 * ({@value #LOGIN_FAILED}, recorded in the audit trail), and the HTML error page of anything under
 * {@code /admin/} ({@value #ERROR}, forwarded to by the web application's error page).
 */
public final class ContainerPages extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ContainerPages.class.getName());

    public static final String LOGIN = "/WEB-INF/admin/login";
    public static final String LOGIN_FAILED = "/WEB-INF/admin/login-failed";
    public static final String ERROR = "/WEB-INF/admin/error";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        ConsoleResponses.secure(response);
        InfoLinkServer server = (InfoLinkServer) getServletContext().getAttribute(InfoLinkServer.ATTRIBUTE);
        switch (request.getServletPath()) {
            case LOGIN -> login(request, response, false);
            case LOGIN_FAILED -> {
                if (server != null) {
                    new ConsoleAudit(server, request).loginRefused(request.getParameter("j_username"));
                }
                login(request, response, true);
            }
            default -> containerError(request, response);
        }
    }

    private static void login(HttpServletRequest request, HttpServletResponse response, boolean failed)
            throws ServletException, IOException {
        request.setAttribute("loginFailed", failed);
        // a login page is shown in place of the page asked for: it must never be cached as that page
        ConsoleResponses.render(request, response, "login", null, null);
    }

    /** The container's own refusal of a console request (403 for a user without a console role, 404, 500). */
    private static void containerError(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer number ? number : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            String reference = InternalErrors.log(LOG, "Console request " + uri, failure);
            ConsoleResponses.error(request, response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "Internal error",
                    InternalErrors.message(reference));
            return;
        }
        String title;
        String message;
        switch (code) {
            case HttpServletResponse.SC_FORBIDDEN -> {
                title = "Not allowed";
                message = "The console needs the role infolink-admin or infolink-viewer. Ask the operator of this "
                        + "Tomcat to grant you one (conf/tomcat-users.xml or the realm in use).";
            }
            case HttpServletResponse.SC_NOT_FOUND -> {
                title = "Not found";
                message = "The console has no such page.";
            }
            case HttpServletResponse.SC_METHOD_NOT_ALLOWED -> {
                title = "Method not allowed";
                message = "The console does not take " + request.getMethod() + " here.";
            }
            default -> {
                title = "Error";
                message = "The request failed (HTTP " + code + "). See the server's log.";
            }
        }
        ConsoleResponses.error(request, response, code, title, message);
    }
}
