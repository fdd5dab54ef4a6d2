-- Optional packages a subscriber buys on top of the plan (Ministra's account_subscription), ours to push.
-- A JSON array of the package external ids, sorted; NULL = never managed here (the push then leaves Ministra's
-- subscriptions alone and reads nothing), '[]' = managed and none.
ALTER TABLE account ADD COLUMN packages VARCHAR(4000);
