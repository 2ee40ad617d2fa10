"""The command line: thin, calling the same functions the UI calls.

``reviewer [--review PATH] COMMAND``; with no command it opens the app. The arguments
are declared in ``parser``; the commands, grouped by what they work on, in ``records``,
``screening``, ``sharing`` and ``results``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from reviewer.cli.common import _default_path
from reviewer.cli.parser import build_parser
from reviewer.cli.records import (
    cmd_import,
    cmd_list,
    cmd_new,
    cmd_screenshot,
    cmd_sources,
    cmd_suggest,
)
from reviewer.cli.results import cmd_analyse, cmd_export, cmd_import_results, cmd_rob2
from reviewer.cli.screening import (
    cmd_check,
    cmd_decide,
    cmd_rank,
    cmd_resolve,
    cmd_simulate,
    cmd_stats,
)
from reviewer.cli.sharing import (
    cmd_clone,
    cmd_copy,
    cmd_merge,
    cmd_new_from_json,
    cmd_publish,
    cmd_sync,
)

__all__ = ["build_parser", "main"]


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
    except (ValueError, KeyError, OSError, StoreError, MergeError, SyncError, sqlite3.Error) as exc:
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
