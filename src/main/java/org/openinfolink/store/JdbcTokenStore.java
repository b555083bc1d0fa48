package org.openinfolink.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.openinfolink.auth.TokenStore;

/**
 * OAuth2 tokens as rows of {@code il_token}, one per token, keyed by the token's SHA-256. Expiry
 * comes from the store's clock, so every node agrees on it. Thread safe.
 */
public final class JdbcTokenStore implements TokenStore {

    private static final String INSERT = "INSERT INTO il_token (token_sha256, kind, client_name, user_name,"
            + " issued_at, expires_at) VALUES (?, ?, ?, ?, {now}, {now} + ?)";
    private static final String SELECT_LIVE = "SELECT client_name, user_name FROM il_token"
            + " WHERE token_sha256 = ? AND kind = ? AND expires_at > {now}";
    private static final String DELETE_LIVE_REFRESH = "DELETE FROM il_token"
            + " WHERE token_sha256 = ? AND kind = 'refresh' AND client_name = ? AND expires_at > {now}";
    private static final String DELETE_EXPIRED = "DELETE FROM il_token WHERE expires_at <= {now}";

    private final StoreDatabase database;

    public JdbcTokenStore(DataSource dataSource) {
        this.database = StoreDatabase.of(dataSource);
    }

    @Override
    public void insertPair(String accessSha256, long accessLifetimeSeconds, String refreshSha256,
                           long refreshLifetimeSeconds, String clientName, String userName) {
        database.inTransaction(connection -> {
            try (PreparedStatement insert = database.prepare(connection, INSERT)) {
                bindInsert(insert, accessSha256, Kind.ACCESS, clientName, userName, accessLifetimeSeconds);
                insert.addBatch();
                bindInsert(insert, refreshSha256, Kind.REFRESH, clientName, userName, refreshLifetimeSeconds);
                insert.addBatch();
                insert.executeBatch();
            }
            return null;
        });
    }

    private static void bindInsert(PreparedStatement insert, String sha256, Kind kind, String clientName,
                                   String userName, long lifetimeSeconds) throws SQLException {
        insert.setString(1, sha256);
        insert.setString(2, kind.column());
        insert.setString(3, clientName);
        insert.setString(4, userName);
        insert.setLong(5, lifetimeSeconds * 1000);
    }

    @Override
    public Optional<Holder> find(String sha256, Kind kind) {
        return Optional.ofNullable(database.run(connection -> {
            try (PreparedStatement select = database.prepare(connection, SELECT_LIVE)) {
                select.setString(1, sha256);
                select.setString(2, kind.column());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? new Holder(rs.getString(1), rs.getString(2)) : null;
                }
            }
        }));
    }

    /** Reads the holder, then deletes the row on the condition that it is still live: the row count says who won. */
    @Override
    public Optional<Holder> consumeRefresh(String sha256, String clientName) {
        Optional<Holder> holder = find(sha256, Kind.REFRESH).filter(found -> found.clientName().equals(clientName));
        if (holder.isEmpty()) {
            return holder;
        }
        int deleted = database.run(connection -> {
            try (PreparedStatement delete = database.prepare(connection, DELETE_LIVE_REFRESH)) {
                delete.setString(1, sha256);
                delete.setString(2, clientName);
                return delete.executeUpdate();
            }
        });
        return deleted == 1 ? holder : Optional.empty();
    }

    @Override
    public int purgeExpired() {
        return database.run(connection -> {
            try (PreparedStatement delete = database.prepare(connection, DELETE_EXPIRED)) {
                return delete.executeUpdate();
            }
        });
    }
}
