"""Checks of one collected item before it enters the pipeline (pure functions)."""
from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from feedback_nlp.codes import SOURCE_KINDS
from feedback_nlp.privacy import redact_patterns
from feedback_nlp.schema import Feedback

MAX_CHARS = 20_000           # longer texts are truncated and flagged "truncated"
JUNK_SHARE = 0.05            # share of control/replacement characters that makes text junk
MOSCOW = ZoneInfo("Europe/Moscow")
JUNK_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffd]")

TAG_RE = re.compile(r"<(?:/?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?|!--.*?--)>", re.S)
# metadata keys that carry raw personal data: dropped before storage
PII_METADATA_KEYS = frozenset({
    "author", "author_id", "author_name", "from", "from_id", "from_name", "sender", "phone",
    "email", "name", "first_name", "last_name", "user_id", "user", "username_author",
    "signer_id", "fio", "client_name", "client_phone", "operator_name", "to", "cc", "reply_to",
})
AUTHOR_KEYS = ("author_id", "from_id", "author", "sender", "user_id", "from", "signer_id")


def is_junk(text: str) -> bool:
    """Binary or undecodable content: too many control or U+FFFD characters."""
    if "\x00" in text:
        return True
    if JUNK_RE.search(text) is None:
        return False
    bad = len(JUNK_RE.findall(text))
    return bad > max(2, JUNK_SHARE * len(text))


def strip_html(text: str) -> str:
    """Text without tags and with entities decoded (only when it looks like HTML)."""
    if "<" not in text or TAG_RE.search(text) is None:
        return text
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", text)
    return html.unescape(TAG_RE.sub("", text)).strip()


def check_item(item: Feedback, max_chars: int = MAX_CHARS) -> tuple[Feedback | None, str]:
    """The item ready for the pipeline, or ``(None, reason)`` when it must be rejected."""
    if item.source_kind not in SOURCE_KINDS:
        return None, f"unknown source_kind {item.source_kind!r}"
    if not item.source or not str(item.external_id):
        return None, "missing source or external_id"
    text = item.text if isinstance(item.text, str) else ""
    if is_junk(text):
        return None, "binary or undecodable content"
    flags = list(item.flags)
    stripped = strip_html(text)
    if stripped != text:
        flags.append("html_stripped")
    text = stripped.strip()
    if not text:
        return None, "empty text"
    if len(text) > max_chars:
        text = text[:max_chars]
        flags.append("truncated")
    created = item.created_at
    if isinstance(created, datetime) and created.tzinfo is None:
        created = created.replace(tzinfo=MOSCOW)
        flags.append("moscow_time_assumed")
    elif created is not None and not isinstance(created, datetime):
        created = None
        flags.append("bad_created_at")
    flags_out = tuple(dict.fromkeys(flags))
    if text is item.text and created is item.created_at and flags_out == item.flags \
            and type(item.external_id) is str:
        return item, ""  # the common case: nothing to change (``replace`` costs ~10 µs)
    return replace(item, text=text, created_at=created, flags=flags_out,
                   external_id=str(item.external_id)), ""


def author_key(item: Feedback) -> str | None:
    """The raw author id a collector handed over (``author_hash`` or a metadata key)."""
    if item.author_hash:
        return str(item.author_hash)
    for key in AUTHOR_KEYS:
        value = item.metadata.get(key)
        if value not in (None, ""):
            return str(value)
    return None


def clean_metadata(metadata: dict[str, Any], redact: bool) -> dict[str, Any]:
    """Metadata without personal-data keys; string values pattern-redacted."""
    clean: dict[str, Any] = {}
    for key, value in metadata.items():
        if key.lower() in PII_METADATA_KEYS:
            continue
        if redact and isinstance(value, str):
            value = redact_patterns(value)
        elif isinstance(value, dict):
            value = clean_metadata(value, redact)
        clean[key] = value
    return clean
