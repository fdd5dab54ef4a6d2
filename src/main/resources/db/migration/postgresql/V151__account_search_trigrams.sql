-- The console's account search (login, name or MAC containing the text: LIKE '%…%') reads every account of the
-- company without an index; trigram indexes answer it from the index. pg_trgm ships with PostgreSQL and is a trusted
-- extension (the database owner may create it); where it cannot be created the search still works, by a scan.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
    RAISE NOTICE 'pg_trgm is not available: the account search scans the accounts';
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX account_search_login ON account USING gin (login_key gin_trgm_ops)';
        EXECUTE 'CREATE INDEX account_search_name ON account USING gin (LOWER(full_name) gin_trgm_ops)';
        EXECUTE 'CREATE INDEX account_search_mac ON account USING gin (stb_mac gin_trgm_ops)';
    END IF;
END
$$;
