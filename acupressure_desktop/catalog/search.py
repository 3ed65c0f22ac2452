"""Ranked point search over codes in any common spelling, names, benefits, regions, meridians.

The index is built once per catalog: every point gets a few normalised keys with a
weight, and a query scores each point by its best matching key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from acupressure_desktop.catalog.loader import Catalog
from acupressure_desktop.domain.models import EVIDENCE_ORDER

# Older or regional meridian abbreviations -> WHO codes.
MERIDIAN_ALIASES = {
    "LV": "LR",
    "LIV": "LR",
    "SJ": "TE",
    "TW": "TE",
    "TH": "TE",
    "UB": "BL",
    "P": "PC",
    "K": "KI",
    "KID": "KI",
    "DU": "GV",
    "REN": "CV",
    "CO": "CV",
    "GO": "GV",
}

NAME_REASONS = frozenset({"pinyin", "Chinese name", "English name"})

# Weights, highest wins; ties broken by code order.
EXACT_CODE, PINYIN_EXACT, NAME_PREFIX, WORD_PREFIX, BENEFIT, PLACE, TEXT = 100, 90, 70, 60, 45, 35, 10


def fold(text: str) -> str:
    """Lower case, tone marks and punctuation removed: 'Hégǔ' -> 'hegu'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^\w\u4e00-\u9fff]+", " ", plain.casefold()).strip()


def normalise_code(text: str) -> str | None:
    """'li-4', 'Li 4', 'LV3', 'sj5', 'ex hn 3' -> canonical 'LI4', 'LR3', 'TE5', 'EX-HN3'."""
    compact = re.sub(r"[\s\-_.]+", "", text.upper())
    extra = re.fullmatch(r"EX(HN|CA|B|UE|LE)(\d{1,2})", compact)
    if extra:
        return f"EX-{extra.group(1)}{int(extra.group(2))}"
    match = re.fullmatch(r"([A-Z]{1,3})(\d{1,2})", compact)
    if not match:
        return None
    letters = MERIDIAN_ALIASES.get(match.group(1), match.group(1))
    return f"{letters}{int(match.group(2))}"


@dataclass(frozen=True)
class Hit:
    code: str
    score: int
    reason: str


@dataclass(frozen=True)
class _Key:
    text: str  # folded
    prefixes: frozenset[str]  # every prefix of every word: a word-prefix test is one set lookup
    compact: str  # folded, without spaces
    code: str
    weight: int
    reason: str


