"""VK: saved API responses (``wall.get``, ``wall.getComments``, ``newsfeed.search``,
``board.getComments``) to feedback records; the live API mode is in ``vk_live``.

A saved file is the API's JSON answer, ``{"response": {"items": [...], "count": N}}`` or
``{"error": {...}}``; files saved by ``vk_live`` may also carry ``"params"`` of the request
(``group_id``/``topic_id`` give board comments their address).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject, Source, register_source
from feedback_nlp.sources.dates import from_unix
from feedback_nlp.sources.files import iter_files, load_json
from feedback_nlp.sources.text import clean_text

VK_URL = "https://vk.com"
# "[id123|Иван]", "[club45|ЦЗН]" mentions -> their display text
_MENTION = re.compile(r"\[(?:id|club|public|event)\d+\|([^\]]*)\]")


def parse_vk_response(payload: Any, file: str) -> Iterator[Feedback | Reject]:
    """Records of one VK API answer (any of the four methods); errors and bad items as Rejects."""
    if not isinstance(payload, dict):
        yield Reject(file, None, "not a VK API response (expected an object with 'response')")
        return
    if "error" in payload:
        yield Reject(file, None, vk_error_reason(payload["error"]))
        return
    response = payload.get("response")
    items = response.get("items") if isinstance(response, dict) else None
    if not isinstance(items, list):
        yield Reject(file, None, "not a VK API response (no response.items)")
        return
    params = payload.get("params") if isinstance(payload.get("params"), dict) else {}
    for number, item in enumerate(items, start=1):
        yield from adapt_vk_item(item, file, number, params)


def vk_error_reason(error: Any) -> str:
    """``VK error 15: Access denied`` from an API error object."""
    if not isinstance(error, dict):
        return "VK error: malformed error object"
    return f"VK error {error.get('error_code', '?')}: {error.get('error_msg', '')}".rstrip(": ")


def adapt_vk_item(
    item: Any, file: str, number: int, params: Mapping[str, Any] | None = None
) -> Iterator[Feedback | Reject]:
    """Records of one post or comment: reposted originals and comment threads included."""
    params = params or {}
    if not isinstance(item, dict) or "id" not in item:
        yield Reject(file, None, f"item {number}: not a VK post or comment")
        return
    if item.get("deleted") or item.get("is_deleted"):
        yield Reject(file, None, f"item {number}: deleted")
        return
    if "post_id" in item:
        owner, post = item.get("owner_id", params.get("owner_id")), item["post_id"]
        ident = f"{owner}_{post}_c{item['id']}"
        record = _adapt(item, f"vk:{owner}", ident, f"{VK_URL}/wall{owner}_{post}?reply={item['id']}",
                        {"vk_type": "comment", "post_id": f"{owner}_{post}"}, owner)
    elif "owner_id" in item:
        yield from _adapt_post(item, file, number)
        return
    else:
        group, topic = params.get("group_id"), params.get("topic_id")
        if group is not None and topic is not None:
            owner = -abs(int(group))
            ident = f"topic{owner}_{topic}_{item['id']}"
            url = f"{VK_URL}/topic{owner}_{topic}?post={item['id']}"
            origin = f"vk:{owner}"
        else:
            owner, ident, url, origin = None, f"{Path(file).stem}:{item['id']}", None, f"vk:{Path(file).stem}"
        record = _adapt(item, origin, ident, url, {"vk_type": "board_comment"}, owner)
    yield record if record is not None else Reject(file, None, f"item {number}: empty text")
    thread = item.get("thread")
    if isinstance(thread, dict) and isinstance(thread.get("items"), list):
        for reply in thread["items"]:
            yield from adapt_vk_item(reply, file, number, params)


def _adapt_post(item: dict[str, Any], file: str, number: int) -> Iterator[Feedback | Reject]:
    owner = item["owner_id"]
    ident = f"{owner}_{item['id']}"
    metadata: dict[str, Any] = {"vk_type": "post"}
    originals = [c for c in item.get("copy_history") or [] if isinstance(c, dict) and "owner_id" in c]
    texts = [vk_text(item.get("text"))] + [vk_text(c.get("text")) for c in originals]
    if originals:
        metadata["repost_of"] = f"{originals[0]['owner_id']}_{originals[0]['id']}"
    record = _adapt(item, f"vk:{owner}", ident, f"{VK_URL}/wall{ident}", metadata, owner,
                    text="\n\n".join(t for t in texts if t))
    yield record if record is not None else Reject(file, None, f"item {number}: empty text")
    for original in originals:
        copy = _adapt(original, f"vk:{original['owner_id']}", f"{original['owner_id']}_{original['id']}",
                      f"{VK_URL}/wall{original['owner_id']}_{original['id']}",
                      {"vk_type": "post", "seen_in_repost": ident}, original["owner_id"])
        if copy is not None:
            yield copy


def _adapt(
    item: Mapping[str, Any], origin: str, ident: str, url: str | None, metadata: dict[str, Any],
    owner: Any, text: str | None = None,
) -> Feedback | None:
    text = vk_text(item.get("text")) if text is None else text
    if not text:
        return None
    metadata = dict(metadata)
    if item.get("from_id") is not None:
        metadata["author_id"] = f"vk{item['from_id']}"
    if isinstance(owner, int) and owner < 0:
        metadata["vk_group_id"] = str(-owner)
    created = item.get("date")
    return Feedback(
        source_kind="social", source=origin, external_id=ident, text=text,
        created_at=from_unix(created) if isinstance(created, (int, float)) else None,
        url=url, metadata=metadata,
    )


def vk_text(value: Any) -> str:
    """Text of a VK post: mentions ``[id1|Имя]`` reduced to their display text, spaces cleaned."""
    return clean_text(_MENTION.sub(r"\1", value)) if isinstance(value, str) else ""


@register_source("vk")
def make_vk_source(**options: Any) -> Source:
    """Saved VK responses, or the live API when ``token``/``owner_ids``/``queries`` are given."""
    if {"token", "owner_ids", "queries"} & set(options):
        from feedback_nlp.sources.vk_live import VKLiveSource

        return VKLiveSource(**options)
    return VKFileSource(**options)


class VKFileSource:
    """VK API responses saved as JSON files (a directory: its ``*.json`` files)."""

    name = "vk"
    version = "1"
    source_kind = "social"

    def iter_items(self, paths: Sequence[Path]) -> Iterator[Feedback | Reject]:
        for path in iter_files(paths, (".json",)):
            payload, reject = load_json(path)
            if reject is not None:
                yield reject
            else:
                yield from parse_vk_response(payload, str(path))
