-- The delivery claim walks the waiting deliveries in id order and stops at its limit: a partial index of only the
-- pending rows keeps that walk short however many delivered rows the table holds (without it the claim read and
-- sorted every pending row each time: 200 ms at 19,000 waiting deliveries).
CREATE INDEX webhook_delivery_pending ON webhook_delivery (id) WHERE state = 'pending';
