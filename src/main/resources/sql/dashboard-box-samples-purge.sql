DELETE FROM dashboard_box_sample WHERE bucket_ms < :dayAgoMs
