SET LOCAL enable_bitmapscan = off
