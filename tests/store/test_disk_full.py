"""A full disk: the command line says so in one line and keeps everything saved before.

The disk is filled for real in a child process: it may not make any file larger than
the review is now (``RLIMIT_FSIZE``), which is what a full disk or a quota does to
SQLite's writes. Decisions are recorded until one is refused; the refusal is one line
naming the file, never a traceback, and every decision recorded before is there.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reviewer.review.project import create_demo_review
from reviewer.store import Store

_DECIDE_UNTIL_FULL = """
import os, resource, signal, sys
from reviewer.cli import main
review = sys.argv[1]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
size = max(os.path.getsize(review), os.path.getsize(review + "-wal") if os.path.exists(review + "-wal") else 0)
resource.setrlimit(resource.RLIMIT_FSIZE, (size + 4096, resource.RLIM_INFINITY))
for i in range(2000):
    code = main(["--review", review, "decide", str(1 + i % 30),
                 ("include", "exclude")[(i // 30) % 2], "--reviewer", "ann"])
    if code:
        print(i, code)
        sys.exit(0)
print("never full")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_is_one_clear_line_and_loses_nothing_saved(tmp_path):
    review = tmp_path / "full.review"
    create_demo_review(review).close()
    child = subprocess.run(
        [sys.executable, "-c", _DECIDE_UNTIL_FULL, str(review)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "REVIEWER_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert child.returncode == 0, child.stderr
    assert "never full" not in child.stdout
    done, code = map(int, child.stdout.splitlines()[-1].split())
    assert code == 2 and done > 0
    assert "Traceback" not in child.stderr
    (line,) = [ln for ln in child.stderr.splitlines() if "error" in ln]
    assert str(review) in line and "not saved" in line and "free some space" in line
    with Store(review) as store:  # everything decided before the disk filled is there
        assert store.integrity_check() == "ok"
        decided = [e for e in store.events() if e.kind == "decision.set"]
        assert len(decided) == done
