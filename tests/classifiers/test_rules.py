import math
from pathlib import Path

import pytest

import yaml

from feedback_nlp.classifiers.corpus import read_items
from feedback_nlp.classifiers.rules import GAP, RuleHit, RuleSet, compile_rules
from feedback_nlp.classifiers.text import Analysis, analyse


def fired(rules, text):
    a = analyse(text)
    return [(h.rule, text[a.starts[h.start]:a.ends[h.end - 1]], h.polarity) for h in rules.match(a)]


@pytest.mark.parametrize("text, expected", [
    # polarity of the rule itself
    ("инспектор вежливая", ("D2.вежливость", "вежливая", 1)),
    ("на меня наорали", ("D2.грубость", "наорали", -1)),
    # negation flips, also across an intensifier; "не те бумажки" is no negation of "бумажки"
    ("инспектор не вежливая", ("D2.вежливость", "вежливая", -1)),
    ("инспектор не очень вежливая", ("D2.вежливость", "вежливая", -1)),
    ("принесла не те бумажки", ("L5.бюрократия", "бумажки", -1)),
    # a pattern with its own negation is not flipped
    ("в цзн не дозвониться", ("L3.не_дозвониться", "не дозвониться", -1)),
    # gaps of up to three words
    ("ждал уже почти месяц", ("L4.долго", "ждал уже почти месяц", -1)),
])
def test_rules_polarity_and_negation(rules, text, expected):
    assert expected in fired(rules, text)


@pytest.mark.parametrize("text, marker", [
    ("в мфц опять очередь", "мфц"),
    ("в пенсионном (СФР) говорят что стаж не подтвердить", "СФР"),
    ("центр занятости детей открыл набор в кружок", "центр занятости детей"),
    ("налоговая требует справку", "налоговая"),
])
def test_rules_hard_negative_markers(rules, text, marker):
    assert ("relevance.hard_negative", marker, 0) in fired(rules, text)


def test_rules_gap_too_long(rules):
    assert not [h for h in fired(rules, "ждал я его там очень долгий месяц") if h[1].startswith("ждал я")]


def test_rules_token_tones_negation(rules):
    a = analyse("не хорошо, очень плохо")
    assert rules.token_tones(a) == [0.0, -1.0, 0.0, 0.0, -1.5]


def test_rules_match_many_equals_match_per_text(rules):
    texts = ["инспектор вежливая", "ждал", "уже месяц", "", "в цзн не дозвониться, ждал уже почти месяц",
             "не", "вежливая", "центр", "занятости", "не очень", "вежливая инспектор в центр"]
    analyses = [analyse(t) for t in texts]
    expected = [rules.match_spacy(a) for a in analyses]
    # "ждал" + "уже месяц", "центр" + "занятости" in adjacent texts must not join into one match,
    # nor "не" negate the first word of the next text; the last hit ends at the batch's last token
    assert rules.match_many(analyses) == expected
    assert rules.match_batch(analyses) == expected
    assert expected[-1] and expected[-1][-1].end == len(analyses[-1])
    assert rules.match_batch([]) == rules.match_many([]) == []
    assert rules.match_batch([analyse(""), analyse("!!!")]) == [[], []]


def _lemmas_only(lemmas: tuple[str, ...]) -> Analysis:
    """An analysis of lemmas as they stand (the rules read nothing else)."""
    n = len(lemmas)
    return Analysis(" ".join(lemmas), tuple(range(n)), tuple(range(1, n + 1)), lemmas, lemmas, ((0, n),))


def test_rules_batch_never_joins_adjacent_texts(rules):
    # every phrase of two words or more cut in two, the halves as adjacent texts of one batch:
    # together they would match, apart the batch must give each half's own hits (and a negator
    # ending a text must not negate the next one)
    spec = yaml.safe_load(rules.indicators_yaml)
    phrases = {phrase for _, _, _, found in compile_rules(spec) for phrase in found if len(phrase) > 1}
    halves = [(phrase[:cut], phrase[cut:]) for phrase in sorted(phrases) for cut in range(1, len(phrase))
              if phrase[cut - 1] != GAP and phrase[cut] != GAP]
    halves += [(("не",), ("вежливый",)), (("не", "очень"), ("вежливый",)), (("ждать",), ("месяц",))]
    analyses = [_lemmas_only(half) for pair in halves for half in pair]
    expected = [rules.match_spacy(a) for a in analyses]
    for size in (len(analyses), 333, 7):
        got = [hits for i in range(0, len(analyses), size) for hits in rules.match_batch(analyses[i:i + size])]
        assert got == expected, size
    joined = [rules.match_spacy(_lemmas_only(a + b)) for a, b in halves]
    assert sum(any(h.start < len(a) < h.end for h in hits) for (a, _), hits in zip(halves, joined)) > 1000


def _corpus_texts():
    items, _ = read_items(Path(__file__).resolve().parents[2] / "models" / "corpus" / "parts")
    return [item.text for item in items]


