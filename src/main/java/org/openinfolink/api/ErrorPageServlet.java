package org.openinfolink.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.logging.Logger;
import org.openinfolink.errors.InternalErrors;
import org.openinfolink.server.InfoLinkServer;

/**
 * The container's error page (web.xml maps 400, 403, 404, 405, 413, 500 and every exception
 * here). Under {@code /admin} it forwards to the console's HTML error page; elsewhere it answers
 * in the API's error envelope, never with Tomcat's HTML page or a stack trace; an
 * exception is logged with its stack trace under a reference that the answer names. A status the
 * container chose (404 for no such path, 405) is kept whatever {@code api.httpErrorStatus} says.
 */
public final class ErrorPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ErrorPageServlet.class.getName());

    /**
     * Request attribute: the {@link ApiException} an endpoint answered before Tomcat's own error
     * handling replaced its answer (a body Tomcat could not read); the error page answers it.
     */
    static final String REFUSAL_ATTRIBUTE = "org.openinfolink.api.refusal";

    /** Where the admin console's HTML error page is (web.xml maps it). */
    private static final String CONSOLE_ERROR_PAGE = "/WEB-INF/admin/error";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        InfoLinkServer server = (InfoLinkServer) getServletContext().getAttribute(InfoLinkServer.ATTRIBUTE);
        ApiResponder responder = ApiResponder.of(server);
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        response.resetBuffer();
        if (isConsole(request, path)) {
            // the console's errors are HTML pages, its own
            request.getRequestDispatcher(CONSOLE_ERROR_PAGE).forward(request, response);
            return;
        }
        if (request.getAttribute(REFUSAL_ATTRIBUTE) instanceof ApiException refusal) {
            // an endpoint refused the request and logged it; Tomcat's error handling took over
            answerQuietly(response, responder, refusal);
            return;
        }
        if (failure instanceof Throwable throwable && isRequestReadFailure(throwable)) {
            LOG.warning(() -> "Request " + path + " from " + request.getRemoteAddr()
                    + " answered INVALID_REQUEST: its body could not be read (" + throwable.getClass().getSimpleName()
                    + ")");
            answerQuietly(response, responder, new ApiException(ErrorCode.INVALID_REQUEST,
                    "The request body could not be read: it is shorter than its Content-Length, its chunked "
                            + "encoding is broken, or the connection was closed."));
            return;
        }
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
            case HttpServletResponse.SC_BAD_REQUEST -> new ApiException(ErrorCode.INVALID_REQUEST,
                    "The request is malformed.");
            default -> internalError(path, code);
        };
        // the container's own refusals (no such path, a method a resource does not take) keep
        // their status: only refusals of real API calls follow api.httpErrorStatus
        ApiResponder.errorKeepingStatus(response, code, error);
    }

    /** Whether a request was one of the admin console's, under {@code /admin}. */
    private static boolean isConsole(HttpServletRequest request, String path) {
        String console = request.getContextPath() + "/admin";
        return path.equals(console) || path.startsWith(console + "/");
    }

    /**
     * Whether Tomcat failed to read the request itself: the client sent less than its
     * Content-Length, broke the chunked encoding, went silent or hung up.
     */
    private static boolean isRequestReadFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof EOFException || t instanceof SocketTimeoutException
                    || name.equals("org.apache.coyote.BadRequestException")
                    || name.equals("org.apache.catalina.connector.BadRequestException")
                    || name.equals("org.apache.catalina.connector.ClientAbortException")) {
                return true;
            }
        }
        return false;
    }

    /** Answers the refusal; a client that is gone cannot be answered, which is not an error. */
    private static void answerQuietly(HttpServletResponse response, ApiResponder responder, ApiException refusal) {
        try {
            responder.error(response, refusal);
            response.flushBuffer();
        } catch (IOException | IllegalStateException e) {
            LOG.fine(() -> "The answer " + refusal.code() + " could not be sent: " + e.getClass().getSimpleName());
        }
    }

    /** A status the container set with no exception: logged under a reference, as every internal error. */
    private static ApiException internalError(String path, int code) {
        String reference = InternalErrors.log(LOG, "Request " + path + " ended with HTTP " + code, null);
        return new ApiException(ErrorCode.INTERNAL_ERROR, InternalErrors.message(reference));
    }
}
