"""A review's settings as stored: JSON values in ``review_meta`` under ``setting.NAME``.

What each setting means and its default are ``reviewer.review.settings``'s; the
writing of one (with its event, by the caller) goes through here.
"""

from __future__ import annotations

import json
from typing import Any

from reviewer.store.state import setting_key
from reviewer.store.store import Store


def write_setting(store: Store, name: str, value: Any) -> None:
    """Store the JSON of ``value`` as setting ``name`` (no event: the caller logs one)."""
    store._set_meta(setting_key(name), json.dumps(value, ensure_ascii=False))
