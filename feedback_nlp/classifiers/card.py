"""The model card (``MODEL_CARD.md``) written next to every trained model.

Sections measured by other programs live in JSON files next to the model and are rendered
into the card whenever it is written, so a retrain never loses them: ``ablation.json``
(``feedback_nlp.classifiers.tuning``), ``speed.json`` (``benchmarks/bench_classify.py``),
``external.json`` (``benchmarks/eval_external.py``), ``rounds.json`` (``benchmarks/eval_rounds.py``),
``leave_round_out.json`` (``tuning --protocol rounds``) and ``new_rounds.json``
(``benchmarks/eval_new_round.py``).
Each records the model it was measured on.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from feedback_nlp.classifiers.report import TARGETS, format_layers

CARD = """# Model card: {name}-v{version}

Classifier of Russian client feedback about employment centers (ЦЗН) for the
customer-centricity index: relevance, the 18 indicators of METHODOLOGY.md with aspect-level
sentiment and evidence spans, whole-text tone and `general`. Protocol {protocol}.

## Data

* Corpus: `models/corpus/parts/*.jsonl`, {corpus_items} items, hash `{corpus_hash}`
  (corrections applied: {corrections}).
* Fixed split: {split}. Train {train_items}, test {test_items}. Thresholds and calibration are
  chosen by 3-fold cross-validation on the train split only (with `cv_groups`, folds that keep each
  corpus part — one author's texts — whole, so they are fitted on scores of unseen authors); the
  test split is only scored.
* Trained {trained_at}. Parameters: `{params}`.

## How it works

1. **Normalisation** (`classifiers/text.py`): regex tokens with character offsets (razdel's word
   atoms; razdel itself is too slow for the speed target), pymorphy3 lemmas behind a dict cache
   (a new form's lemma from its best parse alone, exactly as `parse(…)[0]`),
   clauses split at sentence ends, `;` and «но / а / однако / зато / хотя / правда», so
   «вежливо, но долго» gives two aspect contexts. Negation scope: the up to three words after
   «не / ни / нет / без / никак / нельзя …» up to punctuation («совсем не пришлось ждать» →
   *прийтись*, *ждать* negated).
2. **Rule layer** (`rules/indicators.yaml`, `rules/lexicon.yaml`, editable by methodologists in
   Russian): lemma phrases per indicator, defined by a spaCy `PhraseMatcher` (the reference
   engine; predictions walk the same phrases as a trie over a whole batch's lemma ids with numpy,
   tested equal on every corpus text), phrases with gaps of up to three words, relevance markers and hard
   negatives (МФЦ, СФР, налоговая, «занятость детей», кадровые агентства…), negation flips a rule's
   polarity, intensifiers weight the polarity lexicon, and sarcasm markers («ну спасибо», «браво»,
   «шедевр» …) turn the praise words of a text negative.
3. **Statistical layer** (`classifiers/features.py`, `calibrated.py`, `model.py`): every clause
   is featurised once — TF-IDF of lemmas, lemma bigrams inside the clause, negation-scoped lemmas
   (`n:ждать`), sarcastic praise as its own feature (`s:спасибо`), optional character n-grams
   (off: see the ablation) — plus the mean navec embedding (vectors from the natasha package).
   A document row is the sum of its clause rows, so are aspect contexts. Logistic regressions,
   Platt-calibrated on out-of-fold scores: relevance; one-vs-rest detection per indicator with an
   F1-optimal threshold from cross-validation on the train split; whole-text sentiment; `general`.
   The indicator and group detectors see their lemma/bigram columns scaled by naive-Bayes
   log-count ratios (NBSVM, Wang & Manning 2012; the scale is folded into the weights, so
   prediction stays one product), and an indicator's probability blends the document's with its
   best single clause's (weight {clause_blend}): one strong clause is not diluted by the rest of a
   long, multi-aspect text.
   Aspect polarity: one 3-class model on (indicator, context) pairs, context = the clauses where
   the indicator's rules fired plus the clause its detector scores highest, with the document row
   (weight {params[doc_weight]}), the indicator one-hot and the indicator crossed with 5 polarity cues of
   the context (own positive/negative rule hits, lexicon tone +/−, negation), balanced classes.
4. **Combination** (`classifiers/layers.py`): stacking — every rule hit, per-indicator counts of
   positive/negative rule hits and lexicon tone are extra columns of each linear model, so the
   model learns how far to trust each rule. Evidence is the matched rule phrases (`source` =
   `rule:<id>+model:logreg`), else the context tokens contributing most to the detector's score
   (`source` = `model:logreg`).

## Quality on the test split (each layer alone and together)

{layers}

For reference, feedback-ru-v1 (protocol 1) scored on the 613-item test split of the 2,785-item
corpus it was trained on: relevance 0.964, group micro 0.785, indicator micro 0.704 / macro 0.719,
aspect polarity 0.679 (the fixed id-hash split has since grown to the items above, so the figures
are not strictly comparable).

Targets are those of issue 4. "rules alone" uses no statistics (relevance from markers,
indicators from polar rules or topical rules in a toned clause, polarity from rules and lexicon;
it has no `general` and its tone is the lexicon's). Full per-indicator figures, group figures
and confusions between close indicators: `EVALUATION.md`. Generalisation to externally written
data: `EXTERNAL_EVAL.md`. Speed: `benchmarks/bench_classify.py`.

{rounds}

{new_rounds}

{ablation}

{leave_round_out}

{speed}

{external}

## Limitations

* Issue 4's targets on the test split — {targets}. The remaining errors are mostly between close
  indicators (`EVALUATION.md`) and second and third aspects of multi-aspect texts; the blind second
  annotation (`models/corpus/agreement/`) puts agreement between two annotators at about 0.88
  indicator micro-F1, so part of the gap is the task's own ambiguity.
* Speed (measured in the Speed section): the time goes to Python-level work per token (the tokenising
  expression, lemma and feature-id look-ups, rule-trie walks; pymorphy3 for unseen words) and per
  aspect (context, evidence), not to the linear algebra.

* The corpus is written by the project's engineers; sentiment on independently written text is
  markedly lower (see `EXTERNAL_EVAL.md`). Treat indicator figures on real feedback as unknown
  until a sample of real items is labelled.
* Sarcasm is caught by a short marker list and where the corpus taught it; «профессионализм на
  высоте» without a marker still reads as praise.
* Rule edits take effect after `feedback-nlp train` (the weights of rule features are learned).
"""


FIGURE_NAMES = {"relevance_f1": "relevance F1", "group_micro_f1": "group micro-F1",
                "indicator_micro_f1": "indicator micro-F1", "indicator_macro_f1": "indicator macro-F1",
                "aspect_polarity_macro_f1": "aspect polarity macro-F1", "sentiment_macro_f1": "text sentiment macro-F1"}


def read_json(path: Path) -> dict | None:
    """A JSON file next to the model, or None when absent or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _stale(meta: dict, section: dict) -> str:
    measured = section.get("model_trained_at")
    if measured and measured != meta.get("trained_at"):
        return f" (**measured on an earlier training of this model, {measured}; rerun to refresh**)"
    return ""


def format_ablation(meta: dict, ablation: dict | None) -> str:
    if not ablation:
        return "## Ablation\n\nNot measured yet (`python -m feedback_nlp.classifiers.tuning`)."
    figures = list(FIGURE_NAMES)
    lines = ["## Ablation (cross-validation on the train split only)", "",
             f"{ablation['folds']}-fold cross-validation on the train split (last run {ablation['measured_at']}); "
             "params are the changes from the defaults of the code at that time; the corpus grew while "
             "variants were compared, so each row names its number of train items. The test split is never "
             "used for these choices.", "",
             "| variant | params | train items | " + " | ".join(FIGURE_NAMES[f] for f in figures) + " | CV s |",
             "|---|---|---|" + "---|" * (len(figures) + 1)]
    for name, row in ablation["variants"].items():
        params = ", ".join(f"{k}={v}" for k, v in row["params"].items()) or "defaults"
        lines.append(f"| {name} | {params} | {row.get('items', ablation['items'])} | "
                     + " | ".join(f"{row['scores'][f]:.3f}" for f in figures) + f" | {row.get('seconds', 0):.0f} |")
    if ablation.get("notes"):
        lines += ["", ablation["notes"]]
    return "\n".join(lines)


LRO_FIGURES = ("group_micro_f1", "indicator_micro_f1", "indicator_macro_f1", "aspect_polarity_macro_f1",
               "relevance_f1")


def format_leave_round_out(lro: dict | None) -> str:
    """``leave_round_out.json`` (``tuning --protocol rounds``): group micro-F1 on each held-out round
    and the mean of every headline figure over the rounds, one row per variant."""
    if not lro:
        return ("## Leave-round-out (train split)\n\nNot measured yet "
                "(`python -m feedback_nlp.classifiers.tuning --protocol rounds --variants …`).")
    rounds = list(lro["files"])
    lines = ["## Leave-round-out (train split only)", "",
             f"Each authoring round's train items are scored by a model fitted on the train items of the other "
             f"rounds ({', '.join(rounds)}; last run {lro['measured_at']}), so every figure is on text by authors "
             "the model never saw — the corpus's nearest stand-in for independently written feedback, and how "
             "the shipped defaults were chosen since session 4. The test split is never used.", "",
             "| variant | params | train items | " + " | ".join(f"group micro-F1 on {r}" for r in rounds) + " | "
             + " | ".join(f"mean {FIGURE_NAMES[f]}" for f in LRO_FIGURES) + " |",
             "|---|---|---|" + "---|" * (len(rounds) + len(LRO_FIGURES))]
    for name, row in lro["variants"].items():
        params = ", ".join(f"{k}={v}" for k, v in row["params"].items()) or "defaults"
        per_round = [row["rounds"].get(r, {}).get("group_micro_f1") for r in rounds]
        lines.append(f"| {name} | {params} | {row['items']:,} | "
                     + " | ".join("–" if v is None else f"{v:.3f}" for v in per_round) + " | "
                     + " | ".join(f"{row['rounds']['mean'][f]:.3f}" for f in LRO_FIGURES) + " |")
    if lro.get("notes"):
        lines += ["", lro["notes"]]
    return "\n".join(lines)


def format_speed(meta: dict, speed: dict | None) -> str:
    if not speed:
        return "## Speed\n\nNot measured yet (`python benchmarks/bench_classify.py`)."
    verdict = "met" if speed["texts_per_s"] >= 5000 and speed["peak_mb"] < 1500 else "**missed**"
    return (f"## Speed (`{speed['command']}`, {speed['measured_at']}){_stale(meta, speed)}\n\n"
            f"{speed['texts_per_s']:,.0f} texts/s single process on {speed['texts']:,} texts of 300 characters "
            f"with evidence ({speed['cpu_texts_per_s']:,.0f} texts/s by CPU time of the process; after "
            f"`gc.freeze()`, as the API runs: {speed.get('frozen_texts_per_s', 0):,.0f} texts/s, "
            f"{speed.get('frozen_cpu_texts_per_s', 0):,.0f} by CPU time); natasha "
            f"morphology + NER {speed['natasha_texts_per_s']:,.1f} texts/s in the same run, ratio "
            f"{speed['ratio']:.0f}×; peak memory {speed['peak_mb']:,.0f} MB; model load {speed['load_s']:.2f} s. "
            f"{_compared(speed)}Target ≥ 5,000 texts/s and < 1,500 MB: {verdict}. Machine: {speed['cpus']} CPUs, load average "
            f"{speed['load_before']} before and {speed['load_after']} after the run (shared with other jobs; "
            "wall-clock figures are pessimistic when the load exceeds the CPU count).")


def _compared(speed: dict) -> str:
    other = speed.get("compared")
    if not other:
        return ""
    return (f"In the same run, on the same texts, {other['model']} did {other['frozen_texts_per_s']:,} texts/s after "
            f"`gc.freeze()` (this model: {speed.get('frozen_texts_per_s', 0):,}). ")


def format_external(meta: dict, external: dict | None) -> str:
    if not external:
        return "## External data\n\nNot measured yet (`python benchmarks/eval_external.py`)."
    lines = [f"## External data (`{external['command']}`, {external['measured_at']}){_stale(meta, external)}", "",
             "Whole-text sentiment macro-F1 on externally written, externally labelled data (evaluation only), "
             "next to a TF-IDF + LogisticRegression baseline trained on the same train split; details in "
             "`EXTERNAL_EVAL.md`.", "",
             "| data set | n | feedback-nlp | baseline |", "|---|---|---|---|"]
    for row in external["rows"]:
        lines.append(f"| {row['name']} | {row['n']} | {row['ours']:.3f} | {row['baseline']:.3f} |")
    return "\n".join(lines)


ROUND_FIGURES = ("relevance_f1", "group_micro_f1", "indicator_micro_f1", "indicator_macro_f1",
                 "aspect_polarity_macro_f1")


def format_rounds_table(rounds: dict[str, dict]) -> str:
    """The Markdown table of ``rounds.json``'s ``rounds``: one row per authoring round and ``all``."""
    lines = ["| round | test items | " + " | ".join(FIGURE_NAMES[f] for f in ROUND_FIGURES) + " |",
             "|---|---|" + "---|" * len(ROUND_FIGURES)]
    for name, row in rounds.items():
        lines.append(f"| {name} | {row['test_items']:,} | " + " | ".join(f"{row[f]:.3f}" for f in ROUND_FIGURES) + " |")
    return "\n".join(lines)


def format_rounds(meta: dict, rounds: dict | None) -> str:
    if not rounds:
        return "## Test split by authoring round\n\nNot measured yet (`python benchmarks/eval_rounds.py`)."
    return "\n".join([
        f"## Test split by authoring round (`{rounds['command']}`, {rounds['measured_at']}){_stale(meta, rounds)}", "",
        "The split is by id hash, so it grows with every corpus round while earlier rounds' test items never "
        "change; later rounds were written by new authoring agents in a different style, so the per-round rows "
        "show how the model does on text written by authors it saw less of.", "",
        format_rounds_table(rounds["rounds"])])


def format_new_rounds(data: dict | None) -> str:
    """``new_rounds.json`` (``benchmarks/eval_new_round.py``): earlier models on whole authoring rounds
    written after they were trained."""
    if not data or not data.get("rows"):
        return ("## Earlier models on later authoring rounds\n\nNot measured yet "
                "(`python benchmarks/eval_new_round.py --rev REV --files GLOB`).")
    lines = [f"## Earlier models on later authoring rounds (`{data['command']}`, {data['measured_at']})", "",
             "Each row is a model as committed at a git revision, scored on every item (both splits) of corpus "
             "parts that did not exist at that revision — texts by new authors it never saw a line of. This is "
             "the nearest the project gets to independently written, labelled feedback.", "",
             "| model (git) | trained on | parts | items | " + " | ".join(FIGURE_NAMES[f] for f in ROUND_FIGURES) + " |",
             "|---|---|---|---|" + "---|" * len(ROUND_FIGURES)]
    for row in data["rows"]:
        files = ", ".join(f"`{f}`" for f in row["files"])
        trained = f"{row['trained_on_items']:,} items" if row.get("trained_on_items") else "?"
        lines.append(f"| {row['model']} ({row['rev']}) | {trained} | {files} | "
                     f"{row['all']['items']:,} | " + " | ".join(f"{row['all'][f]:.3f}" for f in ROUND_FIGURES) + " |")
    return "\n".join(lines)


def write_card(path: Path, meta: dict, layer_results: dict[str, dict] | None = None) -> Path:
    """Write ``MODEL_CARD.md`` for a model directory (layer results default to ``meta['layers']``)."""
    path = Path(path)
    card = path / "MODEL_CARD.md"
    layers = format_layers(layer_results) if layer_results else format_meta_layers(meta)
    card.write_text(CARD.format(**{
        **meta, "layers": layers, "clause_blend": meta.get("params", {}).get("clause_blend", 0.0), "targets": format_targets(meta.get("metrics", {})),
        "ablation": format_ablation(meta, read_json(path / "ablation.json")),
        "speed": format_speed(meta, read_json(path / "speed.json")),
        "external": format_external(meta, read_json(path / "external.json")),
        "rounds": format_rounds(meta, read_json(path / "rounds.json")),
        "leave_round_out": format_leave_round_out(read_json(path / "leave_round_out.json")),
        "new_rounds": format_new_rounds(read_json(path / "new_rounds.json")),
    }), encoding="utf-8")
    return card


def format_targets(metrics: dict) -> str:
    """"met: …; missed: …" for the five target figures of the shipped model."""
    met, missed = [], []
    for key, target in TARGETS.items():
        value = metrics.get(KEYS[key])
        if value is not None:
            (met if value >= target else missed).append(f"{key} {value:.3f} (≥ {target})")
    return f"met: {', '.join(met) or 'none'}; missed: {', '.join(missed) or 'none'}"


KEYS = {"relevance F1": "relevance_f1", "group micro-F1": "group_micro_f1", "indicator micro-F1": "indicator_micro_f1",
        "indicator macro-F1": "indicator_macro_f1", "aspect polarity macro-F1": "aspect_polarity_macro_f1"}


def format_meta_layers(meta: dict) -> str:
    """The layer table (as ``report.format_layers`` writes it) from the summaries in ``meta.json``."""
    layers = meta.get("layers") or {"shipped": meta.get("metrics", {})}
    names = list(layers)
    targets = {KEYS[k]: v for k, v in TARGETS.items()}
    rows = [*FIGURE_NAMES.items(), ("ece_relevance", "ECE relevance"), ("ece_aspects", "ECE aspects")]
    lines = ["| figure | target | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for key, label in rows:
        target = f"≥ {targets[key]}" if key in targets else ""
        lines.append(f"| {label} | {target} | "
                     + " | ".join(f"{layers[n].get(key, float('nan')):.3f}" for n in names) + " |")
    return "\n".join(lines)


def record_measurement(model_dir: Path, file_name: str, meta: dict, command: str, **fields) -> Path:
    """Write a benchmark's ``file_name`` (JSON: command, time, the model it measured, ``fields``)
    into the model directory and re-render the card, so the card never shows hand-typed figures."""
    data = {"command": command, "measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "model_trained_at": meta.get("trained_at"), **fields}
    (Path(model_dir) / file_name).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return write_card(Path(model_dir), meta)
