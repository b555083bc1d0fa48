package org.openinfolink.http;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser's HTTP side for the admin console: cookies kept, redirects not followed (a test sees
 * them), the container's FORM login, and forms POSTed with the session's CSRF token read from a
 * page. One per user; not thread safe.
 */
public final class ConsoleSession {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final String contextUrl;
    private final HttpClient http;

    public ConsoleSession(EmbeddedServer server) {
        this(server.url(""));
    }

    /** A session with the web application at {@code contextUrl}, e.g. {@code http://127.0.0.1:8080/infolink}. */
    public ConsoleSession(String contextUrl) {
        this.contextUrl = contextUrl;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Logs in as the container's FORM login wants it: a console page first (the container keeps
     * it as the page to return to), then {@code j_security_check}.
     *
     * @return the answer of {@code j_security_check}: a redirect when the login worked
     */
    public HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
        get("/admin/");
        return post("/admin/j_security_check", Map.of("j_username", user, "j_password", password));
    }

    /** Logs in and follows the redirect to the first page. */
    public HttpResponse<String> loginAndFollow(String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> login = login(user, password);
        if (login.statusCode() / 100 != 3) {
            return login;
        }
        return follow(login);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(contextUrl + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** GETs the location a redirect names. */
    public HttpResponse<String> follow(HttpResponse<String> redirect) throws IOException, InterruptedException {
        String location = redirect.headers().firstValue("Location").orElseThrow();
        URI target = redirect.uri().resolve(location);
        return http.send(HttpRequest.newBuilder(target).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        String body = fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(contextUrl + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a console form with the CSRF token of the page at {@code pagePath}. */
    public HttpResponse<String> postForm(String pagePath, String actionPath, Map<String, String> fields)
            throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("csrf", csrfToken(get(pagePath).body()));
        return post(actionPath, all);
    }

    /** The CSRF token a console page carries in its forms. */
    public static String csrfToken(String page) {
        Matcher matcher = CSRF.matcher(page);
        if (!matcher.find()) {
            throw new AssertionError("No CSRF token on the page:\n" + page);
        }
        return matcher.group(1);
    }
}
