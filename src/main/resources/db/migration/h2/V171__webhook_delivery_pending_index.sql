-- The delivery claim walks the waiting deliveries in id order and stops at its limit (H2 has no partial indexes; the
-- PostgreSQL variant indexes only the pending rows).
CREATE INDEX webhook_delivery_pending ON webhook_delivery (state, id);
