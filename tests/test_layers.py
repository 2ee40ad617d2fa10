"""Qt stays in reviewer.ui: the core loads and works without PySide6."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
import reviewer.domain, reviewer.store, reviewer.ingest, reviewer.review.project, reviewer.cli
import reviewer.rank.session, reviewer.rank.simulate, reviewer.rank.curve
bad = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "reviewer.ui")))
assert not bad, bad
print("clean")
"""


def test_core_imports_load_no_qt():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "clean"


def test_core_works_with_qt_blocked(tmp_path):
    """Import with PySide6 made unimportable: building the demo review still works."""
    code = (
        "import sys; sys.modules['PySide6'] = None\n"
        "from reviewer.review.project import create_demo_review\n"
        f"s = create_demo_review({str(tmp_path / 'd.review')!r}); print(s.record_count())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) > 0
