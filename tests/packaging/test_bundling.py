"""What the bundle leaves out and keeps, decided without running PyInstaller."""

from __future__ import annotations

import re
from pathlib import Path

import bundling

ROOT = Path(__file__).resolve().parent.parent.parent


def test_dev_tools_stay_out_and_runtime_libraries_stay_in():
    excluded = set(bundling.excludes())
    assert {"pytest", "_pytest", "hypothesis", "ruff", "importlinter", "PyInstaller"} <= excluded
    for needed in ("pydantic", "sqlite_utils", "rispy", "PIL", "rapidfuzz", "pypdfium2", "PySide6"):
        assert needed not in excluded, needed


def test_every_qt_module_the_app_imports_is_bundled_with_what_it_needs():
    imported = set()
    for path in (ROOT / "reviewer").rglob("*.py"):
        imported.update(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    used = bundling.qt_modules_used()
    assert imported <= used
    assert "QtSvg" in used  # QtSvgWidgets needs it, though the app never names it
    excluded = set(bundling.qt_modules_excluded())
    assert not {f"PySide6.{m}" for m in used} & excluded
    assert {"PySide6.QtQuick", "PySide6.QtNetwork", "PySide6.QtQml"} <= excluded


def test_a_new_qt_import_is_picked_up_from_the_source(tmp_path):
    (tmp_path / "view.py").write_text(
        "from PySide6 import QtPrintSupport\nfrom PySide6.QtWidgets import QWidget\n",
        encoding="utf-8",
    )
    used = bundling.qt_modules_used(source=tmp_path)
    assert {"QtPrintSupport", "QtWidgets", "QtGui", "QtCore"} <= used


def entry(dest: str) -> tuple[str, str, str]:
    return (dest, f"/src/{dest}", "BINARY")


def test_unused_plugins_go_with_the_libraries_only_they_link():
    binaries = [
        entry("PySide6/Qt/plugins/platforms/libqxcb.so"),
        entry("PySide6/Qt/plugins/platforms/libqvnc.so"),
        entry("PySide6/Qt/plugins/sqldrivers/libqsqlite.so"),
        entry("PySide6/Qt/lib/libQt6XcbQpa.so.6"),
        entry("PySide6/Qt/lib/libQt6Network.so.6"),  # only VNC links it
        entry("PySide6/Qt/lib/libQt6Sql.so.6"),  # linked by the SQL plugin, then Network
        entry("PySide6/Qt/lib/libQt6Gui.so.6"),  # linked by both platforms
        entry("pypdfium2_raw/libpdfium.so"),  # loaded by ctypes: linked by nothing
    ]
    links = {
        "libqxcb.so": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
        "libqvnc.so": ["libQt6Network.so.6", "libQt6Gui.so.6"],
        "libqsqlite.so": ["libQt6Sql.so.6"],
        "libQt6Sql.so.6": ["libQt6Network.so.6"],
    }
    kept, removed = bundling.prune_binaries(binaries, lambda src: links.get(Path(src).name, []))
    assert {Path(e[0]).name for e in removed} == {
        "libqvnc.so",
        "libqsqlite.so",
        "libQt6Network.so.6",
        "libQt6Sql.so.6",
    }
    assert {Path(e[0]).name for e in kept} == {
        "libqxcb.so",
        "libQt6XcbQpa.so.6",
        "libQt6Gui.so.6",
        "libpdfium.so",
    }


def test_windows_and_macos_platform_plugins_are_kept():
    for dest in (
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
    ):
        assert not bundling.dropped_binary(dest), dest
    assert bundling.dropped_binary("PySide6/plugins/platforms/qdirect2d.dll")
    assert bundling.dropped_binary("PySide6/Qt/plugins/platformthemes/libqgtk3.so")


def test_translations_and_dangling_links_are_dropped():
    binaries = [("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY")]
    datas = [
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("PySide6/Qt/translations/qtbase_de.qm", "/src/qtbase_de.qm", "DATA"),
        ("resources/icons/reviewer.svg", "/src/reviewer.svg", "DATA"),
    ]
    kept = bundling.prune_datas(datas, binaries)
    assert [d[0] for d in kept] == ["libQt6Gui.so.6", "resources/icons/reviewer.svg"]


def test_the_data_files_the_app_reads_exist(tmp_path):
    stamp = bundling.write_build_stamp(tmp_path / "build_info.json")
    for source, dest in bundling.datas(stamp):
        assert Path(source).exists(), source
        assert not Path(dest).is_absolute()
    assert bundling.build_stamp()["version"] == bundling.version()
