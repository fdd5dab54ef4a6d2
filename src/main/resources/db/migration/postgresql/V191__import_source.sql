-- The uploaded CSV of an import job, kept until the job ends so that a resumed job reads the same file.
CREATE TABLE import_source (
    job_id  BIGINT PRIMARY KEY REFERENCES import_job (id) ON DELETE CASCADE,
    content BYTEA  NOT NULL
);
