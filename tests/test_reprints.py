"""Reprints: near-duplicate articles grouped under the earliest, with what each copy changed."""

from __future__ import annotations

import json

import pytest

from sayso.compare.reprints import ReprintIndex, differences

PARAGRAPHS = [
    "The river authority of Vellmar opened the new flood barrier on Thursday after four years "
    "of construction and a long dispute over its cost.",
    "Engineers said the barrier can hold back a surge two metres higher than the one that "
    "flooded the old town in the spring of the last wet year.",
    "The project cost 84 million euros, about a third more than the council had planned when "
    "the first contracts were signed with the builders.",
    "Residents of the harbour district, who were evacuated twice during the last decade, "
    "gathered on the embankment to watch the gates close for the first test.",
    "A spokeswoman for the authority said the gates would be tested every month and that the "
    "maintenance crews had been trained abroad during the winter.",
    "Opposition councillors said they would still ask the auditors to explain why the budget "
    "had grown so much while the work was under way.",
]
ORIGIN = "\n\n".join(PARAGRAPHS)

OTHER_STORY = "\n\n".join([
    "Vellmar's flood barrier, finished this week, has divided the town's council since the "
    "first plans were drawn, and the argument is not over.",
    "Councillors of the opposition want an audit of the budget, which they say grew by a "
    "third, and question whether the river authority told them the truth.",
    "The authority answers that the gates protect the harbour district and that every euro "
    "was approved in public sessions of the council.",
    "People living near the embankment told this newspaper they felt safer, though some "
    "remembered being evacuated from their homes twice in ten years.",
])


def _without(i: int) -> str:
    return "\n\n".join(p for k, p in enumerate(PARAGRAPHS) if k != i)


def test_a_copy_with_a_cut_paragraph_is_found_with_its_difference() -> None:
    index = ReprintIndex()
    index.add("origin", ORIGIN, "2024-04-04")
    assert index.add("copy", _without(2), "2024-04-05") == ["origin"]
    diffs = differences(ORIGIN, _without(2))
    assert [(d.kind, d.origin_text) for d in diffs] == [("cut", PARAGRAPHS[2])]
    start, end = diffs[0].origin
    assert ORIGIN[start:end] == PARAGRAPHS[2]


def test_added_and_reworded_paragraphs_and_a_new_headline_are_told_apart() -> None:
    reworded = PARAGRAPHS[4].replace("A spokeswoman for", "A press officer at")
    local = ("Our reporter in the harbour district spoke with shop owners, who said that the "
             "last flood had closed their doors for three months.")
    copy = "\n\n".join([*PARAGRAPHS[:4], local, reworded, PARAGRAPHS[5]])
    diffs = differences(ORIGIN, copy, "Flood barrier opens", "Vellmar opens its barrier")
    assert [d.kind for d in diffs] == ["headline", "added", "reworded"]
    assert diffs[1].copy_text == local
    assert (diffs[2].origin_text, diffs[2].copy_text) == (PARAGRAPHS[4], reworded)


def test_a_different_story_on_the_same_subject_is_not_a_reprint() -> None:
    index = ReprintIndex()
    index.add("origin", ORIGIN, "2024-04-04")
    assert index.add("other", OTHER_STORY, "2024-04-04") == []
    assert index.groups() == []


def test_the_origin_is_the_earliest_published_whatever_arrives_first() -> None:
    index = ReprintIndex()
    index.add("late-copy", _without(5), "2024-04-09")
    index.add("copy", _without(1), "2024-04-06")
    index.add("first", ORIGIN, "2024-04-04T08:00")
    assert index.origin("late-copy") == index.origin("copy") == "first"
    assert index.copies("first") == ["copy", "late-copy"]


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]])
def test_groups_do_not_depend_on_the_order_of_arrival(order: list[int]) -> None:
    articles = [("a", ORIGIN, "2024-04-04"), ("b", _without(0), "2024-04-05"),
                ("c", OTHER_STORY, "2024-04-05"), ("d", _without(3), "2024-04-07")]
    index = ReprintIndex()
    for i in order:
        index.add(*articles[i])
    assert index.groups() == [["a", "b", "d"]]


def test_the_store_keeps_origins_and_copies_and_the_cli_prints_them(tmp_path, capsys) -> None:
    from sayso.cli import main
    from sayso.model import Analysis, Article
    from sayso.store import open_store

    db = str(tmp_path / "ledger.db")
    stories = {"origin": Article(title="Barrier opens", site="wire.example",
                                 published="2024-04-04", text=ORIGIN),
               "copy": Article(title="Vellmar barrier opens", site="daily.example",
                               published="2024-04-05", text=_without(2)),
               "other": Article(title="The barrier row", site="weekly.example",
                                published="2024-04-06", text=OTHER_STORY)}
    with open_store(db) as store:
        for article in stories.values():
            store.save(Analysis(article=article))
    assert main(["link", "--db", db]) == 0
    assert main(["reprints", "--db", db, stories["copy"].id, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["origin"] == stories["origin"].id
    assert [c["article_id"] for c in info["copies"]] == [stories["copy"].id]
    assert [(d["kind"], d["origin_text"]) for d in info["copies"][0]["differences"]] == [
        ("headline", "Barrier opens"), ("cut", PARAGRAPHS[2])]
    assert main(["reprints", "--db", db, stories["other"].id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["copies"] == []
