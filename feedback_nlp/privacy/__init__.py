"""Personal-data protection (152-ФЗ): redaction before storage and salted author hashes."""
from __future__ import annotations

from feedback_nlp.privacy.authors import hash_author, new_salt
from feedback_nlp.privacy.redact import Redacted, Redactor, redact_patterns
from feedback_nlp.privacy.spans import PII_TYPES, PLACEHOLDERS, PiiSpan

__all__ = ["PII_TYPES", "PLACEHOLDERS", "PiiSpan", "Redacted", "Redactor", "hash_author",
           "new_salt", "redact_patterns"]
