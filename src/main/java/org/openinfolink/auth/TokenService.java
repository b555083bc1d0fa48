package org.openinfolink.auth;

import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openinfolink.job.NamedThreadFactory;

/**
 * Issues, checks and rotates OAuth2 tokens (CONTRACT section 12.1). A token is 256 random bits
 * from {@link java.security.SecureRandom}; only its SHA-256 goes to the {@link TokenStore}, so every
 * node accepts it and it survives restarts, and neither the store nor a log ever holds a token.
 *
 * <p>Thread safe. {@link #start()} starts a loop that deletes expired tokens every
 * {@value #PURGE_INTERVAL_SECONDS} seconds on its own named thread; {@link #close()} stops it and
 * is idempotent.
 */
public final class TokenService implements AutoCloseable {

    /** How often expired tokens are deleted. */
    static final long PURGE_INTERVAL_SECONDS = 60;

    private static final Logger LOG = Logger.getLogger(TokenService.class.getName());
    private static final String ACCESS_PREFIX = "ila_";
    private static final String REFRESH_PREFIX = "ilr_";

    /** A new pair of tokens as the token endpoint answers it. */
    public record Issued(String accessToken, String refreshToken, int expiresInSeconds) {
        @Override
        public String toString() {
            return "Issued[expiresIn=" + expiresInSeconds + "]";
        }
    }

    private final TokenStore store;
    private final ApiKeyVerifier clients;
    private final int accessLifetimeSeconds;
    private final int refreshLifetimeSeconds;
    private final ScheduledThreadPoolExecutor purger =
            new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("infolink-token-purge"));

    public TokenService(TokenStore store, ApiKeyVerifier clients, int accessLifetimeSeconds,
                        int refreshLifetimeSeconds) {
        this.store = store;
        this.clients = clients;
        this.accessLifetimeSeconds = accessLifetimeSeconds;
        this.refreshLifetimeSeconds = refreshLifetimeSeconds;
    }

    /** Starts deleting expired tokens, now and every minute. */
    public void start() {
        purger.scheduleWithFixedDelay(this::purge, 0, PURGE_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * A new access token and refresh token for a client.
     *
     * @param userName the Realm user of a password grant, or null
     */
    public Issued issue(Client client, String userName) {
        String access = ApiKeys.newSecret(ACCESS_PREFIX);
        String refresh = ApiKeys.newSecret(REFRESH_PREFIX);
        store.insertPair(ApiKeys.sha256Hex(access), accessLifetimeSeconds, ApiKeys.sha256Hex(refresh),
                refreshLifetimeSeconds, client.name(), userName);
        return new Issued(access, refresh, accessLifetimeSeconds);
    }

    /**
     * Uses up a refresh token of this client and issues a new pair for the same user.
     *
     * @return empty when the token is unknown, expired, used already or another client's
     */
    public Optional<Issued> refresh(Client client, String refreshToken) {
        return store.consumeRefresh(ApiKeys.sha256Hex(refreshToken), client.name())
                .map(holder -> issue(client, holder.userName()));
    }

    /** The client a live access token was issued to; empty when the token is unknown or expired. */
    public Optional<Client> clientOf(String accessToken) {
        if (accessToken == null || accessToken.isEmpty()) {
            return Optional.empty();
        }
        return store.find(ApiKeys.sha256Hex(accessToken), TokenStore.Kind.ACCESS)
                .flatMap(holder -> clients.byName(holder.clientName()));
    }

    private void purge() {
        try {
            int deleted = store.purgeExpired();
            if (deleted > 0) {
                LOG.fine(deleted + " expired token(s) deleted");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Deleting expired tokens failed; retrying in a minute", e);
        }
    }

    @Override
    public void close() {
        purger.shutdownNow();
    }
}
