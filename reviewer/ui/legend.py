"""How each kind of mark looks in the document view, and the legend that says so.

One palette for the whole UI: values are filled with their field group's colour,
suggestions a faint wash of that colour with a dotted underline in a darker shade
(a proposal, not yet a value), notes a yellow fill with an amber underline, and screening keywords
a coloured text. ``char_format`` is the single place that turns a kind and a group
into a text format; the document view draws with it and the legend draws its
samples with it, so the two cannot disagree.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QSizePolicy, QWidget

GROUPS = ("bibliographic", "design", "population", "intervention", "outcomes", "other")

# Light fills for accepted values, readable under black text.
GROUP_COLOURS: dict[str, str] = {
    "bibliographic": "#cfd8dc",
    "design": "#e1bee7",
    "population": "#c8e6c9",
    "intervention": "#bbdefb",
    "outcomes": "#ffccbc",
    "risk_of_bias": "#f8bbd0",  # RoB 2 answers (a tab of their own, not in the legend)
    "other": "#d7ccc8",
}
# The same hues, dark enough for a thin underline.
GROUP_ACCENTS: dict[str, str] = {
    "bibliographic": "#455a64",
    "design": "#8e24aa",
    "population": "#2e7d32",
    "intervention": "#1565c0",
    "outcomes": "#d84315",
    "risk_of_bias": "#ad1457",
    "other": "#6d4c41",
}
NOTE_FILL = "#fff59d"
NOTE_ACCENT = "#f9a825"
KEYWORD_COLOURS = {"keyword_include": "#1b5e20", "keyword_exclude": "#b71c1c"}
FLASH_COLOUR = "#ffca28"
SUGGESTION_ALPHA = 90  # of 255: a suggestion's fill is a faint wash of its group's colour

KINDS = ("value", "suggestion", "note", "keyword_include", "keyword_exclude")


def group_colour(group: str | None) -> str:
    return GROUP_COLOURS.get(group or "other", GROUP_COLOURS["other"])


def char_format(kind: str, group: str | None = None) -> QTextCharFormat:
    """The format a mark of ``kind`` (and field ``group``) is drawn with."""
    fmt = QTextCharFormat()
    accent = QColor(GROUP_ACCENTS.get(group or "other", GROUP_ACCENTS["other"]))
    if kind == "value":
        fmt.setBackground(QColor(group_colour(group)))
    elif kind == "suggestion":
        tint = QColor(group_colour(group))
        tint.setAlpha(SUGGESTION_ALPHA)
        fmt.setBackground(tint)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(accent)
    elif kind == "note":
        fmt.setBackground(QColor(NOTE_FILL))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(QColor(NOTE_ACCENT))
    elif kind in KEYWORD_COLOURS:
        fmt.setForeground(QColor(KEYWORD_COLOURS[kind]))
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(QColor(KEYWORD_COLOURS[kind]))
    else:
        raise ValueError(f"no style for a mark of kind {kind!r}")
    return fmt


# (text shown, kind, group): what the legend lists, in order
ENTRIES: list[tuple[str, str, str | None]] = [
    *((g.capitalize(), "value", g) for g in GROUPS),
    ("suggested", "suggestion", "outcomes"),
    ("note", "note", None),
    ("include term", "keyword_include", None),
    ("exclude term", "keyword_exclude", None),
]
_GAP = 10
_PAD = 3


class Legend(QWidget):
    """A wrapping row of samples: each group's colour, then suggestion, note, keywords.

    Keyword samples appear only while keywords are shown (``set_keywords``), so the
    legend lists nothing the reviewer cannot see in the text.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("legend")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._keywords = False
        self._layouts: list[QTextLayout] = []
        self._rebuild()

    def entries(self) -> list[tuple[str, str, str | None]]:
        return [e for e in ENTRIES if self._keywords or not e[1].startswith("keyword")]

    def set_keywords(self, shown: bool) -> None:
        if shown != self._keywords:
            self._keywords = shown
            self._rebuild()

    def _rebuild(self) -> None:
        self._layouts = [_sample(text, kind, group, self) for text, kind, group in self.entries()]
        self.setToolTip(
            "Marks in the text: accepted values are filled with their field group's colour; "
            "suggested values are underlined with dots; notes are yellow."
        )
        self.updateGeometry()
        self.update()

    def _positions(self, width: int) -> tuple[list[QPointF], int]:
        """Where each sample goes when the row wraps at ``width``; and the height used."""
        line_h = QFontMetrics(self.font()).height() + 2 * _PAD
        x, y, out = 0.0, 0.0, []
        for layout in self._layouts:
            w = _width(layout) + 2 * _PAD
            if x > 0 and x + w > width:
                x, y = 0.0, y + line_h + 2
            out.append(QPointF(x + _PAD, y + _PAD))
            x += w + _GAP
        return out, int(y + line_h)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        return self._positions(max(width, 1))[1]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        total = sum(int(_width(lay)) + 2 * _PAD + _GAP for lay in self._layouts)
        return QSize(total, self.heightForWidth(total))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(60, self.heightForWidth(60))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        positions, _ = self._positions(self.width())
        for layout, pos in zip(self._layouts, positions, strict=True):
            layout.draw(painter, pos)
        painter.end()


def _sample(text: str, kind: str, group: str | None, widget: QWidget) -> QTextLayout:
    """``text`` laid out once, drawn with the format of its kind."""
    layout = QTextLayout(text, widget.font())
    fr = QTextLayout.FormatRange()
    fr.start, fr.length, fr.format = 0, len(text), char_format(kind, group)
    layout.setFormats([fr])
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(10_000)
    layout.endLayout()
    return layout


def _width(layout: QTextLayout) -> float:
    return layout.lineAt(0).naturalTextWidth()
