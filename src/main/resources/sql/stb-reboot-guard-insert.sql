INSERT INTO stb_reboot_guard (company_id, stb_mac, last_sent_at) VALUES (?, ?, ?)