@pytest.fixture(scope="module")
def corpus_hits(rules):
    """Analyses of the corpus texts, the benchmark's 300-character cuts and a few edge cases,
    with ``match_spacy``'s hits of each."""
    texts = _corpus_texts()
    texts += [" ".join(texts[i:i + 4])[:300] for i in range(0, len(texts), 4)]   # the benchmark's register
    texts += ["", "не не не", "ждать ждать месяц месяц", "цзн цзн центр занятости центр"]
    texts.insert(len(texts) // 2, " ".join(texts[:400]))     # thousands of tokens in one text
    analyses = [analyse(t) for t in texts]
    return analyses, [rules.match_spacy(a) for a in analyses]


def test_rules_trie_equals_spacy_phrase_matcher_on_the_corpus(rules, corpus_hits):
    # spaCy's PhraseMatcher defines the rules; the trie used for speed must give the same hits in
    # the same order (the order picks the rule named in an aspect's source)
    analyses, expected = corpus_hits
    differing = [a.text for a, hits in zip(analyses, expected) if rules.match(a) != hits]
    assert not differing, differing[:3]
    assert sum(map(len, expected[:200])) > 200


@pytest.mark.parametrize("engine, size", [("match_many", 2048), ("match_many", 333), ("match_batch", 7)])
def test_rules_match_many_equals_spacy_on_the_corpus_in_batches(rules, corpus_hits, engine, size):
    # the classifier's batches (2,048 texts) go through numpy over the whole batch; odd sizes put
    # other texts side by side and other texts last (match_many sends fewer than BATCH_MIN texts
    # through match, so the batch engine is asked for the small batches itself)
    analyses, expected = corpus_hits
    match = getattr(rules, engine)
    got = [hits for i in range(0, len(analyses), size) for hits in match(analyses[i:i + size])]
    differing = [a.text for a, hits, want in zip(analyses, got, expected) if hits != want]
    assert len(got) == len(expected) and not differing, differing[:3]
    # the same values of the same types, as RuleHit
    assert all(type(h) is RuleHit and type(h.negated) is bool and type(h.start) is int and type(h.end) is int
               and type(h.polarity) is int for hits in got[:3000] for h in hits)


def test_rules_match_batch_of_one_text(rules, corpus_hits):
    analyses, expected = corpus_hits
    assert [rules.match_batch([a])[0] for a in analyses[-1500:]] == expected[-1500:]


def test_rules_trie_keeps_the_order_of_rules_sharing_a_phrase():
    # two rules with one phrase, and one rule whose longer phrase wins at the same start
    spec = """
indicators:
  D2:
    - {id: b.first, polarity: 1, patterns: [вежливый инспектор]}
    - {id: a.second, polarity: -1, patterns: [вежливый инспектор|вежливый]}
    - {id: c.gap, polarity: 1, patterns: [вежливый * инспектор]}
"""
    rules = RuleSet(spec, "negators: [не]\nintensifiers: [очень]\n")
    texts = ["вежливая инспектор", "не очень вежливый молодой инспектор", "вежливый вежливый инспектор"]
    for text in texts:
        a = analyse(text)
        assert rules.match(a) == rules.match_spacy(a)
        assert rules.match(a)
    analyses = [analyse(t) for t in texts]
    assert rules.match_batch(analyses) == [rules.match_spacy(a) for a in analyses]


@pytest.mark.parametrize("text, expected", [
    # negation scope: up to three words after the negator, up to punctuation
    ("совсем не пришлось ждать", [("ждать", 1.0)]),
    ("не пришлось ждать, но очередь", [("ждать", 1.0), ("очередь", -1.0)]),
    # sarcasm markers turn the praise of the whole text negative
    ("Ну спасибо, отличный сервис", [("спасибо", -1.0), ("отличный", -1.0)]),
    ("браво, портал опять висит. прекрасно", [("прекрасно", -1.0)]),
    # no marker: praise stays praise
    ("спасибо, отличный сервис", [("спасибо", 1.0), ("отличный", 1.0)]),
])
def test_rules_token_tones_scope_and_sarcasm(rules, text, expected):
    a = analyse(text)
    assert [(w, t) for w, t in zip(a.lowers, rules.token_tones(a)) if t] == expected


def test_rules_sarcastic_tokens(rules):
    a = analyse("Ну спасибо, центр занятости, полтора часа ехать. Отличный сервис")
    assert sorted(a.lowers[i] for i in rules.sarcastic_tokens(a)) == ["отличный", "спасибо"]
    assert rules.sarcastic_tokens(analyse("Спасибо, отличный сервис")) == frozenset()


def _scan_per_text(rules, analyses):
    """What the classifier took per text before ``scan_many``: the reference of the batch scan."""
    sarcastic = [rules.sarcastic(a) for a in analyses]
    return ([rules.match(a) for a in analyses], [rules.token_tones(a, s) for a, s in zip(analyses, sarcastic)],
            [rules.sarcastic_tokens(a, s) if s else frozenset() for a, s in zip(analyses, sarcastic)])


def _scan_in_batches(rules, engine, analyses, size):
    scan = getattr(rules, engine)
    got = ([], [], [])
    for i in range(0, len(analyses), size):
        for column, values in zip(got, scan(analyses[i:i + size])):
            column.extend(values)
    return got


def _same_tones(got, want):
    """Equal lists of floats, each a float (not a numpy scalar) with the reference's sign of zero."""
    return (type(got) is list and got == want and all(type(v) is float for v in got)
            and all(math.copysign(1.0, v) == math.copysign(1.0, w) for v, w in zip(got, want)))


@pytest.fixture(scope="module")
def corpus_scan(rules, corpus_hits):
    analyses, hits = corpus_hits
    _, tones, sarcastic = _scan_per_text(rules, analyses)
    return analyses, hits, tones, sarcastic


@pytest.mark.parametrize("engine, size", [("scan_many", 2048), ("scan_many", 333), ("scan_batch", 7)])
def test_rules_scan_equals_per_text_methods_on_the_corpus_in_batches(rules, corpus_scan, engine, size):
    # the classifier's batches: hits, tones and sarcastic words as match, token_tones and
    # sarcastic_tokens give them text by text (same floats, same types, same sets)
    analyses, hits, tones, sarcastic = corpus_scan
    got_hits, got_tones, got_sarcastic = _scan_in_batches(rules, engine, analyses, size)
    assert len(got_hits) == len(got_tones) == len(got_sarcastic) == len(analyses)
    assert got_hits == hits
    differing = [a.text for a, got, want in zip(analyses, got_tones, tones) if not _same_tones(got, want)]
    assert not differing, differing[:3]
    assert got_sarcastic == sarcastic and all(type(s) is frozenset for s in got_sarcastic)
    # the corpus exercises every branch: negated, sarcastic and intensified tones
    assert sum(map(bool, sarcastic)) > 20 and sum(abs(v) == 1.5 for t in tones for v in t) > 200


def test_rules_scan_batch_of_one_text(rules, corpus_scan):
    analyses, hits, tones, sarcastic = (column[-1500:] for column in corpus_scan)
    got = [rules.scan_batch([a]) for a in analyses]
    assert [h for (h,), _, _ in got] == hits
    assert all(_same_tones(t, want) for (_, (t,), _), want in zip(got, tones))
    assert [s for _, _, (s,) in got] == sarcastic
    assert rules.scan_batch([]) == rules.scan_many([]) == ([], [], [])


def test_rules_scan_never_joins_adjacent_texts(rules):
    # a sarcasm phrase cut in two, a negator or intensifier ending a text before a tone word:
    # adjacent texts of a batch must keep each text's own tones and sarcasm
    halves = [(phrase[:cut], phrase[cut:] + ("хороший",))
              for phrase in sorted(p for found in rules._sarcasm.values() for p in found)
              for cut in range(1, len(phrase))]
    cut = len(halves)
    halves += [(first, ("хороший",)) for first in [("не",), ("без",), ("очень",), ("ну", "спасибо"), ("браво",),
                                                     ("не", "очень"), ("очень", "x"), ("x", "очень")]]
    halves += [(("хороший",), ("браво",)), (("не", "хороший"), ("очень", "плохой")), ((), ("очень", "хороший"))]
    # lemmas as they stand (``negated`` empty: flags from ``negation_flags``) and analysed texts
    batches = [[_lemmas_only(half) for pair in halves for half in pair],
               [analyse(" ".join(half)) for pair in halves for half in pair]]
    for analyses in batches:
        want = _scan_per_text(rules, analyses)
        for size, skip in [(len(analyses), 0), (len(analyses), 1), (7, 0), (2, 1)]:
            got = _scan_in_batches(rules, "scan_batch", analyses[skip:], size)
            assert got[0] == want[0][skip:] and got[2] == want[2][skip:]
            assert all(_same_tones(g, w) for g, w in zip(got[1], want[1][skip:])), size
    joined = [_lemmas_only(a + b) for a, b in halves]
    assert cut > 50 and all(map(rules.sarcastic, joined[:cut]))
    assert sum(1.5 in rules.token_tones(a) or -1.5 in rules.token_tones(a) for a in joined) > 3


def test_rules_scan_many_tones_and_sarcasm(rules):
    texts = ["Ну спасибо, очень хороший сервис, не очень удобно", "спасибо, очень хороший сервис", "браво", "хорошо"]
    analyses = [analyse(t) for t in texts] * 10        # at least BATCH_MIN: the batch path
    hits, tones, sarcastic = rules.scan_many(analyses)
    assert [(w, t) for w, t in zip(analyses[0].lowers, tones[0]) if t] == [
        ("спасибо", -1.0), ("хороший", -1.5), ("удобно", -1.5)]
    assert [(w, t) for w, t in zip(analyses[1].lowers, tones[1]) if t] == [("спасибо", 1.0), ("хороший", 1.5)]
    assert sorted(analyses[0].lowers[i] for i in sarcastic[0]) == ["спасибо", "хороший"]
    assert sarcastic[1:4] == [frozenset()] * 3 and tones[3] == [1.0]
    assert (hits, tones, sarcastic) == _scan_per_text(rules, analyses)
    assert tones[0] is not tones[4]                     # a list of its own per text
