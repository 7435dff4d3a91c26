"""Stage 2: validate every profile against the registries; collect problems, never raise."""
