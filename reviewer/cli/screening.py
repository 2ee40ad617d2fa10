"""Screening commands: decide, resolve, stats, check, and priority screening (rank,
simulate)."""

from __future__ import annotations

import argparse
import json
import sys

from reviewer.cli.common import _default_reviewer, _open
from reviewer.wording import count

_FILTER_KEYS = ("decision", "conflict", "reason", "tag", "reviewer")


def _decide_target(args: argparse.Namespace) -> tuple[int | None, str]:
    """``[RECORD_ID] DECISION`` from the positional words."""
    words = args.target
    decisions = ("include", "exclude", "maybe")
    if len(words) > 2 or words[-1] not in decisions:
        raise SystemExit(f"reviewer decide: expected [RECORD_ID] {{{','.join(decisions)}}}, "
                         f"got {' '.join(words)!r}")  # fmt: skip
    if len(words) == 1:
        return None, words[0]
    if not words[0].isdigit():
        raise SystemExit(f"reviewer decide: {words[0]!r} is not a record id")
    return int(words[0]), words[1]


def _decide_filters(pairs: list[str]) -> dict:
    out: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or key not in _FILTER_KEYS:
            raise SystemExit(
                f"reviewer decide: --filter {pair!r}: expected KEY=VALUE with KEY one of "
                f"{', '.join(_FILTER_KEYS)}"
            )
        if key == "conflict":
            if value.lower() not in ("yes", "no", "true", "false"):
                raise SystemExit(f"reviewer decide: --filter {pair!r}: conflict=yes or no")
            out[key] = value.lower() in ("yes", "true")
        else:
            out[key] = value
    return out


def cmd_decide(args: argparse.Namespace) -> int:
    record_id, decision = _decide_target(args)
    many = args.ids_file is not None or args.filter or args.search
    if record_id is not None and many:
        raise SystemExit("reviewer decide: give a RECORD_ID or --ids-file/--filter/--search")
    if record_id is None:
        if not many:
            raise SystemExit(
                "reviewer decide: which records? Give a RECORD_ID, --ids-file, --filter or "
                "--search"
            )
        return _decide_many(args, decision)
    from reviewer.review.screening import decide

    args.record_id, args.decision = record_id, decision
    with _open(args) as store:
        d = decide(
            store,
            args.record_id,
            args.decision,
            args.reviewer or _default_reviewer(),
            stage=args.stage,
            reason=args.reason,
            note=args.note,
        )
    print(
        f"record {d.record_id}: {d.decision} at {d.stage} by {d.reviewer}"
        + (f" ({d.reason})" if d.reason else "")
    )
    return 0


def _decide_many(args: argparse.Namespace, decision: str) -> int:
    from reviewer.review.bulk import decide_many, read_id_file
    from reviewer.review.filters import filter_record_ids
    from reviewer.review.screening import STAGE_LABELS

    reviewer = args.reviewer or _default_reviewer()
    with _open(args) as store:
        if args.ids_file is not None:
            ids = read_id_file(args.ids_file)
        else:
            filters = _decide_filters(args.filter)
            ids = filter_record_ids(store, stage=args.stage, search=args.search, **filters)
        stage = STAGE_LABELS[args.stage]
        if args.dry_run:
            print(f"{count(len(ids), 'record')} would be decided {decision} at {stage}")
            return 0

        def progress(done: int, total: int) -> None:
            if total >= 20_000 and sys.stderr.isatty():
                print(f"\r{done:,} of {total:,}", end="", file=sys.stderr, flush=True)

        change = decide_many(
            store, ids, decision, reviewer, args.stage, args.reason, args.note,
            progress=progress,
        )  # fmt: skip
    same = len(ids) - len(change.changed)
    print(
        f"{decision} recorded on {count(len(change.changed), 'record')} at {stage} by "
        f"{reviewer}" + (f" ({args.reason})" if args.reason else "")
        + (f"; {count(same, 'record')} already had it" if same else "")
    )
    return 0



