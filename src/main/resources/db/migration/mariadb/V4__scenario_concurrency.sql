-- Per-scenario concurrency (CONTRACT section 15): a job of a scenario with `concurrency: {max: n}`
-- runs only while it holds one of the scenario's n slots, numbered 0 to n-1. The unique index
-- lets one job at a time hold a slot across every node; a job holds none (slot_no NULL) while it
-- waits, and gives its slot back as it ends. With `whenBusy: reject` a job takes its slot when it
-- is accepted, queued or not.
ALTER TABLE il_job ADD COLUMN concurrency_max INTEGER;
ALTER TABLE il_job ADD COLUMN concurrency_reject BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE il_job ADD COLUMN slot_no INTEGER;
CREATE UNIQUE INDEX il_job_slot ON il_job (app_id, scenario, slot_no);
