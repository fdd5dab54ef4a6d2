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
