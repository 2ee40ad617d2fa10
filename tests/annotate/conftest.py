"""A review with one record whose text reads like a trial report."""

from __future__ import annotations

import pytest

from reviewer.domain import ParsedRecord, Source
from reviewer.store import Store
from tests.annotate.sample import TEXT


@pytest.fixture
def store(review_path, template):
    s = Store.create(review_path, "annotate", template)
    with s.atomic():
        sid = s.add_source(Source(name="trial.txt", sha256="0" * 64, size=1, format="text"))
        (rid,) = s.add_records(sid, [ParsedRecord(title="Maintenance trial", text=TEXT)])
    s.rid = rid
    yield s
    s.close()
