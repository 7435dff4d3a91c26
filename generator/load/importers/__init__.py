"""One-off importers that turn reference data (data/sources/) into generated registries."""
