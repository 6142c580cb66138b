"""Attribution of a feedback item to a region and a center: metadata first, then text."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from feedback_nlp.attribution.centers import Center, normalize_channel, normalize_vk_group
from feedback_nlp.attribution.gazetteer import WEIGHT_CENTER, Entry, load_gazetteer, phrase_lemmas
from feedback_nlp.attribution.match import Matcher

VK_KEYS = ("vk_group_id", "group_id", "owner_id", "vk_owner_id")
CHANNEL_KEYS = ("telegram_channel", "channel", "channel_username", "chat", "username")
PLACE_KEYS = ("center_name", "center", "organisation", "organization", "org", "address", "outlet")


@dataclass(frozen=True)
class Attribution:
    """Where an item belongs and how that was decided (``method`` None: unattributed)."""

    region: str | None
    center_id: str | None
    method: str | None       # given | channel | metadata | text


class Attributor:
    """Attributes items using the user's centers and the bundled gazetteer."""

    def __init__(self, centers: Sequence[Center] = ()):
        self.centers = {c.center_id: c for c in centers}
        self.by_vk = {g: c for c in centers for g in c.vk_group_ids}
        self.by_channel = {ch: c for c in centers for ch in c.telegram_channels}
        self.region_names = self._region_spellings(centers)
        center_entries = [Entry(phrase_lemmas(p), c.region, WEIGHT_CENTER, c.center_id)
                          for c in centers for p in (c.name, *c.aliases) if phrase_lemmas(p)]
        self.matcher = Matcher([*center_entries, *load_gazetteer()])

    @staticmethod
    def _region_spellings(centers: Sequence[Center]) -> dict[str, str]:
        """Gazetteer region -> the user's spelling of it, so both attributions agree."""
        gaz = Matcher(load_gazetteer())
        spellings: dict[str, str] = {}
        for c in centers:
            hits = gaz.find(c.region)
            if hits:
                spellings.setdefault(hits[0].entry.region, c.region)
        return spellings

    def attribute_text(self, text: str) -> Attribution:
        """Region (and center) named in a text; ties go to the first mentioned."""
        hits = self.matcher.find(text)
        if not hits:
            return Attribution(None, None, None)
        scores: dict[str, float] = defaultdict(float)
        first: dict[str, int] = {}
        centers: dict[str, str] = {}
        for h in hits:
            scores[h.entry.region] += h.entry.weight
            first.setdefault(h.entry.region, h.start)
            if h.entry.center_id is not None:
                centers.setdefault(h.entry.region, h.entry.center_id)
        region = max(scores, key=lambda r: (scores[r], -first[r]))
        spelled = self.region_names.get(region, region)
        return Attribution(spelled, centers.get(region), "text")

    def attribute(self, text: str, metadata: Mapping[str, Any], source: str = "",
                  region: str | None = None, center_id: str | None = None) -> Attribution:
        """Given region/center (collector or CLI) > channel ids > place metadata > text."""
        if center_id is not None:
            center = self.centers.get(center_id)
            return Attribution(region or (center.region if center else None), center_id, "given")
        center = self._from_channels(metadata, source)
        if center is not None and (region is None or region == center.region):
            return Attribution(center.region, center.center_id, "channel")
        for key in PLACE_KEYS:
            value = metadata.get(key)
            if isinstance(value, str) and value:
                found = self.attribute_text(value)
                if found.region is not None and (region is None or found.region == region):
                    return Attribution(found.region, found.center_id, "metadata")
        found = self.attribute_text(text)
        if region is not None:
            return Attribution(region, found.center_id if found.region == region else None,
                               "given")
        return found

    def _from_channels(self, metadata: Mapping[str, Any], source: str) -> Center | None:
        values: list[tuple[str, str]] = []
        for key in VK_KEYS:
            if metadata.get(key) not in (None, ""):
                values.append(("vk", normalize_vk_group(str(metadata[key]))))
        for key in CHANNEL_KEYS:
            if metadata.get(key) not in (None, ""):
                values.append(("tg", normalize_channel(str(metadata[key]))))
        kind, _, origin = source.partition(":")
        if kind == "vk" and origin:
            values.append(("vk", normalize_vk_group(origin)))
        elif kind == "telegram" and origin:
            values.append(("tg", normalize_channel(origin)))
        for kind, value in values:
            center = (self.by_vk if kind == "vk" else self.by_channel).get(value)
            if center is not None:
                return center
        return None
