package org.openinfolink.api;

import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.audit.AuditAction;
import org.openinfolink.audit.AuditEntry;
import org.openinfolink.auth.Client;
import org.openinfolink.auth.TokenService;
import org.openinfolink.errors.InternalErrors;
import org.openinfolink.job.StoreUnavailableException;
import org.openinfolink.json.Json;
import org.openinfolink.server.InfoLinkServer;

/**
 * {@code POST /api/v1/oauth2/token} (CONTRACT section 12.1): the grants {@code client_credentials},
 * {@code password} (the user checked against the container's Realm with
 * {@link HttpServletRequest#login}) and {@code refresh_token} (the token is used up and a new pair
 * issued). Client credentials come from the form body or an HTTP Basic header (RFC 6749 section
 * 2.3.1), not both. Refusals follow RFC 6749 section 5.2, not the job API's envelope.
 *
 * <p>Only the form body is read, never the query string, so no secret is taken from a URL. No
 * secret, token or password is logged or echoed in an answer.
 *
 * <p>Every pair issued is recorded in the audit trail as {@code tokenIssued} (who: the client's
 * name; detail: the grant and, for the password grant, the user), every refusal as
 * {@code tokenRefused} (outcome: the RFC 6749 error; who: the client's name once its credentials
 * were accepted, else the client id sent, if any).
 */
