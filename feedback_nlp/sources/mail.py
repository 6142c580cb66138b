"""E-mail: ``.eml`` files and mbox mailboxes (stdlib ``email``); registered as ``email``.

The text is the plain-text body (else the HTML one, stripped), decoded from its charset
(koi8-r, cp1251 …), with quoted replies and signatures cut; the subject goes to metadata.
"""
from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator, Sequence
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject, register_source
from feedback_nlp.sources.dates import MOSCOW
from feedback_nlp.sources.files import SNIFF_BYTES, is_binary, iter_files
from feedback_nlp.sources.text import clean_text, strip_html

MAIL_SUFFIXES = (".eml", ".mbox", ".mbx")
# A line where the quoted earlier message starts: everything from it on is dropped.
_QUOTE_START = re.compile(
    r"^\s*(-{2,}\s*(original message|исходное сообщение|пересылаемое сообщение|forwarded message)\s*-{2,}"
    r"|.*\b(wrote|пишет|написал|написала|написал\(а\)):\s*$"
    r"|(from|от)\s*:.*@.*$)",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^--\s*$")


def strip_quoted(text: str) -> str:
    """The new part of a reply: quoted lines (``> …``), the quoted message and signature dropped."""
    kept = []
    for line in text.splitlines():
        if _QUOTE_START.match(line) or _SIGNATURE.match(line):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return clean_text("\n".join(kept))


def parse_message(raw: bytes, file: str, line: int | None = None) -> Feedback | Reject:
    """One message as a record; ``line`` is where it starts in a mailbox (None for ``.eml``)."""
    if is_binary(raw[:SNIFF_BYTES]):
        return Reject(file, line, "binary file, not an e-mail message")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not message.keys():
        return Reject(file, line, "not an e-mail message (no headers)")
    assert isinstance(message, EmailMessage)
    text = strip_quoted(message_text(message))
    if not text:
        return Reject(file, line, "empty text")
    name = Path(file).name
    ident = str(message.get("message-id", "") or "").strip().strip("<>")
    metadata: dict[str, object] = {}
    subject = " ".join(str(message.get("subject", "") or "").split())
    if subject:
        metadata["subject"] = subject
    address = parseaddr(str(message.get("from", "") or ""))[1].lower()
    if address:
        metadata["author_id"] = address
    return Feedback(
        source_kind="email", source=f"email:{name}", external_id=ident or (f"{name}:{line}" if line else name),
        text=text, created_at=message_date(message), metadata=metadata,
    )


def message_text(message: EmailMessage) -> str:
    """The body as plain text: text/plain preferred, HTML stripped, any charset decoded."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, KeyError):   # unknown or lying charset
        payload = part.get_payload(decode=True) or b""
        content = _decode_fallback(payload if isinstance(payload, bytes) else str(payload).encode())
    if not isinstance(content, str):
        return ""
    return strip_html(content) if part.get_content_subtype() == "html" else clean_text(content)


def _decode_fallback(payload: bytes) -> str:
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1251", errors="replace")


def message_date(message: EmailMessage):  # -> datetime | None
    """The ``Date`` header as an aware datetime (no zone: Moscow time); None if absent or bad."""
    value = str(message.get("date", "") or "")
    try:
        date = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    return date if date is None or date.tzinfo else date.replace(tzinfo=MOSCOW)


def iter_mbox(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line where it starts, bytes) of each message of an mbox file, read as a stream."""
    with path.open("rb") as handle:
        start, lines, previous_blank = 0, [], True
        for number, line in enumerate(handle, start=1):
            if line.startswith(b"From ") and previous_blank:
                if lines:
                    yield start, b"".join(lines)
                start, lines = number, []
            else:
                # mboxrd escapes body lines starting with "From " as ">From "
                lines.append(line[1:] if re.match(rb"^>+From ", line) else line)
            previous_blank = not line.strip()
        if lines:
            yield start, b"".join(lines)


@register_source("email")
class EmailSource:
    """``.eml`` messages and mbox mailboxes (a directory: its ``.eml``/``.mbox`` files)."""

    name = "email"
    version = "1"
    source_kind = "email"

    def iter_items(self, paths: Sequence[Path]) -> Iterator[Feedback | Reject]:
        for path in iter_files(paths, MAIL_SUFFIXES):
            try:
                with path.open("rb") as handle:
                    head = handle.read(5)
                if path.suffix.lower() in (".mbox", ".mbx") or head == b"From ":
                    for line, raw in iter_mbox(path):
                        yield parse_message(raw, str(path), line)
                else:
                    yield parse_message(path.read_bytes(), str(path))
            except OSError as error:
                yield Reject(str(path), None, f"cannot read file: {error.strerror or error}")
