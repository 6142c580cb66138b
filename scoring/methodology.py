"""Methodology files: load, validate once, and describe the index they define.

A methodology is data (groups, indicators, weights, multipliers, blending and sample rules),
never constants in code. Validation names the bad key, its value and what is allowed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from feedback_nlp.errors import MethodologyError, Problem

METHODOLOGY_DIR = Path(__file__).parent / "methodologies"
DEFAULT_METHODOLOGY = "pilot-2022"
SAMPLE_UNITS = ("region", "center")
REGION_AGGREGATIONS = ("mean", "respondents")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    weight: float
    group: str


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    multiplier: float
    indicators: tuple[Indicator, ...]

    @property
    def maximum(self) -> float:
        """Largest value the group can reach: multiplier × sum of its weights."""
        return self.multiplier * sum(i.weight for i in self.indicators)


@dataclass(frozen=True)
class Methodology:
    """A validated methodology; ``content_hash`` identifies the exact file content."""

    name: str
    version: str
    title: str
    groups: tuple[Group, ...]
    text_weight: float          # α
    min_mentions: int
    prior_strength: float       # m
    prior_mean: float
    likert_min: int
    likert_max: int
    min_respondents: int
    min_employers: int
    sample_unit: str
    region_aggregation: str
    content_hash: str
    source: str = ""

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for g in self.groups for i in g.indicators)

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    @property
    def maximum(self) -> float:
        """Theoretical maximum of the index (10 for pilot-2022)."""
        return sum(g.maximum for g in self.groups) / len(self.groups)

    def describe(self) -> dict[str, Any]:
        """Name, version and hash, as every result records them."""
        return {"name": self.name, "version": self.version, "hash": self.content_hash}


def load_methodology(name_or_path: str | Path = DEFAULT_METHODOLOGY) -> Methodology:
    """Load a bundled methodology by name, or any methodology file by path."""
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = METHODOLOGY_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        known = ", ".join(available_methodologies())
        raise MethodologyError(Problem(str(name_or_path), None, None, None,
                                       f"no such methodology file or name (bundled: {known})"))
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MethodologyError(Problem(str(path), None, None, None, f"not valid YAML: {exc}")) from None
    return parse_methodology(data, source=str(path), content_hash=hashlib.sha256(raw).hexdigest()[:16])


def available_methodologies() -> list[str]:
    """Names of the methodologies shipped with the package."""
    return sorted(p.stem for p in METHODOLOGY_DIR.glob("*.yaml"))


def parse_methodology(data: Any, source: str = "<methodology>", content_hash: str = "") -> Methodology:
    """Validate a parsed methodology document; every problem is reported at once."""
    problems: list[Problem] = []

    def bad(field: str, value: object, why: str) -> None:
        problems.append(Problem(source, None, field, value, why))

    if not isinstance(data, dict):
        raise MethodologyError(Problem(source, None, None, None, "top level must be a mapping"))

    def number(section: dict, key: str, where: str, lo: float, hi: float | None, *, integer: bool = False,
               lo_open: bool = False):
        field = f"{where}.{key}" if where else key
        if key not in section:
            bad(field, None, "required key is missing")
            return None
        value = section[key]
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type:
            bad(field, value, "must be a whole number" if integer else "must be a number")
            return None
        if (value <= lo if lo_open else value < lo) or (hi is not None and value > hi):
            rng = f"{'(' if lo_open else '['}{lo}, {hi if hi is not None else '∞'}{']' if hi is not None else ')'}"
            bad(field, value, f"must be in {rng}")
            return None
        return value

    def section(key: str) -> dict:
        value = data.get(key)
        if not isinstance(value, dict):
            bad(key, value, "required mapping is missing")
            return {}
        return value

    for key in ("name", "version"):
        if not isinstance(data.get(key), (str, int, float)) or str(data.get(key)).strip() == "":
            bad(key, data.get(key), "required text is missing")

    groups: list[Group] = []
    seen_groups: set[str] = set()
    seen_indicators: set[str] = set()
    raw_groups = data.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        bad("groups", raw_groups, "must be a non-empty list of groups")
        raw_groups = []
    for gi, g in enumerate(raw_groups):
        where = f"groups[{gi}]"
        if not isinstance(g, dict):
            bad(where, g, "must be a mapping")
            continue
        code = g.get("code")
        if not isinstance(code, str) or not code:
            bad(f"{where}.code", code, "required text is missing")
        elif code in seen_groups:
            bad(f"{where}.code", code, "group code is used twice")
        seen_groups.add(str(code))
        mult = number(g, "multiplier", where, 0, None, lo_open=True)
        inds: list[Indicator] = []
        raw_inds = g.get("indicators")
        if not isinstance(raw_inds, list) or not raw_inds:
            bad(f"{where}.indicators", raw_inds, "must be a non-empty list of indicators")
            raw_inds = []
        for ii, ind in enumerate(raw_inds):
            iwhere = f"{where}.indicators[{ii}]"
            if not isinstance(ind, dict):
                bad(iwhere, ind, "must be a mapping")
                continue
            icode = ind.get("code")
            if not isinstance(icode, str) or not icode:
                bad(f"{iwhere}.code", icode, "required text is missing")
                continue
            if icode in seen_indicators:
                bad(f"{iwhere}.code", icode, "indicator appears in more than one place; "
                    "each indicator belongs to exactly one group")
            seen_indicators.add(icode)
            weight = number(ind, "weight", iwhere, 0, None, lo_open=True)
            if weight is not None:
                inds.append(Indicator(icode, str(ind.get("name", icode)), float(weight), str(code)))
        if mult is not None and isinstance(code, str):
            groups.append(Group(code, str(g.get("name", code)), float(mult), tuple(inds)))

    ca = section("client_assessment")
    alpha = number(ca, "text_weight", "client_assessment", 0, 1)
    min_mentions = number(ca, "min_mentions", "client_assessment", 0, None, integer=True)
    prior_strength = number(ca, "prior_strength", "client_assessment", 0, None)
    prior_mean = number(ca, "prior_mean", "client_assessment", 0, 1)
    sv = section("survey")
    lmin = number(sv, "likert_min", "survey", 0, None, integer=True)
    lmax = number(sv, "likert_max", "survey", 0, None, integer=True)
    if lmin is not None and lmax is not None and lmax <= lmin:
        bad("survey.likert_max", lmax, f"must be greater than survey.likert_min ({lmin})")
    min_resp = number(sv, "min_respondents", "survey", 0, None, integer=True)
    min_emp = number(sv, "min_employers", "survey", 0, None, integer=True)
    unit = sv.get("sample_unit", "region")
    if unit not in SAMPLE_UNITS:
        bad("survey.sample_unit", unit, f"must be one of {', '.join(SAMPLE_UNITS)}")
    agg = section("aggregation").get("region", "mean")
    if agg not in REGION_AGGREGATIONS:
        bad("aggregation.region", agg, f"must be one of {', '.join(REGION_AGGREGATIONS)}")

    if problems:
        raise MethodologyError(problems)
    return Methodology(
        name=str(data["name"]), version=str(data["version"]), title=str(data.get("title", data["name"])),
        groups=tuple(groups), text_weight=float(alpha), min_mentions=int(min_mentions),
        prior_strength=float(prior_strength), prior_mean=float(prior_mean),
        likert_min=int(lmin), likert_max=int(lmax), min_respondents=int(min_resp),
        min_employers=int(min_emp), sample_unit=str(unit), region_aggregation=str(agg),
        content_hash=content_hash, source=source,
    )
