"""Search finds what people type: the reviewed synonym table, complaint ranking, suggestions, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from acupressure_desktop.catalog.loader import Catalog, CatalogError, load_catalog
from acupressure_desktop.catalog.search import SUGGESTIONS, PointSearch, fold
from acupressure_desktop.cli import main
from acupressure_desktop.paths import AppPaths
from tests.minidata import write_minidata


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def search(catalog: Catalog) -> PointSearch:
    return PointSearch(catalog)


def test_the_table_is_large_and_covers_spellings_plurals_and_phrases(catalog: Catalog) -> None:
    phrases = [fold(p) for s in catalog.synonyms.values() for p in [*s.phrases, *s.misspellings]]
    assert len(phrases) >= 150 and len(set(phrases)) == len(phrases)
    for british, american in (("diarrhoea", "diarrhea"), ("dysmenorrhoea", "dysmenorrhea"), ("energise", "energize")):
        assert british in phrases and american in phrases
    for plural in ("migraines", "headaches", "period pains", "colds", "cramps"):
        assert plural in phrases
    for phrase in ("can t sleep", "cant sleep", "cannot sleep", "can t focus"):
        assert phrase in phrases
    assert sum(len(s.misspellings) for s in catalog.synonyms.values()) >= 15


@pytest.mark.parametrize(
    ("query", "benefit", "routine"),
    [
        ("insomnia", "sleep", "bedtime-wind-down"),
        ("can't sleep", "sleep", "bedtime-wind-down"),
        ("period pain", "menstrual-cramps", "menstrual-cramp-relief"),
        ("neck pain", "neck-shoulder", "neck-shoulder-break"),
        ("stiff neck", "neck-shoulder", "neck-shoulder-break"),
        ("migraine", "headache", "headache-relief"),
        ("migrane", "headache", "headache-relief"),
        ("anxious", "anxiety", "anxious-moment-calm"),
        ("motion sickness", "nausea", "nausea-relief"),
        ("sinus", "congestion", "stuffy-nose-relief"),
        ("cold", "congestion", "stuffy-nose-relief"),
        ("Backache", "back-pain", "low-back-relief"),
        ("tired eyes", "eye-strain", "eye-strain-break"),
        ("brain fog", "focus", "focus-boost"),
    ],
)
def test_everyday_words_find_points_and_rank_the_routine_for_them(
    search: PointSearch, catalog: Catalog, query: str, benefit: str, routine: str
) -> None:
    results = search.search_all(query, catalog.routines.values())
    assert results.points, query
    assert benefit in catalog.points[results.points[0].code].benefits
    assert results.routines and results.routines[0].id == routine
    assert "for “" in results.points[0].reason  # says which phrase it understood


def test_every_phrase_finds_something(search: PointSearch, catalog: Catalog) -> None:
    for synonym in catalog.synonyms.values():
        for phrase in [*synonym.phrases, *synonym.misspellings]:
            assert search.search(phrase), phrase


def test_a_points_own_name_still_wins(search: PointSearch) -> None:
    assert search.search("wind pool")[0].code == "GB20"
    assert search.search("hegu")[0].code == "LI4"
    assert search.search("LI4")[0].code == "LI4"


def test_several_complaints_in_one_query(search: PointSearch, catalog: Catalog) -> None:
    results = search.search_all("headache and nausea", catalog.routines.values())
    ids = [r.id for r in results.routines]
    assert "headache-relief" in ids and "nausea-relief" in ids


def test_words_of_a_longer_phrase_are_not_read_again_alone(search: PointSearch) -> None:
    # "tired eyes" once ranked kidney points for "tired" (more energy) above the eye points.
    assert [c.phrase for c in search.complaints("tired eyes")] == ["tired eyes"]
    assert [c.phrase for c in search.complaints("tired eyes and nausea")] == ["tired eyes", "nausea"]


def test_suggestions_find_something_and_are_never_the_query_itself(search: PointSearch) -> None:
    # "cough" (a benefit no point had yet) once answered: Nothing matches "cough". Try: cough.
    assert "insomnia" not in search.suggest("insomnia")
    for query in ("coughh", "insomia", "sore nek", "xyzzy"):
        assert all(search.search(w, 1) or search.techniques(w) for w in search.suggest(query)), query


def test_suggestions_try_words_only_until_there_are_enough(
    search: PointSearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "sor" is close to nothing, so the 21 common complaints are offered; each was searched to check
    # it finds something, 21 searches in a keystroke (15 ms), for the first five shown.
    searched: list[str] = []
    real = search.search
    monkeypatch.setattr(search, "search", lambda q, limit=50: searched.append(q) or real(q, limit))
    offered = search.suggest("sor")
    assert len(offered) == SUGGESTIONS
    assert len(searched) == SUGGESTIONS


def test_nothing_matches_gives_suggestions(search: PointSearch, catalog: Catalog) -> None:
    results = search.search_all("insomia", catalog.routines.values())
    assert results.empty and results.suggestions[0] == "insomnia"
    assert "sore neck" in search.suggest("sore nek")
    assert search.suggest("xyzzy")  # nothing close: the common complaints
    assert all(s not in {"migrane", "insomina"} for s in search.suggest("migrain"))  # never a misspelling


def test_a_synonym_must_lead_to_known_benefits_and_regions(tmp_path: Path) -> None:
    dirs = write_minidata(tmp_path)
    (dirs.data / "synonyms.json").write_text(
        json.dumps(
            [
                {"id": "a", "phrases": ["stressed out"], "benefits": ["nope"]},
                {"id": "b", "phrases": ["Stressed-out"], "regions": ["elbow"]},
                {"id": "c", "phrases": ["hegu"], "benefits": ["stress"]},
                {"id": "d", "phrases": ["x"]},
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as raised:
        load_catalog(dirs)
    problems = [str(p) for p in raised.value.problems]
    assert "data/synonyms.json: a.benefits: unknown benefit 'nope'" in problems
    assert "data/synonyms.json: b.regions: unknown region 'elbow'" in problems
    assert "data/synonyms.json: b.phrases: 'Stressed-out' is also in 'a'" in problems
    assert "data/synonyms.json: c.phrases: 'hegu' is a point's own name" in problems
    assert any(p.startswith("data/synonyms.json: d: ") and "benefit or region" in p for p in problems), problems


def test_cli_search_prints_ranked_points_routines_and_techniques(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "can't", "sleep"]) == 0
    out = capsys.readouterr().out
    assert "Points:" in out and "Routines:" in out and "[bedtime-wind-down]" in out and "Techniques:" in out
    assert main(["search", "--json", "period", "pain"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["routines"][0]["id"] == "menstrual-cramp-relief"
    assert document["understood"][0]["phrase"] == "period pain"
    assert {"id", "title", "score", "reason"} <= set(document["points"][0])
    assert main(["search", "insomia"]) == 1
    assert "Nothing matches “insomia”. Try: insomnia" in capsys.readouterr().out
    assert main(["search", "--json", "zzzz"]) == 1
    assert json.loads(capsys.readouterr().out)["suggestions"]


def test_cli_search_finds_your_own_routines_and_leaves_a_broken_one_in_place(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = AppPaths.resolve().routines_dir
    folder.mkdir(parents=True)
    mine = {
        "id": "evening-eyes",
        "title": "My evening eyes",
        "purpose": "After a day at the screen.",
        "benefits": ["eye-strain"],
        "steps": [{"point": "BL2", "seconds": 60, "side": "both"}, {"point": "GB20", "seconds": 60, "side": "both"}],
        "builtin": False,
    }
    (folder / "evening-eyes.json").write_text(json.dumps(mine))
    (folder / "broken.json").write_text("{ not json")
    assert main(["search", "--json", "evening", "eyes"]) == 0
    captured = capsys.readouterr()
    assert [r["id"] for r in json.loads(captured.out)["routines"]][:1] == ["evening-eyes"]
    assert "broken.json could not be read" in captured.err
    assert sorted(p.name for p in folder.iterdir()) == ["broken.json", "evening-eyes.json"]  # nothing moved


def test_a_command_piped_into_head_ends_quietly() -> None:
    # "acupressure-desktop catalog --json | head" printed a BrokenPipeError traceback.
    command = [sys.executable, "-m", "acupressure_desktop", "catalog", "--json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10)
        process.stdout.close()  # the reader goes away, as head does
        errors = process.stderr.read().decode()
    assert process.returncode == 1 and "Traceback" not in errors, errors


def test_catalog_json_carries_the_synonyms(catalog: Catalog) -> None:
    from acupressure_desktop.catalog.export import catalog_document

    document = catalog_document(catalog)
    assert document["version"] == 2  # a new field, not a changed one
    sleep = next(s for s in document["synonyms"] if s["id"] == "sleep")
    assert "can't sleep" in sleep["phrases"] and sleep["benefits"] == ["sleep"]
