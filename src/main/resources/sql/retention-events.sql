DELETE FROM event_outbox WHERE seq IN (
    SELECT seq FROM event_outbox e WHERE occurred_at < ? AND NOT EXISTS (SELECT 1 FROM webhook_delivery d
        WHERE d.event_seq = e.seq AND d.state IN ('pending', 'dead')) ORDER BY seq LIMIT ?)
