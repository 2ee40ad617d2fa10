"""The annotation core and the JSON export load without Qt (until the import-linter
contract lists reviewer.annotate, this test is what keeps it so)."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
import reviewer.annotate, reviewer.annotate.template_ops, reviewer.annotate.undo
import reviewer.export.json_export
bad = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "reviewer.ui")))
assert not bad, bad
print("clean")
"""


def test_annotate_imports_no_qt():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "clean"
