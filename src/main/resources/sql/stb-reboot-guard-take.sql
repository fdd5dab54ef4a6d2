UPDATE stb_reboot_guard SET last_sent_at = ? WHERE company_id = ? AND stb_mac = ?
AND last_sent_at <= ?
