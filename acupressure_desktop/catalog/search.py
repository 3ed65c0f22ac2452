"""Ranked point search over codes in any common spelling, names, benefits, regions, meridians.

The index is built once per catalog: every point gets a few normalised keys with a
weight, and a query scores each point by its best matching key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from acupressure_desktop.catalog.loader import Catalog

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


class PointSearch:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._codes: dict[str, str] = {}  # canonical code or alias -> point code
        self._keys: list[tuple[str, str, int, str]] = []  # (folded key, code, weight, reason)
        self._rank = {code: index for index, code in enumerate(catalog.points)}
        for point in catalog.points.values():
            self._codes[point.code] = point.code
            for alias in point.aliases:
                canonical = normalise_code(alias)
                if canonical:
                    self._codes.setdefault(canonical, point.code)
            self._add(point.code, point.pinyin, PINYIN_EXACT, "pinyin")
            self._add(point.code, point.chinese, PINYIN_EXACT, "Chinese name")
            self._add(point.code, point.english, NAME_PREFIX, "English name")
            for benefit_id in point.benefits:
                benefit = catalog.benefits.get(benefit_id)
                if benefit:
                    self._add(point.code, f"{benefit_id} {benefit.title}", BENEFIT, benefit.title)
            meridian = catalog.meridians.get(point.meridian)
            meridian_name = meridian.name if meridian else "extra point"
            self._add(point.code, f"{point.region} {meridian_name} meridian", PLACE, "region or meridian")
            self._add(point.code, point.location, TEXT, "location")

    def _add(self, code: str, text: str, weight: int, reason: str) -> None:
        self._keys.append((fold(text), code, weight, reason))

    def resolve_code(self, text: str) -> str | None:
        """The point a code or alias names, in any common spelling."""
        canonical = normalise_code(text)
        if canonical is None:
            folded = fold(text)
            return next((code for code in self._codes.values() if fold(code) == folded), None)
        return self._codes.get(canonical)

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
            for key, point_code, weight, reason in self._keys:
                score = _score(key, phrase, words, weight)
                if score and (point_code not in best or best[point_code].score < score):
                    best[point_code] = Hit(point_code, score, reason)
        hits = sorted(best.values(), key=lambda h: (-h.score, self._rank[h.code]))
        return hits[:limit]


def _score(key: str, phrase: str, words: list[str], weight: int) -> int:
    if key == phrase:
        return weight
    key_words = key.split()
    if key.startswith(phrase) or phrase.replace(" ", "") == key.replace(" ", ""):
        return weight - 5
    if all(any(kw.startswith(w) for kw in key_words) for w in words):
        return min(weight, WORD_PREFIX) - 10 if weight > TEXT else TEXT
    if weight > TEXT and all(w in key for w in words):
        return TEXT
    return 0
