"""The rule layer: lemma patterns of ``patterns/indicators.yaml``, defined by a spaCy ``PhraseMatcher``.

Texts are never run through a spaCy pipeline. The reference engine (``RuleSet.match_spacy``)
builds a ``Doc`` whose words are our own tokens' pymorphy3 lemmas and runs one ``PhraseMatcher``
holding every gap-free phrase; the few phrases with gaps ("ждать * месяц") are matched by a small
function indexed by their first lemma. A hit knows its rule id, token range and polarity after
negation ("не вежливо" → −1).

Predictions use ``RuleSet.match`` and ``RuleSet.match_many``, which give the same hits in the
same order without a ``Doc`` per text: building the ``Doc`` (a vocabulary look-up per token)
cost more than everything else the rules do, while a text holds a first lemma of some phrase at
only a few positions. ``match`` walks a lemma trie from those positions. The trie is compiled
from the same phrases, and where several rules share one phrase it lists them in the order the
``PhraseMatcher`` reports them (asked of spaCy itself at compile time), so ``own[0].rule`` and
the order of evidence do not change.

The classifier matches batches of texts, and there ``match_many`` calls ``match_batch``, which
does the same walk for every text of the batch at once with numpy, because the walk per text
spent most of its time in the interpreter, not in the look-ups: each lemma becomes an integer
id (0 for the lemmas of no phrase or lexicon list, the one step per token left in Python), the
batch's ids form one array with zeros between texts (so no phrase, gap window or negation
look-back reaches into the next text), the trie is walked a word a round for all starts at once
through a dense (node, next lemma) table, gapped phrases a step a round for all (start, phrase)
pairs, and the matches are sorted into ``match_spacy``'s order (by start, longest first, then
spaCy's order of the rules sharing a phrase, gapped phrases last) before each rule keeps its
longest match per start. A batch repeats most hits, so each distinct ``RuleHit`` is built once
and shared.

The classifier also needs each token's lexicon tone and the praise words of sarcastic texts.
``scan_many`` gives hits, tones and those words of a batch at once: ``scan_batch`` reuses the
batch's lemma-id array for the lexicon (tone values and sarcasm phrases are more id tables), so
the lemmas are looked up once and the few lexicon words of a text (~4 % of its tokens) are found
and toned with numpy instead of a Python pass over every token per method. ``token_tones``,
``sarcastic`` and ``sarcastic_tokens`` stay as they were: they define what the batch computes
(the tests compare the two on the corpus), serve batches under ``BATCH_MIN`` and single texts.

``tests/classifiers/test_rules.py`` checks that all engines give identical hits on every corpus
text, one by one and in batches, and identical tones and sarcastic words; edit rules in the YAML
as before, spaCy stays the definition.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from itertools import chain, repeat
from operator import attrgetter, getitem, mul
from typing import NamedTuple
from pathlib import Path

import numpy as np
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


# per text of a batch: rule hits, token tones, sarcastic praise words (``RuleSet.scan_many``)
Scan = tuple[list[list[RuleHit]], list[list[float]], list[frozenset[int]]]


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
            negated = negated_at(lemmas, start, negators, intensifiers)
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
        """``match`` of many texts: by ``match_batch`` for a batch, by ``match`` for a few texts
        (below ``BATCH_MIN`` the fixed cost of the batch's numpy calls exceeds the walk per text)."""
        if len(analyses) < BATCH_MIN:
            match = self.match
            return [match(a) for a in analyses]
        return self.match_batch(analyses)

    def match_batch(self, analyses: Sequence[Analysis]) -> list[list[RuleHit]]:
        """``match`` of many texts at once, with numpy over all the batch's tokens (module
        docstring): the same hits, in the same order, of the same types."""
        tables = self._batch_tables
        ids, base = _batch_ids(tables, list(map(_LEMMAS_OF, analyses)))
        return _batch_hits(tables, ids, base)

    def scan_many(self, analyses: Sequence[Analysis]) -> Scan:
        """Everything the classifier asks of the rules for a batch: per text its rule hits
        (``match``), token tones (``token_tones``) and sarcastic praise words (``sarcastic_tokens``,
        empty when the text is not ``sarcastic``). By ``scan_batch`` for a batch, text by text
        below ``BATCH_MIN`` (as ``match_many``)."""
        if len(analyses) >= BATCH_MIN:
            return self.scan_batch(analyses)
        sarcastic = [self.sarcastic(a) for a in analyses]
        return ([self.match(a) for a in analyses],
                [self.token_tones(a, s) for a, s in zip(analyses, sarcastic)],
                [self.sarcastic_tokens(a, s) if s else _NO_TOKENS for a, s in zip(analyses, sarcastic)])

    def scan_batch(self, analyses: Sequence[Analysis]) -> Scan:
        """``scan_many`` with numpy over all the batch's tokens: one array of lemma ids serves
        ``match_batch``'s walk and the lexicon (``_batch_tones``). The per-text methods stay the
        reference: identical lists, floats and sets."""
        tables = self._batch_tables
        lemmas = list(map(_LEMMAS_OF, analyses))
        ids, base = _batch_ids(tables, lemmas)
        return (_batch_hits(tables, ids, base), *_batch_tones(tables, analyses, lemmas, ids, base))

    @cached_property
    def _batch_tables(self) -> _Tables:
        """The trie, gapped phrases and lexicon sets of ``match`` and the tone lexicon and sarcasm
        phrases of ``token_tones`` as arrays over lemma ids."""
        _, (_, gaps), meta, tone, negators, intensifiers = self._compiled
        return _build_tables(self._trie, gaps, meta, negators, intensifiers, tone,
                             [phrase for phrases in self._sarcasm.values() for phrase in phrases])

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
_LEMMAS_OF = attrgetter("lemmas")
_NEGATED_OF = attrgetter("negated")
_NO_TOKENS: frozenset[int] = frozenset()

# ------------------------------------------------------------------ batch path (``match_batch``)
BATCH_MIN = 32      # fewer texts go through ``match`` one by one
PAD = MAX_GAP + 1   # zeros between texts: no gap window (MAX_GAP + 1 words) reaches the next text
_WORD, _GAPPED_WORD = 1, 2          # kinds of steps of a gapped phrase; 0: the phrase is complete
_WINDOW = np.arange(MAX_GAP + 1)


class _Tables(NamedTuple):
    """``RuleSet._trie`` and the gapped phrases over lemma ids. Id 0 stands for every lemma of no
    phrase or lexicon set and for the padding between texts; trie nodes count from 1, 0 is none.
    Arrays of ids and counts are intp: numpy indexes and repeats by narrower ints several times
    slower (``children`` alone stays narrow, its rows are many)."""

    vocab: dict[str, int]           # lemma → id
    opens: np.ndarray               # lemma id → does some phrase start with it
    root: np.ndarray                # lemma id → trie node of the phrases starting with it, or 0
    row: np.ndarray                 # node → its row of ``children``; 0 (a row of zeros) at a leaf
    column: np.ndarray              # lemma id → its column of ``children``; 0 if it continues no phrase
    children: np.ndarray            # (row, column) → the node one word longer, or 0
    rule_first: np.ndarray          # node → its first entry in ``node_rules``
    rule_count: np.ndarray          # node → number of rules whose phrase ends there
    node_rules: np.ndarray          # rule numbers, per node in the order spaCy reports them
    gap_first: np.ndarray           # lemma id → first gapped phrase starting with it
    gap_count: np.ndarray           # lemma id → number of gapped phrases starting with it
    gap_kind: np.ndarray            # (gapped phrase, step) → _WORD, _GAPPED_WORD or 0 (complete)
    gap_lemma: np.ndarray           # (gapped phrase, step) → the lemma id the step looks for
    gap_rule: np.ndarray            # gapped phrase → rule number
    negator: np.ndarray             # lemma id → is a negator
    intensifier: np.ndarray         # lemma id → is an intensifier
    tone: np.ndarray                # lemma id → its lexicon tone (±1.0), 0.0 if it has none
    sarcasm_first: np.ndarray       # lemma id → first sarcasm phrase starting with it
    sarcasm_count: np.ndarray       # lemma id → number of sarcasm phrases starting with it
    sarcasm_lemma: np.ndarray       # (sarcasm phrase, word after its first) → lemma id; 0 past its end
    names: np.ndarray               # rule number → rule id (objects: ``tolist`` gives the str)
    codes: np.ndarray               # rule number → indicator
    polarity: np.ndarray            # rule number → polarity
    max_span: int                   # the most tokens a phrase can match
    n_orders: int                   # the bound of ``order`` (``_reference_order``)


def _build_tables(trie: dict, gaps: dict, meta: dict, negators: frozenset[str], intensifiers: frozenset[str],
                  tone: dict[str, float], sarcasm: list[tuple[str, ...]]) -> _Tables:
    """``_Tables`` from ``RuleSet._trie`` (which holds spaCy's order of rules sharing a phrase),
    the gapped phrases, rules and lexicon of ``RuleSet._compiled`` and the sarcasm phrases of
    ``RuleSet._sarcasm`` (those of one first lemma adjacent)."""
    rules = list(meta.values())             # (rule id, indicator, polarity) in file order
    number = {rule_id: i for i, (rule_id, _, _) in enumerate(rules)}
    lemma_ids: dict[str, int] = {}

    def lemma_id(lemma: str) -> int:
        return lemma_ids.setdefault(lemma, len(lemma_ids) + 1)

    node_rules: list[list[int]] = [[]]
    edges: list[tuple[int, int, int]] = []      # (parent, lemma id, child)
    depth = [0]

    def add(rules_here: tuple, children: dict | None, length: int) -> int:
        node = len(node_rules)
        node_rules.append([number[rule_id] for rule_id, _, _ in rules_here])
        depth.append(length)
        for lemma, (below, grandchildren) in (children or {}).items():
            edges.append((node, lemma_id(lemma), add(below, grandchildren, length + 1)))
        return node

    roots = [(lemma_id(lemma), add(rules_here, children, 1))
             for lemma, (rules_here, children, _) in trie.items()
             if rules_here or children]                 # not a first word of gapped phrases only
    gapped = [(lemma_id(lemma), rule_id, _gap_steps(phrase, lemma_id))
              for lemma, found in gaps.items() for rule_id, phrase in found]
    negator_ids = [lemma_id(lemma) for lemma in negators]
    intensifier_ids = [lemma_id(lemma) for lemma in intensifiers]
    tone_ids = [lemma_id(lemma) for lemma in tone]
    # every word of a sarcasm phrase taken literally, as ``RuleSet.sarcastic`` compares them
    sarcasm_ids = [[lemma_id(lemma) for lemma in phrase] for phrase in sarcasm]

    n_ids, n_nodes = len(lemma_ids) + 1, len(node_rules)
    root = np.zeros(n_ids, np.intp)
    root[[lemma for lemma, _ in roots]] = [node for _, node in roots]
    # a dense (node, next lemma) table: one gather per round of the walk, where a binary search
    # in sorted edges cost 3× as much; rows and columns only for nodes and lemmas with edges
    parents = sorted({parent for parent, _, _ in edges})
    nexts = sorted({lemma for _, lemma, _ in edges})
    row, column = np.zeros(n_nodes, np.intp), np.zeros(n_ids, np.intp)
    row[parents] = np.arange(1, len(parents) + 1)
    column[nexts] = np.arange(1, len(nexts) + 1)
    children = np.zeros((len(parents) + 1, len(nexts) + 1), np.min_scalar_type(n_nodes))
    for parent, lemma, child in edges:
        children[row[parent], column[lemma]] = child

    counts = np.array([len(r) for r in node_rules], np.intp)
    gap_first, gap_count = np.zeros(n_ids, np.intp), np.zeros(n_ids, np.intp)
    for i, (lemma, _, _) in reversed(list(enumerate(gapped))):   # phrases of one lemma are adjacent
        gap_first[lemma] = i
        gap_count[lemma] += 1
    n_steps = max((len(steps) for _, _, steps in gapped), default=0) + 1   # every phrase ends on a 0
    gap_kind = np.zeros((len(gapped), n_steps), np.int8)
    gap_lemma = np.zeros((len(gapped), n_steps), np.intp)
    for i, (_, _, steps) in enumerate(gapped):
        for j, (kind, lemma) in enumerate(steps):
            gap_kind[i, j], gap_lemma[i, j] = kind, lemma
    gapped_span = max((1 + sum(1 if kind == _WORD else MAX_GAP + 1 for kind, _ in steps)
                       for _, _, steps in gapped), default=1)
    tone_of = np.zeros(n_ids)
    tone_of[tone_ids] = list(tone.values())
    sarcasm_first, sarcasm_count = np.zeros(n_ids, np.intp), np.zeros(n_ids, np.intp)
    for i, phrase in reversed(list(enumerate(sarcasm_ids))):
        sarcasm_first[phrase[0]] = i
        sarcasm_count[phrase[0]] += 1
    # every phrase ends on a 0 (no lemma has id 0)
    sarcasm_lemma = np.zeros((len(sarcasm_ids), max(map(len, sarcasm_ids), default=1)), np.intp)
    for i, phrase in enumerate(sarcasm_ids):
        sarcasm_lemma[i, :len(phrase) - 1] = phrase[1:]
    return _Tables(
        vocab=lemma_ids, opens=(root != 0) | (gap_count != 0), root=root, row=row, column=column,
        children=children,
        rule_first=np.cumsum(counts) - counts, rule_count=counts,
        node_rules=np.array([r for rs in node_rules for r in rs], np.intp),
        gap_first=gap_first, gap_count=gap_count, gap_kind=gap_kind, gap_lemma=gap_lemma,
        gap_rule=np.array([number[rule_id] for _, rule_id, _ in gapped], np.intp),
        negator=_flags(n_ids, negator_ids), intensifier=_flags(n_ids, intensifier_ids), tone=tone_of,
        sarcasm_first=sarcasm_first, sarcasm_count=sarcasm_count, sarcasm_lemma=sarcasm_lemma,
        names=np.array([rule_id for rule_id, _, _ in rules], object),
        codes=np.array([code for _, code, _ in rules], object),
        polarity=np.array([polarity for _, _, polarity in rules], np.intp),
        max_span=max(max(depth), gapped_span), n_orders=int(counts.max()) + len(gapped))


def _gap_steps(phrase: tuple[str, ...], lemma_id) -> list[tuple[int, int]]:
    """The words after the first of a gapped phrase, as ``match_gapped`` takes them."""
    steps, rest = [], phrase[1:]
    while rest:
        if rest[0] == GAP:
            steps.append((_GAPPED_WORD, lemma_id(rest[1])))
            rest = rest[2:]
        else:
            steps.append((_WORD, lemma_id(rest[0])))
            rest = rest[1:]
    return steps


def _flags(n: int, true_at: list[int]) -> np.ndarray:
    out = np.zeros(n, bool)
    out[true_at] = True
    return out


def _batch_ids(tables: _Tables, lemmas: list[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """The lemma ids of all texts in one array with ``PAD`` zeros before, between and after them,
    and the position of each text's first token. The zeros end every phrase and gap window at a
    text's edge and are neither negator nor intensifier, so no step needs a test of its own."""
    lengths = np.fromiter(map(len, lemmas), np.intp, len(lemmas))
    n = int(lengths.sum())
    # the one step per token in Python: a dict look-up costs less than any numpy route from str
    flat = np.fromiter(map(tables.vocab.get, chain.from_iterable(lemmas), repeat(0)), np.intp, n)
    base = np.cumsum(lengths + PAD) - lengths
    ids = np.zeros(n + PAD * (len(lemmas) + 1), np.intp)
    ids[np.arange(n) + np.repeat(np.arange(PAD, PAD * (len(lemmas) + 1), PAD), lengths)] = flat
    return ids, base


def _batch_hits(tables: _Tables, ids: np.ndarray, base: np.ndarray) -> list[list[RuleHit]]:
    """``match_batch`` from the batch's lemma ids (``_batch_ids``)."""
    first = np.flatnonzero(tables.opens[ids])       # where some phrase may start
    start, end, rule, order = _concat(_trie_matches(tables, ids, first), _gapped_matches(tables, ids, first))
    if not start.size:
        return [[] for _ in range(len(base))]
    start, end, rule = _reference_order(start, end, rule, order, tables)
    return _rule_hits(tables, ids, base, start, end, rule)


_Matches = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]    # start, end, rule, order
_NO_MATCHES: _Matches = (np.zeros(0, np.intp),) * 4


def _trie_matches(tables: _Tables, ids: np.ndarray, first: np.ndarray) -> _Matches:
    """Every match of a gap-free phrase, walking the trie a word a round from all starts at once
    (``first``: where some phrase may start). ``order``: the rule's place among the rules of its
    phrase."""
    node = tables.root[ids[first]]
    start = first[node != 0]
    node = node[node != 0]
    starts, lengths, nodes = [], [], []
    length = 1
    while start.size:
        ending = np.flatnonzero(tables.rule_count[node])
        starts.append(start[ending])
        lengths.append(np.full(ending.size, length))
        nodes.append(node[ending])
        node = tables.children[tables.row[node], tables.column[ids[start + length]]].astype(np.intp)
        on = np.flatnonzero(node)
        start, node = start[on], node[on]
        length += 1
    if not starts:
        return _NO_MATCHES
    node = np.concatenate(nodes)
    count = tables.rule_count[node]
    order = _ranks(count)
    rule = tables.node_rules[np.repeat(tables.rule_first[node], count) + order]
    start = np.repeat(np.concatenate(starts), count)
    return start, start + np.repeat(np.concatenate(lengths), count), rule, order


def _gapped_matches(tables: _Tables, ids: np.ndarray, first: np.ndarray) -> _Matches:
    """Every match of a phrase with gaps, a step a round for all (start, phrase) pairs at once;
    as in ``match_gapped``, a gap takes the first occurrence of the next word in its window.
    ``order``: after every gap-free phrase (spaCy's matches precede them in ``match_spacy``),
    then the phrases' order in ``gaps``."""
    start = first[tables.gap_count[ids[first]] != 0]
    count = tables.gap_count[ids[start]]
    phrase = np.repeat(tables.gap_first[ids[start]], count) + _ranks(count)
    start = np.repeat(start, count)
    at = start + 1                          # the next word to look at
    complete: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for step in range(tables.gap_kind.shape[1]):
        if not start.size:
            break
        kind, lemma = tables.gap_kind[phrase, step], tables.gap_lemma[phrase, step]
        done = kind == 0
        complete.append((start[done], at[done], phrase[done]))
        going = ~done
        word = np.flatnonzero(kind == _WORD)
        going[word] = ids[at[word]] == lemma[word]
        at[word] += 1
        gap = np.flatnonzero(kind == _GAPPED_WORD)
        window = ids[at[gap, None] + _WINDOW] == lemma[gap, None]
        going[gap] = window.any(axis=1)
        at[gap] += window.argmax(axis=1) + 1
        start, at, phrase = start[going], at[going], phrase[going]
    if not complete:
        return _NO_MATCHES
    start, end, phrase = (np.concatenate(column) for column in zip(*complete))
    return start, end, tables.gap_rule[phrase], phrase + (tables.n_orders - len(tables.gap_rule))


def _ranks(count: np.ndarray) -> np.ndarray:
    """0 … count - 1 for each entry of ``count``, concatenated."""
    total = np.cumsum(count)
    return np.arange(int(total[-1]) if total.size else 0) - np.repeat(total - count, count)


def _concat(*matches: _Matches) -> _Matches:
    return tuple(np.concatenate(column) for column in zip(*matches))


def _reference_order(start, end, rule, order, tables: _Tables) -> tuple[np.ndarray, ...]:
    """The matches in ``match_spacy``'s order (by start, longest first, then ``order``), each
    rule once per start (its longest match: the first in that order)."""
    key = (start * (tables.max_span + 1) + (tables.max_span - (end - start))) * tables.n_orders + order
    # keys are unique, so any sort would do; the stable one (radix/timsort) runs 20× faster here
    # because the trie's first round already lists most matches by start
    ordered = np.argsort(key, kind="stable")
    start, end, rule = start[ordered], end[ordered], rule[ordered]
    _, first = np.unique(start * len(tables.names) + rule, return_index=True)
    if len(first) < len(start):
        kept = np.sort(first)
        start, end, rule = start[kept], end[kept], rule[kept]
    return start, end, rule


def _rule_hits(tables: _Tables, ids, base, start, end, rule) -> list[list[RuleHit]]:
    """``RuleHit`` lists per text from matches at batch positions; ``negated_at`` over ids (the
    padding before a text is neither negator nor intensifier)."""
    text = np.searchsorted(base, start, side="right") - 1
    negator, intensifier = tables.negator, tables.intensifier
    negated = ~negator[ids[start]] & (negator[ids[start - 1]]
                                      | negator[ids[start - 2]] & intensifier[ids[start - 1]])
    start, end = start - base[text], end - base[text]
    # A batch holds each hit (rule, start, end, negation) five times on average: build each
    # RuleHit once and share it (tuples are immutable), as a new tuple costs ~250 ns, half of it
    # in the collector's passes over young objects that every allocation brings closer.
    starts, spans = int(start.max()) + 1, tables.max_span + 1
    code = ((rule * starts + start) * spans + end - start) * 2 + negated
    each, number = _distinct(code, len(tables.names) * starts * spans * 2)
    rule, start, end, negated = rule[each], start[each], end[each], negated[each]
    polarity = tables.polarity[rule]
    polarity = np.where(negated, -polarity, polarity)
    # tolist: Python ints and bools, as match_spacy gives
    fields = zip(tables.names[rule].tolist(), tables.codes[rule].tolist(), start.tolist(), end.tolist(),
                 polarity.tolist(), negated.tolist())
    # tuple.__new__: RuleHit(...) without the named tuple's Python-level __new__
    distinct = np.fromiter(map(tuple.__new__, repeat(RuleHit), fields), object, len(each))
    hits = distinct[number].tolist()
    bounds = np.searchsorted(text, np.arange(len(base) + 1)).tolist()
    return [hits[a:b] for a, b in zip(bounds, bounds[1:])]


def _batch_tones(tables: _Tables, analyses: Sequence[Analysis], lemmas: list[tuple[str, ...]],
                 ids: np.ndarray, base: np.ndarray) -> tuple[list[list[float]], list[frozenset[int]]]:
    """``token_tones`` and ``sarcastic_tokens`` of every text of a batch, each with its text's
    ``sarcastic``, from the batch's lemma ids. A text holds a lexicon word at ~4 % of its tokens:
    numpy finds them and computes their tones for the whole batch in the steps of
    ``token_tones`` (negation flips the tone, else sarcasm flips praise, then an intensifier one
    or two words back scales it), Python only writes those few values into lists of zeros."""
    tones = list(map(mul, repeat([0.0]), map(len, lemmas)))       # [0.0] * len(text), per text
    sarcastic = [_NO_TOKENS] * len(lemmas)
    at = np.flatnonzero(tables.tone[ids])
    if not at.size:
        return tones, sarcastic
    value = tables.tone[ids[at]]
    text = np.searchsorted(base, at, side="right") - 1
    texts, offsets = text.tolist(), (at - base[text]).tolist()
    negated = _negated_at(analyses, texts, offsets)
    praise = ~negated & (value > 0) & _sarcastic_texts(tables, ids, base)[text]
    value = np.where(negated | praise, -value, value)
    # the padding before a text is no intensifier: no look-back reaches the previous text
    value = np.where(tables.intensifier[ids[at - 1]] | tables.intensifier[ids[at - 2]], value * INTENSITY, value)
    for t, i, v in zip(texts, offsets, value.tolist()):
        tones[t][i] = v
    if praise.any():                    # one text in a hundred
        words: dict[int, list[int]] = {}
        for j in np.flatnonzero(praise).tolist():
            words.setdefault(texts[j], []).append(offsets[j])
        for t, found in words.items():
            sarcastic[t] = frozenset(found)
    return tones, sarcastic


def _negated_at(analyses: Sequence[Analysis], texts: list[int], offsets: list[int]) -> np.ndarray:
    """``_negated(analyses[t])[i]`` for each (t, i), read at the lexicon words only (an array of
    the flags of all the batch's tokens, joined as bytes, cost no less). As in ``_negated``, an
    analysis whose flags do not cover its tokens (one built by hand) gets ``negation_flags``;
    such analyses are found by one comparison of lengths for the whole batch."""
    flags = list(map(_NEGATED_OF, analyses))
    n = len(flags)
    uncovered = np.fromiter(map(len, flags), np.intp, n) != np.fromiter(map(len, analyses), np.intp, n)
    for t in np.flatnonzero(uncovered).tolist():
        flags[t] = negation_flags(analyses[t].lowers)
    return np.fromiter(map(getitem, map(flags.__getitem__, texts), offsets), bool, len(texts))


def _sarcastic_texts(tables: _Tables, ids: np.ndarray, base: np.ndarray) -> np.ndarray:
    """``RuleSet.sarcastic`` of every text: all (start, sarcasm phrase) pairs are compared a word a
    round. A pair alive at round k matched real tokens up to start + k, so start + k + 1 is at most
    the first padding zero, which ends every phrase at its text's edge (no lemma has id 0)."""
    found = np.zeros(len(base), bool)
    start = np.flatnonzero(tables.sarcasm_count[ids])
    count = tables.sarcasm_count[ids[start]]
    phrase = np.repeat(tables.sarcasm_first[ids[start]], count) + _ranks(count)
    start = np.repeat(start, count)
    for step in range(tables.sarcasm_lemma.shape[1]):
        if not start.size:
            break
        lemma = tables.sarcasm_lemma[phrase, step]
        done = lemma == 0
        found[np.searchsorted(base, start[done], side="right") - 1] = True
        going = ~done & (ids[start + step + 1] == lemma)
        start, phrase = start[going], phrase[going]
    return found


DISTINCT_SPACE = 1 << 21    # the largest table ``_distinct`` builds (16 MB)


def _distinct(code: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """One entry of each distinct value of ``code`` (values in 0 … space - 1) and, per entry,
    the number of its value among those: ``np.unique`` without its sort (which cost 5× as much).
    Where ``space`` would need too large a table (very long texts), every entry counts as distinct."""
    entries = np.arange(code.size)
    if space > DISTINCT_SPACE:
        return entries, entries
    slot = np.empty(space, np.intp)
    slot[code] = entries                # of entries sharing a value, one is written: their representative
    representative = slot[code]
    each = np.flatnonzero(representative == entries)
    number = np.empty(code.size, np.intp)
    number[each] = np.arange(each.size)
    return each, number[representative]


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
