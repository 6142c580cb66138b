"""Cached pymorphy3 look-ups shared by attribution (lemmas) and redaction (name tags)."""
from __future__ import annotations

from functools import lru_cache

import pymorphy3

ANTHROPONYM_TAGS = frozenset({"Name", "Surn", "Patr"})


@lru_cache(maxsize=1)
def get_morph() -> pymorphy3.MorphAnalyzer:
    """The one morphological analyzer of the process (loaded on first use, ~0.3 s)."""
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    """Normal form of a lower-case word (the most probable parse), ``ё`` spelled ``е``."""
    return get_morph().parse(word)[0].normal_form.replace("ё", "е")


@lru_cache(maxsize=50_000)
def name_tags(word: str) -> frozenset[str]:
    """Anthroponym tags (Name, Surn, Patr) among the likely parses of a capitalised word."""
    tags: set[str] = set()
    parses = get_morph().parse(word)
    best = parses[0].score if parses else 0.0
    for p in parses:
        if p.score >= best * 0.3:
            tags |= ANTHROPONYM_TAGS & set(p.tag.grammemes)
    return frozenset(tags)


@lru_cache(maxsize=50_000)
def is_known(word: str) -> bool:
    """Whether the word is in the pymorphy3 dictionary (unknown capitalised words may be surnames)."""
    return get_morph().word_is_known(word)


@lru_cache(maxsize=50_000)
def normal_forms(word: str) -> frozenset[str]:
    """All normal forms of a lower-case word ("тверской" -> {тверской, тверская})."""
    return frozenset(p.normal_form.replace("ё", "е") for p in get_morph().parse(word)) | {word}


@lru_cache(maxsize=20_000)
def adjective_first_lemma(word: str) -> str:
    """Normal form preferring an adjective reading (gazetteer phrases: "Тверская" -> тверской)."""
    parses = get_morph().parse(word)
    for p in parses:
        if "ADJF" in p.tag:
            return p.normal_form.replace("ё", "е")
    return parses[0].normal_form.replace("ё", "е")
