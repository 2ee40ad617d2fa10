"""How long a 100,000-record import takes, and how much memory it needs.

The target (issue 3, item 7): 100,000 records from make_corpus.py, as RIS and as
MEDLINE, parsed, validated, checked for duplicates, stored and indexed for search
in at most 10 s on a 2-core machine, with peak memory under 400 MB. (ASReview 3
loads the same RIS in about 25 s with a 1.45 GB peak.)

Beside each import, in the same run, the least any importer could do with the file
(issue 14): the lines parsed into fields with no checks, no duplicate detection and
nothing else, written to one SQLite table with its FTS5 index in one transaction
(``minimal``). Reviewer's import must take at most 2.0x that. Each also reports the
CPU time of the import alone and its ratio: on a machine other programs share, the
wall-clock ratio moves with their load, the CPU ratio much less.

Each import runs in a fresh subprocess into a fresh review, so every peak RSS is
its own. The corpus files are generated once and cached in benchmarks/out/ (or
--cache DIR).

    .venv/bin/python benchmarks/import_bench.py [N] [--formats ris nbib] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
MAKE_CORPUS = Path(
    os.environ.get("REVIEWER_MAKE_CORPUS", HERE.parent.parent / "shared/bench/make_corpus.py")
)
TARGET_SECONDS, TARGET_MB = 10.0, 400
TARGET_RATIO = 2.0  # against the minimal SQLite+FTS5 import of the same file
TARGET_MB_1M = 600  # peak at 1,000,000 records


def corpus(n: int, suffix: str, out: Path = OUT) -> Path:
    """The n-record corpus as ``suffix`` (ris or nbib), generated on first use."""
    out.mkdir(exist_ok=True, parents=True)
    path = out / f"corpus{n}.{suffix}"
    if not path.exists() or not path.with_suffix(".truth.tsv").exists():
        if not MAKE_CORPUS.exists():
            sys.exit(f"{MAKE_CORPUS} not found (set REVIEWER_MAKE_CORPUS)")
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(n), str(path)], check=True)
    return path


def truth_pairs(path: Path) -> dict[int, int]:
    """make_corpus's truth file: duplicate record number -> the record it repeats."""
    rows = path.with_suffix(".truth.tsv").read_text().splitlines()[1:]
    return dict((int(d), int(o)) for d, o in (r.split("\t") for r in rows))


def score(duplicate_of: dict[int, int | None], truth: dict[int, int]) -> tuple[float, float]:
    """Precision and recall of automatic merges against the truth.

    A merge is right when the record and the one it was merged into belong to the same
    true group (truth chains, a duplicate of a duplicate, are followed to their root).
    """

    def root(k: int) -> int:
        while k in truth:
            k = truth[k]
        return k

    merged = {k: v for k, v in duplicate_of.items() if v}
    right = sum(1 for k, v in merged.items() if root(k) == root(v))
    return right / max(1, len(merged)), right / max(1, len(truth))


def child(path: Path, review: Path, profile: bool) -> None:
    """Import ``path`` into a new review at ``review``; print one JSON line of figures."""
    from reviewer.ingest import import_paths
    from reviewer.review.project import create_review
    from reviewer.store import duplicates

    store = create_review(review)
    started, cpu = time.perf_counter(), time.process_time()
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        report = prof.runcall(import_paths, store, [path])
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    else:
        report = import_paths(store, [path])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    usage = resource.getrusage(resource.RUSAGE_SELF)
    precision, recall = score(duplicates.duplicate_map(store), truth_pairs(path))
    figures = {
        "seconds": seconds,
        "records": report.added + report.duplicates,
        "duplicates": report.duplicates,
        "candidates": len(duplicates.candidates(store)),
        "errors": sum(len(f.errors) for f in report.files),
        "cpu_seconds": cpu,  # of the import alone, every thread
        "peak_mb": usage.ru_maxrss / 1024,
        "precision": precision,
        "recall": recall,
        "integrity": store.integrity_check(),
    }
    store.close()
    print(json.dumps(figures))


# the least an import can do: fields from the lines, one table, its FTS5 index
_MINIMAL_SCHEMA = """
create table records (id integer primary key, title text, authors text, text text,
    journal text, year integer, doi text);
create virtual table records_fts using fts5(title, authors, text, content='records',
    content_rowid='id');
"""
_RIS_FIELDS = {"TI": "title", "T1": "title", "AU": "authors", "A1": "authors",
               "AB": "text", "N2": "text", "JO": "journal", "T2": "journal",
               "PY": "year", "Y1": "year", "DO": "doi"}  # fmt: skip
# The same six fields as from RIS, from the tags that hold them: make_corpus's MEDLINE
# (like many exports) has AU without FAU, TA without JT and the DOI in AID, not LID.
_NBIB_FIELDS = {"TI": "title", "FAU": "authors", "AU": "authors", "AB": "text",
                "JT": "journal", "TA": "journal", "DP": "year", "LID": "doi",
                "AID": "doi"}  # fmt: skip


