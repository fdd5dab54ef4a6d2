SELECT COUNT(*) FROM company WHERE LOWER(ministra_base_url) = LOWER(?)
AND id <> ?
