-- Quartz runs in memory on H2 (the single-node embedded default), so H2 needs no job-store tables; this keeps the
-- version numbers of both dialects aligned with postgresql/V21__quartz_job_store.sql.
SELECT 1;
