import pytest

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
