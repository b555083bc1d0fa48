-- The job store (CONTRACT section 9): jobs, their trace and result sets, app variables, nodes.
-- Times are milliseconds since 1970-01-01 UTC taken from the database's clock.
-- Tables use utf8mb4_nopad_bin so that ids compare exactly (case and trailing spaces), as on H2 and PostgreSQL.

CREATE TABLE il_job (
    seq                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    app_id               VARCHAR(128)  NOT NULL,
    job_id               VARCHAR(128)  NOT NULL,
    client_name          VARCHAR(200)  NOT NULL,
    scenario             VARCHAR(200),
    op_name              VARCHAR(64)   NOT NULL,
    operation            LONGTEXT          NOT NULL,
    timeout_seconds      INTEGER       NOT NULL,
    rerun_if_interrupted BOOLEAN       NOT NULL,
    state                VARCHAR(20)   NOT NULL,
    attempt              INTEGER       NOT NULL,
    node_id              VARCHAR(200),
    submitted_at         BIGINT        NOT NULL,
    started_at           BIGINT,
    finished_at          BIGINT,
    message              LONGTEXT,
    progress_step        INTEGER,
    progress_steps       INTEGER,
    progress_title       LONGTEXT,
    CONSTRAINT il_job_key UNIQUE (app_id, job_id)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
CREATE INDEX il_job_by_state ON il_job (state, seq);
CREATE INDEX il_job_by_app ON il_job (app_id, seq);
CREATE INDEX il_job_by_node ON il_job (node_id, state);
CREATE INDEX il_job_by_finish ON il_job (finished_at);

CREATE TABLE il_job_step (
    job_seq  BIGINT  NOT NULL,
    step_no  INTEGER NOT NULL,
    trace    LONGTEXT    NOT NULL,
    PRIMARY KEY (job_seq, step_no)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;

CREATE TABLE il_job_result (
    job_seq      BIGINT  NOT NULL,
    result_no    INTEGER NOT NULL,
    name         LONGTEXT,
    schema_json  LONGTEXT    NOT NULL,
    row_count    BIGINT  NOT NULL,
    chunk_count  INTEGER NOT NULL,
    PRIMARY KEY (job_seq, result_no)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;

CREATE TABLE il_result_chunk (
    job_seq    BIGINT  NOT NULL,
    result_no  INTEGER NOT NULL,
    chunk_no   INTEGER NOT NULL,
    data       LONGBLOB NOT NULL,
    PRIMARY KEY (job_seq, result_no, chunk_no)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;

CREATE TABLE il_variable (
    app_id      VARCHAR(128) NOT NULL,
    name        VARCHAR(200) NOT NULL,
    var_value   LONGTEXT         NOT NULL,
    updated_at  BIGINT       NOT NULL,
    PRIMARY KEY (app_id, name)
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;

CREATE TABLE il_node (
    node_id       VARCHAR(200) PRIMARY KEY,
    started_at    BIGINT       NOT NULL,
    heartbeat_at  BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
