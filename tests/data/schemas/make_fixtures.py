"""Make the review files of ``tests/data/schemas/``: one small review per released schema
version, written by the Reviewer of that version itself.

Run from the repository root (``.venv/bin/python tests/data/schemas/make_fixtures.py``):
for each version below it extracts the commit that introduced the version's newest
migration into a temporary folder, and runs that code (with this checkout's virtual
environment) to import a six-record RIS file, screen, set a value with its quote, tag and
annotate (the files are kept gzipped). What the old code saw is written to ``expected.json`` beside the files, which
``tests/store/test_schema_fixtures.py`` compares after today's migrations have run.

Branches were merged in parallel, so a version is a set of migrations rather than a
number: the file named ``v11`` has m001-m006 and m011, made before m007-m010 landed.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
RIS = ROOT / "tests" / "data" / "corpus" / "ris" / "asreview_demo_data" / "pubmed_endnote.txt"

# (file stem, commit that introduced the newest migration it has)
VERSIONS = [
    ("v05_m001-m005", "aee48e0"),  # the first released schema (names as they are today)
    ("v06_m001-m006", "5cbfb31"),
    ("v07_m001-m007", "3c0965a"),
    ("v08_m001-m006_m008", "67c1460"),
    ("v10_m001-m006_m010", "7fa0708"),
    ("v11_m001-m006_m011", "871bb9a"),
    ("v13_m001-m006_m011_m013", "2437779"),  # m013 as released (with sync_pulled)
    ("v14_m001-m008_m010_m011_m013_m014", "3da3457"),  # the stop of 2026-12-04
]

# Run inside the old checkout: screening, a value quoting the record's words, a tag and a
# note, through that version's own functions; prints what it made.
FILL = r"""
import json, sys
from reviewer.store import Store
from reviewer.domain import Span
from reviewer.review import screening as sc
from reviewer.review.settings import exclusion_reasons
from reviewer.review.tags import add_tag
from reviewer.annotate import add_note

store = Store(sys.argv[1])
ids = store.record_ids()
sc.decide(store, ids[0], "include", "ann")
sc.decide(store, ids[0], "include", "bob")
reason = exclusion_reasons(store)[0]
sc.decide(store, ids[1], "exclude", "ann", reason=reason)
sc.decide(store, ids[1], "include", "bob")
sc.decide(store, ids[2], "maybe", "ann", note="ask the authors")
text = store.record(ids[0]).text
word = text.split()[2]
at = text.index(word)
store.set_value(ids[0], "sample_size", 120, "ann", provenance=[Span.from_text(text, at, at + len(word))])
add_tag(store, ids[0], "RCT", "ann")
add_note(store, ids[0], 0, 10, "check the dose", "bob")
migrations = [r[0] for r in store.db.execute("select name from _migrations order by rowid")]
made = {
    "migrations": migrations,
    "records": store.record_count(),
    "titles": {str(i): store.record(i).title for i in ids},
    "decisions": sorted([d.record_id, d.stage, d.reviewer, d.decision, d.reason, d.note]
                        for d in store.decisions()),
    "value": {"record_id": ids[0], "field": "sample_size", "value": 120, "quote": word},
    "tag": [ids[0], "RCT"],
    "note": [ids[0], "check the dose"],
    "events": len(store.events()),
    "conflicts": [c.record_id for c in sc.conflicts(store, "title_abstract")],
}
store.close()
print(json.dumps(made))
"""


def extract(commit: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", commit, "reviewer", "resources"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def make(stem: str, commit: str, workdir: Path) -> dict:
    code = workdir / commit
    extract(commit, code)
    review = workdir / f"{stem}.review"
    env = {**os.environ, "PYTHONPATH": str(code), "REVIEWER_DATA_DIR": str(workdir / "data")}
    run = {"cwd": code, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "-m", "reviewer", "--review", str(review), "import",
                    str(RIS)], **run)  # fmt: skip
    made = json.loads(subprocess.run([sys.executable, "-c", FILL, str(review)], **run).stdout)
    made["commit"] = commit
    # gzip: the files are mostly empty 16 KB pages (a megabyte for six records)
    with open(review, "rb") as src, gzip.GzipFile(HERE / f"{review.name}.gz", "wb", 9, mtime=0) as out:
        shutil.copyfileobj(src, out)
    return made


def main() -> None:
    expected = {}
    with tempfile.TemporaryDirectory() as tmp:
        for stem, commit in VERSIONS:
            expected[stem] = make(stem, commit, Path(tmp))
            print(stem, expected[stem]["migrations"])
    (HERE / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
