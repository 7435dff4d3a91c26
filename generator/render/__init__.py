"""Stage 3: the catalogue rendered into site pages, one section renderer per output."""
