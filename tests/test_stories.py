"""Stories (articles grouped as they arrive) and the compare view, on invented articles."""

from __future__ import annotations

import json

import pytest

from sayso.compare.stories import story_articles, story_list
from sayso.compare.view import compare_data
from sayso.model import Analysis, Article, Attribution, ContentSpan, Entity, SourceSpan, Span
from sayso.store import open_store

FLOOD = ("Floodwaters breached the Arlen river dam near Korvik on Monday, forcing thousands of "
         "residents from their homes as rescue crews searched flooded villages downstream.")
SHARED = ("The regional water authority said the spillway gates had failed after three days of "
          "record rainfall across the Korvik valley.")
ELECTION = ("Voters in the coastal province elect a new assembly on Sunday after a campaign "
            "dominated by fishing quotas, harbour tolls and the price of ferry tickets.")


def story_article(lead: str, quotes: list[tuple[str, str]], published: str, site: str,
                  extra: str = "") -> Analysis:
    """An article: a lead paragraph, optional shared paragraph, then (speaker, words) quotes."""
    text = lead + "\n\n" + (extra + "\n\n" if extra else "")
    entities: dict[str, Entity] = {}
    statements = []
    for i, (name, words) in enumerate(quotes):
        sentence = f'{name} said: "{words}"'
        start = len(text)
        entity = entities.setdefault(name, Entity(f"E{len(entities)}", name, "PERSON"))
        entity.mentions.append(Span(start, start + len(name), name))
        c0 = start + sentence.index('"') + 1
        statements.append(Attribution(
            f"A{i}", "direct", SourceSpan(start, start + len(name), name, entity=entity.id),
            Span(start + len(name) + 1, start + len(name) + 5, "said"),
            ContentSpan(c0, c0 + len(words), words)))
        text += sentence + "\n"
    return Analysis(Article(text=text, published=published, site=site, title=lead[:50]),
                    list(entities.values()), statements)


@pytest.fixture
def store(store_url):
    with open_store(store_url) as s:
        yield s


def _flood_story(store) -> None:
    store.save(story_article(FLOOD, [("Mira Halvorsen", "The gates were never inspected."),
                                     ("Jon Tavik", "We have moved four thousand people.")],
                             "2024-03-04T08:00", "first.example", SHARED))
    store.save(story_article(FLOOD.replace("Monday", "Monday morning"),
                             [("Jon Tavik", "We have moved four thousand people so far."),
                              ("Ola Brenn", "The inspection reports were in order.")],
                             "2024-03-04T15:00", "second.example", SHARED))


def test_articles_of_one_event_are_one_story_and_others_are_not(store):
    _flood_story(store)
    store.save(story_article(ELECTION, [("Petra Lund", "Ferry prices decide this vote.")],
                             "2024-03-04T10:00", "first.example"))
    store.save(story_article(FLOOD, [("Mira Halvorsen", "The gates were never inspected.")],
                             "2024-05-20T08:00", "third.example"))
    stories = story_list(store)
    assert sorted(s["articles"] for s in stories) == [1, 1, 2]
    big = stories[0]
    assert [a["site"] for a in story_articles(store, big["id"])] == ["first.example",
                                                                    "second.example"]
    assert (big["first_published"], big["last_published"]) == ("2024-03-04T08:00",
                                                                 "2024-03-04T15:00")


def test_compare_puts_outlets_side_by_side(store):
    _flood_story(store)
    story = story_list(store)[0]["id"]
    data = compare_data(store, story)
    assert data["outlets"] == ["first.example", "second.example"]
    assert [v["speaker"] for v in data["voices"]["second.example"]] == ["Jon Tavik", "Ola Brenn"]
    claims = {c["speaker"]: c for c in data["claims"]}
    # the same claim told by both, first by the first outlet
    assert claims["Jon Tavik"]["outlets"] == ["first.example", "second.example"]
    assert claims["Jon Tavik"]["first_outlet"] == "first.example"
    # a claim one outlet carries and the other leaves out
    assert claims["Mira Halvorsen"]["left_out"] == ["second.example"]
    assert claims["Ola Brenn"]["left_out"] == ["first.example"]
    # the copied paragraph is found; no claim-match table: counter-claims unknown, not none
    assert [p["text"] for p in data["shared_paragraphs"]] == [SHARED]
    assert data["counter_claims"] is None
    assert compare_data(store, "s-none") is None


def test_stories_and_compare_commands(store_url, capsys):
    from sayso.cli import main

    with open_store(store_url) as store:
        _flood_story(store)
        story = story_list(store)[0]["id"]
    assert main(["stories", "--db", store_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == story
    assert main(["compare", "--db", store_url, story]) == 0
    out = capsys.readouterr().out
    assert "Ola Brenn" in out and "LEFT OUT BY" in out
    assert main(["compare", "--db", store_url, "s-none"]) == 1
