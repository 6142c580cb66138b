"""Charts of a report, drawn with matplotlib (no pyplot, no display) and returned as data URIs.

Text stays text in the SVG (``svg.fonttype: none``), so charts are small and searchable.
"""
from __future__ import annotations

import base64
import io
import math
from collections.abc import Mapping, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

RC = {"svg.fonttype": "none", "svg.hashsalt": "feedback-nlp", "font.family": "DejaVu Sans",
      "font.size": 9, "axes.titlesize": 10}
FLAG_MARKS = {"partial": "½", "missing": "∅", "text_only": "т"}
SCORE_COLORS = LinearSegmentedColormap.from_list("score", ["#c0392b", "#f1c40f", "#27ae60"])
SOURCE_COLORS = ["#2e86c1", "#e67e22", "#8e44ad", "#16a085", "#c0392b", "#7f8c8d", "#d4ac0d", "#1abc9c"]


def figure_data(fig: Figure, fmt: str = "svg") -> bytes:
    """The figure rendered as SVG or PNG bytes."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buffer, format=fmt, bbox_inches="tight", dpi=110, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def data_uri(data: bytes, fmt: str = "svg") -> str:
    """``data:`` URI of chart bytes, for an ``<img src>`` of a self-contained page."""
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def radar_chart(values: Mapping[str, float], maxima: Mapping[str, float], labels: Mapping[str, str],
                title: str) -> Figure:
    """Five groups (any number ≥ 3) as shares of their maxima, the maximum drawn as the outer ring."""
    with matplotlib.rc_context(RC):
        codes = list(maxima)
        shares = [min(max(values.get(c, 0.0) / maxima[c], 0.0), 1.0) if maxima[c] else 0.0 for c in codes]
        angles = [2 * math.pi * i / len(codes) for i in range(len(codes))]
        fig = Figure(figsize=(3.4, 3.4))
        ax = fig.add_subplot(projection="polar")
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        ring = angles + angles[:1]
        ax.plot(ring, [1.0] * len(ring), color="#7f8c8d", linewidth=1, linestyle="--", label="максимум")
        ax.fill(ring, shares + shares[:1], color="#2e86c1", alpha=0.3)
        ax.plot(ring, shares + shares[:1], color="#2e86c1", linewidth=2, label="значение")
        ax.set_xticks(angles)
        ax.set_xticklabels([f"{labels.get(c, c)}\n{values.get(c, 0.0):.1f} / {maxima[c]:g}" for c in codes])
        ax.set_ylim(0, 1.05)
        ax.set_yticks([0.25, 0.5, 0.75, 1.0])
        ax.set_yticklabels(["", "50%", "", "100%"], color="#7f8c8d", fontsize=7)
        ax.set_title(title, pad=18)
        return fig


def heatmap_chart(matrix: pd.DataFrame, flags: pd.DataFrame | None = None, title: str = "") -> Figure:
    """Rows × indicators coloured by share of the maximum (0…1); flagged cells get a mark."""
    with matplotlib.rc_context(RC):
        rows, cols = matrix.shape
        fig = Figure(figsize=(max(6.0, 0.48 * cols + 2.8), max(2.0, 0.36 * rows + 1.4)))
        ax = fig.add_subplot()
        data = matrix.to_numpy(dtype=float)
        image = ax.imshow(np.nan_to_num(data, nan=0.0), cmap=SCORE_COLORS, vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(cols), list(matrix.columns))
        ax.set_yticks(range(rows), list(matrix.index))
        ax.tick_params(length=0)
        for r in range(rows):
            for c in range(cols):
                mark = ""
                if flags is not None:
                    cell = str(flags.iat[r, c])
                    mark = "".join(FLAG_MARKS[f] for f in cell.split(",") if f in FLAG_MARKS)
                value = data[r, c]
                ax.text(c, r, f"{value:.2f}".lstrip("0") + mark if not np.isnan(value) else mark,
                        ha="center", va="center", fontsize=7, color="#1b1b1b")
        fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02, label="доля от максимума")
        if title:
            ax.set_title(title)
        return fig


def stacked_bars(table: pd.DataFrame, labels: Mapping[str, str], title: str) -> Figure:
    """Indicators (rows) as bars stacked by the columns (source kinds)."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8.0, 3.4))
        ax = fig.add_subplot()
        bottom = np.zeros(len(table))
        x = np.arange(len(table))
        for n, column in enumerate(table.columns):
            values = table[column].to_numpy(dtype=float)
            ax.bar(x, values, bottom=bottom, label=labels.get(column, column),
                   color=SOURCE_COLORS[n % len(SOURCE_COLORS)])
            bottom += values
        ax.set_xticks(x, list(table.index))
        ax.set_ylabel("упоминаний")
        ax.set_title(title)
        if len(table.columns):
            ax.legend(fontsize=7, ncols=min(4, len(table.columns)), loc="upper right")
        ax.spines[["top", "right"]].set_visible(False)
        return fig


def share_bars(codes: Sequence[str], shares: Sequence[float | None], counts: Sequence[int], title: str) -> Figure:
    """Share of negative mentions per indicator (bars absent where there are no mentions)."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(8.0, 3.0))
        ax = fig.add_subplot()
        x = np.arange(len(codes))
        values = [s if s is not None else 0.0 for s in shares]
        ax.bar(x, values, color="#c0392b")
        for i, (s, n) in enumerate(zip(shares, counts)):
            ax.text(i, (s or 0.0) + 0.02, f"{s:.0%}" if s is not None else "—", ha="center", fontsize=7)
            ax.text(i, -0.12, f"n={n}", ha="center", fontsize=6, color="#7f8c8d")
        ax.set_xticks(x, list(codes))
        ax.set_ylim(-0.16, 1.1)
        ax.set_yticks([0, 0.5, 1.0], ["0%", "50%", "100%"])
        ax.set_title(title)
        ax.spines[["top", "right"]].set_visible(False)
        return fig
