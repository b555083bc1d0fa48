package org.openinfolink.auth;

import java.util.Optional;

/**
 * Where issued OAuth2 tokens are kept: only their SHA-256, the client (and user) they were issued
 * to and their expiry, taken from the store's clock so that every node agrees. Implementations are
 * thread safe and shared by every node of a job store; a failure of the store is thrown as
 * {@link org.openinfolink.job.StoreUnavailableException}.
 */
public interface TokenStore {

    /** What a token is for: calling the API, or getting a new pair. */
    enum Kind {
        ACCESS("access"), REFRESH("refresh");

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        /** The value of the {@code kind} column. */
        public String column() {
            return column;
        }
    }

    /** To whom a live token was issued. */
    record Holder(String clientName, String userName) {
    }

    /**
     * Keeps a new access token and refresh token, both or neither.
     *
     * @param userName the Realm user of a password grant, or null
     */
    void insertPair(String accessSha256, long accessLifetimeSeconds, String refreshSha256,
                    long refreshLifetimeSeconds, String clientName, String userName);

    /** The holder of a token of this kind that has not expired; empty for an unknown or expired one. */
    Optional<Holder> find(String sha256, Kind kind);

    /**
     * Uses up a live refresh token of this client: deletes it with one conditional statement, so of
     * two nodes using the same token at once only one succeeds.
     *
     * @return its holder when this call used it up; empty when it is unknown, expired, used
     *         already or another client's
     */
    Optional<Holder> consumeRefresh(String sha256, String clientName);

    /** Deletes every expired token; returns how many. */
    int purgeExpired();
}
