-- Browser sessions of the operator console, shared by every node on the database. The cookie's token is stored only
-- as its SHA-256 (it is 256 random bits, so a slow hash adds nothing); times are epoch milliseconds of the nodes'
-- clocks, compared the same way on H2 and PostgreSQL.
CREATE TABLE console_session (
    token_hash   VARCHAR(64) PRIMARY KEY,
    user_id      BIGINT      NOT NULL REFERENCES api_user (id) ON DELETE CASCADE,
    created_ms   BIGINT      NOT NULL,
    last_seen_ms BIGINT      NOT NULL
);
CREATE INDEX console_session_user ON console_session (user_id);
CREATE INDEX console_session_last_seen ON console_session (last_seen_ms);

-- The dashboard's history of boxes online, one row per company and sampling period (bucket_ms: its start, epoch
-- milliseconds). Every node samples; a sample is computed from the shared tables, so nodes write the same row.
CREATE TABLE dashboard_box_sample (
    company_id BIGINT  NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    bucket_ms  BIGINT  NOT NULL,
    -- boxes online, offline and of unknown state at the sample (UNKNOWN is a keyword in H2)
    online_boxes  INTEGER NOT NULL,
    offline_boxes INTEGER NOT NULL,
    unknown_boxes INTEGER NOT NULL,
    PRIMARY KEY (company_id, bucket_ms)
);
