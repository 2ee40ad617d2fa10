"""install.sh and uninstall.sh on a tarball folder assembled around a stand-in program.

The stand-in replaces PyInstaller's output (two shell scripts), so this runs in a second;
``make bundle-test`` does the same with the real bundle.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import make_bundle
import pytest
import render_icons

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts")


@pytest.fixture(scope="module")
def icon_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("icons")
    for size in render_icons.SIZES:
        (out / f"{size}x{size}").mkdir()
        (out / f"{size}x{size}" / "reviewer.png").write_bytes(b"\x89PNG stand-in")
    (out / "scalable").mkdir()
    shutil.copy(render_icons.SVG, out / "scalable" / "reviewer.svg")
    return out


def stand_in_program(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True)
    for name in ("reviewer", "reviewer-gui"):
        exe = folder / name
        exe.write_text(f'#!/bin/sh\necho "{name} {version} $*"\n', encoding="utf-8")
        exe.chmod(0o755)
    (folder / "_internal").mkdir()
    (folder / "_internal" / "data.txt").write_text(version, encoding="utf-8")
    return folder


def sh(script: Path, *args: str, home: Path) -> str:
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    done = subprocess.run([str(script), *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def test_install_update_uninstall_in_a_prefix(tmp_path, icon_dir):
    home = tmp_path / "home"
    prefix = tmp_path / "prefix"
    user_review = home / ".local/share/Reviewer/demo.review"
    user_review.parent.mkdir(parents=True)
    user_review.write_bytes(b"a user's review")

    first = make_bundle.assemble_linux(
        stand_in_program(tmp_path / "app1", "1.0"), icon_dir, tmp_path / "dist" / "r-1.0"
    )
    out = sh(first / "install.sh", "--prefix", str(prefix), home=home)
    appdir = prefix / "lib" / "reviewer"
    assert "Installed reviewer 1.0" in out

    run = subprocess.run(
        [prefix / "bin" / "reviewer-gui", "x.review"], capture_output=True, text=True
    )
    assert run.stdout.strip() == "reviewer-gui 1.0 x.review"
    desktop = (prefix / "share/applications/reviewer.desktop").read_text(encoding="utf-8")
    assert f'Exec="{appdir}/reviewer-gui" %F' in desktop
    assert f"TryExec={appdir}/reviewer-gui" in desktop
    assert "MimeType=application/x-reviewer;" in desktop
    hicolor = prefix / "share/icons/hicolor"
    assert (hicolor / "scalable/apps/reviewer.svg").is_file()
    assert all((hicolor / f"{n}x{n}/apps/reviewer.png").is_file() for n in render_icons.SIZES)
    mime = ET.parse(prefix / "share/mime/packages/reviewer.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    review_type = mime.find("m:mime-type[@type='application/x-reviewer']", ns)
    assert review_type.find("m:glob", ns).get("pattern") == "*.review"
    assert (prefix / "share/metainfo/io.github.reviewer.Reviewer.metainfo.xml").is_file()
    if shutil.which("update-mime-database"):
        globs = (prefix / "share/mime/globs2").read_text(encoding="utf-8")
        assert "application/x-reviewer:*.review" in globs

    second = make_bundle.assemble_linux(
        stand_in_program(tmp_path / "app2", "2.0"), icon_dir, tmp_path / "dist" / "r-2.0"
    )
    out = sh(second / "install.sh", "--prefix", str(prefix), home=home)
    assert "Updating" in out and "reviewer 1.0" in out
    assert (appdir / "_internal" / "data.txt").read_text(encoding="utf-8") == "2.0"
    assert not (appdir.parent / "reviewer.new").exists()
    assert not (appdir.parent / "reviewer.old").exists()

    out = sh(appdir / "uninstall.sh", home=home)
    assert "removed" in out
    assert not appdir.exists()
    assert not (prefix / "bin" / "reviewer").exists()
    assert not (prefix / "bin" / "reviewer-gui").is_symlink()
    assert not (prefix / "share/applications/reviewer.desktop").exists()
    assert not list(prefix.rglob("reviewer.png")) and not list(prefix.rglob("reviewer.svg"))
    assert not (prefix / "share/mime/packages/reviewer.xml").exists()
    if shutil.which("update-mime-database"):
        assert "x-reviewer" not in (prefix / "share/mime/globs2").read_text(encoding="utf-8")
    assert user_review.read_bytes() == b"a user's review"


def test_install_refuses_a_folder_without_the_program(tmp_path, icon_dir):
    folder = make_bundle.assemble_linux(
        stand_in_program(tmp_path / "app", "1.0"), icon_dir, tmp_path / "dist" / "r"
    )
    (folder / "reviewer" / "reviewer").unlink()
    done = subprocess.run(
        [str(folder / "install.sh"), "--prefix", str(tmp_path / "p")],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "reviewer/reviewer is missing" in done.stderr
    assert not (tmp_path / "p").exists()


def test_default_prefix_is_the_users_home(tmp_path, icon_dir):
    home = tmp_path / "home"
    home.mkdir()
    folder = make_bundle.assemble_linux(
        stand_in_program(tmp_path / "app", "1.0"), icon_dir, tmp_path / "dist" / "r"
    )
    sh(folder / "install.sh", "--quiet", home=home)
    assert (home / ".local/bin/reviewer").is_symlink()
    assert (home / ".local/share/applications/reviewer.desktop").is_file()
