"""sayso as spaCy components: added by name to a plain pipeline (entry points, nothing imported
first), results as span groups, and a pipeline saved to disk that reloads and gives the same."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import spacy

from sayso.model import Analysis
from sayso.nlp import SPACY_MODEL, pipeline_spec
from sayso.nlp.spans import SPAN_GROUPS, write_span_groups

TEXT = ('Harbour master Ilse Brandt said on Monday that 30 trawlers would leave Bergen. "The quay '
        'is closed until March," she told reporters.')

# Run in a fresh interpreter: build (or reload) the pipeline, analyse TEXT, and print each span
# group as (start, end, label, id) with the id of the record `span._.sayso_record` gives back.
CHILD = """
import json, sys
import spacy
source, names, text, save = json.loads(sys.argv[1])
assert not [m for m in sys.modules if m.startswith("sayso")], "sayso imported before add_pipe"
nlp = spacy.load(source)
for name, before in names:
    nlp.add_pipe(name, before=before)
doc = nlp(text)
if save:
    nlp.to_disk(save)
print(json.dumps({
    "engine": nlp.get_pipe_config("sayso_attribution")["engine"],
    "groups": {g: [[s.start_char, s.end_char, s.label_, s.id_, s._.sayso_record.id]
                   for s in spans] for g, spans in doc.spans.items()},
}))
"""


def _child(source: str, names: list[tuple[str, str | None]], save: Path | None = None) -> dict:
    args = json.dumps([source, names, TEXT, str(save) if save else None])
    done = subprocess.run([sys.executable, "-c", CHILD, args], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_components_by_name_save_and_reload(tmp_path: Path) -> None:
    names = [(c["name"], c.get("before")) for c in pipeline_spec()]
    saved = tmp_path / "pipeline"
    first = _child(SPACY_MODEL, names, save=saved)
    assert set(first["groups"]) == set(SPAN_GROUPS)
    assert first["groups"]["sayso_sources"] and first["groups"]["sayso_times"]
    for spans in first["groups"].values():
        assert all(span_id == record_id for *_, span_id, record_id in spans)
    again = _child(str(saved), [])  # the components come back from config.cfg alone
    assert again == first and again["engine"] == "rules"


def test_span_groups_mirror_the_records(ledger: list[Analysis]) -> None:
    analysis = ledger[1]
    doc = spacy.blank("en")(analysis.article.text)
    for field in ("attributions", "entities", "times", "places", "quantities", "events"):
        setattr(doc._, field, getattr(analysis, field))
    write_span_groups(doc)
    sources = doc.spans["sayso_sources"]
    assert [(s.id_, s.label_) for s in sources] == [(a.id, a.kind) for a in analysis.attributions]
    assert [s.text for s in doc.spans["sayso_contents"]] == [
        a.content.text for a in analysis.attributions]
    assert sources[0]._.sayso_record is analysis.attributions[0]
    assert sources[0]._.sayso_speaker.name == "Marta Quiroga"
    assert doc.spans["sayso_cues"][2]._.sayso_speaker.name == "central bank"
    assert len(doc.spans["sayso_entities"]) == sum(len(e.mentions) for e in analysis.entities)
    assert [(s.text, s.label_) for s in doc.spans["sayso_quantities"]] == [
        ("12 percent", "percent"), ("3.1 percent", "percent")]
    assert [s.label_ for s in doc.spans["sayso_events"]] == ["AGREE"]


def test_front_matter_records_and_unrun_components_make_no_spans(
        ledger: list[Analysis]) -> None:
    analysis = ledger[1]
    doc = spacy.blank("en")(analysis.article.text)
    doc._.times = [replace(analysis.times[0], part="caption:0"), *analysis.times[1:]]
    write_span_groups(doc)
    assert [s.id_ for s in doc.spans["sayso_times"]] == ["T2", "T3"]
    assert "sayso_sources" not in doc.spans  # sayso_attribution did not run on this doc
