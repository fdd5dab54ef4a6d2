-- The claim reads due pushes in next_attempt_at order and stops after a batch: a partial index in that order lets
-- PostgreSQL do exactly that instead of sorting every pending push on every claim.
CREATE INDEX account_push_claim_order ON account_push (next_attempt_at, account_id)
    WHERE state IN ('pending', 'retrying');
