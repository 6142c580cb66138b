"""The model card (``MODEL_CARD.md``) written next to every trained model."""
from __future__ import annotations

from pathlib import Path

from feedback_nlp.classifiers.report import format_layers

CARD = """# Model card: {name}-v{version}

Classifier of Russian client feedback about employment centers (ЦЗН) for the
customer-centricity index: relevance, the 18 indicators of METHODOLOGY.md with aspect-level
sentiment and evidence spans, whole-text tone and `general`. Protocol {protocol}.

## Data

* Corpus: `models/corpus/parts/*.jsonl`, {corpus_items} items, hash `{corpus_hash}`
  (corrections applied: {corrections}).
* Fixed split: {split}. Train {train_items}, test {test_items}. Thresholds and calibration are
  chosen by 3-fold cross-validation on the train split only; the test split is only scored.
* Trained {trained_at}. Parameters: `{params}`.

## How it works

1. **Normalisation** (`classifiers/text.py`): regex tokens with character offsets (razdel's word
   atoms; razdel itself is too slow for the speed target), pymorphy3 lemmas behind an LRU cache,
   clauses split at sentence ends, `;` and «но / а / однако / зато / хотя / правда», so
   «вежливо, но долго» gives two aspect contexts.
2. **Rule layer** (`rules/indicators.yaml`, `rules/lexicon.yaml`, editable by methodologists in
   Russian): lemma phrases per indicator on spaCy's `PhraseMatcher` (plus a `Matcher` for
   phrases with gaps), relevance markers and hard negatives (МФЦ, СФР, налоговая, «занятость
   детей», кадровые агентства…), negation («не», «ни», «нет», «без» right before, or before an
   intensifier) flips a rule's polarity, intensifiers weight the project's polarity lexicon.
3. **Statistical layer** (`classifiers/features.py`, `calibrated.py`): logistic regressions on
   TF-IDF of lemmas, lemma bigrams and character 3–5-grams plus the mean navec embedding
   (vectors from the natasha package), Platt-calibrated on out-of-fold scores:
   relevance; one-vs-rest detection per indicator with an F1-optimal threshold from
   cross-validation; aspect polarity on the aspect's clause context; whole-text sentiment;
   `general`.
4. **Combination** (`classifiers/layers.py`): stacking — every rule hit, per-indicator counts of
   positive/negative rule hits and lexicon tone are extra columns of each linear model, so the
   model learns how far to trust each rule. The aspect's context is the clause(s) where its
   rules fired, else the clause carrying most of the indicator model's score. Evidence is the
   matched rule phrases (`source` = `rule:<id>+model:logreg`), else the top-contributing tokens
   (`source` = `model:logreg`).

## Quality on the test split (each layer alone and together)

{layers}

Targets are those of issue 4. "rules alone" uses no statistics (relevance from markers,
indicators from polar rules or topical rules in a toned clause, polarity from rules and lexicon;
it has no `general` and its tone is the lexicon's). Full per-indicator figures, group figures
and confusions between close indicators: `EVALUATION.md`. Generalisation to externally written
data: `EXTERNAL_EVAL.md`. Speed: `benchmarks/bench_classify.py`.

## Limitations

* The corpus is written by the project's engineers; sentiment on independently written text is
  markedly lower (see `EXTERNAL_EVAL.md`). Treat indicator figures on real feedback as unknown
  until a sample of real items is labelled.
* Sarcasm is caught only where the corpus taught it; rules read «профессионализм на высоте» as
  praise.
* Rule edits take effect after `feedback-nlp train` (the weights of rule features are learned).
"""


def write_card(path: Path, meta: dict, layer_results: dict[str, dict]) -> Path:
    """Write ``MODEL_CARD.md`` for a model directory."""
    card = path / "MODEL_CARD.md"
    card.write_text(CARD.format(**{**meta, "layers": format_layers(layer_results)}), encoding="utf-8")
    return card
