"""Across articles: the same claim in other words (`claims`), reprints and wire copy
(`reprints`), and the text similarity both rest on: a sentence encoder (`embed`) and BM25
(`lexical`), each usable on its own by other comparison code (stories, identities)."""
