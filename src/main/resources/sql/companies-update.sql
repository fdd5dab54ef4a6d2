-- A PATCH: a parameter left null keeps its column's value.
UPDATE company SET
    name = COALESCE(CAST(:name AS VARCHAR), name),
    ministra_base_url = COALESCE(CAST(:ministraBaseUrl AS VARCHAR), ministra_base_url),
    ministra_user = COALESCE(CAST(:ministraUser AS VARCHAR), ministra_user),
    ministra_password_enc = COALESCE(CAST(:ministraPasswordEnc AS VARCHAR), ministra_password_enc),
    connect_timeout_ms = COALESCE(CAST(:connectTimeoutMs AS INTEGER), connect_timeout_ms),
    read_timeout_ms = COALESCE(CAST(:readTimeoutMs AS INTEGER), read_timeout_ms),
    enabled = COALESCE(CAST(:enabled AS BOOLEAN), enabled),
    default_provision_status = COALESCE(CAST(:defaultProvisionStatus AS VARCHAR), default_provision_status),
    version = version + 1,
    updated_at = CURRENT_TIMESTAMP
WHERE id = :id
