"""Where the app finds its shipped resources and keeps its user data.

Kept apart from the layers so that the store, the CLI and the UI agree on one
default review path and one resources folder without importing each other.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Reviewer"
APP_ORG = "Reviewer"

_ROOT = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """The folder with icons, templates and lexicons (``REVIEWER_RESOURCES`` overrides)."""
    override = os.environ.get("REVIEWER_RESOURCES")
    return Path(override) if override else _ROOT / "resources"


def seeds_dir() -> Path:
    """The sample documents the demo review is built from."""
    override = os.environ.get("REVIEWER_SEEDS")
    return Path(override) if override else _ROOT / "seeds"


def data_dir() -> Path:
    """The user data folder (``REVIEWER_DATA_DIR`` overrides, which tests use)."""
    override = os.environ.get("REVIEWER_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_ORG))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_review_path() -> Path:
    return data_dir() / "demo.review"
