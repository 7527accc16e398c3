"""Identities across the store: each merge and non-merge rule on invented articles, analysts'
corrections, and corrections surviving re-analysis."""

from __future__ import annotations

import pytest

from sayso.compare.identities import name_core
from sayso.model import Analysis, Article, Attribution, ContentSpan, Entity, SourceSpan, Span
from sayso.store import identities as ids
from sayso.store import open_store

_COUNT = iter(range(10_000))


def article(*speakers: tuple, published: str = "2024-05-02", site: str = "example.org"
            ) -> Analysis:
    """An invented article: each speaker (name, type[, country[, roles]]) says one sentence."""
    text, entities, statements = "", [], []
    for i, (name, type_, *rest) in enumerate(speakers):
        country = rest[0] if rest else None
        roles = rest[1] if len(rest) > 1 else []
        lead = f"Later on, {name} said that " if i else f"On the day {name} said that "
        quote = f"the plan number {next(_COUNT)} would work."
        start = len(text) + lead.index(name)
        cstart = len(text) + len(lead)
        text += lead + quote + "\n"
        entities.append(Entity(f"E{i}", name, type_, country, list(roles),
                               [Span(start, start + len(name), name)]))
        statements.append(Attribution(
            f"A{i}", "indirect", SourceSpan(start, start + len(name), name, entity=f"E{i}"),
            Span(start + len(name) + 1, start + len(name) + 5, "said"),
            ContentSpan(cstart, cstart + len(quote), quote)))
    return Analysis(Article(text=text, published=published, site=site, title=text[:40]),
                    entities, statements)


@pytest.fixture
def store(store_url):
    with open_store(store_url) as s:
        yield s


def same(store, *written: str) -> bool:
    """Whether every member written with one of these names is in one identity."""
    found = {r["identity_id"] for r in store._rows(
        f"SELECT identity_id FROM identity_members WHERE name IN "
        f"({', '.join('?' * len(written))})", written)}
    return len(found) == 1


def test_a_name_without_a_country_joins_the_same_name_with_one(store):
    store.save(article(("Nadia Okafor", "PERSON", "NGA")))
    store.save(article(("Nadia Okafor", "PERSON")))
    assert same(store, "Nadia Okafor")
    row = ids.identity_list(store)[0]
    assert (row["name"], row["country"], row["statements"], row["articles"]) == (
        "Nadia Okafor", "NGA", 2, 2)


def test_a_bare_surname_joins_the_only_full_name_it_can_be(store):
    store.save(article(("Tomas Verhoeven", "PERSON")))
    store.save(article(("Verhoeven", "PERSON")))
    assert same(store, "Tomas Verhoeven", "Verhoeven")


def test_a_bare_first_name_joins_the_only_person_it_opens(store):
    store.save(article(("Kanyarat Boonmee", "PERSON")))
    store.save(article(("Kanyarat", "PERSON")))
    assert same(store, "Kanyarat Boonmee", "Kanyarat")


def test_a_bare_surname_stored_first_is_upgraded_by_the_full_name(store):
    store.save(article(("Verhoeven", "PERSON")))
    store.save(article(("Tomas Verhoeven", "PERSON")))
    assert same(store, "Tomas Verhoeven", "Verhoeven")
    assert ids.identity_list(store)[0]["name"] == "Tomas Verhoeven"


def test_an_ambiguous_bare_surname_links_to_neither(store):
    store.save(article(("Tomas Verhoeven", "PERSON")))
    store.save(article(("Anna Verhoeven", "PERSON")))
    store.save(article(("Verhoeven", "PERSON")))
    assert not same(store, "Tomas Verhoeven", "Anna Verhoeven")
    assert not same(store, "Tomas Verhoeven", "Verhoeven")
    assert not same(store, "Anna Verhoeven", "Verhoeven")


