SELECT account_id FROM FINAL TABLE (
    UPDATE account_push
       SET claim_token = :token, lease_owner = :owner, lease_until = :leaseUntil
     WHERE account_id IN (
           SELECT q.account_id
             FROM account_push q
            WHERE q.state IN ('pending', 'retrying')
              AND q.next_attempt_at <= :now
              AND (q.lease_until IS NULL OR q.lease_until < :now)
              AND NOT EXISTS (SELECT 1 FROM push_pause z WHERE z.company_id = q.company_id AND z.paused_until > :now)
              AND NOT EXISTS (SELECT 1 FROM ministra_circuit m WHERE m.company_id = q.company_id AND m.reachable = FALSE)
            ORDER BY q.next_attempt_at, q.account_id
            LIMIT :limit))
