"""The bundled gazetteer: all 89 federal subjects, their short forms and major cities.

``regions.csv``: ``region,aliases,cities`` with ``|``-separated lists. An entry ending in ``*``
is *weak*: it is also an ordinary word or a person's name ("Киров", "Дон", "РТ"), so it counts
only right after "в/во/из/г." (city names) or exactly as written (abbreviations).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from feedback_nlp.attribution.lemmas import adjective_first_lemma

GAZETTEER = Path(__file__).with_name("regions.csv")

# weights of the kinds of evidence; the region with the largest sum wins
WEIGHT_CENTER = 5.0
WEIGHT_ALIAS = 3.0
WEIGHT_CITY = 2.0
WEIGHT_WEAK = 1.0

# adjectives that name a region but also districts and streets of many cities
AMBIGUOUS_ADJECTIVES = frozenset({
    "московский", "ленинградский", "кировский", "свердловский", "приморский", "алтайский",
    "советский", "центральный", "октябрьский", "ленинский", "курский", "донецкий", "ростовский",
    "владимирский", "калининский", "российский", "новый", "нижний", "великий", "северный",
})
REGION_NOUNS = {"область": ("область", "обл"), "край": ("край", "кр"),
                "округ": ("округ", "ао"), "республика": ("республика", "респ")}


@dataclass(frozen=True)
class Entry:
    """One phrase of the gazetteer (as lemmas) and what it points to."""

    lemmas: tuple[str, ...]
    region: str
    weight: float
    center_id: str | None = None
    weak: bool = False          # needs a locative preposition before it
    surface: str | None = None  # exact spelling required (abbreviations)
    capitalised: bool = False   # first word must be capitalised in the text


def tokens_of(phrase: str) -> list[str]:
    from feedback_nlp.attribution.match import WORD_RE

    return WORD_RE.findall(phrase)


def phrase_lemmas(phrase: str) -> tuple[str, ...]:
    """Lemmas of a gazetteer phrase, word by word."""
    return tuple(adjective_first_lemma(t.lower()) for t in tokens_of(phrase))


def _entries_for(region: str, phrase: str, weight: float, capitalised: bool) -> list[Entry]:
    weak = phrase.endswith("*")
    phrase = phrase.rstrip("*").strip()
    words = tokens_of(phrase)
    if not words:
        return []
    if weak and phrase.isupper():
        return [Entry((phrase.lower(),), region, WEIGHT_WEAK, surface=phrase)]
    if weak:
        return [Entry(phrase_lemmas(phrase), region, WEIGHT_WEAK, weak=True, capitalised=True)]
    if len(words) <= 3 and phrase.replace("-", "").replace(" ", "").isupper():
        return [Entry((phrase.lower(),), region, weight, surface=phrase)]
    lemmas = phrase_lemmas(phrase)
    entries = [Entry(lemmas, region, weight, capitalised=capitalised)]
    # "Тверская область" -> "Тверской обл.", and the adjective alone as weak evidence
    if len(lemmas) == 2 and lemmas[1] in REGION_NOUNS:
        for noun in REGION_NOUNS[lemmas[1]]:
            entries.append(Entry((lemmas[0], noun), region, weight))
        if lemmas[0] not in AMBIGUOUS_ADJECTIVES and lemmas[0].endswith(("ский", "цкий", "ской", "цкой", "ный", "ной")):
            entries.append(Entry((lemmas[0],), region, WEIGHT_WEAK))
    if len(lemmas) == 2 and lemmas[0] in REGION_NOUNS:  # "Республика Татарстан" -> "РТ" stays
        entries.append(Entry(lemmas[1:], region, weight, capitalised=True))
    return entries


@lru_cache(maxsize=1)
def load_gazetteer(path: Path = GAZETTEER) -> tuple[Entry, ...]:
    """Entries of the bundled gazetteer (lemmatised once per process)."""
    entries: list[Entry] = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            region = row["region"]
            for alias in row["aliases"].split("|"):
                entries.extend(_entries_for(region, alias, WEIGHT_ALIAS, capitalised=False))
            for city in row["cities"].split("|"):
                entries.extend(_entries_for(region, city, WEIGHT_CITY, capitalised=True))
    return tuple(entries)


def region_names(path: Path = GAZETTEER) -> list[str]:
    """Canonical names of all federal subjects in the gazetteer."""
    with path.open(encoding="utf-8", newline="") as f:
        return [row["region"] for row in csv.DictReader(f)]
