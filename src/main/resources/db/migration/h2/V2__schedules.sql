-- Schedules (CONTRACT section 14): how far each schedule of an app got, shared by every node.
-- handled_until: the latest fire time dealt with (started, or missed and skipped); at first the
-- time the cluster first saw the schedule. Times are milliseconds since 1970-01-01 UTC from the
-- database's clock.

CREATE TABLE il_schedule (
    app_id         VARCHAR(128) NOT NULL,
    schedule_name  VARCHAR(128) NOT NULL,
    handled_until  BIGINT       NOT NULL,
    last_fire_at   BIGINT,
    last_job_id    VARCHAR(128),
    created_at     BIGINT       NOT NULL,
    PRIMARY KEY (app_id, schedule_name)
);
