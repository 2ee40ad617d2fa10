"""Results handed over: the long results CSV, RevMan's study-data CSVs, and a metafor
CSV with the R script that analyses it.

* **results-csv**: one row per arm and outcome (and one per reported comparison), in
  the layout ``reviewer import-results`` reads back (``reviewer.ingest.results_csv``),
  each row with the quote and page its numbers came from.
* **revman**: the three study-data CSVs RevMan Web imports (study information, one
  row per study; study arms, one row per arm and the intervention it maps to; study
  results, one row per arm and outcome, and contrast-level rows for estimates).
* **metafor**: one analysis (outcome, measure) as a CSV with the raw columns
  ``escalc`` takes (``ai, n1i, ci, n2i`` or ``m1i, sd1i, n1i, m2i, sd2i, n2i``) plus
  the log estimate and variance of studies that reported only an estimate, and an R
  script beside it that runs ``escalc`` and ``rma`` on it.

Cells go through the same neutralising as every table (``reviewer.domain.cells``): a
quote that begins with ``=`` cannot run as a formula, numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reviewer import __version__
from reviewer.analysis.dataset import analyse, study_labels
from reviewer.domain.cells import csv_text
from reviewer.domain.models import now_iso
from reviewer.domain.results import Item, StudyResults, arm_label
from reviewer.export.common import ExportReport, atomic_output
from reviewer.ingest.results_csv import EXTRA_COLUMNS, LONG_COLUMNS
from reviewer.store import Store
from reviewer.store import results as result_store

RESULT_CELLS = ("events", "n", "mean", "sd", "median", "q1", "q3", "min", "max")
COMPARISON_CELLS = ("estimate", "ci_low", "ci_high", "ci_level", "se", "p_value")
LONG_HEADER = (*LONG_COLUMNS, *(c for c in EXTRA_COLUMNS if c != "title"))


def _write(path: Path, header: tuple[str, ...], rows: Iterator[list[Any]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_text(v) for v in row])
            n += 1
    return n


def _studies(store: Store) -> tuple[list[StudyResults], dict[int, str]]:
    found = list(result_store.all_results(store))
    return found, study_labels(store, [r.record_id for r in found])


# -- the long results CSV --------------------------------------------------------------------


def export_results_csv(store: Store, out_path: str | Path) -> ExportReport:
    """Every study's results, one row per arm and outcome and per comparison."""
    report = ExportReport(Path(out_path))
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(out_path, report) as tmp:
        report.rows = _write(tmp, LONG_HEADER, long_rows(store))
    return report


def long_rows(store: Store) -> Iterator[list[Any]]:
    found, labels = _studies(store)
    for results in found:
        record = store.record(results.record_id)
        base = {"study_id": labels[results.record_id], "record_id": record.id, "doi": record.doi}
        described: set[str] = set()
        for outcome in results.outcomes:
            for r in results.results:
                if r.value("outcome") != outcome.id:
                    continue
                arm = results.get(r.value("arm"))
                described.add(arm.id if arm else "")
                yield _row(base, outcome, arm, r, RESULT_CELLS)
            for c in results.comparisons:
                if c.value("outcome") != outcome.id:
                    continue
                exp, ctrl = results.get(c.value("experimental")), results.get(c.value("control"))
                yield _row(base, outcome, None, c, COMPARISON_CELLS, exp, ctrl)
        for arm in results.arms:  # arms with no result keep their description
            if arm.id not in described:
                yield _row(base, None, arm, None, ())


def _row(
    base: dict[str, Any],
    outcome: Item | None,
    arm: Item | None,
    item: Item | None,
    cells: tuple[str, ...],
    exp: Item | None = None,
    ctrl: Item | None = None,
) -> list[Any]:
    row: dict[str, Any] = dict(base)
    if outcome is not None:
        row.update(outcome=outcome.value("name"), timepoint=outcome.value("timepoint"),
                   outcome_kind=outcome.value("kind"))  # fmt: skip
    if arm is not None:
        row.update(arm=arm.value("name"), role=arm.value("role"),
                   n_randomised=arm.value("n_randomised"), n_analysed=arm.value("n_analysed"),
                   intervention=arm.value("intervention"))  # fmt: skip
    if item is not None:
        for key in cells:
            row[key] = item.value(key)
        if item.kind == "comparison":
            row["measure"] = item.value("measure")
            row["experimental_arm"] = arm_label(exp)
            row["control_arm"] = arm_label(ctrl)
        row["quote"] = item.quote(*cells)
        row["page"] = item.page(*cells)
    return [row.get(col) for col in LONG_HEADER]


