"""The PRISMA 2020 flow diagram, drawn from the review's own numbers.

The diagram goes into the paper, so its numbers must be the review's: they are
``stats(store)["prisma"]``, the very dict ``reviewer stats --json`` prints, and
nothing here counts records itself. The layout is the PRISMA 2020 template for
new reviews (databases and registers): Identification, Screening and Included
rows; records identified (one line per source) and removed before screening;
records screened and excluded; reports sought and not retrieved; reports
assessed and excluded (one line per reason); studies included.

``diagram`` computes the boxes, arrows and wrapped lines once; ``prisma_svg``
and ``prisma_png`` only paint them, so the SVG the app shows and the PNG in the
paper are the same picture. Source names and reasons come from imported files
and reviewers: in the SVG they are escaped text, never markup. Arrowheads are
polygons, not SVG markers, because Qt's SVG renderer (SVG Tiny) draws no markers.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from reviewer.review.stats import stats
from reviewer.store import Store

FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
FONT_SIZE = 13
LINE = 18  # line height
PAD = 10  # inside a box
CHAR_WIDTH = 7.8  # a generous average for DejaVu Sans at 13 px, so lines never overflow
BAR_WIDTH, MARGIN, COLUMN, GAP, ROW_GAP = 30, 12, 360, 60, 34
HEADER_HEIGHT = 34
PHASE_FILL, HEADER_FILL, BOX_FILL, INK = "#BDD7EE", "#FFD966", "#FFFFFF", "#000000"
HEADER = "Identification of studies via databases and registers"

# Characters XML 1.0 cannot hold at all (escaping does not help): dropped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    lines: list[str] = field(default_factory=list)
    fill: str = BOX_FILL
    vertical: bool = False  # a phase bar, its label turned 90 degrees
    centered: bool = False


@dataclass
class Diagram:
    width: float
    height: float
    boxes: list[Box]
    arrows: list[tuple[tuple[float, float], tuple[float, float]]]


# -- counts -------------------------------------------------------------------------------


def prisma_counts(store: Store) -> dict[str, Any]:
    """``stats(store)["prisma"]``, plus how many records still await a final decision
    at title/abstract and at full text (undecided or in conflict), for the footnote."""
    numbers = stats(store)
    counts = dict(numbers["prisma"])
    for key, stage in (
        ("awaiting_screening", "title_abstract"),
        ("awaiting_full_text", "full_text"),
    ):
        final = numbers["stages"][stage]["final"]
        counts[key] = final["undecided"] + final["conflict"]
    return counts


# -- layout --------------------------------------------------------------------------------


def _n(value: int) -> str:
    return f"(n = {value})"


def box_texts(counts: dict[str, Any]) -> list[tuple[list[str], list[str]]]:
    """Each row's (left box, right box) text, before wrapping; the last row has no right box."""
    sources = [f"{name} {_n(n)}" for name, n in counts["identified_per_source"].items()]
    if len(sources) != 1:
        sources.append(f"Total {_n(counts['identified'])}")
    reasons = [f"{r} {_n(n)}" for r, n in counts["excluded_full_text_reasons"].items()]
    return [
        (
            ["Records identified from:", *sources],
            ["Records removed before screening:",
             f"Duplicate records removed {_n(counts['duplicates_removed'])}"],
        ),
        ([f"Records screened {_n(counts['screened'])}"],
         [f"Records excluded {_n(counts['excluded_screening'])}"]),
        ([f"Reports sought for retrieval {_n(counts['sought_for_retrieval'])}"],
         [f"Reports not retrieved {_n(counts['not_retrieved'])}"]),
        ([f"Reports assessed for eligibility {_n(counts['assessed_for_eligibility'])}"],
         [f"Reports excluded {_n(counts['excluded_full_text'])}:", *reasons]),
        ([f"Studies included in review {_n(counts['included'])}"], []),
    ]  # fmt: skip


def wrap(lines: list[str], width: float = COLUMN) -> list[str]:
    """Lines broken to fit a box ``width`` wide, never inside an ``(n = 12)``."""
    chars = max(10, int((width - 2 * PAD) / CHAR_WIDTH))
    out: list[str] = []
    for line in lines:
        # textwrap breaks at ASCII spaces only, so no-break spaces hold a count together
        held = clean(line).replace("(n = ", "(n\u00a0=\u00a0")
        out.extend(part.replace("\u00a0", " ") for part in textwrap.wrap(held, chars) or [""])
    return out


def clean(text: str) -> str:
    """One line of text XML can hold: whitespace runs made one space, control
    characters dropped."""
    return " ".join(_NOT_XML.sub("", str(text)).split())


def _height(lines: list[str]) -> float:
    return max(2 * PAD + len(lines) * LINE, 2 * PAD + 2 * LINE)


