"""Quality of predictions against labelled items: the figures of the model card."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from feedback_nlp.classifiers.corpus import LabelledItem
from feedback_nlp.classifiers.layers import sentiment_label
from feedback_nlp.codes import GROUPS, INDICATOR_GROUPS, INDICATORS
from feedback_nlp.schema import Prediction

# Pairs the methodology warns are easy to confuse (METHODOLOGY.md §5).
CLOSE_PAIRS = (("L4", "K1"), ("L3", "L2"), ("L2", "L6"), ("L3", "L6"), ("K2", "L5"), ("L5", "L1"),
               ("L1", "D1"), ("D1", "D2"), ("D2", "D3"), ("E1", "E2"), ("E2", "E3"), ("P1", "P2"))


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn}


def macro_f1(gold: Sequence[int], pred: Sequence[int], classes=(-1, 0, 1)) -> float:
    scores = []
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        if tp + fn:
            scores.append(prf(tp, fp, fn)["f1"])
    return round(float(np.mean(scores)), 4) if scores else 0.0


def ece(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Expected calibration error over equal-width confidence bins."""
    conf, ok = np.asarray(confidence, float), np.asarray(correct, float)
    if not len(conf):
        return 0.0
    edges = np.minimum((conf * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = edges == b
        if mask.any():
            total += mask.mean() * abs(conf[mask].mean() - ok[mask].mean())
    return round(float(total), 4)


def set_scores(gold: list[set], pred: list[set], keys) -> tuple[dict, dict]:
    """Per-key P/R/F1 and micro/macro summaries for multi-label sets."""
    per = {}
    tot = Counter()
    for k in keys:
        tp = sum(k in g and k in p for g, p in zip(gold, pred))
        fp = sum(k not in g and k in p for g, p in zip(gold, pred))
        fn = sum(k in g and k not in p for g, p in zip(gold, pred))
        per[k] = prf(tp, fp, fn)
        tot.update(tp=tp, fp=fp, fn=fn)
    micro = prf(tot["tp"], tot["fp"], tot["fn"])
    supported = [v["f1"] for v in per.values() if v["support"]]
    summary = {"micro_f1": micro["f1"], "micro_precision": micro["precision"],
               "micro_recall": micro["recall"], "macro_f1": round(float(np.mean(supported)), 4) if supported else 0.0}
    return per, summary


def evaluate_predictions(predictions: Sequence[Prediction], items: Sequence[LabelledItem]) -> dict:
    """Every figure of the evaluation report."""
    by_id = {p.id: p for p in predictions}
    preds = [by_id[i.id] for i in items]
    rel = prf(sum(i.relevant and p.relevant for i, p in zip(items, preds)),
              sum(not i.relevant and p.relevant for i, p in zip(items, preds)),
              sum(i.relevant and not p.relevant for i, p in zip(items, preds)))
    gold_ind = [set(i.indicators) for i in items]
    pred_ind = [{a.indicator for a in p.aspects} for p in preds]
    per_ind, ind = set_scores(gold_ind, pred_ind, INDICATORS)
    per_grp, grp = set_scores([{INDICATOR_GROUPS[c] for c in g} for g in gold_ind],
                              [{INDICATOR_GROUPS[c] for c in s} for s in pred_ind], GROUPS)
    pol_gold, pol_pred = [], []
    for item, p in zip(items, preds):
        predicted = {a.indicator: a.polarity for a in p.aspects}
        for code, pol in item.labels:
            if code in predicted:
                pol_gold.append(pol)
                pol_pred.append(predicted[code])
    sent = [(sentiment_label(i.relevant, i.labels, i.general), p.polarity) for i, p in zip(items, preds)]
    sent = [(g, s) for g, s in sent if g is not None]
    gen = [(str(i.general), str(p.general)) for i, p in zip(items, preds) if i.relevant]
    confusion = Counter()
    for g, s in zip(gold_ind, pred_ind):
        for missed in g - s:
            for extra in s - g:
                confusion[(missed, extra)] += 1
    spans = [(sp.start, sp.end, sp.text, p.id) for p in preds for a in p.aspects for sp in a.spans]
    texts = {i.id: i.text for i in items}
    valid = sum(texts[pid][s:e] == t and 0 <= s < e for s, e, t, pid in spans)
    aspect_conf = [(a.confidence, a.indicator in g) for p, g in zip(preds, gold_ind) for a in p.aspects]
    return {
        "items": len(items),
        "relevance": rel,
        "indicators": ind, "per_indicator": per_ind,
        "groups": grp, "per_group": per_grp,
        "aspect_polarity_macro_f1": macro_f1(pol_gold, pol_pred), "aspect_polarity_pairs": len(pol_gold),
        "sentiment_macro_f1": macro_f1([g for g, _ in sent], [s for _, s in sent]),
        "general_accuracy": round(sum(g == s for g, s in gen) / max(1, len(gen)), 4),
        "close_confusions": {f"{a}->{b}": confusion[(a, b)] + 0 for x, y in CLOSE_PAIRS for a, b in ((x, y), (y, x))},
        "top_confusions": {f"{a}->{b}": n for (a, b), n in confusion.most_common(10)},
        "ece_relevance": ece([p.relevance for p in preds], [i.relevant for i in items]),
        "ece_aspects": ece([c for c, _ in aspect_conf], [ok for _, ok in aspect_conf]),
        "evidence_spans": len(spans), "evidence_valid": valid,
    }


def agreement(predictions: Sequence[Prediction], corrections: Sequence[LabelledItem]) -> dict:
    """How often the model already agrees with methodologists' corrections."""
    by_id = {p.id: p for p in predictions}
    pairs = [(c, by_id[c.id]) for c in corrections]
    n = max(1, len(pairs))
    return {
        "corrections": len(pairs),
        "relevance_agreement": round(sum(c.relevant == p.relevant for c, p in pairs) / n, 4),
        "indicator_set_agreement": round(sum(set(c.indicators) == {a.indicator for a in p.aspects}
                                             for c, p in pairs) / n, 4),
        "label_agreement": round(sum(set(c.labels) == {(a.indicator, a.polarity) for a in p.aspects}
                                     for c, p in pairs) / n, 4),
        "general_agreement": round(sum(c.general == p.general for c, p in pairs) / n, 4),
    }


FIGURES = ("relevance_f1", "group_micro_f1", "indicator_micro_f1", "indicator_macro_f1",
           "aspect_polarity_macro_f1", "sentiment_macro_f1")


def summarise(m: dict) -> dict[str, float]:
    """The headline figures of an evaluation."""
    return {"relevance_f1": m["relevance"]["f1"], "group_micro_f1": m["groups"]["micro_f1"],
            "indicator_micro_f1": m["indicators"]["micro_f1"], "indicator_macro_f1": m["indicators"]["macro_f1"],
            "aspect_polarity_macro_f1": m["aspect_polarity_macro_f1"], "sentiment_macro_f1": m["sentiment_macro_f1"]}
