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
 * Answers any method but GET and POST under {@code /api/} with METHOD_NOT_ALLOWED in the error
 * envelope. Jasper would otherwise answer PUT or DELETE on a JSP itself, with an HTML page.
 */
public final class ApiMethodFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest httpRequest = (HttpServletRequest) request;
        String method = httpRequest.getMethod();
        if (method.equals("GET") || method.equals("POST")) {
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
