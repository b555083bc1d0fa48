package org.openinfolink.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.openinfolink.server.InfoLinkServer;

/**
 * Answers any method but GET and POST on an endpoint under {@code /api/} with METHOD_NOT_ALLOWED in
 * the error envelope (HTTP status as {@code api.httpErrorStatus} says). Jasper would otherwise
 * answer PUT or DELETE on a JSP itself, with an HTML page.
 */
public final class ApiMethodFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest httpRequest = (HttpServletRequest) request;
        String method = httpRequest.getMethod();
        // a path that is no endpoint is left to the container, whose 404 or 405 the error page
        // answers in the envelope with that status kept
        if (method.equals("GET") || method.equals("POST")
                || request.getServletContext().getResource(httpRequest.getServletPath()) == null) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse httpResponse = (HttpServletResponse) response;
        httpResponse.setHeader("Allow", "GET, POST");
        InfoLinkServer server = (InfoLinkServer) request.getServletContext().getAttribute(InfoLinkServer.ATTRIBUTE);
        ApiResponder.of(server).error(httpResponse, new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
                "Method " + method + " is not allowed; the API accepts GET and POST."));
    }
}
