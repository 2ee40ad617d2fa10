"""Run the ``reviewer`` command from a test: in this process, or as a real program.

``run`` calls ``reviewer.cli.main(argv)`` here, with stdout and stderr captured and the
environment changed only for the call, and answers like ``subprocess.run`` (a
``CompletedProcess`` with ``returncode``, ``stdout``, ``stderr``). A new interpreter per
command costs about half a second of start-up and imports, which made the command-line
tests most of the suite's time; what they check (arguments, output, exit codes, the
files left behind) is the same in this process. ``run_process`` starts ``python -m
reviewer`` for the few tests where being a separate program is the point (start-up,
exit status of the process, a second program beside an open review).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping


@contextlib.contextmanager
def _environment(env: Mapping[str, str] | None) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in env or {}}
    os.environ.update(env or {})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _exit_status(exc: SystemExit, stderr: io.StringIO) -> int:
    """What the interpreter does with a ``SystemExit``: a message goes to stderr, status 1."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=stderr)
    return 1


def _checked(result: subprocess.CompletedProcess, check: bool) -> subprocess.CompletedProcess:
    if check and result.returncode != 0:
        error = subprocess.CalledProcessError(
            result.returncode, result.args, result.stdout, result.stderr
        )
        error.add_note(f"stderr: {result.stderr}")
        raise error
    return result


def run(
    *args: str, check: bool = True, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``reviewer ARGS`` in this process; raises ``CalledProcessError`` on a non-zero
    status when ``check``. An exception the command does not turn into a message
    propagates, as a traceback would end a real run."""
    from reviewer.cli import main

    out, err = io.StringIO(), io.StringIO()
    with _environment(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exc:
            status = _exit_status(exc, err)
    result = subprocess.CompletedProcess(
        ["reviewer", *args], status or 0, out.getvalue(), err.getvalue()
    )
    return _checked(result, check)


def run_process(
    *args: str, check: bool = True, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``python -m reviewer ARGS`` as a separate program."""
    result = subprocess.run(
        [sys.executable, "-m", "reviewer", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    return _checked(result, check)
