package org.openinfolink.admin;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.openinfolink.server.InfoLinkServer;

/** How the console answers: its security headers, a page rendered by its view, an HTML error page. */
final class ConsoleResponses {

    /** The request attributes a view reads: the frame around the page, and the page's model. */
    static final String FRAME = "frame";
    static final String MODEL = "model";

    /** Everything a page needs ships in the WAR; nothing may frame it. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private ConsoleResponses() {
    }

    /** Headers of every console answer: not cached, not framed, only its own scripts and styles. */
    static void secure(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }

    /** Renders {@code view} ({@code WEB-INF/jsp/admin/<view>.jsp}) with its frame and model. */
    static void render(HttpServletRequest request, HttpServletResponse response, String view, Pages.Frame frame,
                       Object model) throws ServletException, IOException {
        request.setAttribute(FRAME, frame);
        request.setAttribute(MODEL, model);
        response.setContentType("text/html;charset=UTF-8");
        request.getRequestDispatcher(AdminServlet.VIEWS + view + ".jsp").forward(request, response);
    }

    /**
     * Answers an HTML error page with {@code status}. The navigation is shown to a logged-in user
     * only. The message must be fit for any user to read: it names no secret and no internals.
     */
    static void error(HttpServletRequest request, HttpServletResponse response, int status, String title,
                      String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        Pages.Frame frame = null;
        HttpSession session = request.getSession(false);
        if (request.getRemoteUser() != null && session != null) {
            InfoLinkServer server = (InfoLinkServer) request.getServletContext().getAttribute(InfoLinkServer.ATTRIBUTE);
            frame = new Pages.Frame("error", title, request.getRemoteUser(),
                    request.isUserInRole(AdminServlet.ROLE_ADMIN), CsrfTokens.of(session),
                    server == null ? "" : server.jobs().nodeId(), InfoLinkServer.version(), null);
        }
        try {
            render(request, response, "error", frame, new Pages.Error(status, title, message));
        } catch (ServletException e) {
            throw new IOException("The console's error page failed", e);
        }
    }
}
