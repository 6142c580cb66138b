"""The rule layer: lemma patterns of ``patterns/indicators.yaml``, defined by a spaCy ``PhraseMatcher``.

Texts are never run through a spaCy pipeline. The reference engine (``RuleSet.match_spacy``)
builds a ``Doc`` whose words are our own tokens' pymorphy3 lemmas and runs one ``PhraseMatcher``
holding every gap-free phrase; the few phrases with gaps ("ждать * месяц") are matched by a small
function indexed by their first lemma. A hit knows its rule id, token range and polarity after
negation ("не вежливо" → −1).

Predictions use ``RuleSet.match``, which gives the same hits in the same order without a
``Doc`` per text: building the ``Doc`` (a vocabulary look-up per token) cost more than
everything else the rules do, while a text holds a first lemma of some phrase at only a few
positions. ``match`` walks a lemma trie from those positions. The trie is compiled from the
same phrases, and where several rules share one phrase it lists them in the order the
``PhraseMatcher`` reports them (asked of spaCy itself at compile time), so ``own[0].rule`` and
the order of evidence do not change. ``tests/classifiers/test_rules.py`` checks that both engines
give identical hits on every corpus text; edit rules in the YAML as before, spaCy stays the
definition.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import NamedTuple
from pathlib import Path

import yaml

from feedback_nlp.classifiers.text import Analysis, lemmatize, negation_flags
from feedback_nlp.codes import INDICATORS
from feedback_nlp.errors import ModelError

PATTERNS_DIR = Path(__file__).with_name("patterns")
GAP = "*"
MAX_GAP = 3
INTENSITY = 1.5


class RuleHit(NamedTuple):
    """One rule that fired: ``indicator`` is an indicator code or ``relevance.domain`` etc.
    (a named tuple: a text has a handful of hits and a frozen dataclass costs 4× to build)."""

    rule: str
    indicator: str
    start: int          # token range [start, end)
    end: int
    polarity: int       # the rule's polarity after negation; 0 when the rule has none
    negated: bool = False


def default_rules_text() -> tuple[str, str]:
    """The bundled ``indicators.yaml`` and ``lexicon.yaml`` texts."""
    return ((PATTERNS_DIR / "indicators.yaml").read_text(encoding="utf-8"),
            (PATTERNS_DIR / "lexicon.yaml").read_text(encoding="utf-8"))


def parse_phrase(phrase: str) -> tuple[str, ...]:
    """One phrase ("ждать * месяц") as a tuple of lemmas and gap marks."""
    return tuple(word if word == GAP else lemmatize(word.lower()) for word in phrase.split())


def compile_rules(spec: dict) -> list[tuple[str, str, int, list[tuple[str, ...]]]]:
    """``[(rule id, indicator, polarity, phrases)]`` from the YAML structure."""
    rules = []
    relevance = spec.get("relevance", {})
    for kind in ("domain", "hard_negative"):
        rules.append((f"relevance.{kind}", f"relevance.{kind}", 0, _phrases(relevance.get(kind, []))))
    for code, entries in spec.get("indicators", {}).items():
        if code not in INDICATORS:
            raise ModelError(f"indicators.yaml: unknown indicator {code!r}")
        for entry in entries:
            polarity = int(entry.get("polarity", 0))
            if polarity not in (-1, 0, 1):
                raise ModelError(f"indicators.yaml: rule {entry.get('id')!r} polarity must be -1, 0 or 1")
            rules.append((str(entry["id"]), code, polarity, _phrases(entry["patterns"])))
    return rules


def _phrases(lines: list[str]) -> list[tuple[str, ...]]:
    out = []
    for line in lines:
        for phrase in str(line).split("|"):
            lemmas = parse_phrase(phrase)
            if lemmas and lemmas[0] != GAP and lemmas[-1] != GAP:
                out.append(lemmas)
    return out


def match_gapped(lemmas: tuple[str, ...], start: int, phrase: tuple[str, ...]) -> int | None:
    """End of ``phrase`` (lemmas with ``*`` gaps of 0–3 words) matched at ``start``, or None.

    Gapped phrases are few; matching them here costs less than spaCy's ``Matcher``, whose
    cost grows with the number of open partial matches on every token.
    """
    if phrase[0] != lemmas[start]:
        return None
    position = start + 1
    rest = phrase[1:]
    while rest:
        if rest[0] == GAP:
            following = rest[1]
            window = range(position, min(len(lemmas), position + MAX_GAP + 1))
            found = next((j for j in window if lemmas[j] == following), None)
            if found is None:
                return None
            position, rest = found + 1, rest[2:]
        elif position < len(lemmas) and lemmas[position] == rest[0]:
            position, rest = position + 1, rest[1:]
        else:
            return None
    return position


class RuleSet:
    """Compiled rules plus the polarity lexicon; built from YAML texts, picklable."""

    def __init__(self, indicators_yaml: str, lexicon_yaml: str):
        self.indicators_yaml = indicators_yaml
        self.lexicon_yaml = lexicon_yaml

    def __getstate__(self):
        return {"indicators_yaml": self.indicators_yaml, "lexicon_yaml": self.lexicon_yaml}

    def __setstate__(self, state):
        self.__dict__.update(state)

    @classmethod
    def default(cls) -> RuleSet:
        """The rules bundled with the package."""
        return cls(*default_rules_text())

    @cached_property
    def _compiled(self):
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc
        from spacy.vocab import Vocab

        spec = yaml.safe_load(self.indicators_yaml) or {}
        lexicon = yaml.safe_load(self.lexicon_yaml) or {}
        vocab = Vocab()
        # Gap-free phrases go to the hash-based PhraseMatcher (cost independent of the number
        # of patterns); the few phrases with gaps are indexed by their first lemma.
        # Docs are built with lemmas as their words (cheaper than setting LEMMA per token),
        # so the PhraseMatcher compares ORTH, which here is the lemma.
        phrases = PhraseMatcher(vocab, attr="ORTH")
        gaps: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        meta = {}
        for rule_id, code, polarity, rule_phrases in compile_rules(spec):
            plain = [p for p in rule_phrases if GAP not in p]
            gapped = [p for p in rule_phrases if GAP in p]
            if plain:
                phrases.add(rule_id, [Doc(vocab, words=list(p)) for p in plain])
            for phrase in gapped:
                gaps.setdefault(phrase[0], []).append((rule_id, phrase))
            meta[vocab.strings.add(rule_id)] = (rule_id, code, polarity)
        tone = {lemmatize(w.lower()): 1.0 for w in lexicon.get("positive", [])}
        tone.update({lemmatize(w.lower()): -1.0 for w in lexicon.get("negative", [])})
        negators = frozenset(lemmatize(w) for w in lexicon.get("negators", []))
        intensifiers = frozenset(lemmatize(w) for w in lexicon.get("intensifiers", []))
        return vocab, (phrases, gaps), meta, tone, negators, intensifiers

    @property
    def rule_ids(self) -> list[str]:
        """Every rule id, in file order."""
        return [rule_id for rule_id, _, _ in self._compiled[2].values()]

    @cached_property
    def _trie(self) -> dict:
        """``first lemma → (rules, children, gapped)``: the rules whose phrase is that lemma alone,
        as ``(rule id, indicator, polarity)`` in the order spaCy reports them; ``children`` maps
        the next lemma to ``(rules, children)`` one word longer (None at a leaf); ``gapped``: the
        phrases with gaps starting with that lemma."""
        from spacy.tokens import Doc

        vocab, (phrases, gaps), meta, *_ = self._compiled
        spec = yaml.safe_load(self.indicators_yaml) or {}
        root: dict = {}
        for _, _, _, rule_phrases in compile_rules(spec):
            for phrase in rule_phrases:
                if GAP not in phrase:
                    node = root
                    for lemma in phrase[:-1]:
                        node = node.setdefault(lemma, {}).setdefault(_CHILDREN, {})
                    node.setdefault(phrase[-1], {})[_PHRASE] = phrase

        def freeze(node: dict) -> tuple:
            phrase = node.get(_PHRASE)
            rules = ()
            if phrase:
                found = phrases(Doc(vocab, words=list(phrase)))
                rules = tuple(meta[m] for m, start, end in found if start == 0 and end == len(phrase))
            children = node.get(_CHILDREN)
            return rules, {k: freeze(v) for k, v in children.items()} if children else None

        index = {lemma: (*freeze(node), None) for lemma, node in root.items()}
        for lemma, found in gaps.items():
            rules, children, _ = index.get(lemma, ((), None, None))
            # the second word of a gapped phrase (after the gap if it opens with one) must lie
            # within MAX_GAP + 1 words of the first: a cheap test before ``match_gapped``
            keyed = tuple((meta[vocab.strings[rule_id]], phrase, phrase[2] if phrase[1] == GAP else phrase[1])
                          for rule_id, phrase in found)
            index[lemma] = (rules, children, (frozenset(key for *_, key in keyed), keyed))
        return index

    def match(self, analysis: Analysis) -> list[RuleHit]:
        """Every rule hit in a text (longest match per rule and start), as ``match_spacy``."""
        lemmas = analysis.lemmas
        index = self._trie
        if index.keys().isdisjoint(lemmas):
            return []
        negators, intensifiers = self._compiled[4:6]
        n = len(lemmas)
        hits = []
        new = tuple.__new__         # RuleHit(...) without the named tuple's Python-level __new__
        get = index.get
        for start, entry in enumerate(map(get, lemmas)):
            if entry is None:
                continue
            rules, children, gapped = entry
            if gapped is None:
                if not rules and (children is None or start + 1 == n or lemmas[start + 1] not in children):
                    continue        # the usual case: a first word of longer phrases, not continued
                gapped = ()
            else:
                near = lemmas[start + 1:start + 2 + MAX_GAP]
                keys, keyed = gapped
                gapped = () if keys.isdisjoint(near) else [(rule, phrase) for rule, phrase, key in keyed if key in near]
                if not rules and not gapped and (children is None or start + 1 == n or lemmas[start + 1] not in children):
                    continue
            # negated_at, inlined: it runs for a third of all tokens
            negated = lemmas[start] not in negators and (
                start >= 1 and lemmas[start - 1] in negators
                or start >= 2 and lemmas[start - 2] in negators and lemmas[start - 1] in intensifiers)
            if children is None and not gapped:
                # one-word phrases only: each rule once, all ending at the next token
                for rule_id, code, polarity in rules:
                    hits.append(new(RuleHit, (rule_id, code, start, start + 1,
                                              -polarity if negated else polarity, negated)))
                continue
            end = start + 1
            found = [(end, rule) for rule in rules]       # (end, rule) in the reference engine's order
            while children is not None and end < n:
                node = children.get(lemmas[end])
                if node is None:
                    break
                end += 1
                rules, children = node
                found += [(end, rule) for rule in rules]
            for rule, phrase in gapped:
                stop = match_gapped(lemmas, start, phrase)
                if stop is not None:
                    found.append((stop, rule))
            if not found:
                continue
            if len(found) == 1:
                end, (rule_id, code, polarity) = found[0]
                hits.append(new(RuleHit, (rule_id, code, start, end, -polarity if negated else polarity, negated)))
                continue
            found.sort(key=_longest_first)
            seen = set()
            for end, (rule_id, code, polarity) in found:
                if rule_id not in seen:
                    seen.add(rule_id)
                    hits.append(new(RuleHit, (rule_id, code, start, end, -polarity if negated else polarity,
                                              negated)))
        return hits

    def match_many(self, analyses: Sequence[Analysis]) -> list[list[RuleHit]]:
        """``match`` of many texts."""
        match = self.match
        return [match(a) for a in analyses]

    def match_spacy(self, analysis: Analysis) -> list[RuleHit]:
        """Every rule hit in a text (longest match per rule and start) by spaCy's ``PhraseMatcher``
        on a ``Doc`` of the lemmas: the reference engine that defines ``match``."""
        from spacy.tokens import Doc

        if not analysis.lemmas:
            return []
        vocab, (phrases, gaps), meta, _, negators, intensifiers = self._compiled
        lemmas = analysis.lemmas
        doc = Doc(vocab, words=list(lemmas))
        matches = phrases(doc)
        for i, lemma in enumerate(lemmas):
            for rule_id, phrase in gaps.get(lemma, ()):
                end = match_gapped(lemmas, i, phrase)
                if end is not None:
                    matches.append((vocab.strings[rule_id], i, end))
        hits, seen = [], set()
        for match_id, start, end in sorted(matches, key=lambda m: (m[1], -m[2])):
            rule_id, code, polarity = meta[match_id]
            if (rule_id, start) in seen:
                continue
            seen.add((rule_id, start))
            negated = negated_at(analysis.lemmas, start, negators, intensifiers)
            hits.append(RuleHit(rule_id, code, start, end, -polarity if negated else polarity, negated))
        return hits

    def token_tones(self, analysis: Analysis, sarcastic: bool | None = None) -> list[float]:
        """Lexicon tone of each token with negation (the scope of ``text.negation_flags``),
        intensifiers and sarcasm applied: in a sarcastic text praise words count as negative."""
        _, _, _, tone, _, intensifiers = self._compiled
        lemmas = analysis.lemmas
        out = [0.0] * len(lemmas)
        flags = None
        for i in [i for i, lemma in enumerate(lemmas) if lemma in tone]:
            value = tone[lemmas[i]]
            if flags is None:
                flags = _negated(analysis)
            if flags[i]:
                value = -value
            elif value > 0:
                if sarcastic is None:
                    sarcastic = self.sarcastic(analysis)
                if sarcastic:
                    value = -value
            if i and lemmas[i - 1] in intensifiers or i > 1 and lemmas[i - 2] in intensifiers:
                value *= INTENSITY
            out[i] = value
        return out

    @cached_property
    def _sarcasm(self) -> dict[str, list[tuple[str, ...]]]:
        lexicon = yaml.safe_load(self.lexicon_yaml) or {}
        index: dict[str, list[tuple[str, ...]]] = {}
        for phrase in lexicon.get("sarcasm", []):
            lemmas = parse_phrase(str(phrase))
            if lemmas:
                index.setdefault(lemmas[0], []).append(lemmas)
        return index

    def sarcastic(self, analysis: Analysis) -> bool:
        """Does the text carry a sarcasm marker of ``lexicon.yaml`` («ну спасибо», «браво» …)."""
        index = self._sarcasm
        lemmas = analysis.lemmas
        if index.keys().isdisjoint(lemmas):
            return False
        for i in [i for i, lemma in enumerate(lemmas) if lemma in index]:
            for phrase in index[lemmas[i]]:
                if tuple(lemmas[i:i + len(phrase)]) == phrase:
                    return True
        return False

    def sarcastic_tokens(self, analysis: Analysis, sarcastic: bool | None = None) -> frozenset[int]:
        """Praise words (positive lexicon, not negated) of a sarcastic text; empty otherwise."""
        if not (self.sarcastic(analysis) if sarcastic is None else sarcastic):
            return frozenset()
        tone = self._compiled[3]
        flags = _negated(analysis)
        return frozenset(i for i, lemma in enumerate(analysis.lemmas) if tone.get(lemma, 0) > 0 and not flags[i])


_CHILDREN, _PHRASE = object(), object()   # keys of the trie under construction, unlike any lemma


def _longest_first(found: tuple[int, tuple]) -> int:
    return -found[0]


def _negated(analysis: Analysis) -> Sequence[bool]:
    return analysis.negated if len(analysis.negated) == len(analysis) else negation_flags(analysis.lowers)


def negated_at(lemmas: tuple[str, ...], start: int, negators: frozenset[str],
               intensifiers: frozenset[str]) -> bool:
    """Is the word at ``start`` negated: "не вежливо", "не очень вежливо" (not "не те бумажки")."""
    if lemmas[start] in negators:
        return False      # the pattern carries its own negation ("не дозвониться")
    if start >= 1 and lemmas[start - 1] in negators:
        return True
    return start >= 2 and lemmas[start - 2] in negators and lemmas[start - 1] in intensifiers
