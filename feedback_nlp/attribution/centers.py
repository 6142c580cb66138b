"""The user's ``centers.csv``: center id, region, name, address, aliases, VK groups, channels."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from feedback_nlp.errors import InputError, Problem

REQUIRED = ("center_id", "region", "name")
OPTIONAL = ("address", "aliases", "vk_group_ids", "telegram_channels")


@dataclass(frozen=True)
class Center:
    """One employment center as the user describes it."""

    center_id: str
    region: str
    name: str
    address: str = ""
    aliases: tuple[str, ...] = ()
    vk_group_ids: tuple[str, ...] = ()
    telegram_channels: tuple[str, ...] = ()


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in re.split(r"[|;]", value or "") if v.strip())


def normalize_vk_group(value: str) -> str:
    """``-12345``, ``club12345``, ``public12345``, ``vk.com/club12345`` -> ``12345``."""
    value = value.strip().lower().rsplit("/", 1)[-1]
    value = re.sub(r"^(club|public|event)(?=\d)", "", value)
    return value.lstrip("-@")


def normalize_channel(value: str) -> str:
    """``@czn_tver``, ``https://t.me/czn_tver``, ``CZN_Tver`` -> ``czn_tver``."""
    return value.strip().lower().rstrip("/").rsplit("/", 1)[-1].lstrip("@")


def load_centers(path: Path) -> list[Center]:
    """Read ``centers.csv`` (UTF-8, comma or semicolon); bad rows raise ``InputError``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(Problem(str(path), None, None, None, "no such file")) from None
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1251")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(Problem(str(path), 1, missing[0], None,
                                 f"missing column; need {', '.join(REQUIRED)}"))
    centers: list[Center] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        for column in REQUIRED:
            if not (row.get(column) or "").strip():
                problems.append(Problem(str(path), line, column, row.get(column), "empty"))
        center_id = (row.get("center_id") or "").strip()
        if center_id in seen:
            problems.append(Problem(str(path), line, "center_id", center_id, "duplicate id"))
        seen.add(center_id)
        centers.append(Center(
            center_id=center_id, region=(row.get("region") or "").strip(),
            name=(row.get("name") or "").strip(), address=(row.get("address") or "").strip(),
            aliases=_split(row.get("aliases")),
            vk_group_ids=tuple(normalize_vk_group(v) for v in _split(row.get("vk_group_ids"))),
            telegram_channels=tuple(normalize_channel(v)
                                    for v in _split(row.get("telegram_channels"))),
        ))
    if problems:
        raise InputError(problems)
    return centers