def diagram(counts: dict[str, Any]) -> Diagram:
    """Where every box, label and arrow of the diagram goes."""
    left = MARGIN + BAR_WIDTH + MARGIN
    right = left + COLUMN + GAP
    width = right + COLUMN + MARGIN
    y = MARGIN + HEADER_HEIGHT + ROW_GAP / 2
    boxes = [Box(left, MARGIN, width - left - MARGIN, HEADER_HEIGHT, [HEADER], HEADER_FILL,
                 centered=True)]  # fmt: skip
    arrows = []
    lefts: list[Box] = []
    for row, (left_text, right_text) in enumerate(box_texts(counts)):
        l_lines, r_lines = wrap(left_text), wrap(right_text)
        h = max(_height(l_lines), _height(r_lines) if r_lines else 0, _bar_room(row))
        lbox = Box(left, y, COLUMN, h, l_lines)
        boxes.append(lbox)
        if r_lines:
            boxes.append(Box(right, y, COLUMN, h, r_lines))
            arrows.append(((left + COLUMN, y + h / 2), (right, y + h / 2)))
        if lefts:
            above = lefts[-1]
            arrows.append(((left + COLUMN / 2, above.y + above.h), (left + COLUMN / 2, y)))
        lefts.append(lbox)
        y += h + ROW_GAP
    boxes.extend(_phase_bars(lefts))
    height = y - ROW_GAP + MARGIN
    note = _awaiting(counts)
    if note:
        boxes.append(Box(left, height, width - left - MARGIN, LINE + PAD, [note], "none"))
        height += LINE + PAD + MARGIN
    return Diagram(width, height, boxes, arrows)


# Identification beside the first row, Screening beside the next three, Included
# beside the last, as in the template.
PHASES = (("Identification", 0, 0), ("Screening", 1, 3), ("Included", 4, 4))


def _bar_room(row: int) -> float:
    """The height a row needs for the turned label of a phase that has it alone."""
    for label, first, last in PHASES:
        if first == row == last:
            return len(label) * CHAR_WIDTH + 2 * PAD
    return 0


def _phase_bars(rows: list[Box]) -> list[Box]:
    return [
        Box(MARGIN, rows[a].y, BAR_WIDTH, rows[b].y + rows[b].h - rows[a].y, [label],
            PHASE_FILL, vertical=True)
        for label, a, b in PHASES
    ]  # fmt: skip


def _awaiting(counts: dict[str, Any]) -> str:
    parts = []
    if counts.get("awaiting_screening"):
        parts.append(_plural(counts["awaiting_screening"], "record") + " at title/abstract")
    if counts.get("awaiting_full_text"):
        parts.append(_plural(counts["awaiting_full_text"], "report") + " at full text")
    return "Awaiting a final decision: " + ", ".join(parts) if parts else ""


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# -- SVG ------------------------------------------------------------------------------------------


def prisma_svg(counts: dict[str, Any]) -> str:
    """The diagram as a standalone SVG document (every string escaped)."""
    d = diagram(counts)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{d.width:g}" '
        f'height="{d.height:g}" viewBox="0 0 {d.width:g} {d.height:g}" '
        f'font-family={quoteattr(FONT_FAMILY)} font-size="{FONT_SIZE}">',
        "<title>PRISMA 2020 flow diagram</title>",
        f'<rect x="0" y="0" width="{d.width:g}" height="{d.height:g}" fill="#FFFFFF"/>',
    ]
    for box in d.boxes:
        out.extend(_svg_box(box))
    for start, end in d.arrows:
        out.extend(_svg_arrow(start, end))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_box(box: Box) -> list[str]:
    out = []
    if box.fill != "none":
        out.append(
            f'<rect x="{box.x:g}" y="{box.y:g}" width="{box.w:g}" height="{box.h:g}" '
            f'rx="{8 if box.vertical else 3}" fill="{box.fill}" stroke="{INK}" stroke-width="1"/>'
        )
    for x, y, text, anchor in text_positions(box):
        turn = f' transform="rotate(-90 {x:g} {y:g})"' if box.vertical else ""
        weight = ' font-weight="bold"' if box.vertical or box.fill == HEADER_FILL else ""
        out.append(
            f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{weight}{turn} '
            f'fill="{INK}">{escape(clean(text))}</text>'
        )
    return out


def text_positions(box: Box) -> list[tuple[float, float, str, str]]:
    """(x, baseline y, text, anchor) of each line: a block centred vertically in the
    box, left-aligned (or centred for the header; turned about its centre for a bar)."""
    if box.vertical:
        cx, cy = box.x + box.w / 2, box.y + box.h / 2
        return [(cx + FONT_SIZE * 0.35, cy, box.lines[0], "middle")]
    top = box.y + (box.h - len(box.lines) * LINE) / 2
    x, anchor = (box.x + box.w / 2, "middle") if box.centered else (box.x + PAD, "start")
    return [
        (x, top + i * LINE + (LINE + FONT_SIZE * 0.7) / 2, line, anchor)
        for i, line in enumerate(box.lines)
    ]


