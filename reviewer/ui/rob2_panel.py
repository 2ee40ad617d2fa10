"""Risk of bias (RoB 2) beside the document: the signalling questions of each domain,
the judgement the RoB 2 algorithm proposes, the reviewer's judgement, and overall.

Each answer is a template field, so the panel edits values like the form does: a
choice is handed to the window (``value_requested``) as an undoable, logged change. The
supporting quote of an answer comes from the document: drop selected words on the
question, or use the document's context menu ("Set field from selection" → RoB …);
words never set the answer, they support it. A question shows its quote, and focusing
it shows the words in the document.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from reviewer.analysis import rob2
from reviewer.domain import FieldValue
from reviewer.ui.mime import span_event
from reviewer.ui.results_grid import plain_tip

JUDGEMENT_COLOURS = {"Low": "#2e7d32", "Some concerns": "#b58900", "High": "#c62828"}


class Rob2Panel(QWidget):
    """The RoB 2 of the record shown (see module docs)."""

    value_requested = Signal(str, object)  # field key, value (None clears)
    span_dropped = Signal(str, int, int)  # field key, start, end
    field_focused = Signal(str)
    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.record_id: int | None = None
        self.combos: dict[str, QComboBox] = {}
        self.quotes: dict[str, QLabel] = {}
        self.proposals: dict[str, QLabel] = {}
        self._targets: dict[QObject, str] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.missing = QWidget()
        mv = QVBoxLayout(self.missing)
        note = QLabel("This review's template has no risk-of-bias questions.")
        note.setWordWrap(True)
        mv.addWidget(note)
        add = QPushButton("Add RoB 2 to the template")
        add.setObjectName("rob2_add")
        add.clicked.connect(self.add_requested)
        mv.addWidget(add)
        mv.addStretch(1)
        self.missing_scroll = QScrollArea()  # so the panel never widens the window
        self.missing_scroll.setWidgetResizable(True)
        self.missing_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.missing_scroll.setWidget(self.missing)
        outer.addWidget(self.missing_scroll)

        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.setSpacing(6)
        intro = QLabel("RoB 2 (individually randomised trials, effect of assignment). Answers: "
                       "Y, PY, PN, N, NI (no information), NA.")  # fmt: skip
        intro.setWordWrap(True)
        intro.setStyleSheet("font-size: 11px; color: palette(mid);")
        lay.addWidget(intro)
        for d in rob2.DOMAINS:
            lay.addWidget(self._domain(d))
        lay.addWidget(self._judgement_row(rob2.OVERALL_FIELD, "Overall risk of bias", None))
        lay.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll)
        self.set_available(False)

    def _domain(self, d: rob2.Domain) -> QWidget:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(1)
        title = QLabel(f"D{d.number}. {d.name}")
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: 600;")
        grid.addWidget(title, 0, 0, 1, 2)
        row = 1
        for q in d.questions:
            text = QLabel(f"{q.key} {q.text}" + (f" ({q.applies_if})" if q.applies_if else ""))
            text.setWordWrap(True)
            text.setStyleSheet("font-size: 11px;")
            combo = self._combo(q.field, rob2.ANSWERS)
            combo.setFixedWidth(56)
            quote = QLabel()
            quote.setObjectName(f"quote_{q.field}")
            quote.setTextFormat(Qt.TextFormat.PlainText)
            quote.setStyleSheet("font-size: 10px; color: palette(mid); font-style: italic;")
            quote.setWordWrap(True)
            self.quotes[q.field] = quote
            for w in (text, quote):
                self._target(w, q.field)
            grid.addWidget(text, row, 0)
            grid.addWidget(combo, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(quote, row + 1, 0, 1, 2)
            row += 2
        grid.addWidget(self._judgement_row(d.field, "Judgement", d.number), row, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        return box

    def _judgement_row(self, field: str, label: str, number: int | None) -> QWidget:
        w = QWidget()
        g = QGridLayout(w)
        g.setContentsMargins(0, 2, 0, 0)
        name = QLabel(label)
        name.setStyleSheet("font-weight: 600;")
        proposal = QLabel()
        proposal.setObjectName(f"proposal_{field}")
        proposal.setTextFormat(Qt.TextFormat.PlainText)
        self.proposals[field] = proposal
        combo = self._combo(field, rob2.JUDGEMENTS)
        combo.setMinimumWidth(110)
        quote = QLabel()
        quote.setTextFormat(Qt.TextFormat.PlainText)
        quote.setStyleSheet("font-size: 10px; color: palette(mid); font-style: italic;")
        quote.setWordWrap(True)
        self.quotes[field] = quote
        self._target(name, field)
        g.addWidget(name, 0, 0)
        g.addWidget(combo, 0, 1)
        g.addWidget(proposal, 1, 0, 1, 2)
        g.addWidget(quote, 2, 0, 1, 2)
        g.setColumnStretch(0, 1)
        return w

    def _combo(self, field: str, choices: tuple[str, ...]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"rob2field_{field}")
        combo.addItems(["", *choices])
        combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        combo.activated.connect(lambda _i, f=field, c=combo: self._chosen(f, c))
        self.combos[field] = combo
        self._target(combo, field)
        return combo

    def _target(self, widget: QWidget, field: str) -> None:
        """Words dropped on this widget support ``field``; focusing it shows them."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)
        self._targets[widget] = field

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        field = self._targets.get(obj)
        if field is None:
            return False
        kind = event.type()
        if kind in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            self.field_focused.emit(field)
        else:
            consumed, span = span_event(event, self.record_id)
            if span is not None:
                self.span_dropped.emit(field, span["start"], span["end"])
            if consumed:
                return True
        return False

    def _chosen(self, field: str, combo: QComboBox) -> None:
        if self.record_id is not None:
            self.value_requested.emit(field, combo.currentText() or None)

    # -- showing -------------------------------------------------------------------------------

    def set_available(self, available: bool) -> None:
        """Whether the template has the RoB 2 fields."""
        self.missing_scroll.setVisible(not available)
        self.scroll.setVisible(available)

    def show_values(self, record_id: int | None, values: dict[str, FieldValue]) -> None:
        self.record_id = record_id
        self.setEnabled(record_id is not None)
        plain = {k: v.value for k, v in values.items()}
        for field, combo in self.combos.items():
            combo.blockSignals(True)
            combo.setCurrentText(str(plain.get(field) or ""))
            combo.blockSignals(False)
            fv = values.get(field)
            quotes = [s.quote for s in fv.provenance] if fv else []
            label = self.quotes[field]
            text = " | ".join(" ".join(q.split()) for q in quotes)
            label.setText(f"“{text[:117]}…”" if len(text) > 118 else (f"“{text}”" if text else ""))
            label.setToolTip(plain_tip(text))
            label.setVisible(bool(text))
        x = rob2.assess(record_id or 0, plain)
        for d in rob2.DOMAINS:
            self._proposal(d.field, x.proposed[d.number], plain.get(d.field))
        self._proposal(rob2.OVERALL_FIELD, x.proposed_overall, plain.get(rob2.OVERALL_FIELD))

    def _proposal(self, field: str, proposed: str | None, judged: Any) -> None:
        label = self.proposals[field]
        if proposed is None:
            label.setText("Algorithm: answer the questions to get a proposal")
            _restyle(label, "font-size: 11px; color: palette(mid);")
            return
        differs = judged and judged != proposed
        label.setText(f"Algorithm proposes: {proposed}"
                      + (" (your judgement differs)" if differs else ""))  # fmt: skip
        colour = JUDGEMENT_COLOURS.get(proposed, "")
        _restyle(label, f"font-size: 11px; color: {colour};")


def _restyle(widget: QWidget, style: str) -> None:
    """Set a style sheet only when it changes: each call re-styles the widget, which
    every record shown would otherwise pay for each label."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)
