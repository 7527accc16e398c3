"""Entities and speakers: names, roles, groups and countries, and who each source is."""
