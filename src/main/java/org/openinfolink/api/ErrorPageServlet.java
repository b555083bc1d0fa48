package org.openinfolink.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.openinfolink.server.InfoLinkServer;

/**
 * The container's error page (web.xml maps 404, 405, 500 and every exception here). It answers in
 * the API's error envelope, never with Tomcat's HTML page or a stack trace; an exception is logged
 * under a reference that the answer names.
 */
public final class ErrorPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        InfoLinkServer server = (InfoLinkServer) getServletContext().getAttribute(InfoLinkServer.ATTRIBUTE);
        ApiResponder responder = ApiResponder.of(server);
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        response.resetBuffer();
        if (failure instanceof Throwable throwable) {
            responder.internalError(response, throwable, "Request " + path);
            return;
        }
        int code = status instanceof Integer number ? number : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        ApiException error = switch (code) {
            case HttpServletResponse.SC_NOT_FOUND -> new ApiException(ErrorCode.NOT_FOUND,
                    "No such endpoint: " + path + ".");
            case HttpServletResponse.SC_METHOD_NOT_ALLOWED -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
                    "Method " + request.getMethod() + " is not allowed for " + path + ".");
            case HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE -> new ApiException(ErrorCode.REQUEST_TOO_LARGE,
                    "Request is too large.");
            default -> new ApiException(ErrorCode.INTERNAL_ERROR, "Internal error (reference "
                    + ApiResponder.newReference() + ").");
        };
        responder.error(response, error);
    }
}
