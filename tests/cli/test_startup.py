"""The command line starts without the classifier's libraries: scikit-learn, SciPy and spaCy cost
~0.8 s to import, and only the commands that load a model need them."""
from __future__ import annotations

import subprocess
import sys


def test_cli_parser_does_not_import_the_classifier_libraries():
    code = ("import sys; from feedback_nlp.cli import build_parser; build_parser().parse_args(['classify', "
            "'--input', 'x.jsonl']); print(sorted(m for m in ('sklearn', 'scipy', 'spacy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_classifier_package_names_resolve_on_use():
    code = ("import sys, feedback_nlp.classifiers as c; before = 'sklearn' in sys.modules; "
            "c.FeedbackClassifier; print(before, 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]
