SELECT id, event_types FROM webhook WHERE company_id = ? AND enabled = TRUE
