"""Plumbing with no domain knowledge: cores, atomic files, template environments."""
