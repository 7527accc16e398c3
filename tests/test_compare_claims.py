"""Claim matching: the CheckThat! scorer's arithmetic, the fused matcher, and statements of
different articles found to carry the same claim (or to contradict it) in the store."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest
from fastapi.testclient import TestClient

from sayso.compare.claims import (
    DATE_BONUS,
    DATE_PENALTY,
    Dates,
    Stance,
    clean,
    contradicts,
    fuse,
    ranked,
    signature_date,
)
from sayso.eval.claims import (
    average_precision,
    first_copies,
    load_checkthat,
    mean_average_precision,
)
from sayso.model import Analysis, Article, Attribution, Entity, SourceSpan, Span
from sayso.store import open_store
from sayso.store.compare import statement_matches, update
from sayso.web import create_app


def test_map_is_computed_as_the_official_scorer_does() -> None:
    run = {"q1": [("d1", 0.9), ("d2", 0.8), ("d3", 0.7)],
           "q2": [("d6", 0.5), ("d5", 0.9), ("d7", 0.4)],
           "q3": [("d1", 1.0)]}  # not in the qrels: not counted
    qrels = {"q1": {"d2"}, "q2": {"d5", "d7"}}
    assert average_precision(run["q1"], qrels["q1"], 1) == 0.0
    assert average_precision(run["q1"], qrels["q1"], 3) == 0.5
    # q2 ranks d5, d6, d7: precision 1/1 at d5 and 2/3 at d7, over its two relevant claims
    assert average_precision(run["q2"], qrels["q2"], 1) == 0.5
    assert average_precision(run["q2"], qrels["q2"], 3) == pytest.approx((1 + 2 / 3) / 2)
    assert mean_average_precision(run, qrels, 3) == pytest.approx((0.5 + (1 + 2 / 3) / 2) / 2)


def test_ties_rank_the_higher_document_id_first() -> None:
    tied = [("d1", 0.5), ("d2", 0.5)]
    assert average_precision(tied, {"d2"}, 1) == 1.0
    assert average_precision(tied, {"d1"}, 1) == 0.0


def test_fusion_scales_bm25_by_the_query_best() -> None:
    lexical = np.array([[4.0, 2.0, 0.0]])
    semantic = np.array([[0.1, 0.9, 0.5]])
    assert fuse(lexical, semantic, 1.0)[0].tolist() == pytest.approx([0.1, 0.9, 0.5])
    assert fuse(lexical, semantic, 0.0)[0].tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert fuse(np.zeros((1, 3)), semantic, 0.5)[0].tolist() == pytest.approx([0.05, 0.45, 0.25])
    assert ranked(np.array([0.2, 0.9, 0.9, 0.1]), 2) == [(1, 0.9), (2, 0.9)]


def test_a_tweet_is_cleaned_to_its_words_and_its_author() -> None:
    tweet = ("Ostrand's #NewTramLine2 is free for all! @CityOfOstrand_News pic.twitter.com/Ab1"
             " \u2014 Lena Park (@lenapark) March 4, 2021")
    assert clean(tweet) == ("Ostrand's New Tram Line 2 is free for all! City Of Ostrand News "
                            "\u2014 Lena Park")
    assert clean("The minister - who spoke at 5pm - denied it.  ") == (
        "The minister - who spoke at 5pm - denied it.")


def test_a_claim_naming_the_tweets_month_gains_and_one_naming_other_years_loses() -> None:
    tweet = "The tram is free now! \u2014 Lena Park (@lenapark) March 4, 2021"
    assert signature_date(tweet) == (2021, 3)
    assert signature_date("The tram is free now! \u2014 Lena Park (@lenapark)") is None
    dates = Dates(["In March 2021, Ostrand made its trams free.",
                   "Ostrand made its trams free in 2020.",
                   "Ostrand made its trams free in 2015.",
                   "Ostrand made its trams free in 2015 and again on 4 March 2021.",
                   "Ostrand made its trams free."])
    assert dates.shift((2021, 3)).tolist() == pytest.approx(
        [DATE_BONUS, 0.0, -DATE_PENALTY, DATE_BONUS, 0.0])
    assert dates.shift(None).tolist() == [0.0] * 5


def test_the_index_weighs_a_tweets_date() -> None:
    from sayso.compare.claims import ClaimIndex

    index = ClaimIndex(["Ostrand made its trams free in 2015.",
                        "In March 2021, Ostrand made its trams free."])
    tweet = "Ostrand trams are free \u2014 Ida Holm (@ida) March 9, 2021"
    shift = index.scores(tweet) - fuse(*index.parts(tweet), index.weight)[0]
    assert shift.tolist() == pytest.approx([-DATE_PENALTY, DATE_BONUS])


def test_a_denial_contradicts_the_claim_and_an_echo_does_not() -> None:
    claim = Stance("the bridge will reopen in May", "said")
    assert contradicts(claim, Stance("the bridge would reopen in May", "denied"))
    assert contradicts(claim, Stance("the bridge will not reopen in May", "said"))
    assert not contradicts(claim, Stance("the bridge is to reopen in May", "announced"))


def test_a_claim_repeated_in_other_quote_marks_is_kept_once() -> None:
    claims = ['The mayor said the "new" tram is free.', "The mayor said the 'new' tram is free",
              "The mayor said the new tram is not free.", 'THE MAYOR SAID THE "NEW" TRAM IS FREE']
    assert first_copies(claims) == [0, 2]


def _zip(tmp_path) -> None:
    docs = "\tvclaim\ttitle\n0\tThe moon is made of cheese.\tIs the Moon Cheese?\n" \
           "1\tA new bridge opened in Vellmar.\tVellmar Bridge Opens\n" \
           "2\tthe moon is made of 'cheese'\tMoon Cheese\n"
    tweets = "\ttweet_content\n7\tbreaking: the moon really is cheese https://t.co/x\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("v3.0/verified_claims.docs.tsv", docs)
        zf.writestr("v3.0/dev/tweets.queries.tsv", tweets)
        zf.writestr("v3.0/dev/tweet-vclaim-pairs.qrels", "7\t0\t0\t1\n")
    (tmp_path / "v3.zip").write_bytes(buf.getvalue())


def test_checkthat_is_read_from_the_zip_and_scored(tmp_path, capsys) -> None:
    from sayso.cli import main

    _zip(tmp_path)
    data = load_checkthat(tmp_path, "dev")
    assert data.claim_ids == ["0", "1", "2"] and data.qrels == {"7": {"0"}}  # as shipped
    assert load_checkthat(tmp_path, "dev", drop_copies=True).claim_ids == ["0", "1"]
    assert main(["eval", "claims", "--checkthat", str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["systems"]) == {"bm25", "embeddings", "sayso"}
    assert report["systems"]["sayso"]["MAP@1"] == 1.0


def _article(title: str, site: str, published: str, statements: list[tuple[str, str, str]],
             filler: str) -> Analysis:
    """An invented article: `filler` then one sentence per (speaker, cue, content)."""
    text = filler
    entities: dict[str, Entity] = {}
    attributions = []
    for speaker, cue, content in statements:
        start = len(text) + 2
        sentence = f"{speaker} {cue} that {content}."
        text += "\n\n" + sentence
        entity = entities.setdefault(speaker, Entity(f"E{len(entities) + 1}", speaker,
                                                     "PERSON"))
        src = SourceSpan(start, start + len(speaker), speaker, entity=entity.id)
        cue_at = start + len(speaker) + 1
        content_at = cue_at + len(cue) + len(" that ")
        attributions.append(Attribution(
            f"A{len(attributions) + 1}", "indirect", src, Span(cue_at, cue_at + len(cue), cue),
            Span(content_at, content_at + len(content), content)))
        entity.mentions.append(Span(src.start, src.end, speaker))
    return Analysis(article=Article(title=title, site=site, published=published, text=text),
                    entities=list(entities.values()), attributions=attributions)


BRIDGE = ("Traffic has crawled through the centre of Vellmar since the old river bridge was "
          "closed for repairs last autumn.")
MARKET = ("Traders at the covered market of Ostrand counted their losses on Monday after a "
          "night of storms tore part of the roof away.")


def _articles() -> list[Analysis]:
    return [
        _article("Bridge to reopen", "north.example", "2024-04-01", [
            ("Lena Park", "said", "the river bridge in Vellmar will reopen to traffic in May"),
            ("Tomas Berg", "said", "the repairs cost more than the council had planned")],
            BRIDGE),
        _article("Vellmar bridge", "south.example", "2024-04-02", [
            ("Park", "told reporters", "Vellmar's river bridge will reopen for traffic in May"),
            ("Ida Holm", "denied", "the river bridge in Vellmar would reopen to traffic in May")],
            "Drivers in Vellmar have waited months for the bridge across the river, closed "
            "since the autumn floods damaged its pillars."),
        _article("Market roof", "east.example", "2024-04-02", [
            ("Olaf Rand", "said", "the market would stay open while the roof is mended")],
            MARKET),
    ]


def _rows(url: str) -> list[tuple]:
    with open_store(url) as store:
        return sorted(tuple(r.values()) for r in store._rows(
            "SELECT article_id, seq, other_article_id, other_seq, relation "
            "FROM claim_matches"))


def test_the_same_claim_is_matched_across_articles_and_a_denial_contradicts(store_url) -> None:
    north, south, market = _articles()
    with open_store(store_url) as store:
        for a in (north, south, market):
            store.save(a)
        update(store, [a.article.id for a in (north, south, market)])
        found = {(m["article_id"], m["seq"], m["relation"])
                 for m in statement_matches(store, north.article.id, 0)}
    assert found == {(south.article.id, 0, "same"), (south.article.id, 1, "contradicts")}
    with TestClient(create_app(store_url), base_url="http://127.0.0.1") as client:
        served = client.get(f"/api/statements/{south.article.id}/0/matches").json()
    assert [(m["article_id"], m["seq"], m["relation"]) for m in served["matches"]] == [
        (north.article.id, 0, "same")]


def test_adding_articles_one_at_a_time_gives_what_adding_them_together_does(
        store_url, tmp_path) -> None:
    articles = _articles()
    wire = BRIDGE + (" Drivers have used a ferry and a detour through the hills since then, and "
                     "shops in the old town say they have lost half their customers.")
    said = [("Lena Park", "said", "the river bridge in Vellmar will reopen to traffic in May")]
    articles[0] = _article("Bridge to reopen", "north.example", "2024-04-01", said, wire)
    copy = _article("Bridge to reopen, says Park", "west.example", "2024-04-03", said,
                    wire + "\n\nOur own reporter found the detour signs still up on Sunday.")
    batch_url = str(tmp_path / "batch.db")
    with open_store(batch_url) as store:
        for a in [*articles, copy]:
            store.save(a)
        update(store, [a.article.id for a in [*articles, copy]])
    with open_store(store_url) as store:
        for a in [copy, *articles]:
            store.save(a)
            update(store, [a.article.id])
        origin = store._rows("SELECT origin_id FROM reprints WHERE article_id = ?",
                             (copy.article.id,))
    assert origin == [{"origin_id": articles[0].article.id}]
    assert _rows(store_url) == _rows(batch_url)
    assert ("copy" in {r[4] for r in _rows(store_url)})
