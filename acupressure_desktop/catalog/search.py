"""Ranked search over codes in any common spelling, names, benefits, regions, meridians, and the
everyday words people type for a complaint (``data/synonyms.json``: "can't sleep", "migraine").

The index is built once per catalog: every point gets a few normalised keys with a
weight, and a query scores each point by its best matching key. An everyday phrase in the
query adds the points for its benefits (strongest evidence first) and regions. Routines and
massage techniques are ranked on the same words, and a query that finds nothing gets suggestions.
One search serves the window and ``acupressure-desktop search``.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, TypeVar

from acupressure_desktop.catalog.loader import Catalog
from acupressure_desktop.domain.models import EVIDENCE_ORDER, Routine

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
SHORT_QUERY = 3  # a query with fewer letters only matches the starts of names and titles
# An everyday phrase: below a point's own name ("Wind Pool"), above a word found in a benefit's title.
# Points for its benefits lose one per evidence grade below the strongest; its regions score less.
COMPLAINT, COMPLAINT_PREFIX, COMPLAINT_REGION = 64, 58, 40
SUGGESTIONS = 5
_Ranked = TypeVar("_Ranked", "Hit", "RankedItem")


@lru_cache(maxsize=8192)  # every keystroke folds the same titles again: routines, benefits, techniques
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
class Complaint:
    """An everyday phrase recognised in a query, and where it leads."""

    phrase: str  # as the data spells it
    benefits: tuple[str, ...]
    regions: tuple[str, ...]
    exact: bool  # the phrase itself, not a prefix of it ("insom")


@dataclass(frozen=True)
class RankedItem:
    """A routine or technique found for a query: its id, title, score and why it was found."""

    id: str
    title: str
    score: int
    reason: str


@dataclass(frozen=True)
class Results:
    """Everything one query finds, best first in each kind."""

    query: str
    points: list[Hit]
    routines: list[RankedItem]
    techniques: list[RankedItem]
    understood: list[Complaint] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)  # when nothing matched: what to try instead

    @property
    def empty(self) -> bool:
        return not (self.points or self.routines or self.techniques)


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

    @cached_property
    def _by_start(self) -> dict[str, list[int]]:
        """Key positions by the first one, two and three letters of each of their words: a key a
        query's first word is a word prefix of is among ``_by_start[word[:3]]``."""
        index: dict[str, set[int]] = {}
        for position, key in enumerate(self._keys):
            for word in key.text.split():
                for n in range(1, min(3, len(word)) + 1):
                    index.setdefault(word[:n], set()).add(position)
        return {start: sorted(positions) for start, positions in index.items()}

    @cached_property
    def _by_compact(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for position, key in enumerate(self._keys):
            index.setdefault(key.compact, []).append(position)
        return index

    @cached_property
    def _named_text(self) -> tuple[str, list[int], list[int]]:
        """The keys above TEXT weight (a word inside them counts) as one string to search in C:
        the text, each key's start in it, and its position."""
        starts, positions, parts, at = [], [], [], 0
        for position, key in enumerate(self._keys):
            if key.weight > TEXT:
                starts.append(at)
                positions.append(position)
                parts.append(key.text)
                at += len(key.text) + 1
        return "\n".join(parts), starts, positions

    def _candidates(self, words: list[str], compact: str) -> list[int]:
        """The keys that can score for this query, in key order: ``_score`` is nought for the rest
        (every rule needs the first word as a word prefix, the compact form, or, above TEXT
        weight, the first word inside the key). A query of one or two letters only finds the
        names and titles its letters begin."""
        first = words[0]
        found = set(self._by_start.get(first[:3], ()))
        found.update(self._by_compact.get(compact, ()))
        if len(compact) < SHORT_QUERY:  # "s": a name may start so, but nearly every text holds one
            return sorted(p for p in found if self._keys[p].weight > TEXT)
        text, starts, positions = self._named_text
        at = text.find(first)
        while at >= 0:
            index = bisect.bisect_right(starts, at) - 1
            found.add(positions[index])
            # On to the next key: one hit per key is enough.
            at = text.find(first, starts[index + 1]) if index + 1 < len(starts) else -1
        return sorted(found)

    @cached_property
    def _phrases(self) -> dict[str, list[tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...]]]]:
        """First word -> (folded words, as shown, benefits, regions) of every everyday phrase and
        misspelling starting with it (a misspelling is shown as its group's first phrase: "migrane" ->
        "migraine"). Keyed by the first word so a query looks only at the phrases its words can begin."""
        table: dict[str, list[tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...]]]] = {}
        for synonym in self._catalog.synonyms.values():
            for phrase in [*synonym.phrases, *synonym.misspellings]:
                words = tuple(fold(phrase).split())
                written = phrase if phrase in synonym.phrases else synonym.phrases[0]
                table.setdefault(words[0], []).append((words, written, tuple(synonym.benefits), tuple(synonym.regions)))
        return table

    @cached_property
    def _by_benefit(self) -> dict[str, list[tuple[int, str]]]:
        """Benefit -> (evidence rank, code) of the points that list it, strongest first."""
        order = {level: rank for rank, level in enumerate(EVIDENCE_ORDER)}
        table: dict[str, list[tuple[int, str]]] = {}
        for point in self._catalog.points.values():
            for benefit in point.benefits:
                evidence = point.evidence_for(benefit)
                grade = order[evidence.level] if evidence is not None else len(order)
                table.setdefault(benefit, []).append((grade, point.code))
        for entries in table.values():
            entries.sort(key=lambda entry: entry[0])
        return table

    @cached_property
    def _vocabulary(self) -> dict[str, str]:
        """Folded word or phrase -> how to show it, for suggestions."""
        words: dict[str, str] = {}
        for synonym in self._catalog.synonyms.values():
            for phrase in synonym.phrases:
                words.setdefault(fold(phrase), phrase)
        for benefit in self._catalog.benefits.values():
            words.setdefault(fold(benefit.title), benefit.title.lower())
        for point in self._catalog.points.values():
            words.setdefault(fold(point.pinyin), point.pinyin)
            words.setdefault(fold(point.english), point.english)
        for technique in self._catalog.techniques.values():
            words.setdefault(fold(technique.title), technique.title.lower())
        return words

    def complaints(self, query: str) -> list[Complaint]:
        """The everyday phrases in ``query``: each phrase found as whole words, or the one-word
        phrase a one-word query begins (four letters or more: "insom" -> "insomnia"); the longest
        first. Words read as part of a longer phrase are not read again alone ("tired eyes" is
        not also "tired")."""
        folded = fold(query)
        if not folded:
            return []
        words = folded.split()
        spans: list[tuple[int, int, Complaint]] = []
        for start, word in enumerate(words):
            for phrase, written, benefits, regions in self._phrases.get(word, ()):
                end = start + len(phrase)
                if tuple(words[start:end]) == phrase:
                    spans.append((start, end, Complaint(written, benefits, regions, exact=True)))
        spans.sort(key=lambda s: s[0] - s[1])  # longest first
        taken: set[int] = set()
        found: list[Complaint] = []
        for start, end, complaint in spans:
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                found.append(complaint)
        if not found and len(folded) >= 4 and " " not in folded:
            begun = (
                entry
                for entries in self._phrases.values()
                for entry in entries
                if len(entry[0]) == 1 and entry[0][0].startswith(folded)
            )
            for _, written, benefits, regions in itertools.islice(begun, 1):
                found.append(Complaint(written, benefits, regions, exact=False))
        found.sort(key=lambda c: -len(c.phrase))
        return found

    def warm(self) -> None:
        """Build every index now (an idle turn after start-up), so the first keystroke is as quick as the rest."""
        for index in (
            self._codes,
            self._named_codes,
            self._rank,
            self._keys,
            self._by_start,
            self._by_compact,
            self._named_text,
            self._phrases,
            self._by_benefit,
        ):
            assert index is not None
        self.suggest("warm up")  # difflib's tables for the vocabulary

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
            keys = self._keys
            for position in self._candidates(words, compact):
                key = keys[position]
                score = _score(key, phrase, compact, words)
                if score and (key.code not in best or best[key.code].score < score):
                    best[key.code] = Hit(key.code, score, key.reason)
        for hit in self._complaint_hits(query):
            if hit.code not in best or best[hit.code].score < hit.score:
                best[hit.code] = hit
        rank = self._rank
        hits = sorted(best.values(), key=lambda h: (-h.score, rank[h.code]))
        return hits[:limit]

    def _complaint_hits(self, query: str) -> list[Hit]:
        hits: list[Hit] = []
        benefits = self._catalog.benefits
        for complaint in self.complaints(query):
            top = COMPLAINT if complaint.exact else COMPLAINT_PREFIX
            for position, benefit_id in enumerate(complaint.benefits):
                title = benefits[benefit_id].title if benefit_id in benefits else benefit_id
                reason = f"{title} (for “{complaint.phrase}”)"
                for grade, code in self._by_benefit.get(benefit_id, []):
                    hits.append(Hit(code, top - 2 * position - grade, reason))
            for region in complaint.regions:
                reason = f"{region.replace('-', ' ')} (for “{complaint.phrase}”)"
                hits.extend(
                    Hit(p.code, COMPLAINT_REGION, reason) for p in self._catalog.points.values() if p.region == region
                )
        return hits

    def routines(self, query: str, routines: Iterable[Routine], limit: int = 10) -> list[RankedItem]:
        """Routines for ``query``, best first: by title, then by the benefits the query names
        (an everyday phrase or a benefit's title), a routine made mainly for it first."""
        words = fold(query).split()
        if not words:
            return []
        wanted = self._wanted_benefits(query)
        ranked: list[tuple[int, int, RankedItem]] = []
        for order, routine in enumerate(routines):
            score, reason = _title_score(fold(routine.title), words), "title"
            for position, benefit_id in enumerate(routine.benefits):
                if benefit_id in wanted:
                    benefit_score = wanted[benefit_id] - 6 * position
                    if benefit_score > score:
                        score, reason = benefit_score, self._benefit_title(benefit_id)
                    break
            if score:
                ranked.append((score, order, RankedItem(routine.id, routine.title, score, reason)))
        ranked.sort(key=lambda entry: (-entry[0], entry[1]))
        return [item for _score, _order, item in ranked[:limit]]

    def techniques(self, query: str, limit: int = 10) -> list[RankedItem]:
        """Massage techniques for ``query``: by title, then by the benefits it names."""
        words = fold(query).split()
        if not words:
            return []
        wanted = self._wanted_benefits(query)
        ranked: list[tuple[int, int, RankedItem]] = []
        for order, technique in enumerate(self._catalog.techniques.values()):
            score, reason = _title_score(fold(technique.title), words), "title"
            for position, benefit_id in enumerate(technique.benefits):
                if benefit_id in wanted and wanted[benefit_id] - 6 * position > score:
                    score, reason = wanted[benefit_id] - 6 * position, self._benefit_title(benefit_id)
                    break
            if score:
                ranked.append((score, order, RankedItem(technique.id, technique.title, score, reason)))
        ranked.sort(key=lambda entry: (-entry[0], entry[1]))
        return [item for _score, _order, item in ranked[:limit]]

    def _benefit_title(self, benefit_id: str) -> str:
        benefit = self._catalog.benefits.get(benefit_id)
        return benefit.title if benefit else benefit_id

    def _wanted_benefits(self, query: str) -> dict[str, int]:
        """Benefit -> score for the benefits ``query`` names: by an everyday phrase, or by the
        benefit's own id or title (every word a prefix of one of its words)."""
        wanted: dict[str, int] = {}
        for complaint in self.complaints(query):
            top = COMPLAINT if complaint.exact else COMPLAINT_PREFIX
            for position, benefit_id in enumerate(complaint.benefits):
                wanted[benefit_id] = max(wanted.get(benefit_id, 0), top - 2 * position)
        words = fold(query).split()
        for benefit in self._catalog.benefits.values():
            if _title_score(fold(f"{benefit.title} {benefit.id}"), words) or fold(benefit.id) == " ".join(words):
                wanted[benefit.id] = max(wanted.get(benefit.id, 0), BENEFIT)
        return wanted

    def suggest(self, query: str, limit: int = SUGGESTIONS) -> list[str]:
        """Words that would find something, for a query that found nothing ("insomia" -> "insomnia")."""
        folded = fold(query)
        if not folded:
            return []
        vocabulary = self._vocabulary
        close = difflib.get_close_matches(folded, list(vocabulary), n=limit, cutoff=0.7)
        if not close:  # a word at a time: "sore nek" -> "sore neck"...
            for word in folded.split():
                close += difflib.get_close_matches(word, list(vocabulary), n=2, cutoff=0.75)
        found = list(dict.fromkeys(vocabulary[c] for c in close))
        if not found:  # nothing close: what most people come for
            found = [b.title.lower() for b in self._catalog.benefits.values()]
        # Only what finds something, and never the query itself ("cough": try "cough"); each word is
        # tried only until there are enough (a search each: the nothing-close list has 21 words).
        useful = (w for w in found if fold(w) != folded and (self.search(w, 1) or self.techniques(w)))
        return list(itertools.islice(useful, limit))

    def search_all(self, query: str, routines: Iterable[Routine], limit: int = 50) -> Results:
        """Points, routines and techniques for ``query``, and suggestions when none matched."""
        points = self.search(query, limit)
        found = Results(
            query=query,
            points=points,
            routines=self.routines(query, routines),
            techniques=self.techniques(query),
            understood=self.complaints(query),
        )
        words = [w for w in fold(query).split() if len(w) >= 3 and w not in STOP_WORDS]
        if found.empty and len(words) > 1:  # "headache and nausea": each word, merged
            parts = [self.search_all(word, routines, limit) for word in words]
            found = Results(
                query=query,
                points=_merge([p.points for p in parts], lambda h: h.code)[:limit],
                routines=_merge([p.routines for p in parts], lambda r: r.id),
                techniques=_merge([p.techniques for p in parts], lambda t: t.id),
                understood=[c for p in parts for c in p.understood],
            )
        if found.empty and query.strip():
            return Results(query, [], [], [], [], self.suggest(query))
        return found

    def step_targets(self, query: str, limit: int) -> list[str]:
        """What a routine step may use for ``query``, best first: practisable points by their search
        score, and massage techniques by their title, on the same scale (an exact title ranks with a
        pinyin name)."""
        scored: list[tuple[int, int, str]] = []
        for rank, hit in enumerate(self.search(query)):
            if self._catalog.points[hit.code].self_care:
                scored.append((hit.score, rank, hit.code))
        words = fold(query).split()
        for rank, technique in enumerate(self._catalog.techniques.values()):
            score = _title_score(fold(technique.title), words)
            if score:
                scored.append((score, rank, technique.id))
        scored.sort(key=lambda entry: (-entry[0], entry[1]))
        return [target for _score, _rank, target in scored[:limit]]


