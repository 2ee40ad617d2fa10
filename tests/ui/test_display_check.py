"""On a fresh machine the window's missing system libraries are named with their packages."""

from __future__ import annotations

import subprocess

from reviewer.ui import display_check

LDD = """\
	linux-vdso.so.1 (0x00007ffd)
	libQt6XcbQpa.so.6 => /x/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
	libxcb-icccm.so.4 => not found
	libxcb-keysyms.so.1 => not found
	libxkbcommon-x11.so.0 => not found
	libxcb-cursor.so.0 => not found
	libxcb-icccm.so.4 => not found
	libxcb-frobnicate.so.2 => not found
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""


def test_missing_libraries_become_the_packages_to_install():
    missing = display_check.missing_libraries(LDD)
    assert missing == [
        "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxkbcommon-x11.so.0",
        "libxcb-cursor.so.0", "libxcb-frobnicate.so.2",
    ]  # fmt: skip
    assert display_check.packages_for(missing) == [
        "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libxcb-cursor0",
        "libxcb-frobnicate2",
    ]  # fmt: skip


def test_the_message_names_the_command_to_run(monkeypatch):
    monkeypatch.setattr(display_check.sys, "platform", "linux")
    monkeypatch.setattr(
        display_check.subprocess, "run",
        lambda *a, **k: subprocess.CompletedProcess(a, 0, LDD, ""),
    )  # fmt: skip
    message = display_check.problem({"DISPLAY": ":0"})
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0" in message
    assert display_check.problem({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}) == ""


def test_a_complete_machine_says_nothing(monkeypatch):
    monkeypatch.setattr(display_check.sys, "platform", "linux")
    fine = LDD.replace("not found", "/usr/lib/x.so (0x1)")
    monkeypatch.setattr(
        display_check.subprocess, "run",
        lambda *a, **k: subprocess.CompletedProcess(a, 0, fine, ""),
    )  # fmt: skip
    assert display_check.problem({"DISPLAY": ":0"}) == ""


def test_the_readme_lists_the_packages():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    assert display_check.README_PACKAGES in " ".join(readme.split())
