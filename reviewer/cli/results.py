"""Getting results out: export, import-results, analyse, rob2."""

from __future__ import annotations

import argparse
import json
import sys

from reviewer.cli.common import _default_reviewer, _open


def cmd_export(args: argparse.Namespace) -> int:
    from reviewer.export.formats import export

    with _open(args) as store:
        report = export(
            store,
            args.fmt,
            args.out,
            table=args.table,
            stage=args.stage,
            decision=args.decision,
            bom=args.bom,
            provenance=args.provenance,
            duplicates=args.duplicates,
            analysis={
                "outcome": args.outcome,
                "measure": args.measure,
                "model": args.model,
                "method": args.method,
                "timepoint": args.timepoint,
            },
        )
    if args.fmt in ("csv", "xlsx", "ris", "json"):  # tables and records: how many, or why none
        print(f"{report.path} ({report.summary()})")
    else:
        rows = f" ({report.rows} rows)" if report.rows else ""
        print(f"{report.path}{rows}")
    for name in report.sheets:
        print(f"  {name}")
    return 0


def cmd_import_results(args: argparse.Namespace) -> int:
    from reviewer.ingest.results_csv import ResultsImportError, import_results

    with _open(args) as store:
        try:
            report = import_results(store, args.file, args.reviewer or _default_reviewer(),
                                    skip_unmatched=args.skip_unmatched)  # fmt: skip
        except ResultsImportError as exc:
            if args.json:
                print(json.dumps({"path": str(args.file), "errors": exc.problems}, indent=2))
            print(f"reviewer import-results: error: {exc}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(f"{args.file}: {report.rows} rows, {report.records} records, {report.cells} cells "
              f"set ({report.unchanged} unchanged)")  # fmt: skip
        for u in report.unmatched:
            print(f"  not imported: {u}")
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    from reviewer.analysis.dataset import analyse, outcome_names

    with _open(args) as store:
        known = outcome_names(store)
        if args.outcome.strip().casefold() not in {n.casefold() for n, _t in known}:
            names = "; ".join(n + (f" ({t})" if t else "") for n, t in known) or "none yet"
            raise ValueError(f"no results for the outcome {args.outcome!r}; outcomes: {names}")
        a = analyse(store, args.outcome, args.measure, args.model, args.method, args.timepoint,
                    args.medians)  # fmt: skip
        if args.plot:
            from reviewer.analysis.forest import save_forest

            if a.pooled is None:
                raise ValueError("no study could be analysed, so there is nothing to plot")
            save_forest(a, args.plot)
    if args.json:
        print(json.dumps(a.as_json(), ensure_ascii=False, indent=2))
        return 0 if a.pooled else 1
    _print_analysis(a)
    if args.plot:
        print(f"forest plot: {args.plot}")
    return 0 if a.pooled else 1


def _print_analysis(a) -> None:  # noqa: ANN001
    data = a.as_json()
    head = f"{a.outcome}{' at ' + a.timepoint if a.timepoint else ''}: {data['measure_name']}, "
    head += "fixed effect" if a.model == "fixed" else f"random effects ({data['method_name']})"
    print(f"{head}; {data['k']} studies")
    if a.pooled is not None:
        level = f"{a.level * 100:g}%"
        print(f"  estimate {data['estimate']:.4f} ({level} CI {data['ci_low']:.4f} to "
              f"{data['ci_high']:.4f}), p = {data['p']:.3g}")  # fmt: skip
        if data["log_estimate"] is not None:
            print(f"  log estimate {data['log_estimate']:.4f} (SE {data['se']:.4f}; "
                  f"{data['log_ci_low']:.4f} to {data['log_ci_high']:.4f})")  # fmt: skip
        tau = f"tau² {data['tau2']:.4f}, " if data["tau2"] is not None else ""
        print(f"  {tau}I² {data['i2']:.1f}%, Q {data['q']:.2f} (df {data['q_df']}, "
              f"p = {data['q_p']:.3g})")  # fmt: skip
        pi = data["prediction_interval"]
        if pi:
            print(f"  prediction interval {pi['low']:.4f} to {pi['high']:.4f} ({pi['method']})")
    for s in data["studies"]:
        print(f"  {s['study']:<28} {s['estimate']:>8.4f} [{s['ci_low']:.4f}, {s['ci_high']:.4f}]"
              f"  {s['weight']:5.1f}%  {s['source']}")  # fmt: skip
    for s in data["not_included"]:
        print(f"  {s['study']:<28} not included: {s['reason']}")


def cmd_rob2(args: argparse.Namespace) -> int:
    from reviewer.analysis import rob2

    with _open(args) as store:
        if args.add:
            template = store.template()
            if rob2.has_rob2(template):
                print("the template has RoB 2 already")
            else:
                store.set_template(rob2.with_rob2(template), _default_reviewer())
                print(f"RoB 2 added to the template ({len(rob2.fields())} fields)")
        assessments = rob2.assessments(store)
        if args.plot:
            rob2.save_traffic_light(store, assessments, args.plot)
    if args.json:
        print(json.dumps([rob2.assessment_json(x) for x in assessments], ensure_ascii=False,
                         indent=2))  # fmt: skip
    elif not args.add:
        for x in assessments:
            marks = " ".join(f"D{d}:{(x.final(d) or '?')[:1]}" for d in range(1, 6))
            print(f"{x.record_id:>6}  {marks}  overall: {x.final_overall or '?'}")
    if args.plot:
        print(f"traffic-light plot: {args.plot}")
    return 0
