<%@ page session="false" trimDirectiveWhitespaces="true" contentType="application/json;charset=UTF-8" %><%
    // Test only: an endpoint that fails unexpectedly, to show the container's error page answers
    // INTERNAL_ERROR with a reference and keeps the stack trace in the log.
    if (true) {
        throw new IllegalStateException("boom from a test JSP");
    }
%>
