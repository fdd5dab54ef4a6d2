-- should the database crash before this commit reaches the disk, the leases run out and the events are delivered
-- again: duplicates, which at-least-once allows
SET LOCAL synchronous_commit TO OFF