def test_the_country_settles_an_ambiguous_surname(store):
    store.save(article(("Tomas Verhoeven", "PERSON", "NLD")))
    store.save(article(("Anna Verhoeven", "PERSON", "BEL")))
    store.save(article(("Verhoeven", "PERSON", "BEL")))
    assert same(store, "Anna Verhoeven", "Verhoeven")


def test_the_role_settles_an_ambiguous_surname(store):
    store.save(article(("Tomas Verhoeven", "PERSON", None, ["minister"])))
    store.save(article(("Anna Verhoeven", "PERSON", None, ["professor"])))
    store.save(article(("Verhoeven", "PERSON", None, ["professor"])))
    assert same(store, "Anna Verhoeven", "Verhoeven")


def test_a_bare_surname_of_another_country_stays_apart(store):
    store.save(article(("Tomas Verhoeven", "PERSON", "NLD")))
    store.save(article(("Verhoeven", "PERSON", "ZAF")))
    assert not same(store, "Tomas Verhoeven", "Verhoeven")


def test_spelling_variants_of_a_full_name_are_one_person(store):
    store.save(article(("Mevlut Karaoglu", "PERSON")))
    store.save(article(("Mevlut Karaolgu", "PERSON")))
    store.save(article(("M. Karaoglu", "PERSON")))
    assert same(store, "Mevlut Karaoglu", "Mevlut Karaolgu", "M. Karaoglu")


def test_different_first_names_with_one_surname_are_two_people(store):
    store.save(article(("Michael Arden", "PERSON")))
    store.save(article(("Michelle Arden", "PERSON")))
    assert not same(store, "Michael Arden", "Michelle Arden")


def test_titles_and_descriptions_around_a_name_are_not_the_name(store):
    store.save(article(("Prime Minister Ilse Marrak", "PERSON")))
    store.save(article(("Ilse Marrak, the head of the coalition", "ORG")))
    store.save(article(("coalition spokesperson Ilse Marrak", "ORG")))
    assert same(store, "Prime Minister Ilse Marrak", "Ilse Marrak, the head of the coalition",
                "coalition spokesperson Ilse Marrak")


def test_a_surname_mistyped_as_a_body_in_one_article_joins_its_person(store):
    store.save(article(("Rogan Pettersby", "PERSON"), ("Pettersby", "ORG")))
    assert same(store, "Rogan Pettersby", "Pettersby")


def test_a_long_surname_misspelt_in_one_article_joins_its_person(store):
    store.save(article(("Omar Farrowhill", "PERSON"), ("Farowhill", "ORG")))
    assert same(store, "Omar Farrowhill", "Farowhill")


def test_a_short_word_one_letter_off_a_surname_is_not_that_person(store):
    store.save(article(("Kiran Ghali", "PERSON"), ("Ghazi", "PERSON")))
    assert not same(store, "Kiran Ghali", "Ghazi")


def test_a_person_tagged_a_body_is_a_person_and_a_body_keeps_its_words(store):
    store.save(article(("Gareth Pettersby", "ORG"), ("Harbour Ministry", "ORG"),
                       ("Harbour", "ORG")))
    kinds = {r["name"]: r["kind"] for r in ids.identity_list(store)}
    assert kinds["Gareth Pettersby"] == "person"
    assert not same(store, "Harbour", "Harbour Ministry")


def test_a_country_never_joins_a_person_named_after_it(store):
    store.save(article(("Chad", "COUNTRY", "TCD"), ("Chad Willets", "PERSON")))
    assert not same(store, "Chad", "Chad Willets")


def test_dotted_acronym_spelled_out_name_and_acronym_are_one_body(store):
    store.save(article(("U.N.", "ORG")))
    store.save(article(("United Nations", "ORG")))
    store.save(article(("UN", "ORG")))
    store.save(article(("the United Nations", "ORG")))
    assert same(store, "U.N.", "United Nations", "UN", "the United Nations")
    assert ids.identity_list(store)[0]["name"] == "United Nations"