# -- RevMan -----------------------------------------------------------------------------------

REVMAN_FILES = ("study_information.csv", "study_arms.csv", "study_results.csv")
REVMAN_INFORMATION = ("Study ID", "Year", "Title", "Authors", "Journal", "DOI", "Record ID")
REVMAN_ARMS = ("Study ID", "Arm", "Intervention", "Group", "Participants randomised",
               "Participants analysed")  # fmt: skip
REVMAN_RESULTS = (
    "Study ID", "Outcome", "Time point", "Data type", "Arm", "Group", "Events", "Total",
    "Mean", "SD", "Experimental arm", "Control arm", "Effect measure", "Estimate",
    "CI lower", "CI upper", "CI level", "SE", "Support",
)  # fmt: skip
_GROUP = {"experimental": "Experimental", "control": "Control", "other": "Other"}
_DATA_TYPE = {"dichotomous": "Dichotomous", "continuous": "Continuous"}


def export_revman(store: Store, out_dir: str | Path) -> ExportReport:
    """RevMan Web's study-data CSVs in ``out_dir`` (made if need be): study information,
    study arms and study results. Import them in RevMan after the studies' references."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    found, labels = _studies(store)
    report = ExportReport(out)
    parts = (
        (REVMAN_FILES[0], REVMAN_INFORMATION, _revman_information(store, found, labels)),
        (REVMAN_FILES[1], REVMAN_ARMS, _revman_arms(found, labels)),
        (REVMAN_FILES[2], REVMAN_RESULTS, _revman_results(found, labels)),
    )
    for name, header, rows in parts:
        part = ExportReport(out / name)
        with atomic_output(out / name, part) as tmp:
            part.rows = _write(tmp, header, rows)
        report.sheets[name] = part.rows
    report.rows = report.sheets[REVMAN_FILES[2]]
    return report


def _revman_information(
    store: Store, found: list[StudyResults], labels: dict[int, str]
) -> Iterator[list[Any]]:
    for results in found:
        r = store.record(results.record_id)
        yield [labels[r.id], r.year, r.title, "; ".join(r.authors), r.journal, r.doi, r.id]


def _revman_arms(found: list[StudyResults], labels: dict[int, str]) -> Iterator[list[Any]]:
    for results in found:
        for arm in results.arms:
            yield [
                labels[results.record_id],
                arm.value("name"),
                arm.value("intervention") or arm.value("name"),
                _GROUP.get(arm.value("role") or "", ""),
                arm.value("n_randomised"),
                arm.value("n_analysed"),
            ]


def _revman_results(found: list[StudyResults], labels: dict[int, str]) -> Iterator[list[Any]]:
    for results in found:
        study = labels[results.record_id]
        for outcome in results.outcomes:
            head = [study, outcome.value("name"), outcome.value("timepoint")]
            data_type = _DATA_TYPE.get(outcome.value("kind") or "", "Other")
            for r in results.results:
                if r.value("outcome") != outcome.id:
                    continue
                arm = results.get(r.value("arm"))
                yield [*head, data_type, arm_label(arm),
                       _GROUP.get(arm.value("role") if arm else "", ""), r.value("events"),
                       r.value("n"), r.value("mean"), r.value("sd"), None, None, None, None,
                       None, None, None, None, r.quote()]  # fmt: skip
            for c in results.comparisons:
                if c.value("outcome") != outcome.id:
                    continue
                yield [*head, "Contrast level", None, None, None, None, None, None,
                       arm_label(results.get(c.value("experimental"))),
                       arm_label(results.get(c.value("control"))), c.value("measure"),
                       c.value("estimate"), c.value("ci_low"), c.value("ci_high"),
                       c.value("ci_level") or 95, c.value("se"), c.quote()]  # fmt: skip


# -- metafor --------------------------------------------------------------------------------

METAFOR_COUNTS = ("ai", "n1i", "ci", "n2i")
METAFOR_MEANS = ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i")


def export_metafor(
    store: Store,
    out_path: str | Path,
    outcome: str,
    measure: str,
    model: str = "random",
    method: str = "DL",
    timepoint: str | None = None,
    medians: str | None = None,
) -> ExportReport:
    """One analysis as ``OUT.csv`` and the R script ``OUT.R`` that analyses it."""
    out = Path(out_path)
    csv_path = out if out.suffix.lower() == ".csv" else out.with_suffix(".csv")
    script_path = csv_path.with_suffix(".R")
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    a = analyse(store, outcome, measure, model, method, timepoint, medians)
    raw = METAFOR_COUNTS if measure.upper() in ("RR", "OR", "RD") else METAFOR_MEANS
    if measure.upper() in ("HR",):
        raw = ()
    header = ("study", "record_id", *raw, "reported_yi", "reported_vi", "source", "notes")
    rows = []
    for s in a.studies:
        e = s.effect
        # arm-level rows let escalc compute the effect; a risk difference whose variance
        # needed the zero-cell correction (escalc would correct the estimate too) and
        # studies that reported an estimate carry Reviewer's yi and vi instead
        arm_level = e.experimental is not None and e.control is not None and not (
            measure.upper() == "RD" and e.notes
        )
        values: list[Any] = [s.label, s.record_id]
        if raw == METAFOR_COUNTS:
            values += (
                [e.experimental.events, e.experimental.n, e.control.events, e.control.n]  # type: ignore[union-attr]
                if arm_level
                else [None] * 4
            )
        elif raw == METAFOR_MEANS:
            values += (
                [e.experimental.mean, e.experimental.sd, e.experimental.n,  # type: ignore[union-attr]
                 e.control.mean, e.control.sd, e.control.n]  # type: ignore[union-attr]
                if arm_level
                else [None] * 6
            )  # fmt: skip
        values += [None, None] if arm_level else [e.yi, e.vi]
        values += [e.source, "; ".join(e.notes)]
        rows.append(values)
    report = ExportReport(csv_path)
    with atomic_output(csv_path, report) as tmp:
        report.rows = _write(tmp, header, iter(rows))
    script = r_script(csv_path.name, a.measure, a.model, a.method or "DL", raw, a.outcome,
                      a.timepoint)  # fmt: skip
    part = ExportReport(script_path)
    with atomic_output(script_path, part) as tmp:
        tmp.write_text(script, encoding="utf-8")
    report.sheets[script_path.name] = 1
    return report


def r_script(
    csv_name: str,
    measure: str,
    model: str,
    method: str,
    raw: tuple[str, ...],
    outcome: str,
    timepoint: str | None,
) -> str:
    """An R script that reads the CSV beside it and runs ``escalc`` and ``rma``."""
    what = outcome + (f" at {timepoint}" if timepoint else "")
    rma_method = "FE" if model == "fixed" else method
    lines = [
        f"# {what}: {measure}, "
        + ("fixed effect" if model == "fixed" else f"random effects ({method})")
        + f". Written by Reviewer {__version__} on {now_iso()[:10]}.",
        "# Run it with the CSV beside it:  Rscript " + Path(csv_name).with_suffix(".R").name,
        "library(metafor)",
        "",
        "args <- commandArgs(trailingOnly = FALSE)",
        'here <- dirname(sub("^--file=", "", args[grep("^--file=", args)]))',
        'if (length(here) == 0 || here == "") here <- "."',
        f'dat <- read.csv(file.path(here, "{csv_name}"), stringsAsFactors = FALSE)',
        "",
    ]
    if raw == METAFOR_COUNTS:
        lines += [
            "# effect sizes from the 2x2 counts"
            + (
                " (0.5 added to the cells of a study with a zero cell;\n# studies with no "
                "events in either arm dropped)"
                if measure != "RD"
                else " (a risk difference needs no zero-cell correction)"
            ),
            f'dat <- escalc(measure = "{measure}", ai = ai, n1i = n1i, ci = ci, n2i = n2i,',
            "              data = dat, slab = study"
            + (", drop00 = TRUE)" if measure != "RD" else ', to = "none")'),
        ]
    elif raw == METAFOR_MEANS:
        lines += [
            "# effect sizes from means, SDs and numbers",
            f'dat <- escalc(measure = "{measure}", m1i = m1i, sd1i = sd1i, n1i = n1i,',
            "              m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat, slab = study)",
        ]
    else:
        lines += ["dat$yi <- NA_real_", "dat$vi <- NA_real_"]
    lines += [
        "# studies that reported only an estimate (with its CI, SE or p value)",
        "reported <- is.na(dat$yi) & !is.na(dat$reported_yi)",
        "dat$yi[reported] <- dat$reported_yi[reported]",
        "dat$vi[reported] <- dat$reported_vi[reported]",
        "",
        f'res <- rma(yi, vi, data = dat, method = "{rma_method}", slab = study)',
        "print(res)",
    ]
    if measure in ("RR", "OR", "HR"):
        lines.append("print(predict(res, transf = exp, digits = 4))")
    else:
        lines.append("print(predict(res, digits = 4))")
    return "\n".join(lines) + "\n"