def cmd_resolve(args: argparse.Namespace) -> int:
    from reviewer.review.screening import resolve

    with _open(args) as store:
        r = resolve(
            store,
            args.record_id,
            args.stage,
            args.decision,
            args.reason,
            args.reviewer or _default_reviewer(),
            note=args.note,
        )
    print(
        f"record {r.record_id}: resolved {r.decision} at {r.stage}"
        + (f" ({r.reason})" if r.reason else "")
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from reviewer.review.agreement import kappa_words
    from reviewer.review.stats import stats

    with _open(args) as store:
        data = stats(store)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for stage, s in data["stages"].items():
        print(f"{stage}: {json.dumps(s.get('final', s), ensure_ascii=False)}")
        for pair in s.get("agreement", []):
            k = pair["kappa"]
            meaning = f" ({kappa_words(k)} agreement, Landis & Koch)" if k is not None else ""
            print(
                f"  {' & '.join(pair['reviewers'])}: kappa={k}{meaning} "
                f"agreement={pair['percent_agreement']} pabak={pair['pabak']}"
            )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from reviewer.store.check import check_review

    with _open(args) as store:
        report = check_review(store)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2, default=str))
    else:
        for line in report.lines():
            print(line)
    return 0 if report.ok else 1


def cmd_simulate(args: argparse.Namespace) -> int:
    from reviewer.rank import curve
    from reviewer.rank.simulate import read_labelled, simulate

    data = read_labelled(args.labelled, args.label_column)
    for warning in data.warnings:
        print(f"reviewer simulate: warning: {warning}", file=sys.stderr)
    result = simulate(
        data,
        seed=args.seed,
        prior_included=args.prior_included,
        prior_excluded=args.prior_excluded,
        recall_target=args.recall,
        confidence=args.confidence,
        retrain_every=args.retrain_every,
    )
    if args.curve is not None:
        stop = result.stopped_at["screened"] if result.stopped_at else None
        shown = result.labels_in_order[: stop or len(result.labels_in_order)]
        curve.save(curve.figure(shown, result.records, stopped_at=stop), args.curve)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
        return 0
    print(
        f"{args.labelled}: {result.records:,} records, {result.included:,} included; "
        f"priors (rows) {', '.join(map(str, result.priors))}"
    )
    print(
        f"WSS@95 {result.wss95:.3f} · loss {result.loss:.3f} · "
        f"recall@10% {result.recall_at_10pct:.3f} · every include found after "
        f"{result.found_all_at:,} records"
    )
    if result.stopped_at:
        s = result.stopped_at
        print(
            f"stopping rule (recall ≥ {args.recall:.0%}, {args.confidence:.0%} confidence): "
            f"stop after {s['screened']:,} records ({s['share_screened']:.0%}), "
            f"recall there {s['recall']:.3f}"
        )
    else:
        print("stopping rule: never said stop")
    print(f"{result.retrains:,} retrains, {result.seconds_per_retrain * 1000:.1f} ms each")
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    from reviewer.rank import curve
    from reviewer.rank.session import rank_stage, review_features
    from reviewer.store import ranking

    reviewer = args.reviewer or _default_reviewer()
    with _open(args) as store:
        features = review_features(store)
        result = rank_stage(store, features, args.stage, reviewer, args.recall, args.confidence)
        decided = ranking.decided_ids(store, args.stage, reviewer)
        top = [rid for rid in result.record_ids if rid not in decided][: max(args.top, 0)]
        titles = {rid: store.record(rid).title for rid in top}
    v = result.verdict
    if args.curve is not None:
        curve.save(
            curve.figure(result.labels, result.total, v, curve.first_stop(
                result.labels, result.total, v.recall, v.confidence)),
            args.curve,
        )  # fmt: skip
    if args.json:
        out = {
            "stage": args.stage,
            "reviewer": result.key or None,
            "trained": result.trained,
            "screened": v.screened,
            "records": v.total,
            "includes": v.found,
            "includes_left_estimate": v.missing_median,
            "includes_left_at_most": v.missing_max,
            "stop": v.stop,
            "p": v.p,
            "recall": v.recall,
            "confidence": v.confidence,
            "verdict": v.text,
            "next": [{"id": rid, "title": titles[rid]} for rid in top],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{v.screened:,} of {v.total:,} screened · {v.found:,} includes · "
        f"est. {v.missing_median:,} left (at most {v.missing_max:,}, "
        f"{v.confidence:.0%} confidence)"
    )
    print(f"stopping rule: {v.text}")
    if not result.trained:
        print(result.reason)
    for rid in top:
        print(f"{rid}\t{titles[rid]}")
    return 0
