"""Hypothesis strategies of broken files: random bytes and damaged copies of the bundled samples."""
from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

SAMPLES = Path(__file__).resolve().parents[2] / "feedback_nlp" / "samples"
CONTROL = [bytes([b]) for b in (*range(0, 9), 11, 12, *range(14, 32), 127)]


def sample_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _reencode(data: bytes, encoding: str) -> bytes:
    try:
        return data.decode("utf-8").encode(encoding, errors="replace")
    except UnicodeDecodeError:
        return data


@st.composite
def damaged(draw, seed: bytes) -> bytes:
    """``seed`` truncated, re-encoded, with control characters/NULs spliced in or a field blown up."""
    data = seed
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["truncate", "encoding", "control", "huge", "splice", "flip"]))
        if how == "truncate":
            data = data[: draw(st.integers(0, max(len(data) - 1, 0)))]
        elif how == "encoding":
            data = _reencode(data, draw(st.sampled_from(["utf-16", "utf-16-be", "utf-32", "koi8-r", "latin-1",
                                                          "cp1251"])))
        elif how == "control":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + b"".join(draw(st.lists(st.sampled_from(CONTROL), min_size=1, max_size=8))) + data[at:]
        elif how == "huge":  # one field of ~1-3 MB: must be rejected or kept, never hang
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.sampled_from(["я", "a", "\"", ",", "\\", "<", "{"])).encode() \
                * draw(st.integers(500_000, 1_500_000)) + data[at:]
        elif how == "splice":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        else:  # flip bytes in place
            if data:
                buf = bytearray(data)
                for _ in range(draw(st.integers(1, 16))):
                    buf[draw(st.integers(0, len(buf) - 1))] = draw(st.integers(0, 255))
                data = bytes(buf)
    return data


def broken_file(seed: bytes) -> st.SearchStrategy[bytes]:
    """Random bytes, or ``seed`` damaged."""
    return st.one_of(st.binary(max_size=2048), damaged(seed))
