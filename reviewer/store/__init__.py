"""The SQLite store: one file per review, migrations, queries and full-text search."""

import importlib
import sys


def _import_sqlite_utils_without_pandas() -> None:
    """Import sqlite-utils without its optional pandas and numpy.

    sqlite-utils imports both when they are installed (0.8 s, most of what a command
    line call costs) only to map their scalar types to column types when it creates
    tables from Python values; the store never does (its schema is SQL, its values plain
    Python), so the command line and the window start without them. Whoever needs pandas
    later (the analysis) imports it as usual.
    """
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return
    hidden = {name: sys.modules.get(name) for name in ("pandas", "numpy")}
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import of it fails
    try:
        importlib.import_module("sqlite_utils")
    finally:
        for name, module in hidden.items():
            if module is None:
                del sys.modules[name]
            else:
                sys.modules[name] = module


_import_sqlite_utils_without_pandas()

from reviewer.store.store import Store, StoreError, fts_query  # noqa: E402

__all__ = ["Store", "StoreError", "fts_query"]
