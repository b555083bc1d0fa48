package org.openinfolink.metrics;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;
import org.openinfolink.audit.AuditAction;
import org.openinfolink.audit.AuditEntry;
import org.openinfolink.server.InfoLinkServer;

/**
 * {@code GET /metrics} (CONTRACT section 12.3): every metric of {@link ServerMetrics} in the
 * Prometheus text format 0.0.4, for the container roles {@code infolink-metrics} and
 * {@code infolink-admin}. The web application's login is the console's FORM login, which takes no
 * BASIC header, so this servlet reads BASIC credentials itself and checks them against the
 * container's Realm ({@link HttpServletRequest#login}); a user logged in to the console is let in
 * by role too. No credentials or wrong ones answer 401 with a BASIC challenge, a user without the
 * roles 403. The API's keys and tokens never open it.
 */
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(MetricsServlet.class.getName());

    /** The content type of the Prometheus text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The roles that may read the metrics. */
    public static final List<String> ROLES = List.of("infolink-metrics", "infolink-admin");

    private static final String CHALLENGE = "Basic realm=\"InfoLink\", charset=\"UTF-8\"";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        InfoLinkServer server = (InfoLinkServer) getServletContext().getAttribute(InfoLinkServer.ATTRIBUTE);
        response.setHeader("Cache-Control", "no-store");
        if (!authenticated(request)) {
            if (server != null && request.getHeader("Authorization") != null) {
                // credentials that the Realm refused: no header at all is a scraper's first try
                server.audit().record(new AuditEntry(AuditAction.AUTHENTICATION_REFUSED, AuditEntry.UNKNOWN,
                        request.getRemoteAddr(), null, null, "INVALID_CREDENTIALS", "/metrics (BASIC)"));
            }
            response.setHeader("WWW-Authenticate", CHALLENGE);
            text(response, HttpServletResponse.SC_UNAUTHORIZED,
                    "Credentials of a user with the role infolink-metrics or infolink-admin are needed.\n");
            return;
        }
        if (ROLES.stream().noneMatch(request::isUserInRole)) {
            text(response, HttpServletResponse.SC_FORBIDDEN,
                    "The metrics need the role infolink-metrics or infolink-admin.\n");
            return;
        }
        if (server == null) {
            text(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "The server is not running.\n");
            return;
        }
        byte[] text = server.metrics().scrape().getBytes(StandardCharsets.UTF_8);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(text.length);
        response.getOutputStream().write(text);
    }

    /**
     * Whether the request has a user: one logged in already (the console's session), or one whose
     * BASIC credentials the Realm accepts.
     */
    private static boolean authenticated(HttpServletRequest request) {
        if (request.getUserPrincipal() != null) {
            return true;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = credentials.substring(0, colon);
        try {
            request.login(user, credentials.substring(colon + 1));
            return true;
        } catch (ServletException e) {
            LOG.fine(() -> "/metrics: the Realm refused the BASIC credentials of user '" + user + "'");
            return false;
        }
    }

    /** Answers a short text without the container's error page (which would answer JSON). */
    private static void text(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(message);
    }
}
