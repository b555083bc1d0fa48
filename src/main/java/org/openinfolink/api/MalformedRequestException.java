package org.openinfolink.api;

/**
 * INVALID_REQUEST: the request is not well-formed HTTP (a bad percent-escape, a body shorter than
 * its Content-Length, broken chunking, a client that hung up). Besides the client's message it
 * carries a detail for the server's one WARNING line; neither holds a field value.
 */
final class MalformedRequestException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final String logDetail;

    MalformedRequestException(String message, String logDetail) {
        super(ErrorCode.INVALID_REQUEST, message);
        this.logDetail = logDetail;
    }

    /** What went wrong, for the log: the message, or the cause's type and text. */
    String logDetail() {
        return logDetail;
    }
}
