package org.openinfolink.metrics;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.openinfolink.server.InfoLinkServer;

/**
 * {@code GET /metrics} (CONTRACT section 12.3): every metric of {@link ServerMetrics} in the
 * Prometheus text format 0.0.4. Access is the container's business: {@code web.xml} lets in only
 * the roles {@code infolink-metrics} and {@code infolink-admin}, with BASIC authentication.
 */
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The content type of the Prometheus text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        InfoLinkServer server = (InfoLinkServer) getServletContext().getAttribute(InfoLinkServer.ATTRIBUTE);
        response.setHeader("Cache-Control", "no-store");
        if (server == null) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("The server is not running.\n");
            return;
        }
        byte[] text = server.metrics().scrape().getBytes(StandardCharsets.UTF_8);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(text.length);
        response.getOutputStream().write(text);
    }
}
