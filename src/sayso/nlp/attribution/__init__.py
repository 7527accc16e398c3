"""Attributed statements: quotes, cue lexicons, the rules engine and the trained tagger."""
