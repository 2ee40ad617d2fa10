"""A second connection in the window's process must not cost the first its locks.

The window holds several connections on one review (the writer thread's, the reading
one, a background job's). Opening a file by hand and closing it drops every POSIX lock
the process holds on it, SQLite's included; a command run meanwhile (``reviewer
check``) then took itself for the last user, checkpointed and deleted the write-ahead
log and its index under the open window: the window failed with "disk I/O error", and
what it wrote next went to a deleted log, which no other program could see.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reviewer.review.screening import decide
from reviewer.store import Store


def other_program(review: Path, code: str) -> str:
    script = f"from reviewer.store import Store\ns = Store({str(review)!r})\n{code}\ns.close()\n"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_command_run_while_the_window_is_open_leaves_its_log_alone(demo_review):
    window = Store(demo_review)
    decide(window, 1, "include", "ann")
    Store(demo_review).close()  # a background job's connection, opened and closed
    other_program(demo_review, "s.db.execute('select count(*) from records').fetchone()")
    assert Path(f"{demo_review}-shm").exists(), "the open window's log index was deleted"
    decide(window, 2, "exclude", "ann")
    seen = other_program(
        demo_review,
        'print(sorted(s.db.execute("select record_id, decision from decisions '
        "where reviewer = 'ann'\").fetchall()))",
    )
    window.close()
    assert "(1, 'include')" in seen and "(2, 'exclude')" in seen, seen
