package org.openinfolink.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Puts the request's query string, with the value of every secret parameter masked, into the
 * request attribute {@link #ATTRIBUTE}, for Tomcat's access log: its pattern logs
 * {@code %U%{org.openinfolink.accessLogQuery}r} instead of {@code %r}, so a key sent in a URL never
 * reaches the log. A parameter is secret when its name, percent-decoded and in any case, is one of
 * {@link FormFields#SECRET_NAMES} ({@code apiKey}, {@code apiKe%79}, {@code %61PIKEY}, tokens,
 * secrets, passwords); its value is masked even when the query string is malformed.
 */
public final class AccessLogQueryFilter implements Filter {

    public static final String ATTRIBUTE = "org.openinfolink.accessLogQuery";

    private static final String MASK = "****";

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
        StringJoiner masked = new StringJoiner("&", "?", "");
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (!FormFields.isSecretName(name)) {
                masked.add(pair);
            } else if (name.toLowerCase(Locale.ROOT).contains("%3d")) {
                // apiKey%3D<key>: the name itself carries the value
                masked.add(MASK);
            } else {
                masked.add(name + "=" + MASK);
            }
        }
        return masked.toString();
    }
}
