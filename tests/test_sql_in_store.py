"""The store owns the SQL: no module outside ``reviewer/store/`` runs a query.

An AST scan of every module for calls of ``.execute``, ``.executemany``,
``.executescript`` or ``.query`` (sqlite3's and sqlite-utils' ways to run SQL) and for
``.db[...]`` / ``.table(...)`` (sqlite-utils' table access). Anything that needs the
database asks a repository module in ``reviewer/store/`` instead, which returns domain
models or named tuples.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "reviewer"
SQL_CALLS = {"execute", "executemany", "executescript", "query", "table"}

NOT_YET: set[str] = set()  # none left (issue 14 moved the filters' and the importer's SQL)


def sql_calls(path: Path) -> list[str]:
    """``line: code`` of each SQL call or table access in the module at ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and func.attr in SQL_CALLS:
            found.append((node.lineno, f".{func.attr}(...)"))
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in {"db", "conn"}
        ):
            found.append((node.lineno, f".{node.value.attr}[...]"))
        elif isinstance(node, ast.Attribute) and node.attr == "_log":
            found.append((node.lineno, "._log (the store's private event writer)"))
    return [f"{line}: {what}" for line, what in sorted(found)]


def offenders() -> dict[str, list[str]]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("store/") or rel in NOT_YET:
            continue
        calls = sql_calls(path)
        if calls:
            out[rel] = calls
    return out


def test_no_sql_outside_the_store():
    assert offenders() == {}


def test_the_scan_finds_sql(tmp_path):
    """The scan is not blind: each way of reaching the database is caught."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "store.db.execute('select 1')\n"
        "conn.executemany('insert', rows)\n"
        "store.db['records'].count\n"
        "store.db.query('select 1')\n"
        "store._log(event)\n"
    )
    assert [line.split(":")[0] for line in sql_calls(sample)] == ["1", "2", "3", "4", "5"]


def test_the_allow_list_names_real_files():
    assert all((ROOT / rel).exists() for rel in NOT_YET)
