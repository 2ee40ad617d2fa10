"""What the commands share: opening the review named by ``--review``, the reviewer's
name, progress on stderr, a column map."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from reviewer.paths import default_review_path
from reviewer.wording import count

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


def _default_reviewer() -> str:
    import getpass

    return os.environ.get("REVIEWER_NAME") or getpass.getuser()


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
