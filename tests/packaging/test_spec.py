"""The PyInstaller spec, run with PyInstaller's build steps replaced by recorders.

This checks what the spec asks for on each platform (including the macOS and Windows
branches, which no machine here builds), not what PyInstaller then makes of it; the
bundle itself is checked by ``make bundle-test``.
"""

from __future__ import annotations

import platform
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SPEC = ROOT / "packaging" / "reviewer.spec"


class Recorder:
    calls: list = []

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        Recorder.calls.append(self)


def step(name: str) -> type:
    return type(name, (Recorder,), {})


class Analysis(Recorder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scripts, self.pure = ["launch"], []
        self.binaries = [("PySide6/Qt/plugins/platforms/libqvnc.so", "/x/libqvnc.so", "BINARY")]
        self.datas = [("PySide6/Qt/translations/qt_de.qm", "/x/qt_de.qm", "DATA")]


@pytest.fixture
def run_spec(tmp_path, monkeypatch, qapp):  # qapp: the icons are drawn with Qt
    bindepend = types.ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = lambda src: []
    monkeypatch.setitem(sys.modules, "PyInstaller.depend.bindepend", bindepend)
    monkeypatch.setenv("REVIEWER_BUILD_DIR", str(tmp_path / "build"))

    def run(system: str) -> dict[str, list[Recorder]]:
        monkeypatch.setattr(platform, "system", lambda: system)
        Recorder.calls = []
        names = {
            "Analysis": Analysis,
            "PYZ": step("PYZ"),
            "EXE": step("EXE"),
            "COLLECT": step("COLLECT"),
            "BUNDLE": step("BUNDLE"),
        }
        code = compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")
        exec(code, {"SPECPATH": str(SPEC.parent), "__name__": "__main__", **names})
        by_kind: dict[str, list[Recorder]] = {}
        for call in Recorder.calls:
            by_kind.setdefault(type(call).__name__, []).append(call)
        return by_kind

    return run


def test_linux_builds_two_programs_into_one_folder(run_spec, tmp_path):
    steps = run_spec("Linux")
    analysis = steps["Analysis"][0]
    assert analysis.args[0] == [str(ROOT / "packaging" / "launch.py")]
    assert "pytest" in analysis.kwargs["excludes"]
    assert "PySide6.QtWidgets" not in analysis.kwargs["excludes"]
    assert analysis.binaries == [] and analysis.datas == []  # VNC and translations left out
    gui, cli = steps["EXE"]
    assert (gui.kwargs["name"], gui.kwargs["console"]) == ("reviewer-gui", False)
    assert (cli.kwargs["name"], cli.kwargs["console"]) == ("reviewer", True)
    assert gui.kwargs["strip"] and gui.kwargs["icon"] is None
    assert steps["COLLECT"][0].kwargs["name"] == "reviewer"
    assert "BUNDLE" not in steps
    assert (tmp_path / "build" / "build_info.json").is_file()
    assert (tmp_path / "build" / "icons" / "256x256" / "reviewer.png").is_file()


def test_windows_gets_an_ico_and_no_console_for_the_window(run_spec, tmp_path):
    steps = run_spec("Windows")
    gui, cli = steps["EXE"]
    assert gui.kwargs["icon"] == str(tmp_path / "build" / "icons" / "reviewer.ico")
    assert not gui.kwargs["console"] and cli.kwargs["console"]
    assert not gui.kwargs["strip"]
    assert "BUNDLE" not in steps


def test_macos_wraps_an_app_that_owns_review_files(run_spec, tmp_path):
    steps = run_spec("Darwin")
    (bundle,) = steps["BUNDLE"]
    assert bundle.kwargs["name"] == "Reviewer.app"
    assert bundle.kwargs["icon"].endswith("reviewer.icns")
    plist = bundle.kwargs["info_plist"]
    (review_type,) = plist["UTExportedTypeDeclarations"]
    assert review_type["UTTypeTagSpecification"]["public.filename-extension"] == ["review"]
    assert plist["CFBundleDocumentTypes"][0]["LSHandlerRank"] == "Owner"
    gui = steps["EXE"][0]
    assert gui.kwargs["argv_emulation"] and gui.kwargs["name"] == "reviewer-gui"
    assert bundle.args[0] is steps["COLLECT"][0]
