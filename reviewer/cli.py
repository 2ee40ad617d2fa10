"""The command line: thin, calling the same functions the UI calls.

``reviewer [--review PATH] COMMAND``; with no command it opens the app.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reviewer.paths import default_review_path
from reviewer.version import version_text
from reviewer.wording import count


class VersionAction(argparse.Action):
    """``--version``: the version and build on one line (argparse's own would re-wrap it)."""

    def __init__(
        self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None
    ):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewer",
        description="Reviewer: offline systematic reviews. With no command, opens the app.",
    )
    parser.add_argument("--version", action=VersionAction, help="show version and build, then exit")
    parser.add_argument(
        "--review",
        type=Path,
        default=None,
        help=f"the review file (default: {default_review_path()}, the demo review, "
        "created on first use)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="open the review without changing it (for a review made by a newer Reviewer, "
        "or on a read-only disk); commands that would change it refuse",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="import files or folders into the review",
        description="Import files or folders (formats are recognised from "
        "their content). Exits non-zero only when nothing could "
        "be imported.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--format",
        dest="format_name",
        default=None,
        help="force a format instead of recognising it",
    )
    p.add_argument(
        "--map",
        dest="column_map",
        default=None,
        help="for a CSV whose columns are not recognised: "
        "title=Col,abstract=Col,authors=Col,year=Col,doi=Col,...",
    )

    p = sub.add_parser(
        "new",
        help="create a new review",
        description="Create the review named by --review: empty, with the default "
        "extraction template (--demo: the demo review built from the sample documents).",
    )
    p.add_argument("--name", default=None, help="the review's name (default: the file name)")
    p.add_argument("--demo", action="store_true", help="import the sample documents")

    p = sub.add_parser(
        "list", help="list the review's records", description="List records in import order."
    )
    p.add_argument("--json", action="store_true", help="print a JSON array")

    p = sub.add_parser(
        "suggest",
        help="suggest field values from the text",
        description="Suggest values for every template field, each with the quote that "
        "supports it. With FILEs, they are imported into a temporary review "
        "first; without, the open review is used.",
    )
    p.add_argument("files", nargs="*", type=Path, metavar="FILE")
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON line per record (the Predictions shape of SCHEMA.md)",
    )
    p.add_argument(
        "--apply",
        action="store_true",
        help="store every suggestion as an accepted value with its provenance "
        "(fields that already hold a value are left alone)",
    )
    p.add_argument("--reviewer", default=None, help="who --apply records as the author")

    stages = ["title_abstract", "full_text", "extraction"]
    p = sub.add_parser(
        "decide",
        help="record a screening decision (on one record, or many at once)",
        usage="reviewer decide [RECORD_ID] {include,exclude,maybe} "
        "[--ids-file FILE | --filter KEY=VALUE ... | --search WORDS] [options]",
        description="Record your decision on a record at a stage. To exclude at full text "
        "a reason from the review's list is required. Without RECORD_ID, the same "
        "decision is recorded on many records in one step (one transaction, an event "
        "each): the ids in --ids-file, or every record at the stage that passes the "
        "--filter options and --search, as the window's filters would show them.",
    )
    p.add_argument("target", nargs="+", metavar="[RECORD_ID] DECISION")
    p.add_argument(
        "--ids-file", type=Path, default=None,
        help="a file of record ids (separated by spaces, commas or lines; # comments)",
    )  # fmt: skip
    p.add_argument(
        "--filter", action="append", default=[], metavar="KEY=VALUE",
        help="decision=include|exclude|maybe|undecided, conflict=yes|no, reason=…, tag=…, "
        "reviewer=… (decision and reason read that reviewer's own decisions; without "
        "it, the stage's final decision). Repeat to combine.",
    )  # fmt: skip
    p.add_argument("--search", default="", help="words every record must contain")
    p.add_argument(
        "--dry-run", action="store_true", help="say how many records would be decided"
    )
    p.add_argument("--stage", default="title_abstract", choices=stages)
    p.add_argument("--reason", default="", help="exclusion reason (from the review's list)")
    p.add_argument(
        "--reviewer", default=None, help="who decides (default: $REVIEWER_NAME or your login name)"
    )
    p.add_argument("--note", default="")

    p = sub.add_parser(
        "resolve",
        help="settle a conflict with a final decision",
        description="Record the final decision on a record at a stage, over the reviewers'.",
    )
    p.add_argument("record_id", type=int, metavar="RECORD_ID")
    p.add_argument("decision", choices=["include", "exclude"])
    p.add_argument("--stage", default="title_abstract", choices=stages)
    p.add_argument("--reason", default="")
    p.add_argument("--reviewer", default=None, help="who resolves")
    p.add_argument("--note", default="")

    p = sub.add_parser(
        "stats",
        help="screening counts and agreement",
        description="Counts per stage and decision, and for each stage the agreement "
        "(Cohen's kappa, percent agreement, PABAK and the 2x2 table) of every "
        "reviewer pair; 'maybe' counts as include.",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "check",
        help="check the file, its full-text index, and its state against its event log",
        description="SQLite's integrity check, the full-text index against the records, "
        "and the current state (decisions, resolutions, values, results, tags, notes, "
        "settings, merge conflicts) rebuilt from the event log and compared with the "
        "stored state. Exits 0 when all agree; otherwise names each difference (table, "
        "record, field) and exits 1. Changes nothing.",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "merge",
        help="bring another copy's work into this review",
        description="Merge the events of another copy of this review (a union by event id): "
        "merging twice changes nothing; a record edited on both sides becomes a "
        "conflict to settle, never silently one side.",
    )
    p.add_argument("other", type=Path, metavar="OTHER_REVIEW")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "sources",
        help="list the review's sources, or name the database each came from",
        description="List the imported files with their records and duplicates. --name "
        "ID=DATABASE names the database or register a source was searched in; PRISMA and "
        "the exports use that name instead of the file name.",
    )
    p.add_argument("--name", action="append", default=[], metavar="ID=DATABASE")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "copy",
        help="make a copy of the review for another reviewer",
        description="Write a consistent copy of the review to DEST (SQLite's backup API: "
        "the latest work is in it even while the app has the review open), with a name of "
        "its own so that the two copies are told apart. The other reviewer screens the "
        "copy; 'reviewer merge' brings their work back.",
    )
    p.add_argument("dest", type=Path, metavar="DEST")
    p.add_argument("--for", dest="who", default="", help="who the copy is for (names it)")
    p.add_argument("--name", default=None, help="the copy's name (default: from --for)")

    p = sub.add_parser(
        "publish",
        help="put the review on a PostgreSQL server for a team",
        description="Publish the review to an empty PostgreSQL database: its event log, a "
        "snapshot for 'clone', and the row-level security that lets each reviewer add only "
        "events under their own name (run as the database's administrator; see the README "
        "for adding reviewers). A password in the URL is kept in the system keyring, never "
        "in the review file. Refused when the database holds another review.",
    )
    p.add_argument("url", metavar="POSTGRES_URL", help="postgresql://USER[:PASSWORD]@HOST[:PORT]/DB")
    p.add_argument(
        "--team-role",
        default=None,
        help="the role whose members may sync the review (default: DB_reviewers)",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "clone",
        help="make a local copy of a review published on a server",
        description="Make a new local review file from the review published at POSTGRES_URL "
        "and bring it up to date. Connect as your own server role: your decisions are "
        "recorded under that name.",
    )
    p.add_argument("url", metavar="POSTGRES_URL")
    p.add_argument(
        "--review",
        type=Path,
        default=argparse.SUPPRESS,
        help="the new review file (required; must not exist)",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "sync",
        help="send and receive a published review's changes once",
        description="Pull the others' events from the review's server and push this copy's, "
        "printing what came and went. Safe to repeat or interrupt: nothing is applied twice.",
    )
    p.add_argument("--url", default=None, help="sync through this URL from now on (another role)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "export",
        help="export tables, the whole review, RIS or the PRISMA diagram",
        description="Export the review. csv/xlsx: a table (--table) of the selected records "
        "(by default the included ones; cells that could run as formulas are neutralised); "
        "json: the whole review, importable back; ris: the selected records with their "
        "decisions in N1 notes; prisma-svg/prisma-png: the PRISMA 2020 flow diagram; "
        "recall-svg/recall-png: includes found against records screened at --stage "
        "(title/abstract by default) with the stopping rule's verdict.",
    )
    p.add_argument(
        "--format",
        dest="fmt",
        required=True,
        choices=["csv", "xlsx", "json", "ris", "prisma-svg", "prisma-png", "results-csv",
                 "revman", "metafor", "rob2-png", "rob2-svg", "recall-svg", "recall-png"],
    )
    p.add_argument("--out", type=Path, required=True, metavar="PATH")
    p.add_argument("--table", default="extraction", choices=["extraction", "screening", "log"])
    p.add_argument("--stage", default=None, choices=stages)
    p.add_argument(
        "--decision",
        default=None,
        choices=["include", "exclude", "maybe", "undecided", "conflict", "any"],
    )
    p.add_argument("--bom", action="store_true", help="CSV: start with a BOM, for Excel")
    p.add_argument(
        "--duplicates",
        action="store_true",
        help="with --decision any: add the merged duplicates, marked by a duplicate_of column "
        "(left out by default: each repeats a record already listed)",
    )
    p.add_argument(
        "--no-provenance",
        dest="provenance",
        action="store_false",
        help="tables: leave out the quote/location/who/when columns",
    )
    p.add_argument("--outcome", default=None, help="metafor: the outcome analysed")
    p.add_argument("--measure", default=None, type=str.upper, help="metafor: RR, OR, RD, MD, "
                   "SMD or HR")  # fmt: skip
    p.add_argument("--model", default="random", choices=["fixed", "random"], help="metafor")
    p.add_argument("--method", default="DL", type=str.upper, choices=["DL", "REML", "PM"],
                   help="metafor: the tau² estimator")  # fmt: skip
    p.add_argument("--timepoint", default=None, help="metafor: the outcome's time point")

    p = sub.add_parser(
        "import-results",
        help="import arm-level or comparison-level results from a long CSV",
        description="Import results (arms, outcomes, events/totals, means/SDs, estimates with "
        "CIs) from a CSV in the long layout 'export --format results-csv' writes: study_id, "
        "record_id, doi, outcome, timepoint, arm, role, n, events, mean, sd, measure, "
        "estimate, ci_low, ci_high, quote, page. Rows are matched to records by record_id, "
        "doi or title. The file is checked whole first: a bad value or a row that matches no "
        "record stops the import and nothing is stored.",
    )
    p.add_argument("file", type=Path, metavar="FILE.csv")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--skip-unmatched",
        action="store_true",
        help="import the rows that match a record and report the others",
    )
    p.add_argument("--reviewer", default=None, help="who the values are recorded as set by")

    p = sub.add_parser(
        "analyse",
        aliases=["analyze"],
        help="pool the studies' results for one outcome (meta-analysis)",
        description="Meta-analysis of one outcome: each study's effect from its arm-level data "
        "(or its reported estimate with CI, SE or p value), pooled by inverse variance with a "
        "fixed or random effects model (DerSimonian-Laird by default, or REML or "
        "Paule-Mandel); tau², I², Q and a prediction interval.",
    )
    p.add_argument("--outcome", required=True, help="the outcome's name, as extracted")
    p.add_argument("--measure", required=True, type=str.upper,
                   choices=["RR", "OR", "RD", "MD", "SMD", "HR"])  # fmt: skip
    p.add_argument("--model", default="random", choices=["fixed", "random"])
    p.add_argument("--method", default="DL", type=str.upper, choices=["DL", "REML", "PM"],
                   help="the random-effects estimator of tau² (default DL)")  # fmt: skip
    p.add_argument("--timepoint", default=None, help="the time point, when there are several")
    p.add_argument(
        "--medians-to-means",
        dest="medians",
        default=None,
        choices=["wan"],
        help="estimate means and SDs from medians with IQR/range (Wan et al. 2014) for "
        "studies that report no mean; off unless asked",
    )
    p.add_argument("--json", action="store_true", help="print the analysis as JSON")
    p.add_argument("--plot", type=Path, default=None, metavar="OUT.png|OUT.svg",
                   help="save the forest plot")  # fmt: skip

    p = sub.add_parser(
        "rob2",
        help="risk of bias (RoB 2): add it to the template, list judgements, plot them",
        description="RoB 2 for randomised trials: --add puts its signalling questions and "
        "judgements in the review's template; --json lists each assessed record's answers, the "
        "judgements the RoB 2 algorithm proposes and the reviewer's own; --plot saves the "
        "traffic-light plot.",
    )
    p.add_argument("--add", action="store_true", help="add the RoB 2 fields to the template")
    p.add_argument("--json", action="store_true")
    p.add_argument("--plot", type=Path, default=None, metavar="OUT.png|OUT.svg")

    p = sub.add_parser(
        "new-from-json",
        help="build a new review from a JSON export",
        description="Build the review named by --review (which must not exist yet) from a "
        "JSON export made by 'export --format json': the same records, values with their "
        "provenance, notes, decisions and settings.",
    )
    p.add_argument("export_file", type=Path, metavar="EXPORT.json")

    p = sub.add_parser(
        "simulate",
        help="replay screening of a labelled file with the ranking",
        description="Replay the screening of a labelled file (a CSV with a label_included "
        "0/1 column as ASReview and SYNERGY write it, or any importable format whose "
        "records carry such a column or ASReview's RIS notes) with the app's own ranking: "
        "prior knowledge as ASReview draws it (by default one random include and one "
        "random exclude, chosen by --seed), then always the top-ranked record, retraining "
        "after each. Reports WSS@95, ASReview's loss and recall after 10%% of the records "
        "(prior knowledge left out, as ASReview does) and where the stopping rule said "
        "stop. --json prints records, included, order (row indices of the file, priors "
        "first), wss95, loss, recall_at_10pct and stopped_at.",
    )
    p.add_argument("labelled", type=Path, metavar="LABELLED")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--seed", type=int, default=0, help="chooses the prior knowledge (default 0)")
    p.add_argument("--prior-included", type=int, default=1, metavar="K")
    p.add_argument("--prior-excluded", type=int, default=1, metavar="K")
    p.add_argument(
        "--label-column", default=None, help="the column holding 0/1 (default: found by name)"
    )
    p.add_argument(
        "--retrain-every",
        type=int,
        default=1,
        metavar="K",
        help="retrain after every K records (default 1, as ASReview; more is quicker on a "
        "large file)",
    )
    p.add_argument("--recall", type=float, default=0.95, help="stopping rule's recall target")
    p.add_argument("--confidence", type=float, default=0.95, help="stopping rule's confidence")
    p.add_argument(
        "--curve", type=Path, default=None, metavar="OUT.png|svg", help="save the recall curve"
    )

    p = sub.add_parser(
        "rank",
        help="rank a stage's records by relevance and run the stopping rule",
        description="Train the ranking on the decisions at a stage (a reviewer's own while "
        "the review is blinded), list the best-ranked undecided records, and say whether "
        "the stopping rule (Callaghan & Müller-Hansen 2020) shows the recall target with "
        "the stated confidence. It assumes screening followed the ranking or a random "
        "order, so the records screened last were at least as likely to be includes as "
        "those left.",
    )
    p.add_argument("--stage", default="title_abstract", choices=stages)
    p.add_argument("--reviewer", default=None, help="whose ranking (default: you)")
    p.add_argument("--top", type=int, default=10, help="undecided records to list")
    p.add_argument(
        "--recall", type=float, default=None, help="recall target (default: the review's, 0.95)"
    )
    p.add_argument(
        "--confidence", type=float, default=None, help="confidence (default: the review's, 0.95)"
    )
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--curve", type=Path, default=None, metavar="OUT.png|svg", help="save the recall curve"
    )

    p = sub.add_parser(
        "screenshot",
        help="save a picture of the main window",
        description="Render the main window offscreen at 1400x900 with the "
        "first record selected and save it as PNG.",
    )
    p.add_argument("out", type=Path, metavar="OUT.png")
    p.add_argument("--size", default="1400x900", help="WIDTHxHEIGHT (default 1400x900)")
    p.add_argument(
        "--record",
        type=int,
        default=None,
        metavar="ID",
        help="show this record instead of the first",
    )
    p.add_argument(
        "--page",
        type=int,
        default=None,
        metavar="N",
        help="show the record's PDF as pages, at page N, with the boxes of its values",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from reviewer.ui.display_check import problem

        trouble = problem()  # before Qt loads: its own abort names the wrong library
        if trouble:
            print(trouble, file=sys.stderr)
            return 1
        from reviewer.ui.app import main as gui_main

        return gui_main(review=args.review, read_only=args.read_only)
    handler = _COMMANDS[args.command]
    import sqlite3

    from reviewer.review.merge import MergeError
    from reviewer.review.sync import SyncError
    from reviewer.store import StoreError
    from reviewer.store.errors import explain

    try:
        return handler(args)
    except BrokenPipeError:  # the reader went away (| head): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (
        ValueError, KeyError, OSError, StoreError, MergeError, SyncError, sqlite3.Error
    ) as exc:
        message: object = exc
        if isinstance(exc, KeyError):
            message = f"no such record or key: {exc.args[0] if exc.args else exc}"
        elif isinstance(exc, sqlite3.Error):  # one not met inside a transaction
            message = explain(args.review or _default_path(), exc)
        print(f"reviewer {args.command}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"reviewer {args.command}: interrupted", file=sys.stderr)
        return 130


# Commands that only read the review: on a file that cannot be written they open it
# read-only by themselves (and say so); the others need --read-only to be refused early.
_READING = {"list", "stats", "export", "analyse", "analyze", "copy", "check"}


def _default_path() -> Path:
    return default_review_path()


def _open(args: argparse.Namespace, create: bool = False):
    """The review named by ``--review``; without it, the default (demo) review.

    A path that does not exist yet becomes a new, empty review for commands that add
    to it (``create``); the others say there is no such review rather than making
    an empty file out of a typo. With ``--read-only`` (or, for commands that only
    read, a review that cannot be written) it is opened read-only.
    """
    from reviewer.review.project import is_default_review, open_default_review
    from reviewer.store import Store, StoreError
    from reviewer.store.errors import ReadOnlyError

    if args.read_only:
        if args.command not in _READING:
            raise ValueError(
                f"'{args.command}' changes the review, which --read-only does not allow"
            )
        return Store(args.review or _default_path(), read_only=True)
    missing = args.review is not None and not args.review.exists()
    if missing and not create and not is_default_review(args.review):
        raise StoreError(
            f"{args.review}: no such review (create it with 'reviewer --review "
            f"{args.review} new', or import files into it)"
        )
    try:
        return open_default_review(args.review)
    except ReadOnlyError:
        if args.command not in _READING:
            raise
        print(
            f"reviewer {args.command}: note: {args.review or _default_path()} cannot be "
            "written; opened read-only",
            file=sys.stderr,
        )
        return Store(args.review or _default_path(), read_only=True)


def cmd_import(args: argparse.Namespace) -> int:
    from reviewer.ingest import import_paths

    column_map = _parse_map(args.column_map) if args.column_map else None
    with _open(args, create=True) as store:
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
        print(f"{count(report.added, 'record')} added, {count(report.duplicates, 'duplicate')}")
    failed = report.added == 0 and report.duplicates == 0 and any(f.errors for f in report.files)
    return 1 if failed else 0


def _parse_map(text: str) -> dict[str, str]:
    mapping = {}
    for part in text.split(","):
        if "=" not in part:
            raise SystemExit(f"reviewer import: --map takes field=Column pairs, not {part!r}")
        key, col = part.split("=", 1)
        mapping[key.strip()] = col.strip()
    return mapping


def _stderr_progress():
    last = [0.0]

    def show(p) -> None:
        import time

        now = time.monotonic()
        if now - last[0] > 0.5:
            last[0] = now
            print(
                f"\r{Path(p.path).name}: {count(p.records_done, 'record')} "
                f"({p.records_per_second:,.0f}/s)",
                end="",
                file=sys.stderr,
                flush=True,
            )

    return show


def cmd_new(args: argparse.Namespace) -> int:
    from reviewer.review.project import create_demo_review, create_review

    if args.review is None:
        raise ValueError("name the new review with --review PATH")
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


def _default_reviewer() -> str:
    import getpass
    import os

    return os.environ.get("REVIEWER_NAME") or getpass.getuser()


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
        named = r["database"] or f"(not named{'; perhaps ' + r['suggested'] if r['suggested'] else ''})"
        print(f"{r['id']:>4}  {r['file']}  {r['records']:,} records  {named}")
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


_COMMANDS = {
    "new": cmd_new,
    "import": cmd_import,
    "list": cmd_list,
    "suggest": cmd_suggest,
    "export": cmd_export,
    "decide": cmd_decide,
    "resolve": cmd_resolve,
    "stats": cmd_stats,
    "check": cmd_check,
    "merge": cmd_merge,
    "copy": cmd_copy,
    "sources": cmd_sources,
    "publish": cmd_publish,
    "clone": cmd_clone,
    "sync": cmd_sync,
    "new-from-json": cmd_new_from_json,
    "import-results": cmd_import_results,
    "analyse": cmd_analyse,
    "analyze": cmd_analyse,
    "rob2": cmd_rob2,
    "screenshot": cmd_screenshot,
    "simulate": cmd_simulate,
    "rank": cmd_rank,
}


if __name__ == "__main__":
    raise SystemExit(main())
