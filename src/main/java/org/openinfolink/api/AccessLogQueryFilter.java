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
 * Puts the request's path and query string, with the value of every secret parameter masked, into
 * the request attributes {@link #PATH_ATTRIBUTE} and {@link #ATTRIBUTE}, for Tomcat's access log:
 * its pattern logs {@code %{org.openinfolink.accessLogPath}r%{org.openinfolink.accessLogQuery}r}
 * instead of {@code %r}, so a key sent in a URL, as a query parameter or as a path parameter
 * ({@code /getJobStatus.jsp;apiKey=...}), never reaches the log. A parameter is secret when its
 * name, percent-decoded and in any case, is one of {@link FormFields#SECRET_NAMES} ({@code apiKey},
 * {@code apiKe%79}, {@code %61PIKEY}, tokens, secrets, passwords); its value is masked even when
 * the URL is malformed.
 */
public final class AccessLogQueryFilter implements Filter {

    public static final String ATTRIBUTE = "org.openinfolink.accessLogQuery";

    /** The request's path as sent, with the values of secret path parameters masked. */
    public static final String PATH_ATTRIBUTE = "org.openinfolink.accessLogPath";

    private static final String MASK = "****";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        request.setAttribute(PATH_ATTRIBUTE, maskPath(http.getRequestURI()));
        request.setAttribute(ATTRIBUTE, mask(http.getQueryString()));
        chain.doFilter(request, response);
    }

    /**
     * The path with the value of every secret path parameter masked:
     * {@code /infolink/api/v1/getJobStatus.jsp;apiKey=****}. Tomcat maps a request on its path
     * without the parameters, so they reach the log only through the path as sent.
     */
    static String maskPath(String path) {
        if (path == null || path.indexOf(';') < 0) {
            return path;
        }
        StringJoiner masked = new StringJoiner("/");
        for (String segment : path.split("/", -1)) {
            String[] parts = segment.split(";", -1);
            StringJoiner maskedSegment = new StringJoiner(";");
            maskedSegment.add(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                maskedSegment.add(maskPair(parts[i]));
            }
            masked.add(maskedSegment.toString());
        }
        return masked.toString();
    }

    /** {@code ?a=1&apiKey=****}, or an empty string when there is no query. */
    static String mask(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringJoiner masked = new StringJoiner("&", "?", "");
        for (String pair : query.split("&", -1)) {
            masked.add(maskPair(pair));
        }
        return masked.toString();
    }

    /** One {@code name=value} parameter, with the value masked when the name is a secret's. */
    private static String maskPair(String pair) {
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        if (!FormFields.isSecretName(name)) {
            return pair;
        }
        // apiKey%3D<key>: the name itself carries the value
        return name.toLowerCase(Locale.ROOT).contains("%3d") ? MASK : name + "=" + MASK;
    }
}
