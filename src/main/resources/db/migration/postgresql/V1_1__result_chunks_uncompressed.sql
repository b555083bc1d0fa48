-- Result chunks are kept out of line without compression: PostgreSQL's default (pglz on every
-- 256 KB chunk) cost more CPU, on writing and on every read, than the space it saved.
ALTER TABLE il_result_chunk ALTER COLUMN data SET STORAGE EXTERNAL;
