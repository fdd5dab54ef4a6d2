-- A draft is deleted at once: Ministra never had it (its push row goes with it).
DELETE FROM account WHERE id = ?
