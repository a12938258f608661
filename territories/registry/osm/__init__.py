"""Filling the registry from an OpenStreetMap extract (`manage.py import_osm`)."""
