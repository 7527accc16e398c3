"""sayso_framing: loaded language and name calling, and whose voice each loaded span is in.

`component` is the spaCy component, `tagger` the trained tagger and the lexicon baseline,
`features` what both read off a Doc; docs/model-framing.md describes the model.
"""
