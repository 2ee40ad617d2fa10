"""The meta-analysis window (forest plot, pooled estimate, heterogeneity) and the RoB 2
traffic-light plot: the pictures ``reviewer analyse --plot`` and ``reviewer rob2 --plot``
save, drawn on the worker thread and shown here, with buttons to save them and to hand
the data to RevMan or R.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
)

from reviewer.analysis.forest import WIDTH_INCHES
from reviewer.domain.results import MEASURE_NAMES, MEASURES
from reviewer.store import Store
from reviewer.ui import plain
from reviewer.ui.session import Session


def _picture(label: QLabel, png: bytes, ratio: float) -> None:
    pix = QPixmap()
    pix.loadFromData(png, "PNG")
    pix.setDevicePixelRatio(ratio)
    label.setPixmap(pix)


class AnalysisDialog(QDialog):
    """Choose an outcome, a measure and a model; see the forest plot and the numbers."""

    def __init__(self, session: Session):
        super().__init__(session.widget)
        self.setObjectName("analysis_dialog")
        self.setWindowTitle("Meta-analysis")
        self.window_ = session  # the review, its jobs and status bar
        self.analysis: Any = None
        self.outcome = QComboBox()
        self.outcome.setObjectName("analysis_outcome")
        self.outcome.setMinimumWidth(180)
        self.measure = QComboBox()
        self.measure.setObjectName("analysis_measure")
        for m in MEASURES:
            self.measure.addItem(f"{m} — {MEASURE_NAMES[m]}", m)
        self.model = QComboBox()
        self.model.setObjectName("analysis_model")
        self.model.addItem("Random effects", "random")
        self.model.addItem("Fixed effect", "fixed")
        self.method = QComboBox()
        self.method.setObjectName("analysis_method")
        for key, text in (("DL", "DerSimonian–Laird"), ("REML", "REML"), ("PM", "Paule–Mandel")):
            self.method.addItem(text, key)
        self.model.currentIndexChanged.connect(
            lambda _i: self.method.setEnabled(self.model.currentData() == "random")
        )
        self.medians = QCheckBox("Medians → means (Wan 2014)")
        self.medians.setToolTip("Only for studies that report a median with IQR or range and no "
                                "mean: estimate mean and SD by Wan et al. (2014)")  # fmt: skip
        self.run = QPushButton("Analyse")
        self.run.setObjectName("analysis_run")
        self.run.setDefault(True)
        self.run.clicked.connect(self.start)

        top = QHBoxLayout()
        for w in (QLabel("Outcome"), self.outcome, self.measure, self.model, self.method):
            top.addWidget(w)
        top.addStretch(1)
        second = QHBoxLayout()
        second.addWidget(self.medians)
        second.addStretch(1)
        second.addWidget(self.run)

        self.picture = QLabel("Choose an outcome and press Analyse.")
        self.picture.setObjectName("analysis_plot")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        self.scroll = scroll
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("analysis_summary")
        self.summary.setReadOnly(True)
        self.summary.setMaximumHeight(110)

        buttons = QHBoxLayout()
        self.save = QPushButton("Save plot…")
        self.save.setObjectName("analysis_save")
        self.save.clicked.connect(self.save_plot)
        self.to_r = QPushButton("Export for R (metafor)…")
        self.to_r.clicked.connect(self.export_metafor)
        for b in (self.save, self.to_r):
            b.setEnabled(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons.addWidget(close)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(second)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.summary)
        lay.addLayout(buttons)
        screen = self.screen().availableGeometry() if self.screen() else None
        w, h = 1000, 720
        if screen is not None:
            w, h = min(w, screen.width() - 40), min(h, screen.height() - 60)
        self.resize(w, h)
        self.reload_outcomes()

    def reload_outcomes(self) -> None:
        from reviewer.analysis.dataset import outcome_names

        keep = self.outcome.currentData()
        self.outcome.clear()
        for name, tp in outcome_names(self.window_.store):
            self.outcome.addItem(name + (f" · {tp}" if tp else ""), (name, tp))
        if keep is not None and (i := self.outcome.findData(keep)) >= 0:
            self.outcome.setCurrentIndex(i)
        self.run.setEnabled(self.outcome.count() > 0)
        if not self.outcome.count():
            self.picture.setText("No results yet: fill the Results tab beside a record, or "
                                 "File → Import results CSV.")  # fmt: skip

    def choose(self, outcome: str, measure: str, model: str = "random", method: str = "DL") -> None:
        for i in range(self.outcome.count()):
            if self.outcome.itemData(i)[0].casefold() == outcome.casefold():
                self.outcome.setCurrentIndex(i)
        self.measure.setCurrentIndex(self.measure.findData(measure))
        self.model.setCurrentIndex(self.model.findData(model))
        self.method.setCurrentIndex(self.method.findData(method))

    def options(self) -> dict[str, Any]:
        name, tp = self.outcome.currentData()
        return {
            "outcome": name,
            "timepoint": tp,
            "measure": self.measure.currentData(),
            "model": self.model.currentData(),
            "method": self.method.currentData(),
            "medians": "wan" if self.medians.isChecked() else None,
        }

    def start(self) -> None:
        if self.outcome.currentData() is None:
            return
        opts = self.options()
        path, read_only = self.window_.store.path, self.window_.store.read_only
        ratio = self.devicePixelRatioF()
        # drawn to the width it is shown at, so the whole plot is seen without scrolling
        room = self.scroll.viewport().width() - self.scroll.verticalScrollBar().sizeHint().width()
        dpi = max(60.0, min(150.0, (room - 8) / WIDTH_INCHES)) * ratio
        self.run.setEnabled(False)
        self.picture.setText("Analysing…")

        def work(progress, cancelled) -> tuple[Any, bytes | None]:
            from reviewer.analysis.dataset import analyse
            from reviewer.analysis.forest import figure_png, forest_figure

            with Store(path, read_only=read_only) as store:  # it only reads
                a = analyse(store, opts["outcome"], opts["measure"], opts["model"],
                            opts["method"], opts["timepoint"], opts["medians"])  # fmt: skip
            png = figure_png(forest_figure(a), dpi=int(dpi)) if a.pooled else None
            return a, png

        self.window_.jobs.start(work, on_success=self._done, on_failure=self._failed)

    def _done(self, result: tuple[Any, bytes | None]) -> None:
        a, png = result
        self.analysis = a
        self.run.setEnabled(True)
        if png:
            _picture(self.picture, png, self.devicePixelRatioF())
        else:
            self.picture.setText("No study could be analysed (see below).")
        self.summary.setPlainText(summary_text(a))
        for b in (self.save, self.to_r):
            b.setEnabled(a.pooled is not None)

    def _failed(self, message: str) -> None:
        self.run.setEnabled(True)
        self.picture.setText("")
        self.summary.setPlainText(f"The analysis failed: {message}")

    def save_plot(self) -> None:
        if self.analysis is None:
            return
        default = str(self.window_.store.path.with_suffix("")) + "-forest.png"
        path, _ = QFileDialog.getSaveFileName(self, "Save forest plot", default,
                                              "PNG image (*.png);;SVG image (*.svg)")  # fmt: skip
        if not path:
            return
        a = self.analysis

        def work(progress, cancelled) -> str:
            from reviewer.analysis.forest import save_forest

            return str(save_forest(a, path))

        self.window_.jobs.start(
            work,
            on_success=lambda p: self.window_.status(f"Saved {p}", 6000),
            on_failure=lambda m: plain.warn(self, "Cannot save the plot", m),
        )

    def export_metafor(self) -> None:
        opts = self.options()
        default = str(self.window_.store.path.with_suffix("")) + "-metafor.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Export for metafor", default, "CSV (*.csv)")
        if not path:
            return
        review, read_only = self.window_.store.path, self.window_.store.read_only

        def work(progress, cancelled) -> str:
            from reviewer.export.results_export import export_metafor

            with Store(review, read_only=read_only) as store:  # it only reads
                r = export_metafor(store, path, opts["outcome"], opts["measure"], opts["model"],
                                   opts["method"], opts["timepoint"], opts["medians"])  # fmt: skip
            return f"{r.path} and {Path(r.path).with_suffix('.R').name}"

        self.window_.jobs.start(
            work,
            on_success=lambda p: self.window_.status(f"Wrote {p}", 8000),
            on_failure=lambda m: plain.warn(self, "Cannot export", m),
        )


def summary_text(a: Any) -> str:
    """The pooled result, heterogeneity and the studies left out, in a few lines."""
    d = a.as_json()
    lines = []
    model = "fixed effect" if a.model == "fixed" else f"random effects ({d['method_name']})"
    lines.append(f"{d['measure_name']}, {model}: {d['k']} studies")
    if a.pooled is not None:
        lines.append(f"Pooled {d['measure']} {d['estimate']:.3f} (95% CI {d['ci_low']:.3f} to "
                     f"{d['ci_high']:.3f}), P = {d['p']:.2g}")  # fmt: skip
        tau = f"τ² = {d['tau2']:.4f}; " if d["tau2"] is not None else ""
        lines.append(f"Heterogeneity: {tau}I² = {d['i2']:.1f}%; Q = {d['q']:.2f} "
                     f"(df {d['q_df']}, P = {d['q_p']:.2g})")  # fmt: skip
        if pi := d["prediction_interval"]:
            lines.append(f"Prediction interval {pi['low']:.3f} to {pi['high']:.3f} "
                         f"({pi['method']})")  # fmt: skip
    for s in d["not_included"]:
        lines.append(f"Not included: {s['study']}: {s['reason']}")
    for s in d["studies"]:
        for note in s["notes"]:
            lines.append(f"{s['study']}: {note}")
    return "\n".join(lines)


class Rob2PlotDialog(QDialog):
    """The traffic-light plot of every assessed record, with Save."""

    def __init__(self, session: Session):
        super().__init__(session.widget)
        self.setObjectName("rob2_plot_dialog")
        self.setWindowTitle("Risk of bias (RoB 2)")
        self.window_ = session  # the review, its jobs and status bar
        self.picture = QLabel("Drawing…")
        self.picture.setObjectName("rob2_plot")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        save = QPushButton("Save plot…")
        save.clicked.connect(self.save)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(save)
        row.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addLayout(row)
        self.resize(820, 620)
        self.refresh()

    def refresh(self) -> None:
        path, read_only = self.window_.store.path, self.window_.store.read_only
        ratio = self.devicePixelRatioF()

        def work(progress, cancelled) -> bytes | None:
            from reviewer.analysis import rob2
            from reviewer.analysis.dataset import study_labels
            from reviewer.analysis.forest import figure_png

            with Store(path, read_only=read_only) as store:  # it only reads
                rows = rob2.assessments(store)
                if not rows:
                    return None
                labels = study_labels(store, [x.record_id for x in rows])
            fig = rob2.traffic_light_figure([labels[x.record_id] for x in rows], rows)
            return figure_png(fig, dpi=int(100 * ratio))

        def done(png: bytes | None) -> None:
            if png is None:
                self.picture.setText("No record has a RoB 2 assessment yet (Risk of bias tab).")
            else:
                _picture(self.picture, png, self.devicePixelRatioF())

        self.window_.jobs.start(work, on_success=done,
                                on_failure=lambda m: self.picture.setText(f"Failed: {m}"))  # fmt: skip

    def save(self) -> None:
        default = str(self.window_.store.path.with_suffix("")) + "-rob2.png"
        path, _ = QFileDialog.getSaveFileName(self, "Save RoB 2 plot", default,
                                              "PNG image (*.png);;SVG image (*.svg)")  # fmt: skip
        if not path:
            return
        review, read_only = self.window_.store.path, self.window_.store.read_only
        fmt = "rob2-svg" if path.lower().endswith(".svg") else "rob2-png"

        def work(progress, cancelled) -> str:
            from reviewer.export.formats import export

            with Store(review, read_only=read_only) as store:  # it only reads
                return str(export(store, fmt, path).path)

        self.window_.jobs.start(
            work,
            on_success=lambda p: self.window_.status(f"Saved {p}", 6000),
            on_failure=lambda m: plain.warn(self, "Cannot save the plot", m),
        )


__all__ = ["AnalysisDialog", "Rob2PlotDialog", "summary_text"]
