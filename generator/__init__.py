"""dienhinh: static publicity-site generator for advanced exemplary models (điển hình tiên tiến)."""
