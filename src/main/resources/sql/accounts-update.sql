-- One change of an account whose row the transaction holds: a column flagged :set_<column> takes its new value, the
-- others keep theirs; a new password (:set_password) gets the next password version; the version goes up by one.
UPDATE account
   SET full_name = CASE WHEN :set_full_name THEN :full_name ELSE full_name END,
       phone = CASE WHEN :set_phone THEN :phone ELSE phone END,
       account_number = CASE WHEN :set_account_number THEN :account_number ELSE account_number END,
       account_number_key = CASE WHEN :set_account_number_key THEN :account_number_key ELSE account_number_key END,
       tariff_plan_id = CASE WHEN :set_tariff_plan_id THEN :tariff_plan_id ELSE tariff_plan_id END,
       packages = CASE WHEN :set_packages THEN :packages ELSE packages END,
       status = CASE WHEN :set_status THEN :status ELSE status END,
       stb_mac = CASE WHEN :set_stb_mac THEN :stb_mac ELSE stb_mac END,
       comment = CASE WHEN :set_comment THEN :comment ELSE comment END,
       customer_ref = CASE WHEN :set_customer_ref THEN :customer_ref ELSE customer_ref END,
       expires_at = CASE WHEN :set_expires_at THEN :expires_at ELSE expires_at END,
       password_enc = CASE WHEN :set_password THEN :password_enc ELSE password_enc END,
       password_version = CASE WHEN :set_password THEN password_version + 1 ELSE password_version END,
       version = version + 1,
       updated_at = :updated_at
 WHERE id = :id
