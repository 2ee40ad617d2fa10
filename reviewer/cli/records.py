"""Commands about the review and its records: new, import, list, sources, suggest,
screenshot."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reviewer.cli.common import _default_reviewer, _open, _parse_map, _stderr_progress
from reviewer.wording import count


def cmd_new(args: argparse.Namespace) -> int:
    from reviewer.review.project import create_demo_review, create_review

    if args.path is not None:
        if args.review is not None and args.review != args.path:
            raise ValueError(
                f"two reviews named: {args.review} (--review) and {args.path}; name one"
            )
        args.review = args.path
    if args.review is None:
        raise ValueError("name the new review: reviewer new PATH")
    if args.demo:
        store = create_demo_review(args.review, args.name)
    else:
        store = create_review(args.review, args.name)
    with store:
        print(f"{args.review}: {store.name}, {count(store.record_count(), 'record')}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Every record, streamed: the first line comes at once and memory stays flat."""
    from reviewer.store.record_queries import listed_records

    out = sys.stdout
    with _open(args) as store:
        if args.json:
            out.write("[")
            dumps = json.dumps
            for i, rec in enumerate(listed_records(store)):
                row = {
                    "id": rec.id,
                    "title": rec.title,
                    "authors": rec.authors,
                    "journal": rec.journal,
                    "year": rec.year,
                    "doi": rec.doi or None,
                    "pmid": rec.pmid or None,
                    "source": rec.source,
                    "source_index": rec.source_index,
                    "duplicate_of": rec.duplicate_of,
                }
                out.write(("," if i else "") + "\n  " + dumps(row, ensure_ascii=False))
            out.write("\n]\n")
        else:
            for rec in listed_records(store):
                dup = f"  (duplicate of {rec.duplicate_of})" if rec.duplicate_of else ""
                out.write(f"{rec.id:>6}  {rec.year or '':>4}  {rec.title[:90]}{dup}\n")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    import tempfile

    from reviewer.ingest import import_paths
    from reviewer.review import extraction
    from reviewer.review.project import create_review
    from reviewer.suggest.runner import compute_suggestions, predictions

    with tempfile.TemporaryDirectory(prefix="reviewer-suggest-") as tmp:
        if args.files:
            store = create_review(Path(tmp) / "suggest.review", "suggest")
            report = import_paths(store, args.files)
            for f in report.files:
                for err in f.errors:
                    print(f"error: {err}", file=sys.stderr)
        else:
            store = _open(args, create=True)
        with store:
            compute_suggestions(store)
            if args.apply:
                who = args.reviewer or _default_reviewer()
                n = sum(extraction.accept_all(store, rid, who) for rid in store.record_ids())
                print(f"{n} suggestions stored as values (reviewer {who})", file=sys.stderr)
            for line in predictions(store):
                if args.json:
                    print(json.dumps(line, ensure_ascii=False))
                else:
                    fields = ", ".join(sorted({s["field"] for s in line["suggestions"]}))
                    print(f"{line['record']}: {len(line['suggestions'])} suggestions ({fields})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from reviewer.ingest import import_paths

    column_map = _parse_map(args.column_map) if args.column_map else None
    reviews = [f for f in args.files if f.suffix.lower() == ".review"]
    if reviews:  # e.g. "reviewer import my.review search.ris": nothing goes to another review
        raise ValueError(
            f"{reviews[0]}: a review file, not records to import; name the review to import "
            f"into with --review: reviewer --review {reviews[0]} import FILE... "
            "(to bring in another copy's work: reviewer merge)"
        )
    with _open(args, create=True) as store:
        into = store.path
        report = import_paths(
            store,
            args.files,
            format_name=args.format_name,
            column_map=column_map,
            progress=_stderr_progress() if not args.json and sys.stderr.isatty() else None,
        )
    if not args.json and sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr, flush=True)  # clear the progress line
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for f in report.files:
            status = (
                "already imported" if f.skipped else f"{f.added} added, {f.duplicates} duplicates"
            )
            print(f"{f.path}: {f.format or '?'}: {status}")
            for err in f.errors:
                print(f"  error: {err}")
            for note in f.notes:
                print(f"  note: {note}")
        print(
            f"{count(report.added, 'record')} added, {count(report.duplicates, 'duplicate')}"
            f" (review: {into})"
        )
    failed = report.added == 0 and report.duplicates == 0 and any(f.errors for f in report.files)
    return 1 if failed else 0


def cmd_sources(args: argparse.Namespace) -> int:
    from reviewer.review.sources import guess_database
    from reviewer.review.stats import record_counts

    with _open(args) as store:
        for item in args.name:
            sid, sep, label = item.partition("=")
            if not sep or not sid.strip().isdigit():
                raise ValueError(f"--name takes ID=DATABASE, not {item!r}")
            store.set_source_label(int(sid), label, _default_reviewer())
        counts = {s["source_id"]: s for s in record_counts(store)["per_source"]}
        rows = [
            {"id": s.id, "file": s.name, "format": s.format, "database": s.label,
             "suggested": guess_database(s), "records": counts.get(s.id, {}).get("records", 0),
             "duplicates": counts.get(s.id, {}).get("duplicates", 0)}
            for s in store.sources()
        ]  # fmt: skip
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        named = (
            r["database"] or f"(not named{'; perhaps ' + r['suggested'] if r['suggested'] else ''})"
        )
        print(f"{r['id']:>4}  {r['file']}  {r['records']:,} records  {named}")
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    from reviewer.ui.app import screenshot

    width, height = (int(v) for v in args.size.lower().split("x"))
    try:
        screenshot(args.review, args.out, width, height, record_id=args.record, page=args.page)
    except ValueError as exc:
        print(f"reviewer: screenshot: {exc}", file=sys.stderr)
        return 1
    print(args.out)
    return 0
