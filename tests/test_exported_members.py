"""The public surface of ``feedback_nlp`` is exactly ``__all__``, and every name in it exists."""
from __future__ import annotations

import __future__

import feedback_nlp


def test_exported_members_exist_and_are_public():
    for name in feedback_nlp.__all__:
        assert hasattr(feedback_nlp, name), name
    public = {n for n in dir(feedback_nlp)
              if not n.startswith("_")
              and not isinstance(getattr(feedback_nlp, n), (type(feedback_nlp), __future__._Feature))}
    assert public == set(feedback_nlp.__all__) - {"__version__"}