def arrow_head(
    start: tuple[float, float], end: tuple[float, float], size: float = 8
) -> list[tuple[float, float]]:
    """The triangle at ``end`` of a horizontal or vertical arrow."""
    (x0, y0), (x1, y1) = start, end
    if y0 == y1:
        back = -size if x1 > x0 else size
        return [(x1, y1), (x1 + back, y1 - size / 2), (x1 + back, y1 + size / 2)]
    back = -size if y1 > y0 else size
    return [(x1, y1), (x1 - size / 2, y1 + back), (x1 + size / 2, y1 + back)]


def _svg_arrow(start: tuple[float, float], end: tuple[float, float]) -> list[str]:
    head = arrow_head(start, end)
    stop = (head[1][0], end[1]) if start[1] == end[1] else (end[0], head[1][1])
    points = " ".join(f"{x:g},{y:g}" for x, y in head)
    return [
        f'<line x1="{start[0]:g}" y1="{start[1]:g}" x2="{stop[0]:g}" y2="{stop[1]:g}" '
        f'stroke="{INK}" stroke-width="1.5"/>',
        f'<polygon points="{points}" fill="{INK}"/>',
    ]


# -- PNG ---------------------------------------------------------------------------------------------

FONT_FILES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf")  # fmt: skip
BOLD_FILES = tuple(f.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf") for f in FONT_FILES)


def _font(size: int, bold: bool = False) -> Any:
    """DejaVu Sans when the system has it (Pillow also searches the font folders),
    otherwise Pillow's own scalable font."""
    from PIL import ImageFont

    for name in BOLD_FILES if bold else FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def prisma_png(counts: dict[str, Any], path: str | Path, scale: float = 2.0) -> Path:
    """Paint the same diagram with Pillow into a PNG ``scale`` times the SVG's size."""
    from PIL import Image, ImageDraw

    d = diagram(counts)
    image = Image.new("RGB", (round(d.width * scale), round(d.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    fonts = {b: _font(round(FONT_SIZE * scale), b) for b in (False, True)}
    for box in d.boxes:
        _png_box(image, draw, box, scale, fonts)
    for start, end in d.arrows:
        _png_arrow(draw, start, end, scale)
    path = Path(path)
    image.save(path, "PNG", optimize=True)
    return path


def _png_box(image: Any, draw: Any, box: Box, s: float, fonts: dict[bool, Any]) -> None:
    bold = box.vertical or box.fill == HEADER_FILL
    if box.fill != "none":
        xy = [box.x * s, box.y * s, (box.x + box.w) * s, (box.y + box.h) * s]
        draw.rounded_rectangle(xy, radius=(8 if box.vertical else 3) * s, fill=box.fill,
                               outline=INK, width=max(1, round(s)))  # fmt: skip
    if box.vertical:
        _png_turned_label(image, box, s, fonts[True])
        return
    for x, y, text, anchor in text_positions(box):
        draw.text((x * s, y * s), clean(text), fill=INK, font=fonts[bold],
                  anchor="ms" if anchor == "middle" else "ls")  # fmt: skip


def _png_turned_label(image: Any, box: Box, s: float, font: Any) -> None:
    from PIL import Image, ImageDraw

    label = Image.new("RGBA", (round(box.h * s), round(box.w * s)), (0, 0, 0, 0))
    ImageDraw.Draw(label).text((label.width / 2, label.height / 2), box.lines[0], fill=INK,
                               font=font, anchor="mm")  # fmt: skip
    turned = label.rotate(90, expand=True)
    image.paste(turned, (round(box.x * s), round(box.y * s)), turned)


def _png_arrow(draw: Any, start: tuple[float, float], end: tuple[float, float], s: float) -> None:
    head = arrow_head(start, end)
    stop = (head[1][0], end[1]) if start[1] == end[1] else (end[0], head[1][1])
    draw.line([start[0] * s, start[1] * s, stop[0] * s, stop[1] * s], fill=INK,
              width=max(1, round(1.5 * s)))  # fmt: skip
    draw.polygon([(x * s, y * s) for x, y in head], fill=INK)


# -- files -------------------------------------------------------------------------------------------


def export_prisma_svg(store: Store, out_path: str | Path) -> Path:
    """Write the review's PRISMA diagram as SVG; return the path."""
    path = Path(out_path)
    path.write_text(prisma_svg(prisma_counts(store)), encoding="utf-8")
    return path


def export_prisma_png(store: Store, out_path: str | Path, scale: float = 2.0) -> Path:
    """Write the review's PRISMA diagram as PNG; return the path."""
    return prisma_png(prisma_counts(store), out_path, scale)
