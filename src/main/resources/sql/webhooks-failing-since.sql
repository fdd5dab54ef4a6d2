SELECT failing_since FROM webhook WHERE id = ?
