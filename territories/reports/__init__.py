"""Residents' problem reports: take one in, place it, moderate it, see it fixed."""