def test_an_acronym_and_its_name_in_one_article_stay_one_body_across_articles(store):
    store.save(article(("United Nations", "ORG"), ("U.N.", "ORG"), ("Union of Nurses", "ORG")))
    store.save(article(("U.N.", "ORG")))
    store.save(article(("United Nations", "ORG")))
    assert same(store, "U.N.", "United Nations")
    assert not same(store, "United Nations", "Union of Nurses")


def test_same_body_name_of_two_countries_is_two_bodies(store):
    store.save(article(("Ministry of Agriculture", "ORG", "KEN")))
    store.save(article(("Ministry of Agriculture", "ORG", "PER")))
    store.save(article(("Ministry of Agriculture", "ORG", "PER")))
    store.save(article(("Ministry of Agriculture", "ORG")))  # which of the two: neither
    assert not same(store, "Ministry of Agriculture")
    assert sorted(r["articles"] for r in ids.identity_list(store)) == [1, 1, 2]


def test_generic_nouns_of_different_articles_stay_apart(store):
    store.save(article(("analysts", "GROUP")))
    store.save(article(("analysts", "GROUP")))
    store.save(article(("Analysts", "GROUP")))
    store.save(article(("U.S. officials", "GROUP", "USA")))
    store.save(article(("U.S. officials", "GROUP", "USA")))
    assert {r["articles"] for r in ids.identity_list(store)} == {1}
    assert {r["kind"] for r in ids.identity_list(store)} == {"generic"}


def test_a_name_tagged_a_person_and_a_body_is_one_identity(store):
    store.save(article(("Harbour Watch Collective", "ORG")))
    store.save(article(("Harbour Watch Collective", "PERSON")))
    assert same(store, "Harbour Watch Collective")


@pytest.mark.parametrize(("written", "core"), [
    ("foreign ministry spokesperson Lea Brandt", ("foreign ministry spokesperson", "Lea Brandt")),
    ("Lea Brandt, a lawyer in Graz", ("a lawyer in Graz", "Lea Brandt")),
    ("a lawyer in Graz", None),
    ("special envoy for Moldova", None),
    ("University of Graz", ("", "University of Graz")),
    ("Westbrook College’s Brandt", ("", "Brandt")),
    ("Another passenger, Lea Brandt", ("Another passenger", "Lea Brandt")),
    ("Many Aldovians", None),
])
def test_name_core(written, core):
    assert name_core(written) == core


def test_corrections_merge_rename_split_are_logged_and_applied(store):
    store.save(article(("Lea Brandt", "PERSON"), ("Ottmar Vinke", "PERSON")))
    store.save(article(("L. Brandt-Ruiz", "PERSON")))
    people = {r["name"]: r["id"] for r in ids.identity_list(store)}
    ids.merge(store, people["Lea Brandt"], [people["L. Brandt-Ruiz"]], who="ana")
    assert same(store, "Lea Brandt", "L. Brandt-Ruiz")
    ids.rename(store, people["Lea Brandt"], "Lea Brandt-Ruiz", who="ana")
    assert people["Lea Brandt"] in {r["id"] for r in ids.identity_list(store)
                                   if r["name"] == "Lea Brandt-Ruiz"}
    new = ids.split(store, people["Lea Brandt"], ["L. Brandt-Ruiz"], who="ben")
    assert not same(store, "Lea Brandt", "L. Brandt-Ruiz")
    assert ids.identity(store, new)["aliases"] == ["L. Brandt-Ruiz"]
    log = ids.corrections(store)
    assert [(c["action"], c["who"]) for c in log] == [("merge", "ana"), ("rename", "ana"),
                                                       ("split", "ben")]
    assert all(c["at"] for c in log)
    # the machine's own links are kept apart from the analysts'
    machine = {r["machine_id"] for r in store._rows(
        "SELECT machine_id FROM identity_members WHERE name = 'L. Brandt-Ruiz'")}
    assert machine == {people["L. Brandt-Ruiz"]}