STOP_WORDS = frozenset(
    {"and", "the", "for", "with", "my", "a", "an", "of", "in", "or", "some", "very", "bad", "really"}
)


def _merge(lists: list[list[_Ranked]], key: Callable[[_Ranked], str]) -> list[_Ranked]:
    """One ranked list from several, each item at its best score, ties in the order met."""
    best: dict[str, _Ranked] = {}
    for items in lists:
        for item in items:
            known = best.get(key(item))
            if known is None or known.score < item.score:
                best[key(item)] = item
    return sorted(best.values(), key=lambda item: -item.score)


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


def results_document(catalog: Catalog, results: Results) -> dict[str, Any]:
    """Results as plain JSON (``acupressure-desktop search --json``); see docs/data-format.md."""
    benefits = catalog.benefits
    return {
        "query": results.query,
        "understood": [
            {
                "phrase": c.phrase,
                "benefits": [benefits[b].title if b in benefits else b for b in c.benefits],
                "regions": list(c.regions),
            }
            for c in results.understood
        ],
        "points": [
            {"id": hit.code, "title": catalog.point_title(hit.code), "score": hit.score, "reason": hit.reason}
            for hit in results.points
        ],
        "routines": [{"id": r.id, "title": r.title, "score": r.score, "reason": r.reason} for r in results.routines],
        "techniques": [
            {"id": t.id, "title": t.title, "score": t.score, "reason": t.reason} for t in results.techniques
        ],
        "suggestions": list(results.suggestions),
    }