class PointSearch:
    """Built once per catalog; the index itself is made on first use, off the start-up path."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    @cached_property
    def _codes(self) -> dict[str, str]:
        """Canonical code or alias -> point code."""
        codes: dict[str, str] = {}
        for point in self._catalog.points.values():
            codes[point.code] = point.code
            for alias in point.aliases:
                canonical = normalise_code(alias)
                if canonical:
                    codes.setdefault(canonical, point.code)
        return codes

    @cached_property
    def _named_codes(self) -> dict[str, str]:
        """Codes that are names (Anmian), folded."""
        return {fold(code).replace(" ", ""): code for code in self._catalog.points}

    @cached_property
    def _rank(self) -> dict[str, int]:
        return {code: index for index, code in enumerate(self._catalog.points)}

    @cached_property
    def _keys(self) -> list[_Key]:
        keys: list[_Key] = []
        catalog = self._catalog

        def add(code: str, text: str, weight: int, reason: str) -> None:
            folded = fold(text)
            prefixes = frozenset(word[:n] for word in folded.split() for n in range(1, len(word) + 1))
            keys.append(_Key(folded, prefixes, folded.replace(" ", ""), code, weight, reason))

        for point in catalog.points.values():
            add(point.code, point.pinyin, PINYIN_EXACT, "pinyin")
            add(point.code, point.chinese, PINYIN_EXACT, "Chinese name")
            add(point.code, point.english, NAME_PREFIX, "English name")
            for benefit_id in point.benefits:
                benefit = catalog.benefits.get(benefit_id)
                if benefit:
                    add(point.code, f"{benefit_id} {benefit.title}", BENEFIT, benefit.title)
            meridian = catalog.meridians.get(point.meridian)
            meridian_name = meridian.name if meridian else "extra point"
            add(point.code, f"{point.region} {meridian_name} meridian", PLACE, "region or meridian")
            add(point.code, point.location, TEXT, "location")
        return keys

    def resolve_code(self, text: str) -> str | None:
        """The point a code or alias names, in any common spelling."""
        canonical = normalise_code(text)
        if canonical is None:
            return self._named_codes.get(fold(text).replace(" ", ""))
        return self._codes.get(canonical)

    def find_point(self, text: str) -> str | None:
        """The point a code, alias or exact name (pinyin with or without tones, characters, English) names."""
        code = self.resolve_code(text)
        if code is not None:
            return code
        folded = fold(text)
        return next((k.code for k in self._keys if k.reason in NAME_REASONS and k.text == folded), None)

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        query = query.strip()
        if not query:
            return []
        best: dict[str, Hit] = {}
        code = self.resolve_code(query)
        if code:
            best[code] = Hit(code, EXACT_CODE, "code")
        words = fold(query).split()
        if words:
            phrase = " ".join(words)
            compact = "".join(words)
            for key in self._keys:
                score = _score(key, phrase, compact, words)
                if score and (key.code not in best or best[key.code].score < score):
                    best[key.code] = Hit(key.code, score, key.reason)
        rank = self._rank
        hits = sorted(best.values(), key=lambda h: (-h.score, rank[h.code]))
        return hits[:limit]

    def step_targets(self, query: str, limit: int) -> list[str]:
        """What a routine step may use for ``query``, best first: practisable points by their search
        score, and massage techniques by their title, on the same scale (an exact title ranks with a
        pinyin name)."""
        scored: list[tuple[int, int, str]] = []
        for rank, hit in enumerate(self.search(query)):
            if not self._catalog.points[hit.code].reference_only:
                scored.append((hit.score, rank, hit.code))
        words = fold(query).split()
        for rank, technique in enumerate(self._catalog.techniques.values()):
            score = _title_score(fold(technique.title), words)
            if score:
                scored.append((score, rank, technique.id))
        scored.sort(key=lambda entry: (-entry[0], entry[1]))
        return [target for _score, _rank, target in scored[:limit]]


def _title_score(title: str, words: list[str]) -> int:
    if not words:
        return 0
    phrase = " ".join(words)
    if title == phrase:
        return PINYIN_EXACT
    if title.startswith(phrase):
        return NAME_PREFIX - 5
    if all(any(word.startswith(w) for word in title.split()) for w in words):
        return WORD_PREFIX - 10
    return 0


def _score(key: _Key, phrase: str, compact: str, words: list[str]) -> int:
    weight = key.weight
    if key.text == phrase:
        return weight
    if key.text.startswith(phrase) or key.compact == compact:
        return weight - 5
    # Every rule below needs each query word inside the key: test that first, it is cheap.
    if not all(w in key.text for w in words):
        return 0
    if all(w in key.prefixes for w in words):
        return min(weight, WORD_PREFIX) - 10 if weight > TEXT else TEXT
    return TEXT if weight > TEXT else 0


def rank_by_evidence(catalog: Catalog, codes: list[str], benefit: str) -> list[str]:
    """The codes that list ``benefit``, strongest evidence for that use first; ties keep their order."""
    order = {level: rank for rank, level in enumerate(EVIDENCE_ORDER)}
    graded = [(catalog.points[code].evidence_for(benefit), code) for code in codes]
    ranked = sorted(((order[e.level], i, code) for i, (e, code) in enumerate(graded) if e is not None))
    return [code for _, _, code in ranked]
