"""Search over the real catalog, on a table of queries a person would type."""

from __future__ import annotations

import pytest

from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.catalog.search import PointSearch, fold, normalise_code


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def search(catalog: Catalog) -> PointSearch:
    return PointSearch(catalog)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("LI4", "LI4"),
        ("li-4", "LI4"),
        ("Li 4", "LI4"),
        ("LI04", "LI4"),
        ("lv3", "LR3"),
        ("Liv 3", "LR3"),
        ("sj5", "TE5"),
        ("TW-5", "TE5"),
        ("UB40", "BL40"),
        ("P6", "PC6"),
        ("K1", "KI1"),
        ("Du20", "GV20"),
        ("Ren 17", "CV17"),
        ("gv29", "EX-HN3"),
        ("ex-hn3", "EX-HN3"),
        ("EX HN 5", "EX-HN5"),
        ("anmian", "Anmian"),
    ],
)
def test_codes_in_any_common_spelling_rank_first(search: PointSearch, text: str, code: str) -> None:
    hits = search.search(text)
    assert hits, text
    assert hits[0].code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hégǔ", "LI4"),
        ("hegu", "LI4"),
        ("He Gu", "LI4"),
        ("合谷", "LI4"),
        ("neiguan", "PC6"),
        ("Nèiguān", "PC6"),
        ("yintang", "EX-HN3"),
        ("zusanli", "ST36"),
        ("sanyinjiao", "SP6"),
        ("fengchi", "GB20"),
        ("taichong", "LR3"),
        ("shenmen", "HT7"),
        ("baihui", "GV20"),
        ("yongquan", "KI1"),
    ],
)
def test_pinyin_with_or_without_tones_and_characters(search: PointSearch, text: str, code: str) -> None:
    assert search.search(text)[0].code == code


def test_english_name(search: PointSearch, catalog: Catalog) -> None:
    english = catalog.points["LI4"].english
    assert search.search(english)[0].code == "LI4"
    assert "LI4" in [h.code for h in search.search(english.split()[0].lower())[:5]]


@pytest.mark.parametrize("benefit", ["sleep", "headache", "nausea", "menstrual-cramps", "eye-strain"])
def test_benefit_queries_list_the_benefit_points(search: PointSearch, catalog: Catalog, benefit: str) -> None:
    expected = {p.code for p in catalog.points.values() if benefit in p.benefits}
    found = {h.code for h in search.search(catalog.benefits[benefit].title)}
    assert expected <= found


def test_meridian_and_region(search: PointSearch, catalog: Catalog) -> None:
    meridian = catalog.meridians["PC"].name
    codes = {h.code for h in search.search(meridian)}
    assert {"PC6", "PC8"} <= codes
    assert "PC6" in {h.code for h in search.search("wrist")}


def test_ranking_prefers_exact_over_partial(search: PointSearch) -> None:
    assert search.resolve_code("LU12") is None  # no such point: never a code hit for a longer one
    assert search.resolve_code("LI1") == "LI1"  # and never LI10 to LI15
    li1 = search.search("LI1")
    assert li1[0].code == "LI1" and all(h.score < li1[0].score for h in li1[1:])
    hits = search.search("PC6")
    assert hits[0].code == "PC6"
    assert all(h.score < hits[0].score for h in hits[1:])


def test_nonsense_and_empty(search: PointSearch) -> None:
    assert search.search("") == []
    assert search.search("   ") == []
    assert search.search("zzzqqq") == []


def test_normalise_and_fold() -> None:
    assert normalise_code("ex-ue-7") == "EX-UE7"
    assert normalise_code("hello") is None
    assert fold("Nèiguān!") == "neiguan"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("yintang", "EX-HN3"),
        ("Yìntáng", "EX-HN3"),
        ("li-4", "LI4"),
        ("合谷", "LI4"),
        ("nowhere", None),
        ("sleep", None),
    ],
)
def test_find_point_by_code_or_exact_name(search: PointSearch, text: str, code: str | None) -> None:
    assert search.find_point(text) == code


def test_step_targets_rank_techniques_with_points_and_leave_out_reference_points() -> None:
    from acupressure_desktop.catalog.loader import load_catalog

    catalog = load_catalog()
    search = PointSearch(catalog)
    technique = next(iter(catalog.techniques.values()))
    assert search.step_targets(technique.title, 5)[0] == technique.id  # an exact title ranks first
    assert "ST9" in [hit.code for hit in search.search("ST9")]
    assert "ST9" not in search.step_targets("ST9", 5)


def test_rank_by_evidence_puts_the_best_supported_points_first(catalog: Catalog) -> None:
    from acupressure_desktop.catalog.search import rank_by_evidence
    from acupressure_desktop.domain.models import EVIDENCE_ORDER

    nausea = rank_by_evidence(catalog, list(catalog.points), "nausea")
    assert nausea[0] == "PC6"
    assert set(nausea) == {c for c, p in catalog.points.items() if "nausea" in p.benefits}
    cramps = rank_by_evidence(catalog, list(catalog.points), "menstrual-cramps")
    assert set(cramps[:3]) == {"LI4", "SP6", "CV4"}
    ranks = [EVIDENCE_ORDER.index(catalog.points[c].evidence_for("menstrual-cramps").level) for c in cramps]  # type: ignore[union-attr]
    assert ranks == sorted(ranks)
    assert rank_by_evidence(catalog, ["ST36", "PC6"], "nausea") == ["PC6", "ST36"]


@pytest.mark.parametrize(
    "query",
    ["LI4", "li-4", "hegu", "zu san li", "zusanli", "headache", "ache", "knee", "wrist crease", "neck pain", "eye"],
)
def test_the_indexed_search_finds_what_a_scan_of_every_key_finds(search: PointSearch, query: str) -> None:
    # The scan of all keys took 2-7 ms with the full atlas; the indexes pick its candidates.
    from acupressure_desktop.catalog import search as module

    words = module.fold(query).split()
    phrase, compact = " ".join(words), "".join(words)
    scanned = [i for i, key in enumerate(search._keys) if module._score(key, phrase, compact, words)]
    assert set(scanned) <= set(search._candidates(words, compact)), query


def test_a_one_letter_query_finds_names_it_begins_not_every_text_holding_it(search: PointSearch) -> None:
    hits = search.search("s")
    assert hits and all(h.reason != "location" for h in hits)
