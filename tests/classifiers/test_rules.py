from pathlib import Path

import pytest

from feedback_nlp.classifiers.corpus import read_items
from feedback_nlp.classifiers.rules import RuleSet
from feedback_nlp.classifiers.text import analyse


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
    texts = ["инспектор вежливая", "ждал", "уже месяц", "", "в цзн не дозвониться, ждал уже почти месяц"]
    analyses = [analyse(t) for t in texts]
    # "ждал" + "уже месяц" in adjacent texts must not join into one gapped match
    assert rules.match_many(analyses) == [rules.match_spacy(a) for a in analyses]


def _corpus_texts():
    items, _ = read_items(Path(__file__).resolve().parents[2] / "models" / "corpus" / "parts")
    return [item.text for item in items]


def test_rules_trie_equals_spacy_phrase_matcher_on_the_corpus(rules):
    # spaCy's PhraseMatcher defines the rules; the trie used for speed must give the same hits in
    # the same order (the order picks the rule named in an aspect's source)
    texts = _corpus_texts()
    texts += [" ".join(texts[i:i + 4])[:300] for i in range(0, len(texts), 4)]   # the benchmark's register
    texts += ["", "не не не", "ждать ждать месяц месяц", "цзн цзн центр занятости центр"]
    differing = [t for t in texts if rules.match(a := analyse(t)) != rules.match_spacy(a)]
    assert not differing, differing[:3]
    assert sum(len(rules.match(analyse(t))) for t in texts[:200]) > 200


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
    for text in ["вежливая инспектор", "не очень вежливый молодой инспектор", "вежливый вежливый инспектор"]:
        a = analyse(text)
        assert rules.match(a) == rules.match_spacy(a)
        assert rules.match(a)


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
