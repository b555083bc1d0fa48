-- The audit trail (CONTRACT section 13): one row per call that starts or stops a job, refused
-- authentication, token issued or refused, and console action. who is a client or user name, or
-- '-' when unknown; never a secret. outcome is OK, an API error code (INVALID_API_KEY) or an
-- RFC 6749 error (invalid_client); detail a short human reason. Times are milliseconds since
-- 1970-01-01 UTC from the database's clock. Listed newest first by seq; retention deletes by time.
-- utf8mb4_nopad_bin as in V1, so names and ids compare exactly.

CREATE TABLE il_audit (
    seq             BIGINT AUTO_INCREMENT PRIMARY KEY,
    at_millis       BIGINT        NOT NULL,
    action          VARCHAR(64)   NOT NULL,
    who             VARCHAR(200)  NOT NULL,
    remote_address  VARCHAR(64)   NOT NULL,
    app_id          VARCHAR(128),
    job_id          VARCHAR(128),
    outcome         VARCHAR(64)   NOT NULL,
    detail          TEXT
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
CREATE INDEX il_audit_by_time ON il_audit (at_millis);
CREATE INDEX il_audit_by_action ON il_audit (action, seq);
CREATE INDEX il_audit_by_who ON il_audit (who, seq);
CREATE INDEX il_audit_by_app ON il_audit (app_id, seq);
CREATE INDEX il_audit_by_job ON il_audit (job_id, seq);
