"""Telegram Desktop export (``result.json`` of a channel or chat, or of the whole account)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject, register_source
from feedback_nlp.sources.dates import from_unix, parse_datetime
from feedback_nlp.sources.files import iter_files, load_json
from feedback_nlp.sources.text import clean_text


def parse_telegram_export(data: Any, file: str) -> Iterator[Feedback | Reject]:
    """Records of an export: one chat (``messages``) or all chats (``chats.list``)."""
    if isinstance(data, dict) and isinstance(data.get("chats"), dict):
        chats = [c for c in data["chats"].get("list", []) if isinstance(c, dict)]
    elif isinstance(data, dict) and isinstance(data.get("messages"), list):
        chats = [data]
    else:
        yield Reject(file, None, "not a Telegram export (no messages or chats.list)")
        return
    for chat in chats:
        yield from _chat_items(chat, file)


def _chat_items(chat: Mapping[str, Any], file: str) -> Iterator[Feedback | Reject]:
    for message in chat.get("messages") or []:
        if not isinstance(message, dict) or message.get("type", "message") != "message":
            continue  # service messages: joins, pins, title changes
        yield adapt_message(message, chat, file)


def adapt_message(message: Mapping[str, Any], chat: Mapping[str, Any], file: str) -> Feedback | Reject:
    """One message of a chat as a record (a Reject when it has no text or a bad date)."""
    ident = f"{chat.get('id')}:{message.get('id')}"
    text = telegram_text(message.get("text"))
    if not text:
        text = telegram_text(message.get("text_entities"))
    if not text:
        return Reject(file, None, f"message {ident}: empty text")
    try:
        if message.get("date_unixtime"):
            created = from_unix(message["date_unixtime"])
        else:
            created = parse_datetime(message.get("date"))   # local time: Moscow
    except ValueError as error:
        return Reject(file, None, f"message {ident}: {error}")
    metadata: dict[str, Any] = {"chat_name": chat.get("name"), "chat_type": chat.get("type")}
    if message.get("from_id"):
        metadata["author_id"] = str(message["from_id"])
    if message.get("reply_to_message_id") is not None:
        metadata["reply_to_message"] = f"{chat.get('id')}:{message['reply_to_message_id']}"
    if message.get("forwarded_from") is not None:
        metadata["forwarded"] = True   # the origin's name may be a person's: not kept
    return Feedback(
        source_kind="social", source=f"telegram:{chat.get('id')}", external_id=ident, text=text,
        created_at=created, metadata=metadata,
    )


def telegram_text(value: Any) -> str:
    """Plain text of a message: a string, or a list of strings and ``{"type", "text"}`` parts."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return clean_text("".join(
            part if isinstance(part, str) else str(part.get("text", "")) if isinstance(part, dict) else ""
            for part in value
        ))
    return ""


@register_source("telegram")
class TelegramSource:
    """Telegram Desktop ``result.json`` exports (a directory: its ``*.json`` files)."""

    name = "telegram"
    version = "1"
    source_kind = "social"

    def iter_items(self, paths: Sequence[Path]) -> Iterator[Feedback | Reject]:
        for path in iter_files(paths, (".json",)):
            data, reject = load_json(path)
            if reject is not None:
                yield reject
            else:
                yield from parse_telegram_export(data, str(path))
