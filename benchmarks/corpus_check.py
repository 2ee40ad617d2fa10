"""Every citation export of the whole shared corpus imports with the records it holds.

The test suite checks the selection copied into ``tests/data/corpus`` against the table
of expected counts in ``tests/ingest/test_corpus.py``; this runs the same table over the
whole shared corpus (``../shared/corpus``, which only benchmarks may read) and prints
how many files matched, the records imported, and the speed against the whole run.

    .venv/bin/python benchmarks/corpus_check.py [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviewer.review.project import create_review  # noqa: E402
from tests.ingest.test_corpus import EXPECTED, _check, _corpus_files  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: no shared corpus here; nothing to check")
        return 0
    untabled = sorted(set(_corpus_files(args.corpus)) - set(EXPECTED))
    failures, checked, records = [], 0, 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="corpus-check-") as tmp:
        blank = Path(tmp) / "blank.review"
        create_review(blank).close()
        for i, name in enumerate(sorted(EXPECTED)):
            path = args.corpus / name
            if not path.exists():
                continue
            work = Path(tmp) / f"f{i}"
            work.mkdir()
            try:
                _check(path, EXPECTED[name], blank, work)
            except AssertionError:
                failures.append((name, traceback.format_exc(limit=1).strip().splitlines()[-1]))
            checked += 1
            records += EXPECTED[name].records
    elapsed = time.perf_counter() - started
    print(f"corpus: {args.corpus}")
    print(
        f"files checked: {checked} of {len(EXPECTED)} in the table; not in the table: {len(untabled)}"
    )
    print(
        f"as expected: {checked - len(failures)} / {checked} ({(checked - len(failures)) / max(checked, 1):.1%})"
    )
    print(
        f"records: {records:,} in {elapsed:.1f} s ({records / max(elapsed, 1e-9):,.0f} records/s)"
    )
    for name in untabled:
        print(f"  not in the table: {name}")
    for name, why in failures:
        print(f"  FAILED {name}: {why}")
    return 1 if failures or untabled else 0


if __name__ == "__main__":
    raise SystemExit(main())
