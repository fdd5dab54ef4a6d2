-- A deleted account whose removal from Ministra is given up: the local deletion completes (its push row goes with it).
DELETE FROM account WHERE id = ? AND deleted_at IS NOT NULL
