UPDATE webhook_delivery SET state = 'discarded', finished_at = :now WHERE id = :id AND state = 'dead'
