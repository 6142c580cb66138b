"""Markdown rendering of evaluation figures (evaluation report and model card tables)."""
from __future__ import annotations

from feedback_nlp.codes import INDICATOR_NAMES

TARGETS = {"relevance F1": 0.93, "group micro-F1": 0.88, "indicator micro-F1": 0.82,
           "indicator macro-F1": 0.75, "aspect polarity macro-F1": 0.80}


def headline(m: dict) -> dict[str, float]:
    """The five target figures of issue 4."""
    return {"relevance F1": m["relevance"]["f1"], "group micro-F1": m["groups"]["micro_f1"],
            "indicator micro-F1": m["indicators"]["micro_f1"], "indicator macro-F1": m["indicators"]["macro_f1"],
            "aspect polarity macro-F1": m["aspect_polarity_macro_f1"]}


def format_layers(results: dict[str, dict]) -> str:
    """Table: one column per layer variant, one row per headline figure."""
    names = list(results)
    lines = ["| figure | target | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    rows = {n: headline(m) for n, m in results.items()}
    extra = {n: {"whole-text sentiment macro-F1": m["sentiment_macro_f1"], "ECE relevance": m["ece_relevance"],
                 "ECE aspects": m["ece_aspects"]} for n, m in results.items()}
    for key, target in TARGETS.items():
        lines.append(f"| {key} | ≥ {target} | " + " | ".join(f"{rows[n][key]:.3f}" for n in names) + " |")
    for key in extra[names[0]]:
        lines.append(f"| {key} | | " + " | ".join(f"{extra[n][key]:.3f}" for n in names) + " |")
    return "\n".join(lines)


def format_report(m: dict, title: str = "Evaluation report") -> str:
    """The full Markdown report of one evaluation."""
    out = [f"# {title}", "", f"Items: {m['items']}", "", "## Headline figures", "",
           "| figure | value | target |", "|---|---|---|"]
    for key, value in headline(m).items():
        ok = "✅" if value >= TARGETS[key] else "❌"
        out.append(f"| {key} | {value:.3f} | ≥ {TARGETS[key]} {ok} |")
    out += [f"| whole-text sentiment macro-F1 | {m['sentiment_macro_f1']:.3f} | |",
            f"| general accuracy (relevant items) | {m['general_accuracy']:.3f} | |",
            f"| ECE relevance / aspects | {m['ece_relevance']:.3f} / {m['ece_aspects']:.3f} | |",
            f"| evidence spans valid | {m['evidence_valid']} / {m['evidence_spans']} | all |",
            "", f"Relevance: P {m['relevance']['precision']:.3f}, R {m['relevance']['recall']:.3f}, "
            f"F1 {m['relevance']['f1']:.3f} (support {m['relevance']['support']}).",
            f"Aspect polarity is scored on the {m['aspect_polarity_pairs']} gold aspects the model detected.",
            "", "## Indicators", "", "| code | name | P | R | F1 | support |", "|---|---|---|---|---|---|"]
    for code, s in m["per_indicator"].items():
        out.append(f"| {code} | {INDICATOR_NAMES[code]} | {s['precision']:.3f} | {s['recall']:.3f} | "
                   f"{s['f1']:.3f} | {s['support']} |")
    out += ["", "## Groups", "", "| group | P | R | F1 | support |", "|---|---|---|---|---|"]
    for code, s in m["per_group"].items():
        out.append(f"| {code} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    out += ["", "## Confusion between close indicators", "",
            "Items where the gold indicator (left) was missed while the other (right) was predicted.", "",
            "| gold → predicted | items |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in m["close_confusions"].items() if v]
    out += ["", "Most frequent missed → spurious pairs overall:", ""]
    out += [f"- {k}: {v}" for k, v in m["top_confusions"].items()]
    if "corrections" in m:
        c = m["corrections"]
        out += ["", "## Agreement with corrections", "",
                f"{c['corrections']} corrections: relevance {c['relevance_agreement']:.3f}, indicator set "
                f"{c['indicator_set_agreement']:.3f}, labels with polarity {c['label_agreement']:.3f}, "
                f"general {c['general_agreement']:.3f}."]
    return "\n".join(out) + "\n"
