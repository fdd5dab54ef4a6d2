-- A deleted account stays as a tombstone (invisible to the API, its MAC freed) until the push removed it from Ministra.
UPDATE account SET deleted_at = ?, stb_mac = NULL, version = version + 1, updated_at = ? WHERE id = ?
