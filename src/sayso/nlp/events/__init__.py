"""PLOVER events, each tied to the statement that reports it."""
