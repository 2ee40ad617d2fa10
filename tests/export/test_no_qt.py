"""The exports load and work with Qt made unimportable: the command line and other
tools use them without a window."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
sys.modules["PySide6"] = None
import reviewer.export.formats, reviewer.export.json_import
from reviewer.export import csv_export, ris_export, prisma, xlsx_export
from reviewer.export.formats import FORMATS, RESULT_FORMATS, export
from reviewer.review.project import create_review
store = create_review(sys.argv[1] + "/r.review")
for fmt in FORMATS:
    if fmt not in RESULT_FORMATS:  # those need results (tests/export/test_results_export.py)
        export(store, fmt, sys.argv[1] + "/out." + fmt, decision="any")
import reviewer.analysis.forest, reviewer.analysis.rob2, reviewer.export.results_export
export(store, "results-csv", sys.argv[1] + "/results.csv")
loaded = [m for m, mod in sys.modules.items() if mod is not None]
bad = sorted(m for m in loaded if m.startswith(("PySide6", "shiboken6", "reviewer.ui")))
assert not bad, bad
print("clean")
"""


def test_exports_work_without_qt(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", CODE, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "clean"
    from reviewer.export.formats import FORMATS, RESULT_FORMATS

    # every format but the results ones (recall curves included) wrote its file
    assert len(list(tmp_path.glob("out.*"))) == len(FORMATS) - len(RESULT_FORMATS) == 8