def minimal_records(path: Path):
    """(title, authors, text, journal, year, doi) per record: the lines split at the
    tag, continuation lines joined, nothing checked."""
    nbib = path.suffix == ".nbib"
    fields = _NBIB_FIELDS if nbib else _RIS_FIELDS
    rec: dict[str, list[str]] = {}
    last = None
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if nbib and line.startswith("      ") and last is not None:
                last.append(line.strip())
                continue
            tag = (line[:4] if nbib else line[:2]).strip()
            end = not line.strip() if nbib else tag == "ER"
            if end:
                if rec:
                    yield _minimal_row(rec)
                rec, last = {}, None
                continue
            name = fields.get(tag)
            if name is None:
                last = None
                continue
            last = rec.setdefault(name, [])
            last.append(line[6:].rstrip("\n"))
    if rec:
        yield _minimal_row(rec)


def _minimal_row(rec: dict[str, list[str]]) -> tuple:
    year = (rec.get("year") or [""])[0][:4]
    return (" ".join(rec.get("title", [])), "; ".join(rec.get("authors", [])),
            " ".join(rec.get("text", [])), (rec.get("journal") or [""])[0],
            int(year) if year.isdigit() else None, (rec.get("doi") or [""])[0])  # fmt: skip


def minimal_child(path: Path, db_path: Path) -> None:
    """The minimal import of ``path`` into a new SQLite file; one JSON line of figures."""
    import itertools
    import sqlite3

    started, cpu = time.perf_counter(), time.process_time()
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("pragma journal_mode = wal")
    db.executescript(_MINIMAL_SCHEMA)
    db.execute("begin")
    rows = minimal_records(path)
    n = 0
    while batch := list(itertools.islice(rows, 5000)):
        cur = db.execute("select coalesce(max(id), 0) from records").fetchone()[0]
        db.executemany(
            "insert into records (title, authors, text, journal, year, doi) "
            "values (?, ?, ?, ?, ?, ?)",
            batch,
        )
        db.execute(
            "insert into records_fts (rowid, title, authors, text) "
            "select id, title, authors, text from records where id > ?",
            [cur],
        )
        n += len(batch)
    db.execute("commit")
    db.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": time.perf_counter() - started, "records": n,
                      "cpu_seconds": time.process_time() - cpu,
                      "peak_mb": usage.ru_maxrss / 1024}))  # fmt: skip


def run(path: Path, profile: bool, minimal: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "--child", str(path), str(Path(tmp) / "bench.review")]
        if minimal:
            cmd = [sys.executable, __file__, "--minimal", str(path), str(Path(tmp) / "min.db")]
        if profile:
            cmd.append("--profile")
        out = subprocess.run(cmd, check=True, capture_output=not profile, text=True).stdout
    return json.loads(out.strip().splitlines()[-1]) if out else {}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--formats", nargs="+", default=["ris", "nbib"])
    ap.add_argument("--profile", action="store_true", help="print a cProfile of each import")
    ap.add_argument("--cache", type=Path, default=OUT, help="where the corpus files are kept")
    ap.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--minimal", nargs=2, type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(*a.child, profile=a.profile)
        return 0
    if a.minimal:
        minimal_child(*a.minimal)
        return 0
    peak_limit = TARGET_MB_1M if a.n >= 1_000_000 else TARGET_MB
    print(
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; target: <= {TARGET_RATIO}x "
        f"the minimal import, <= {TARGET_SECONDS:.0f} s at 100,000, peak < {peak_limit} MB"
    )
    ok = True
    for suffix in a.formats:
        path = corpus(a.n, suffix, a.cache)
        m = run(path, False, minimal=True)
        f = run(path, a.profile)
        if not f:
            continue
        ratio = f["seconds"] / m["seconds"]
        fast = (
            ratio <= TARGET_RATIO
            and f["peak_mb"] < peak_limit
            and (a.n > 100_000 or f["seconds"] <= TARGET_SECONDS)
        )
        ok &= fast
        print(
            f"{path.name}: minimal SQLite+FTS5 import {m['records']:,} records in "
            f"{m['seconds']:.2f} s ({m['cpu_seconds']:.1f} s CPU, peak {m['peak_mb']:.0f} MB); "
            f"Reviewer {ratio:.2f}x that ({f['cpu_seconds'] / m['cpu_seconds']:.2f}x its CPU):"
        )
        print(
            f"  {f['records']:,} records in {f['seconds']:.2f} s "
            f"({f['records'] / f['seconds']:,.0f} records/s, {f['cpu_seconds']:.1f} s CPU), "
            f"peak {f['peak_mb']:.0f} MB; "
            f"{f['duplicates']:,} merged (precision {f['precision']:.4f}, "
            f"recall {f['recall']:.4f}), {f['candidates']} candidates, "
            f"{f['errors']} errors, integrity {f['integrity']}"
            f"{'' if fast else '  [over target]'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
