package org.openinfolink.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Puts the request's query string, with the value of every {@code apiKey} parameter masked, into
 * the request attribute {@link #ATTRIBUTE}, for Tomcat's access log: its pattern logs
 * {@code %U%{org.openinfolink.accessLogQuery}r} instead of {@code %r}, so a key sent in a URL never
 * reaches the log.
 */
public final class AccessLogQueryFilter implements Filter {

    public static final String ATTRIBUTE = "org.openinfolink.accessLogQuery";

    private static final Pattern API_KEY_VALUE = Pattern.compile("(?i)((?:^|&)apiKey=)[^&]*");

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String query = ((HttpServletRequest) request).getQueryString();
        request.setAttribute(ATTRIBUTE, mask(query));
        chain.doFilter(request, response);
    }

    /** {@code ?a=1&apiKey=****}, or an empty string when there is no query. */
    static String mask(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        return "?" + API_KEY_VALUE.matcher(query).replaceAll("$1****");
    }
}