public final class TokenEndpoint extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The endpoint's name in the API request metrics. */
    static final String NAME = "oauth2/token";

    private static final Logger LOG = Logger.getLogger(TokenEndpoint.class.getName());
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";

    /** A refusal as RFC 6749 section 5.2 answers it. */
    private static final class OAuthError extends Exception {

        private static final long serialVersionUID = 1L;

        final int status;
        final String error;
        final boolean basicChallenge;

        OAuthError(int status, String error, String description, boolean basicChallenge) {
            super(description, null, false, false);
            this.status = status;
            this.error = error;
            this.basicChallenge = basicChallenge;
        }

        static OAuthError invalidRequest(String description) {
            return new OAuthError(HttpServletResponse.SC_BAD_REQUEST, "invalid_request", description, false);
        }

        static OAuthError invalidGrant(String description) {
            return new OAuthError(HttpServletResponse.SC_BAD_REQUEST, "invalid_grant", description, false);
        }

        static OAuthError invalidClient(String description, boolean basic) {
            return new OAuthError(HttpServletResponse.SC_UNAUTHORIZED, "invalid_client", description, basic);
        }
    }

    /** The client's credentials and how they came. */
    private record Credentials(String clientId, String clientSecret, boolean basic) {
    }

    /**
     * What a token request was found to ask as it is read, for the audit trail: never a secret, a
     * token or a password. Used by one request's thread.
     */
    private static final class Attempt {
        /** A supported grant type, once checked. */
        String grantType;
        /** The client id sent, or the client's name once its credentials are accepted. */
        String who;
        /** The user of a password grant. */
        String username;

        /** The grant and its user: {@code password, user alice}; null before the grant is known. */
        String grant() {
            if (grantType == null) {
                return null;
            }
            return username == null ? grantType : grantType + ", user " + username;
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Allow", "POST");
        refuse(request, response, new Attempt(), new OAuthError(HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                "invalid_request", "The token endpoint accepts POST only.", false));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        InfoLinkServer server = server();
        Attempt attempt = new Attempt();
        if (server == null || server.jobs().isShuttingDown()) {
            refuse(request, response, attempt, new OAuthError(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "temporarily_unavailable", "The server is shutting down. Retry later.", false));
            return;
        }
        server.callStarted();
        try {
            TokenService.Issued issued = grant(server, request, attempt);
            server.audit().record(new AuditEntry(AuditAction.TOKEN_ISSUED, attempt.who, request.getRemoteAddr(),
                    null, null, AuditEntry.OK, attempt.grant()));
            server.metrics().apiRequest(NAME, "none");
            writeIssued(response, issued);
        } catch (OAuthError e) {
            refuse(request, response, attempt, e);
        } catch (StoreUnavailableException e) {
            refuse(request, response, attempt, new OAuthError(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "temporarily_unavailable", e.getMessage(), false));
        } catch (RuntimeException e) {
            String reference = InternalErrors.log(LOG, "the token endpoint", e);
            refuse(request, response, attempt, new OAuthError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                    "server_error", InternalErrors.message(reference), false));
        } finally {
            server.callEnded();
        }
    }

    /** Issues a pair, filling in {@code attempt} as the request is read and checked. */
    private TokenService.Issued grant(InfoLinkServer server, HttpServletRequest request, Attempt attempt)
            throws IOException, OAuthError {
        Map<String, String> form = readForm(request, server.settings().api().maxRequestBytes());
        attempt.who = form.get("client_id");
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw OAuthError.invalidRequest("grant_type is required.");
        }
        if (!grantType.equals("client_credentials") && !grantType.equals("password")
                && !grantType.equals("refresh_token")) {
            throw new OAuthError(HttpServletResponse.SC_BAD_REQUEST, "unsupported_grant_type",
                    "The grant type is not supported; use client_credentials, password or refresh_token.", false);
        }
        attempt.grantType = grantType;
        attempt.username = grantType.equals("password") ? form.get("username") : null;
        Credentials credentials = credentials(request, form);
        attempt.who = credentials.clientId();
        Client client = server.verifier().verifyCredentials(credentials.clientId(), credentials.clientSecret())
                .orElseThrow(() -> OAuthError.invalidClient("Client authentication failed.", credentials.basic()));
        attempt.who = client.name();
        TokenService tokens = server.tokens();
        switch (grantType) {
            case "client_credentials" -> {
                LOG.info(() -> "Token issued to client " + client.name() + " (client_credentials)");
                return tokens.issue(client, null);
            }
            case "password" -> {
                String username = required(form, "username");
                String password = required(form, "password");
                checkUser(request, username, password);
                LOG.info(() -> "Token issued to client " + client.name() + " for user " + username + " (password)");
                return tokens.issue(client, username);
            }
            default -> {
                String refreshToken = required(form, "refresh_token");
                Optional<TokenService.Issued> issued = tokens.refresh(client, refreshToken);
                LOG.info(() -> issued.isPresent() ? "Token of client " + client.name() + " refreshed"
                        : "A refresh token of client " + client.name() + " was refused");
                return issued.orElseThrow(() -> OAuthError.invalidGrant(
                        "The refresh token is invalid, expired, used already or another client's."));
            }
        }
    }

    /** The user and password against the container's Realm; the login ends at once. */
    private static void checkUser(HttpServletRequest request, String username, String password) throws OAuthError {
        try {
            request.login(username, password);
        } catch (ServletException e) {
            throw OAuthError.invalidGrant("The user name or password is wrong.");
        }
        try {
            request.logout();
        } catch (ServletException e) {
            LOG.log(Level.FINE, "Logging out after the password check failed", e);
        }
    }

    private static Credentials credentials(HttpServletRequest request, Map<String, String> form) throws OAuthError {
        String header = request.getHeader("Authorization");
        boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        if (!basic) {
            String clientId = form.get("client_id");
            String clientSecret = form.get("client_secret");
            if (clientId == null || clientSecret == null) {
                throw OAuthError.invalidClient("Client authentication is required: client_id and client_secret.",
                        false);
            }
            return new Credentials(clientId, clientSecret, false);
        }
        if (form.containsKey("client_secret")) {
            throw OAuthError.invalidRequest("Send the client credentials once: in the Authorization header or in"
                    + " the body, not both.");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("The Basic credentials are not Base64.", true);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw OAuthError.invalidClient("The Basic credentials must be client_id:client_secret.", true);
        }
        Optional<String> clientId = FormFields.decode(decoded.substring(0, colon));
        Optional<String> clientSecret = FormFields.decode(decoded.substring(colon + 1));
        if (clientId.isEmpty() || clientSecret.isEmpty()) {
            throw OAuthError.invalidClient("The Basic credentials are not form-encoded.", true);
        }
        String formId = form.get("client_id");
        if (formId != null && !formId.equals(clientId.get())) {
            throw OAuthError.invalidRequest("client_id in the body differs from the Authorization header's.");
        }
        return new Credentials(clientId.get(), clientSecret.get(), true);
    }

    private static String required(Map<String, String> form, String name) throws OAuthError {
        String value = form.get(name);
        if (value == null) {
            throw OAuthError.invalidRequest(name + " is required.");
        }
        return value;
    }

    /**
     * The parameters of the form body; an empty value counts as absent. A body that is not a form,
     * too large, badly encoded or naming a parameter twice (RFC 6749 section 3.2) is an
     * invalid_request.
     */
    private static Map<String, String> readForm(HttpServletRequest request, long maxBytes) throws IOException,
            OAuthError {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.strip().toLowerCase().startsWith(FORM_TYPE)) {
            throw OAuthError.invalidRequest("The body must be " + FORM_TYPE + ".");
        }
        if (request.getContentLengthLong() > maxBytes) {
            throw OAuthError.invalidRequest("The body is larger than " + maxBytes + " bytes.");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (InputStream in = request.getInputStream()) {
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) != -1) {
                if (body.size() + read > maxBytes) {
                    throw OAuthError.invalidRequest("The body is larger than " + maxBytes + " bytes.");
                }
                body.write(buffer, 0, read);
            }
        }
        FormFields fields;
        try {
            fields = FormFields.parse(body.toByteArray(), "form body");
        } catch (ApiException e) {
            throw OAuthError.invalidRequest("The body is not valid form encoding.");
        }
        if (fields.repeatedName() != null) {
            throw OAuthError.invalidRequest("Parameter " + printable(fields.repeatedName())
                    + " is given more than once.");
        }
        Map<String, String> form = new HashMap<>(fields.asMap());
        form.values().removeIf(String::isEmpty);
        return form;
    }

    /** A parameter name as it may be echoed: a known one as it is, any other not at all. */
    private static String printable(String name) {
        return switch (name) {
            case "grant_type", "client_id", "client_secret", "username", "password", "refresh_token", "scope" ->
                    "'" + name + "'";
            default -> "(a parameter)";
        };
    }

    private InfoLinkServer server() {
        return (InfoLinkServer) getServletContext().getAttribute(InfoLinkServer.ATTRIBUTE);
    }

    /** Records a refusal in the audit trail (when there is a server), counts it and answers it. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, Attempt attempt, OAuthError error)
            throws IOException {
        InfoLinkServer server = server();
        if (server != null) {
            String grant = attempt.grant();
            server.audit().record(new AuditEntry(AuditAction.TOKEN_REFUSED, attempt.who, request.getRemoteAddr(),
                    null, null, error.error, grant == null ? error.getMessage() : grant + ": " + error.getMessage()));
            server.metrics().apiRequest(NAME, error.error);
        }
        if (error.basicChallenge) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"infolink\", charset=\"UTF-8\"");
        }
        write(response, error.status, json -> {
            json.writeStringField("error", error.error);
            json.writeStringField("error_description", error.getMessage());
        });
    }

    private static void writeIssued(HttpServletResponse response, TokenService.Issued issued) throws IOException {
        write(response, HttpServletResponse.SC_OK, json -> {
            json.writeStringField("access_token", issued.accessToken());
            json.writeStringField("refresh_token", issued.refreshToken());
            json.writeStringField("token_type", "Bearer");
            json.writeNumberField("expires_in", issued.expiresInSeconds());
        });
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static void write(HttpServletResponse response, int status, Fields fields) throws IOException {
        response.setStatus(status);
        response.setContentType(ApiResponder.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        try (JsonGenerator json = Json.generator(response.getOutputStream())) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        }
    }
}
