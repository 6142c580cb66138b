"""Whole-text sentiment on externally written Russian data (evaluation only, never training).

    python benchmarks/eval_external.py [--model models/feedback-ru-v1] [--data ../shared/data/external] [--n 800]

Per data set: macro-F1 over −1/0/+1 of our model's whole-text ``polarity`` and of a plain
TF-IDF + LogisticRegression baseline trained on the same corpus train split with the same
labels. Writes ``EXTERNAL_EVAL.md`` and ``external.json`` into the model directory and re-renders
its model card (the External section).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feedback_nlp.classifiers.artifact import DEFAULT_MODEL, load_model, read_meta  # noqa: E402
from feedback_nlp.classifiers.card import record_measurement  # noqa: E402
from feedback_nlp.classifiers.corpus import read_items, split_items  # noqa: E402
from feedback_nlp.classifiers.layers import sentiment_label  # noqa: E402
from feedback_nlp.classifiers.metrics import macro_f1  # noqa: E402

RUSENT = {"positive": 1, "negative": -1, "neutral": 0}


def load_sets(data: Path) -> dict[str, pd.DataFrame]:
    """Each data set as a frame with ``text`` and ``y`` in {−1, 0, 1}."""
    sets = {}
    df = pd.read_csv(data / "rusentiment" / "rusentiment_test.csv")
    sets["rusentiment (VK posts, test)"] = df.assign(y=df.label.map(RUSENT)).dropna(subset=["y"])
    df = pd.read_csv(data / "rusentitweet" / "rusentitweet_test.csv")
    sets["rusentitweet (tweets, test)"] = df.assign(y=df.label.map(RUSENT)).dropna(subset=["y"])
    df = pd.read_csv(data / "sentirueval_tweets" / "sentirueval_tweets_entity_level.csv")
    df = df[df.split.astype(str).str.contains("test") & df.label.astype(str).isin(["-1", "0", "1"])]
    df = df.drop_duplicates("text")
    sets["sentirueval tweets (banks/telecom, test)"] = df.assign(y=df.label.astype(int))
    df = pd.read_csv(data / "romip2012_news" / "romip2012_news_quotes.csv")
    df = df[(df.split == "test") & df.label.isin(["+", "-", "0"])]
    sets["romip2012 news quotes (test)"] = df.assign(y=df.label.map({"+": 1, "-": -1, "0": 0}))
    df = pd.read_csv(data / "sentirueval2015_aspect" / "reviews_category_sentiment.csv")
    df = df[(df.domain.str.startswith("rest")) & df.label_Service.isin(list(RUSENT))]
    sets["sentirueval2015 restaurant reviews, Service"] = df.assign(y=df.label_Service.map(RUSENT))
    df = pd.read_csv(data / "rusentne2023" / "validation_data_labeled.tsv", sep="\t")
    df = df.rename(columns={"sentence": "text"}).drop_duplicates("text")
    sets["rusentne2023 news sentences (validation)"] = df.assign(y=df.label.astype(int))
    return {name: frame[["text", "y"]].astype({"y": int}) for name, frame in sets.items()}


def baseline(train) -> object:
    """Plain TF-IDF + LogisticRegression on the corpus train split's whole-text tone."""
    rows = [(i.text, sentiment_label(i.relevant, i.labels, i.general)) for i in train]
    rows = [(t, y) for t, y in rows if y is not None]
    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                          LogisticRegression(C=4.0, max_iter=2000))
    return model.fit([t for t, _ in rows], [y for _, y in rows])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / DEFAULT_MODEL)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "external")
    parser.add_argument("--n", type=int, default=800, help="sample size per data set")
    args = parser.parse_args(argv)
    model = load_model(args.model)
    items, _ = read_items(ROOT / "models" / "corpus" / "parts")
    base = baseline(split_items(items)[0])
    lines = [f"# External evaluation of {model.label}: whole-text sentiment", "",
             "Externally written, externally labelled data (`../shared/data/external`, evaluation only; "
             "nothing here was used for training or tuning). Macro-F1 over −1/0/+1; samples of at most "
             f"{args.n} texts per set (random_state=0). Baseline: TF-IDF (word 1–2-grams) + "
             "LogisticRegression trained on the same corpus train split with the same tone labels.", "",
             "| data set | n | feedback-nlp | TF-IDF+LogReg baseline | majority-class share |", "|---|---|---|---|---|"]
    rows = []
    for name, frame in load_sets(args.data).items():
        frame = frame.sample(min(args.n, len(frame)), random_state=0)
        texts, gold = frame.text.astype(str).tolist(), frame.y.tolist()
        ours = [p.polarity for p in model.map(texts)]
        theirs = [int(v) for v in base.predict(texts)]
        majority = frame.y.value_counts(normalize=True).iloc[0]
        row = f"| {name} | {len(frame)} | {macro_f1(gold, ours):.3f} | {macro_f1(gold, theirs):.3f} | {majority:.2f} |"
        print(row, flush=True)
        lines.append(row)
        rows.append({"name": name, "n": len(frame), "ours": macro_f1(gold, ours), "baseline": macro_f1(gold, theirs),
                     "majority_share": round(float(majority), 3)})
    lines += ["", "Mapping: RuSentiment/RuSentiTweet positive/negative/neutral (speech and skip dropped); "
              "SentiRuEval tweets −1/0/1 per entity (first row per tweet); ROMIP +/−/0 (mixed dropped); "
              "SentiRuEval-2015 restaurant `label_Service` positive/negative/neutral; RuSentNE entity "
              "label taken as the sentence's tone (an approximation).", ""]
    (Path(args.model) / "EXTERNAL_EVAL.md").write_text("\n".join(lines), encoding="utf-8")
    meta = read_meta(args.model)
    record_measurement(Path(args.model), "external.json", meta, f"python benchmarks/eval_external.py --n {args.n}",
                       rows=rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
