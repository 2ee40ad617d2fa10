"""The filter panel: narrow the record list by decision, conflict, reason, tag and
reviewer, each option showing how many records it would leave.

The panel holds only choices and labels. The window owns the stage and the search
text, calls ``filters.filter_records`` once per change (the ids for the list and
the counts for every option, in one go) and hands the counts back with
``set_counts``, which relabels the options without touching the choice. So a
change costs one query round, however many combos there are.

While the review is blinded (``set_blinded``) the decision and reason filters read
the viewer's own decisions (the viewer is passed as ``viewer``, a point of view that
never narrows the list by itself), and the reviewer filter offers only the viewer:
their own decisions are all they may see, and other reviewers' names and counts
would say more than that.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.review.filters import DECISION_OPTIONS, FACETS
from reviewer.ui.theme import disabled_colour
from reviewer.wording import count

ANY = "any"
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
CONFLICT_OPTIONS = ((True, "conflict", "in conflict"), (False, "no_conflict", "not in conflict"))
_TIPS = {
    "decision": (
        "The stage's final decision; with a reviewer chosen, that reviewer's own. "
        "“maybe”: some reviewer said maybe; records in conflict are under Conflict."
    ),
    "conflict": "Records the reviewers disagree on and nobody has resolved yet",
    "reason": "Exclusion reason given by a reviewer, or by the resolver",
    "tag": "Records carrying the tag",
    "reviewer": "Records the reviewer has screened at this stage",
}


class FilterPanel(QWidget):
    """A combo per facet; each option labelled with its count, e.g. “exclude (700)”."""

    # {"decision":, "conflict":, "reason":, "tag":, "reviewer":, "viewer":}
    filters_changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("filter_panel")
        self._viewer: str | None = None  # set while the review is blinded
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        for facet in FACETS:
            combo = QComboBox()
            combo.setObjectName(f"filter_{facet}")
            combo.setToolTip(_TIPS[facet])
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.addItem(ANY, None)
            combo.currentIndexChanged.connect(lambda _i: self._emit())
            self.combos[facet] = combo
            form.addRow(facet.capitalize(), combo)
        for value, _key, words in CONFLICT_OPTIONS:
            self.combos["conflict"].addItem(words, value)
        for option in DECISION_OPTIONS:
            self.combos["decision"].addItem(option, option)

        self.total = QLabel()
        self.total.setObjectName("filter_total")
        self.total.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setObjectName("filter_clear")
        self.clear_button.clicked.connect(self.clear)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total)
        bottom.addStretch(1)
        bottom.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addLayout(bottom)
        layout.addStretch(1)
        self._update_clear()

    # -- the choice ---------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The chosen filters as ``filter_records`` keyword arguments (``None``: any)."""
        out: dict[str, Any] = {facet: combo.currentData() for facet, combo in self.combos.items()}
        out["viewer"] = self._viewer
        return out

    def set_filters(self, **chosen: Any) -> None:
        """Choose options (e.g. ``decision="exclude"``); unknown values are added."""
        with self._quiet():
            for facet, value in chosen.items():
                combo = self.combos[facet]
                index = combo.findData(value)
                if index < 0:
                    combo.addItem(str(value), value)
                    index = combo.count() - 1
                combo.setCurrentIndex(index)
        self._emit()

    def clear(self) -> None:
        """Back to “any” everywhere: every record at the stage."""
        with self._quiet():
            for combo in self.combos.values():
                combo.setCurrentIndex(0)
        self._emit()

    def set_blinded(self, viewer: str | None) -> None:
        """While blinded, read decisions as ``viewer``'s and name no other reviewer;
        ``None`` once the review is unblinded."""
        combo = self.combos["reviewer"]
        self._viewer = viewer
        with self._quiet():
            if viewer is not None:
                if combo.currentData() not in (None, viewer):
                    combo.setCurrentIndex(0)
                _fill(combo, {viewer: None})
                combo.setToolTip(
                    "The review is blinded: decisions and reasons are your own; "
                    "choose your name to list only the records you have screened"
                )
            else:
                combo.setToolTip(_TIPS["reviewer"])
        self._emit()

    def _emit(self) -> None:
        if self.signalsBlocked():
            return
        self._update_clear()
        self.filters_changed.emit(self.filters())

    def _update_clear(self) -> None:
        chosen = self.filters()
        chosen.pop("viewer")
        self.clear_button.setEnabled(any(v is not None for v in chosen.values()))

    def _quiet(self) -> _Blocked:
        return _Blocked(self)

    # -- the counts ---------------------------------------------------------------------------

    def set_counts(self, counts: dict[str, Any]) -> None:
        """Relabel every option from ``filter_counts``'s result, keeping the choice."""
        with self._quiet():
            decisions = counts.get("decision", {})
            _relabel(self.combos["decision"], {o: decisions.get(o, 0) for o in DECISION_OPTIONS})
            conflict = counts.get("conflict", {})
            combo = self.combos["conflict"]
            for i, (_value, key, words) in enumerate(CONFLICT_OPTIONS, start=1):
                _set_option(combo, i, words, conflict.get(key, 0))
            for facet in ("reason", "tag"):
                _fill(self.combos[facet], counts.get(facet, {}))
            reviewers = counts.get("reviewer", {})
            if self._viewer is not None:
                reviewers = {self._viewer: reviewers.get(self._viewer, 0)}
            _fill(self.combos["reviewer"], reviewers)
        total = counts.get("total")
        if total is not None:
            self.total.setText(count(total, "record"))

    def option_labels(self, facet: str) -> list[str]:
        """The combo's labels, “any” first (what the reviewer reads)."""
        combo = self.combos[facet]
        return [combo.itemText(i) for i in range(combo.count())]


class _Blocked:
    """Changes made inside ``with`` emit nothing; the caller emits once at the end."""

    def __init__(self, panel: FilterPanel):
        self.panel = panel

    def __enter__(self) -> None:
        self.was = self.panel.blockSignals(True)

    def __exit__(self, *exc: object) -> None:
        self.panel.blockSignals(self.was)


def _set_option(combo: QComboBox, index: int, words: str, n: int | None) -> None:
    """Label an option with its count; an option that would leave nothing is greyed
    (still choosable: the reviewer may be about to change another filter)."""
    combo.setItemText(index, words if n is None else f"{words} ({n})")
    combo.setItemData(index, QBrush(disabled_colour()) if n == 0 else None, _FOREGROUND)


def _relabel(combo: QComboBox, counts: dict[str, int]) -> None:
    for i in range(1, combo.count()):
        value = combo.itemData(i)
        _set_option(combo, i, str(value), counts.get(value, 0))


def _fill(combo: QComboBox, counts: dict[str, int | None]) -> None:
    """Make the options ``counts``' keys, in order, keeping the chosen one (shown with 0
    when it is gone, such as a tag just removed from its last record)."""
    chosen = combo.currentData()
    options = dict(counts)
    if chosen is not None and chosen not in options:
        options[chosen] = 0
    was = combo.blockSignals(True)
    combo.clear()
    combo.addItem(ANY, None)
    for value, n in options.items():
        combo.addItem("", value)
        _set_option(combo, combo.count() - 1, str(value), n)
    combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen is not None else 0)
    combo.blockSignals(was)
