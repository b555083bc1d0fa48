package org.openinfolink.auth;

/**
 * Turns the credential of an API call, an API key or an OAuth2 access token ({@code Authorization:
 * Bearer}), into the {@link Client} it belongs to (CONTRACT sections 3 and 12.1). The one place
 * every endpoint authenticates through. Thread safe.
 */
public final class Authenticator {

    private final ApiKeyVerifier keys;
    private final TokenService tokens;

    public Authenticator(ApiKeyVerifier keys, TokenService tokens) {
        this.keys = keys;
        this.tokens = tokens;
    }

    /**
     * The client of a call. A Bearer token, when the call sends one, is what counts; else the API key.
     *
     * @param apiKey      the API key sent, or null
     * @param bearerToken the token of an {@code Authorization: Bearer} header (empty when the header
     *                    has none), or null when there is no such header
     * @throws AuthenticationException when neither is sent or what was sent belongs to no client
     * @throws org.openinfolink.job.StoreUnavailableException when a token cannot be checked now
     */
    public Client authenticate(String apiKey, String bearerToken) {
        if (bearerToken != null) {
            return tokens.clientOf(bearerToken).orElseThrow(() -> new AuthenticationException(
                    AuthenticationException.Reason.INVALID_TOKEN, "Invalid or expired access token."));
        }
        if (apiKey == null) {
            throw new AuthenticationException(AuthenticationException.Reason.MISSING, "apiKey parameter is required.");
        }
        return keys.verify(apiKey).orElseThrow(() -> new AuthenticationException(
                AuthenticationException.Reason.INVALID_API_KEY, "Invalid API key."));
    }
}
