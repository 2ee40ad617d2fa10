"""The command line's arguments: every command, its options and its help."""

from __future__ import annotations

import argparse
from pathlib import Path

from reviewer.paths import default_review_path
from reviewer.version import VersionAction


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
        usage="reviewer new PATH [--name NAME] [--demo]",
        description="Create the review PATH (or the one named by --review): empty, with the "
        "default extraction template (--demo: the demo review built from the sample "
        "documents).",
    )
    p.add_argument(
        "path", nargs="?", type=Path, default=None, metavar="PATH",
        help="the new review's file, e.g. my-review.review",
    )  # fmt: skip
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
    p.add_argument(
        "url", metavar="POSTGRES_URL", help="postgresql://USER[:PASSWORD]@HOST[:PORT]/DB"
    )
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
        choices=[
            "csv",
            "xlsx",
            "json",
            "ris",
            "prisma-svg",
            "prisma-png",
            "results-csv",
            "revman",
            "metafor",
            "rob2-png",
            "rob2-svg",
            "recall-svg",
            "recall-png",
        ],
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
