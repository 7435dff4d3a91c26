"""Photo planning, inspection and processing, with its content-hash cache."""
