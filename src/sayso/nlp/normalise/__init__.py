"""Normalised times, places and quantities."""
