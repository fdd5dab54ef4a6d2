UPDATE account SET stb_mac = ? WHERE id = ?
