SELECT COUNT(*) > 0 FROM company
