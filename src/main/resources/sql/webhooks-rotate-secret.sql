UPDATE webhook
   SET previous_secret_enc = secret_enc, previous_secret_until = ?, secret_enc = ?, updated_at = ?
 WHERE id = ?
