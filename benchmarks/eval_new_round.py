"""An earlier model on a whole authoring round written after it was trained.

    python benchmarks/eval_new_round.py --rev 5e3955f --files 's6_*.jsonl' [--parts models/corpus/parts] [--no-write]

The model committed at git revision ``--rev`` (``models/feedback-ru-v1``) is restored into a
temporary directory and scored on every item (train and test split alike) of the corpus parts
matching ``--files``. The script refuses to run when any matching part already existed at that
revision — so the model cannot have seen a single item of them: new authors, new texts, the same
guide. That is the nearest the project gets to independently written feedback with labels, and
unlike the test split it is never mixed with the model's own authors. Results accumulate in
``new_rounds.json`` of the shipped model (one row per model × files) and its model card.
"""
from __future__ import annotations

import argparse
import fnmatch
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feedback_nlp.classifiers.artifact import DEFAULT_MODEL, read_meta, timed_load  # noqa: E402
from feedback_nlp.classifiers.card import ROUND_FIGURES, read_json, record_measurement  # noqa: E402
from feedback_nlp.classifiers.corpus import corpus_files, is_test, load_corpus  # noqa: E402
from feedback_nlp.classifiers.training import evaluate_model  # noqa: E402
from feedback_nlp.classifiers.tuning import summarise  # noqa: E402

MODEL_PATH = f"models/{DEFAULT_MODEL}"
PARTS_PATH = "models/corpus/parts"


def git(*args: str) -> bytes:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True).stdout


def parts_at(rev: str) -> list[str]:
    """File names of the corpus parts committed at ``rev``."""
    names = git("ls-tree", "--name-only", rev, PARTS_PATH + "/").decode().split()
    return [Path(n).name for n in names]


def restore_model(rev: str, target: Path) -> Path:
    """The model directory as committed at ``rev``, written under ``target``."""
    for name in git("ls-tree", "-r", "--name-only", rev, MODEL_PATH + "/").decode().split():
        out = target / Path(name).relative_to(MODEL_PATH)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(git("show", f"{rev}:{name}"))
    return target


def figures(model, items) -> dict:
    s = summarise(evaluate_model(model, items))
    return {"items": len(items), **{k: round(s[k], 4) for k in ROUND_FIGURES}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", required=True, help="git revision whose committed model is scored")
    parser.add_argument("--files", required=True, help="glob of corpus part names, e.g. 's6_*.jsonl'")
    parser.add_argument("--parts", type=Path, default=ROOT / PARTS_PATH)
    parser.add_argument("--model", type=Path, default=ROOT / MODEL_PATH, help="where new_rounds.json is written")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    files = [f for f in corpus_files(args.parts) if fnmatch.fnmatch(f.name, args.files)]
    if not files:
        parser.error(f"--files {args.files!r}: no corpus part in {args.parts} matches")
    seen = sorted(set(parts_at(args.rev)) & {f.name for f in files})
    if seen:
        parser.error(f"the model at {args.rev} may have been trained on {', '.join(seen)} (committed there)")
    items = [i for f in files for i in load_corpus(f)]
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = restore_model(args.rev, Path(tmp))
        model, _ = timed_load(model_dir)
        trained_items = read_meta(model_dir).get("corpus_items")
        result = {"model": model.label, "rev": args.rev, "trained_on_items": trained_items,
                  "command": f"python benchmarks/eval_new_round.py --rev {args.rev} --files '{args.files}'",
                  "files": [f.name for f in files], "all": figures(model, items),
                  "test_split": figures(model, [i for i in items if is_test(i.id)])}
    print(f"{model.label} (git {args.rev}, trained on {trained_items} items) on {len(items)} items of "
          f"{', '.join(result['files'])}, none seen in training:")
    for key in ("all", "test_split"):
        row = result[key]
        print(f"  {key}: {row['items']} items, " + ", ".join(f"{k} {row[k]:.3f}" for k in ROUND_FIGURES))
    if not args.no_write:
        previous = read_json(args.model / "new_rounds.json") or {}
        rows = [r for r in previous.get("rows", []) if (r["model"], r["files"]) != (result["model"], result["files"])]
        record_measurement(args.model, "new_rounds.json", read_meta(args.model),
                           "python benchmarks/eval_new_round.py --rev REV --files GLOB", rows=[*rows, result])
    return 0


if __name__ == "__main__":
    sys.exit(main())