def test_corrections_survive_reanalysis(store_url, tmp_path):
    from sayso.cli import main

    with open_store(store_url) as store:
        store.save(article(("Lea Brandt", "PERSON")))
        store.save(article(("L. Brandt-Ruiz", "PERSON")))
        people = {r["name"]: r["id"] for r in ids.identity_list(store)}
    assert main(["entities", "merge", "--db", store_url, people["Lea Brandt"],
                 people["L. Brandt-Ruiz"], "--who", "ana"]) == 0
    assert main(["entities", "rename", "--db", store_url, people["Lea Brandt"], "Dr Lea B."]) == 0
    # a new article of the same person, and the identities rebuilt from scratch
    with open_store(store_url) as store:
        store.save(article(("L. Brandt-Ruiz", "PERSON"), published="2024-06-01"))
        assert same(store, "Lea Brandt", "L. Brandt-Ruiz")
    assert main(["entities", "rebuild", "--db", store_url]) == 0
    with open_store(store_url) as store:
        assert same(store, "Lea Brandt", "L. Brandt-Ruiz")
        top = ids.identity_list(store)[0]
        assert (top["name"], top["statements"]) == ("Dr Lea B.", 3)
        assert len(ids.corrections(store)) == 2


def test_statements_of_an_identity_filter_by_outlet_and_date(store):
    store.save(article(("Lea Brandt", "PERSON"), published="2024-05-02", site="one.example"))
    store.save(article(("Lea Brandt", "PERSON"), published="2024-06-09", site="two.example"))
    ident = ids.identity_list(store)[0]["id"]
    assert len(ids.identity_statements(store, ident)) == 2
    assert [r["outlet"] for r in ids.identity_statements(store, ident, "two.example")] == [
        "two.example"]
    assert [r["published"] for r in ids.identity_statements(store, ident, since="2024-06-01")
            ] == ["2024-06-09"]
    assert [r["published"] for r in ids.identity_statements(store, ident, until="2024-05-31")
            ] == ["2024-05-02"]


def test_a_store_saved_before_identities_is_linked_on_first_use(store):
    store.save(article(("Lea Brandt", "PERSON")))
    store.conn.execute("DELETE FROM identity_members")
    store.conn.execute("DELETE FROM compared_articles")
    assert ids.link_pending(store) == 1
    assert ids.identity_list(store)[0]["statements"] == 1


def test_corrections_survive_sayso_analyze_run_again(tmp_path):
    from sayso.cli import main

    db = str(tmp_path / "ledger.db")
    first, second, third = (tmp_path / f"{n}.txt" for n in ("one", "two", "three"))
    first.write_text("Ottmar Vinke, a hydrologist in Graz, said on Monday that the river would "
                     "crest on Friday. Vinke said the dikes would hold.\n", encoding="utf-8")
    second.write_text("Otto Vinkemann said on Tuesday that the water office had closed two "
                      "bridges. He said the closures would last a week.\n", encoding="utf-8")
    third.write_text("Otto Vinkemann told reporters on Thursday that the river had begun to "
                     "fall. Vinkemann said the bridges would reopen soon.\n", encoding="utf-8")
    assert main(["analyze", str(first), str(second), "--db", db, "-q"]) == 0
    with open_store(db) as store:
        people = {r["name"]: r["id"] for r in ids.identity_list(store, kind="person")}
    assert {"Ottmar Vinke", "Otto Vinkemann"} <= set(people)
    assert main(["entities", "merge", "--db", db, people["Ottmar Vinke"],
                 people["Otto Vinkemann"], "--who", "ana"]) == 0
    # run again over the same inputs and a new one: nothing analysed twice, nothing lost
    assert main(["analyze", str(first), str(second), str(third), "--db", db, "-q"]) == 0
    with open_store(db) as store:
        merged = [r for r in ids.identity_list(store, kind="person")
                  if r["id"] == people["Ottmar Vinke"]]
        assert merged and merged[0]["articles"] == 3
        assert {"Ottmar Vinke", "Otto Vinkemann"} <= set(merged[0]["aliases"])
