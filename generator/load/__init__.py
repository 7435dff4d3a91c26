"""Stage 1: read profiles and registries from disk into raw or typed values, strictly."""
