-- An open dead letter resolved by an operator: 'replayed' or 'discarded', when and by whom.
UPDATE dead_letter SET status = ?, resolved_at = ?, resolved_by = ? WHERE id = ? AND status = 'open'
