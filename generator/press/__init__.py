"""Press reuse as documents: kits, ninjs, feeds, embeds (no site pages here)."""
