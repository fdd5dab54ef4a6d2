-- Reconciliation: drafts are counted, not compared (they are not meant to be in Ministra yet).
ALTER TABLE reconciliation_run ADD COLUMN drafts INTEGER NOT NULL DEFAULT 0;

-- Retention deletes idempotency keys by age; the others by age in id order (their ids grow with time).
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
