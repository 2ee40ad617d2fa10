"""The screened demo review the export tests read: screened once per session (about a
second of decisions, values and notes), copied for each test that asks for it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.export.screened import screened_demo


@pytest.fixture(scope="session")
def _screened_master(tmp_path_factory, _demo_master) -> Path:
    path = tmp_path_factory.mktemp("screened") / "screened.review"
    shutil.copy(_demo_master, path)
    screened_demo(path).close()
    return path


@pytest.fixture
def screened_review(tmp_path, _screened_master) -> Path:
    """A copy of the demo review screened by ``tests.export.screened.screened_demo``."""
    dest = tmp_path / "screened.review"
    shutil.copy(_screened_master, dest)
    return dest
