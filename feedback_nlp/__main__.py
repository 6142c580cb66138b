"""``python -m feedback_nlp`` runs the command line."""
import sys

from feedback_nlp.cli import main

sys.exit(main())
