SELECT last_sent_at FROM stb_reboot_guard WHERE company_id = ?
AND stb_mac = ?
