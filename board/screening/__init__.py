"""Rendering, sanitizing and screening of comment bodies (SPEC 3)."""
