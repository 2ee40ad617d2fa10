"""Sharing a review: merge a copy, copy, publish to a team server, clone, sync, and a
review made from a JSON export."""

from __future__ import annotations

import argparse
import json

from reviewer.cli.common import _default_reviewer, _open
from reviewer.wording import count


def cmd_merge(args: argparse.Namespace) -> int:
    from reviewer.review.merge import merge

    with _open(args) as store:
        report = merge(store, args.other, reviewer=_default_reviewer())
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(
            f"{count(report.copied, 'event')} brought in, "
            f"{count(report.applied, 'change')} applied, "
            f"{count(len(report.conflicts), 'conflict')} to settle"
        )
        for c in report.conflicts:
            print(f"  conflict: {c}")
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    from reviewer.store.copies import copy_name, copy_review

    with _open(args) as store:
        name = args.name or copy_name(store.name, args.who)
        path = copy_review(store, args.dest, name)
    print(f"{path}: {name}")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from reviewer.review.sync import publish

    with _open(args) as store:
        report = publish(store, args.url, team_role=args.team_role)
    _print_sync(report, args.json, f"published to {report.server}")
    return 0


def cmd_clone(args: argparse.Namespace) -> int:
    from reviewer.review.sync import clone

    if args.review is None:
        raise ValueError("clone needs --review NEW.review, the file to create")
    store, report = clone(args.url, args.review)
    store.close()
    _print_sync(report, args.json, f"cloned into {args.review}; you work as '{report.user}'")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from reviewer.review.sync import sync

    with _open(args) as store:
        report = sync(store, url=args.url)
    _print_sync(report, args.json, f"synced with {report.server}")
    return 0


def _print_sync(report, as_json: bool, headline: str) -> None:  # noqa: ANN001
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    print(f"{headline}: {report.summary()}")
    for c in report.conflicts:
        print(f"  conflict on {c.key}: kept {c.kept!r}, other {c.other!r}")
    for kind, n in report.not_applied.items():
        print(f"  {n} {kind} changes came without their content (redo them here)")


def cmd_new_from_json(args: argparse.Namespace) -> int:
    from reviewer.export.json_import import ReviewJsonError, import_review_json

    if args.review is None:
        raise ValueError("name the new review with --review PATH")
    try:
        store = import_review_json(args.export_file, args.review, reviewer=_default_reviewer())
    except ReviewJsonError as exc:
        raise ValueError(f"{args.export_file}: {exc}") from exc
    with store:
        print(f"{args.review}: {count(store.record_count(), 'record')}")
    return 0
