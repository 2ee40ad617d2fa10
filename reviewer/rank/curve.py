"""The recall curve: includes found against records screened, for a reviewer deciding
whether to stop.

Drawn with matplotlib's Agg renderer on a bare ``Figure`` (no pyplot, no GUI
backend), so it can be made on a worker thread, saved as PNG or SVG by the command
line and the window, and shown in the window's dock as a picture. The plot marks
where the stopping rule first said "stop", how many includes may still be out
there at the stated confidence, and the straight line screening in random order
would follow.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from reviewer.lazy import lazy
from reviewer.rank.stopping import DEFAULT_CONFIDENCE, DEFAULT_RECALL, StopVerdict, p_value, verdict

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_agg = lazy("matplotlib.backends.backend_agg")  # imported when first drawn
_figure = lazy("matplotlib.figure")

FORMATS = {".png": "png", ".svg": "svg"}


@dataclass(frozen=True)
class Colours:
    """Colours of the picture, so it suits a light or a dark window."""

    background: str = "#ffffff"
    text: str = "#202020"
    grid: str = "#d0d0d0"
    found: str = "#1565c0"
    random: str = "#9e9e9e"
    stop: str = "#2e7d32"
    bound: str = "#ef6c00"


DARK = Colours(
    background="#2b2b2b",
    text="#e0e0e0",
    grid="#505050",
    found="#64b5f6",
    random="#8a8a8a",
    stop="#81c784",
    bound="#ffb74d",
)


def first_stop(
    labels: Sequence[int],
    total: int,
    recall: float = DEFAULT_RECALL,
    confidence: float = DEFAULT_CONFIDENCE,
    checks: int = 200,
) -> int | None:
    """The number of records screened when the rule first said stop, or ``None``.

    The rule is checked at ``checks`` evenly spaced points and then record by record
    inside the first stretch where it fired, which keeps a 100,000-record history
    quick (a stop that came and went between two checkpoints can be missed).
    """
    arr = np.asarray(labels, dtype=np.int64)
    n = len(arr)
    if n == 0:
        return None
    alpha = 1.0 - confidence
    points = np.unique(np.linspace(1, n, min(checks, n)).astype(int))
    prev = 0
    for point in points:
        if p_value(arr[:point], total, recall) < alpha:
            for k in range(prev + 1, point + 1):
                if p_value(arr[:k], total, recall) < alpha:
                    return k
            return int(point)
        prev = int(point)
    return None


def figure(
    labels: Sequence[int],
    total: int,
    stop: StopVerdict | None = None,
    stopped_at: int | None = None,
    title: str = "",
    colours: Colours = Colours(),  # noqa: B008 (frozen, so a shared default is safe)
    size: tuple[float, float] = (6.4, 4.0),
    dpi: int = 100,
) -> Figure:
    """The recall curve of ``labels`` (1 include, 0 exclude, in the order screened)."""
    arr = np.asarray(labels, dtype=np.int64)
    stop = stop or verdict(arr, max(total, len(arr)))
    fig = _figure.Figure(figsize=size, dpi=dpi, facecolor=colours.background, layout="constrained")
    _agg.FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_facecolor(colours.background)
    found = np.concatenate([[0], np.cumsum(arr)])
    x = np.arange(len(found))
    ax.step(x, found, where="post", color=colours.found, linewidth=2, label="includes found")
    estimate = stop.found + stop.missing_max
    if len(arr) and found[-1]:
        # random order finds includes at the overall rate: estimated includes / records
        ax.plot(
            [0, total],
            [0, estimate],
            linestyle="--",
            color=colours.random,
            linewidth=1,
            label="random order (expected)",
        )
    if len(arr) < total:
        ax.axhline(
            estimate,
            linestyle=":",
            color=colours.bound,
            linewidth=1.5,
            label=(
                f"at most {estimate:,} includes in all ({round(stop.confidence * 100)}% confidence)"
            ),
        )
    if stopped_at is not None:
        ax.axvline(stopped_at, color=colours.stop, linewidth=1.5)
        right = stopped_at > 0.6 * total  # keep the words inside the plot
        ax.annotate(
            f"stop: recall ≥ {round(stop.recall * 100)}%\n"
            f"({round(stop.confidence * 100)}% confidence)\nafter {stopped_at:,} records",
            xy=(stopped_at, found[min(stopped_at, len(found) - 1)]),
            xytext=(-8 if right else 8, -48),
            textcoords="offset points",
            ha="right" if right else "left",
            color=colours.stop,
            fontsize=8,
        )
    ax.set_xlim(0, max(total, 1))
    ax.set_ylim(0, max(estimate, int(found[-1]), 1) * 1.08)
    ax.set_xlabel("records screened", color=colours.text)
    ax.set_ylabel("includes found", color=colours.text)
    ax.set_title(title or _title(stop), color=colours.text, fontsize=10)
    ax.tick_params(colors=colours.text)
    for spine in ax.spines.values():
        spine.set_color(colours.grid)
    ax.grid(True, color=colours.grid, linewidth=0.5)
    legend = ax.legend(loc="lower right", fontsize=8, frameon=True)
    legend.get_frame().set_facecolor(colours.background)
    legend.get_frame().set_edgecolor(colours.grid)
    for text in legend.get_texts():
        text.set_color(colours.text)
    return fig


def _title(stop: StopVerdict) -> str:
    head = f"{stop.found:,} includes in {stop.screened:,} of {stop.total:,} records screened"
    return f"{head} — {stop.short}"


def render(fig: Figure, fmt: str = "png") -> bytes:
    """The figure as PNG or SVG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, facecolor=fig.get_facecolor())
    return buf.getvalue()


def save(fig: Figure, path: str | Path) -> Path:
    """Save as PNG or SVG, chosen by the file's suffix."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: the recall curve is saved as .png or .svg")
    path.write_bytes(render(fig, fmt))
    return path
