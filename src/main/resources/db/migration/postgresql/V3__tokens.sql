-- OAuth2 tokens (CONTRACT section 12.1): only the SHA-256 of a token is kept, never the token.
-- kind is 'access' or 'refresh'; a refresh token's row is deleted when it is used (rotation).
-- Times are milliseconds since 1970-01-01 UTC taken from the database's clock.

CREATE TABLE il_token (
    token_sha256  VARCHAR(64)   PRIMARY KEY,
    kind          VARCHAR(10)   NOT NULL,
    client_name   VARCHAR(200)  NOT NULL,
    user_name     VARCHAR(200),
    issued_at     BIGINT        NOT NULL,
    expires_at    BIGINT        NOT NULL
);
CREATE INDEX il_token_by_expiry ON il_token (expires_at);
