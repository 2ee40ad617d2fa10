"""Test set-up: Qt offscreen, and user data and settings kept inside the test's tmp dir."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory, monkeypatch):
    """No test reads or writes the real user data folder."""
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("REVIEWER_DATA_DIR", str(data))
    return data


@pytest.fixture
def template():
    from reviewer.review.project import default_template

    return default_template()


@pytest.fixture
def review_path(tmp_path) -> Path:
    return tmp_path / "test.review"


@pytest.fixture(scope="session")
def _demo_master(tmp_path_factory) -> Path:
    from reviewer.review.project import create_demo_review

    path = tmp_path_factory.mktemp("demo") / "demo.review"
    create_demo_review(path).close()
    return path


@pytest.fixture
def demo_review(tmp_path, _demo_master) -> Path:
    """A demo review built from the seeds (built once per session, copied per test)."""
    dest = tmp_path / "demo.review"
    shutil.copy(_demo_master, dest)
    return dest
