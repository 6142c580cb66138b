"""Why a text got its prediction: clauses, rules that fired, lexicon tone, top model features."""
from __future__ import annotations

import json

import numpy as np

from feedback_nlp.classifiers.features import stack
from feedback_nlp.codes import INDICATORS

TOP_FEATURES = 6


def explain(model, text: str) -> dict:
    """Prediction of ``text`` and what produced it (like razdel's DebugSegmenter)."""
    prediction = model(text)
    enc = model._analyse([text])
    a, hits, tones = enc.analyses[0], enc.hits[0], enc.tones[0]
    out = {
        "prediction": prediction.to_dict(),
        "clauses": [a.text[a.starts[s]:a.ends[e - 1]] for s, e in a.clauses if e > s],
        "rules": [{"rule": h.rule, "indicator": h.indicator, "text": text[a.starts[h.start]:a.ends[h.end - 1]],
                   "start": a.starts[h.start], "end": a.ends[h.end - 1], "polarity": h.polarity,
                   "negated": h.negated} for h in hits],
        "lexicon": [{"token": a.text[a.starts[i]:a.ends[i]], "tone": t} for i, t in enumerate(tones) if t],
        "negated": [a.text[a.starts[i]:a.ends[i]] for i, flag in enumerate(a.negated) if flag],
        "sarcasm": [a.text[a.starts[i]:a.ends[i]] for i in sorted(enc.sarcastic[0])] if enc.sarcastic else [],
        "features": {},
    }
    if model.use_model and a.lemmas:
        model._featurise(enc)
        row = stack(enc.doc_blocks)[0]
        names = _feature_names(model)
        wanted = [x.indicator for x in prediction.aspects] or []
        for code in ["relevance", *wanted]:
            # indicators: the stacked effective weights (NB scales folded in), as used to predict
            coef = model.relevance_.coef_ if code == "relevance" else model.W_[:, INDICATORS.index(code)][None, :]
            if not coef.size:
                continue
            contrib = row.data * coef[0, row.indices]
            order = np.argsort(-np.abs(contrib))[:TOP_FEATURES]
            out["features"][code] = [(names[row.indices[j]], round(float(contrib[j]), 3)) for j in order]
    return out


def _feature_names(model) -> list[str]:
    names = list(model.featurizer_.feature_names_)
    if model.featurizer_.embeddings:
        names += [f"navec[{i}]" for i in range(300)]
    if model.use_rules:
        names += [f"rule:{r}" for r in model.rule_ids_]
        names += [f"rules:{c}:{s}" for c in INDICATORS for s in ("neg", "pos")]
        names += ["lexicon:pos", "lexicon:neg"]
    return names


def format_explanation(e: dict) -> str:
    """Human-readable explanation for the terminal."""
    p = e["prediction"]
    lines = [json.dumps(p, ensure_ascii=False, indent=1), "", "clauses:"]
    lines += [f"  {i}: {c}" for i, c in enumerate(e["clauses"])]
    lines.append("rules fired:")
    lines += [f"  {r['rule']:<28} {r['indicator']:<24} «{r['text']}» [{r['start']}:{r['end']}]"
              f" polarity={r['polarity']}{' (negated)' if r['negated'] else ''}" for r in e["rules"]] or ["  none"]
    lines.append("lexicon tone: " + (", ".join(f"{x['token']}={x['tone']:+.1f}" for x in e["lexicon"]) or "none"))
    lines.append("negated words: " + (", ".join(e.get("negated", [])) or "none"))
    if e.get("sarcasm"):
        lines.append("sarcasm: praise read as negative: " + ", ".join(e["sarcasm"]))
    for code, feats in e["features"].items():
        lines.append(f"top features for {code}: " + ", ".join(f"{n} {w:+.2f}" for n, w in feats))
    return "\n".join(lines)
