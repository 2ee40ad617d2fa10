"""The forest plot of an analysis, drawn the way reviewers know it from RevMan.

Study rows with each arm's data, the weight and the estimate with its CI; squares
sized by weight (their area proportional to it), CI lines (arrows where they run off
the scale), the pooled diamond, the prediction interval of a random-effects model,
the heterogeneity and overall-effect lines, and "Favours" labels under a log scale
for ratios. Drawn with matplotlib's Agg canvas (no Qt, no display), to PNG or SVG;
the window shows the same picture.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.analysis.dataset import Analysis
from reviewer.analysis.effects import natural
from reviewer.analysis.pooling import METHOD_NAMES
from reviewer.domain.results import MEASURE_NAMES
from reviewer.lazy import lazy

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# matplotlib is imported when a plot is first drawn (see reviewer.lazy)
_agg = lazy("matplotlib.backends.backend_agg")
_svg = lazy("matplotlib.backends.backend_svg")
_figure = lazy("matplotlib.figure")
_lines = lazy("matplotlib.lines")
_patches = lazy("matplotlib.patches")
_transforms = lazy("matplotlib.transforms")

ROW_INCHES = 0.26
WIDTH_INCHES = 11.0
_RATIO_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
SQUARE = "#1f5fa8"
DIAMOND = "#111111"


def format_p(p: float) -> str:
    """P as RevMan writes it: 'P < 0.00001', 'P = 0.003', 'P = 0.42'."""
    if p < 0.00001:
        return "P < 0.00001"
    if p < 0.001:
        return f"P = {p:.1g}" if p >= 0.0001 else f"P = {p:.5f}".rstrip("0")
    return f"P = {p:.3f}".rstrip("0").rstrip(".") if p < 0.01 else f"P = {p:.2f}"


def _num(x: float | int | None, digits: int = 2) -> str:
    if x is None:
        return ""
    if isinstance(x, int) or float(x).is_integer() and abs(x) >= 1000:
        return f"{int(x):,}"
    return f"{x:.{digits}f}"


def _ci_text(est: float, lo: float, hi: float) -> str:
    return f"{est:.2f} [{lo:.2f}, {hi:.2f}]"


def forest_figure(a: Analysis) -> Figure:
    """The forest plot of ``a`` as a matplotlib figure (not shown anywhere)."""
    studies = a.studies
    arm_data = _arm_columns(a)
    n_rows = len(studies) + len(a.skipped)
    footer = 4.4 if a.pooled is not None else 1.0
    height = max(3.0, (n_rows + 2.9 + footer) * ROW_INCHES + 0.7)
    fig = _figure.Figure(figsize=(WIDTH_INCHES, height), dpi=100)
    fig.patch.set_facecolor("white")
    plot_left, plot_right = 0.66, 0.97
    bottom_in = 0.62
    ax = fig.add_axes((plot_left, bottom_in / height, plot_right - plot_left,
                       1 - (bottom_in + 0.08) / height))  # fmt: skip
    top = -2.9
    bottom = n_rows + footer - 0.2
    ax.set_ylim(bottom, top)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_yticks([])
    text = _transforms.blended_transform_factory(fig.transFigure, ax.transData)
    fs = 8.5

    def put(x: float, y: float, s: str, ha: str = "left", bold: bool = False,
            size: float = fs, colour: str = "black") -> None:  # fmt: skip
        fig.text(x, y, s, transform=text, ha=ha, va="center", fontsize=size,
                 fontweight="bold" if bold else "normal", color=colour)  # fmt: skip

    # headings: the title, the arms, the columns
    cols = _layout(arm_data)
    measure = MEASURE_NAMES[a.measure]
    model = "Fixed" if a.model == "fixed" else "Random"
    ci = f"{a.level * 100:g}% CI"
    title = a.outcome + (f" · {a.timepoint}" if a.timepoint else "")
    put(0.01, -2.4, title, bold=True, size=fs + 2)
    put(0.01, -0.6, "Study", bold=True)
    if arm_data:
        put(cols["exp_mid"], -1.4, "Experimental", ha="center", bold=True)
        put(cols["ctrl_mid"], -1.4, "Control", ha="center", bold=True)
    for label, x in cols["sub"]:
        put(x, -0.6, label, ha="right", bold=True)
    put(cols["weight"], -0.6, "Weight", ha="right", bold=True)
    for x in (cols["ci"], (plot_left + plot_right) / 2):
        put(x, -1.4, measure, ha="center", bold=True)
        put(x, -0.6, f"IV, {model}, {ci}", ha="center", bold=True)
    if a.model == "random":
        put(0.99, -2.4, f"τ² by {METHOD_NAMES.get(a.method or '', '')}", ha="right",
            size=fs - 0.5, colour="#555555")  # fmt: skip
    fig.add_artist(_lines.Line2D([0.01, plot_right], [-0.1, -0.1], transform=text, color="#999999",
                          lw=0.6))  # fmt: skip

    lows = [s.effect.interval(a.level)[1] for s in studies]
    highs = [s.effect.interval(a.level)[2] for s in studies]
    p = a.pooled
    if p is not None:
        lows.append(natural(a.measure, p.ci_low))
        highs.append(natural(a.measure, p.ci_high))
    xmin, xmax = _limits(a.ratio, lows, highs)
    if a.ratio:
        ax.set_xscale("log")
        ticks = [t for t in _RATIO_TICKS if xmin <= t <= xmax]
        ax.set_xticks(ticks)
        ax.set_xticklabels([f"{t:g}" for t in ticks])
        ax.minorticks_off()
    ax.set_xlim(xmin, xmax)
    ax.tick_params(axis="x", labelsize=fs)
    null = 1.0 if a.ratio else 0.0
    last = n_rows + (1.4 if a.pooled is not None else 0)
    ax.plot([null, null], [0.0, last], color="#444444", lw=0.8, zorder=1)

    wmax = max((s.weight for s in studies), default=1.0) or 1.0
    for i, s in enumerate(studies):
        y = i + 0.5
        est, lo, hi = s.effect.interval(a.level)
        put(0.01, y, s.label)
        for value, x in _arm_values(s, arm_data, cols):
            put(x, y, value, ha="right")
        put(cols["weight"], y, f"{s.weight:.1f}%", ha="right")
        put(cols["ci"], y, _ci_text(est, lo, hi), ha="center")
        _ci_line(ax, y, lo, hi, xmin, xmax)
        side = 3 + 9 * math.sqrt(s.weight / wmax)
        if xmin <= est <= xmax:
            ax.scatter([est], [y], marker="s", s=side**2, color=SQUARE, zorder=3, lw=0)
    for j, sk in enumerate(a.skipped):
        y = len(studies) + j + 0.5
        put(0.01, y, sk.label, colour="#555555")
        put(cols["ci"], y, "Not estimable", ha="center", colour="#555555")

    if p is not None:
        y = n_rows + 1.0
        est, lo, hi = (natural(a.measure, v) for v in (p.estimate, p.ci_low, p.ci_high))
        put(0.01, y, f"Total ({ci})", bold=True)
        for value, x in _totals(a, arm_data, cols):
            put(x, y, value, ha="right", bold=True)
        put(cols["weight"], y, "100.0%", ha="right", bold=True)
        put(cols["ci"], y, _ci_text(est, lo, hi), ha="center", bold=True)
        ax.add_patch(_patches.Polygon([(lo, y), (est, y - 0.38), (hi, y), (est, y + 0.38)],
                             closed=True, color=DIAMOND, zorder=3))  # fmt: skip
        line = y + 1.0
        if p.pi_low is not None:
            pl, ph = natural(a.measure, p.pi_low), natural(a.measure, p.pi_high)  # type: ignore[arg-type]
            put(0.01, line, "Prediction interval")
            put(cols["ci"], line, f"[{pl:.2f}, {ph:.2f}]", ha="center")
            _ci_line(ax, line, pl, ph, xmin, xmax, colour="#b23b3b", lw=2.2)
            line += 1.0
        put(0.01, line, _heterogeneity(a), size=fs - 0.5)
        put(0.01, line + 0.8, f"Test for overall effect: Z = {abs(p.z):.2f} ({format_p(p.p)})",
            size=fs - 0.5)  # fmt: skip
    for text_, dx, ha in (("Favours experimental", -6, "right"), ("Favours control", 6, "left")):
        ax.annotate(text_, xy=(null, 0), xycoords=("data", "axes fraction"), xytext=(dx, -24),
                    textcoords="offset points", ha=ha, va="top", fontsize=fs - 0.5)  # fmt: skip
    return fig


def _heterogeneity(a: Analysis) -> str:
    p = a.pooled
    assert p is not None
    tau = f"Tau² = {p.tau2:.2f}; " if p.tau2 is not None else ""
    if p.q_df == 0:
        return "Heterogeneity: not applicable"
    return (f"Heterogeneity: {tau}Chi² = {p.q:.2f}, df = {p.q_df} ({format_p(p.q_p)}); "
            f"I² = {p.i2:.0f}%")  # fmt: skip


def _arm_columns(a: Analysis) -> str:
    """'counts', 'means' or '' (studies reported estimates only)."""
    kinds = {
        ("counts" if s.effect.experimental.events is not None else "means")
        for s in a.studies
        if s.effect.experimental is not None
    }
    if a.measure in ("RR", "OR", "RD") and "counts" in kinds:
        return "counts"
    if a.measure in ("MD", "SMD") and "means" in kinds:
        return "means"
    return ""


def _layout(arm_data: str) -> dict:
    if arm_data == "counts":
        sub = [("Events", 0.225), ("Total", 0.29), ("Events", 0.37), ("Total", 0.435)]
        return {"sub": sub, "exp_mid": 0.255, "ctrl_mid": 0.40, "weight": 0.50, "ci": 0.58}
    if arm_data == "means":
        sub = [("Mean", 0.215), ("SD", 0.26), ("Total", 0.305), ("Mean", 0.36), ("SD", 0.405),
               ("Total", 0.45)]  # fmt: skip
        return {"sub": sub, "exp_mid": 0.26, "ctrl_mid": 0.405, "weight": 0.51, "ci": 0.585}
    return {"sub": [], "exp_mid": 0, "ctrl_mid": 0, "weight": 0.44, "ci": 0.545}


def _arm_values(s, arm_data: str, cols: dict) -> list[tuple[str, float]]:  # noqa: ANN001
    e, c = s.effect.experimental, s.effect.control
    xs = [x for _l, x in cols["sub"]]
    if not arm_data or e is None or c is None:
        return []
    if arm_data == "counts":
        vals = [e.events, e.n, c.events, c.n]
        return [(_num(v, 0) if v is not None else "", x) for v, x in zip(vals, xs, strict=True)]
    vals2 = [_num(e.mean), _num(e.sd), _num(e.n, 0), _num(c.mean), _num(c.sd), _num(c.n, 0)]
    return list(zip(vals2, xs, strict=True))


def _totals(a: Analysis, arm_data: str, cols: dict) -> list[tuple[str, float]]:
    xs = [x for _l, x in cols["sub"]]
    arms = [(s.effect.experimental, s.effect.control) for s in a.studies]
    if not arm_data or any(e is None or c is None for e, c in arms):
        return []
    n_e = sum(e.n or 0 for e, _c in arms)  # type: ignore[union-attr]
    n_c = sum(c.n or 0 for _e, c in arms)  # type: ignore[union-attr]
    if arm_data == "counts":
        ev_e = sum(e.events or 0 for e, _c in arms)  # type: ignore[union-attr]
        ev_c = sum(c.events or 0 for _e, c in arms)  # type: ignore[union-attr]
        return [
            (f"{ev_e:,}", xs[0]),
            (f"{n_e:,}", xs[1]),
            (f"{ev_c:,}", xs[2]),
            (f"{n_c:,}", xs[3]),
        ]
    return [(f"{n_e:,}", xs[2]), (f"{n_c:,}", xs[5])]


def _limits(ratio: bool, lows: list[float], highs: list[float]) -> tuple[float, float]:
    if ratio:
        span = max([abs(math.log(v)) for v in [*lows, *highs] if v > 0] or [1.0])
        for t in (0.5, 0.2, 0.1, 0.05, 0.02, 0.01):
            if abs(math.log(t)) >= span * 0.98:
                return t, 1 / t
        return 0.01, 100.0
    span = max([abs(v) for v in [*lows, *highs]] or [1.0]) * 1.1
    nice = 10 ** math.floor(math.log10(span)) if span > 0 else 1
    span = math.ceil(span / nice) * nice
    return -span, span


def _ci_line(ax, y: float, lo: float, hi: float, xmin: float, xmax: float,  # noqa: ANN001
             colour: str = "black", lw: float = 1.0) -> None:  # fmt: skip
    a, b = max(lo, xmin), min(hi, xmax)
    ax.plot([a, b], [y, y], color=colour, lw=lw, zorder=2, solid_capstyle="butt")
    for end, clipped, direction in ((a, lo < xmin, "<"), (b, hi > xmax, ">")):
        if clipped:
            ax.plot([end], [y], marker=direction, color=colour, ms=5, zorder=2)


# -- files -----------------------------------------------------------------------------------


def save_figure(fig: Figure, path: str | Path, dpi: int = 150) -> Path:
    """Write a figure as PNG or SVG (from the suffix)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"{path}: a plot is saved as .png or .svg")
    canvas = _svg.FigureCanvasSVG(fig) if suffix == ".svg" else _agg.FigureCanvasAgg(fig)
    tmp = path.with_name(path.name + ".part")
    try:
        canvas.print_figure(str(tmp), format=suffix[1:], dpi=dpi, facecolor="white")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """A figure as PNG bytes (for the window)."""
    buf = io.BytesIO()
    _agg.FigureCanvasAgg(fig).print_figure(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def save_forest(a: Analysis, path: str | Path, dpi: int = 150) -> Path:
    return save_figure(forest_figure(a), path, dpi)
