"""The version and build a user quotes: ``reviewer --version`` and the stamp it reads."""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path

import pytest

from reviewer import __version__
from reviewer.cli import main
from reviewer.version import build_info, version_text

ROOT = Path(__file__).resolve().parent.parent


def test_a_checkout_says_it_runs_from_source(tmp_path):
    info = build_info(tmp_path / "no-stamp.json")
    assert info.version == __version__
    assert not info.bundled
    assert f"reviewer {__version__} (from source; Python " in info.text()


def test_a_bundle_names_its_commit_and_date(tmp_path):
    stamp = tmp_path / "build_info.json"
    stamp.write_text(
        json.dumps(
            {
                "commit": "0123456789ab",
                "commit_date": "2026-11-21",
                "built": "2026-11-22 10:00 UTC",
                "platform": "linux-x86_64",
            }
        ),
        encoding="utf-8",
    )
    info = build_info(stamp)
    assert info.bundled
    assert info.build_line() == (
        "build 0123456789ab, commit of 2026-11-21, bundled 2026-11-22 10:00 UTC for linux-x86_64"
    )


def test_an_unreadable_stamp_is_not_an_error(tmp_path):
    stamp = tmp_path / "build_info.json"
    stamp.write_text("[not, json", encoding="utf-8")
    assert build_info(stamp).build_line() == "from source"


def test_version_option_prints_one_line_and_exits(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out == version_text() + "\n"
    assert out.startswith(f"reviewer {__version__} (")


def test_one_version_everywhere():
    """The package metadata, the AppStream release list and __version__ agree."""
    assert metadata.version("reviewer") == __version__
    metainfo = (ROOT / "packaging" / "io.github.reviewer.Reviewer.metainfo.xml").read_text("utf-8")
    releases = re.findall(r'<release version="([^"]+)"', metainfo)
    assert releases and releases[0] == __version__, "add a <release> for the new version"
