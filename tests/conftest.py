"""Test set-up: Qt offscreen, and user data and settings kept inside the test's tmp dir."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _own_home() -> None:
    """A HOME of this test process's own: no test touches the user's, and two pytest-xdist
    workers never share one. The font caches stay where they were (built once, not per
    run)."""
    import atexit
    import tempfile

    real = Path.home()
    os.environ.setdefault("XDG_CACHE_HOME", str(real / ".cache"))
    home = tempfile.mkdtemp(prefix="reviewer-test-home-")
    os.environ["HOME"] = home
    atexit.register(shutil.rmtree, home, True)


_own_home()

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Everything a test reads lives here (copied with its licence notes): a plain clone is
# a whole test suite. Only benchmarks/ may read ../shared.
DATA = ROOT / "tests" / "data"
CORPUS = DATA / "corpus"


def make_corpus(n: int, out: Path) -> Path:
    """A large citation export for scale and deduplication tests, with ``out``'s
    ``.truth.tsv`` beside it: the shared bench's ``make_corpus.py`` (a copy in
    tests/data/bench), reading the seed it recombines from this checkout."""
    import contextlib
    import importlib.util
    import io

    spec = importlib.util.spec_from_file_location("make_corpus", DATA / "bench" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    module.SEED_FILE = SEEDS / "001_7ff505f9225cc72e.txt"
    with contextlib.redirect_stdout(io.StringIO()):
        module.main([str(n), str(out)])
    return out


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


@pytest.fixture
def store(demo_review):
    """The demo review open (a test module may define its own ``store``)."""
    from reviewer.store import Store

    s = Store(demo_review)
    yield s
    s.close()


# -- a real PostgreSQL server for the team-review (sync) tests ---------------------------------

REVIEWERS = {"ann": "ann-secret", "bob": "bob-secret"}


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server per test session (tests/pg_server.py), with two reviewers'
    login roles; each test gets its own database (``team_db``)."""
    from tests import pg_server as server_module

    server = server_module.start()
    for name, password in REVIEWERS.items():
        server.create_login(name, password)
    yield server
    server.stop()


class TeamDb:
    """A fresh database on the session's server, and the URLs to reach it."""

    def __init__(self, server, name: str):
        self.server, self.name = server, name
        server.create_database(name)

    @property
    def admin_url(self) -> str:
        return self.server.admin_url(self.name)

    def url(self, reviewer: str, with_password: bool = True) -> str:
        password = REVIEWERS[reviewer] if with_password else None
        return self.server.url(reviewer, password, self.name)

    def add_reviewers(self, *names: str) -> None:
        """What the README tells an administrator to run for each reviewer."""
        for name in names:
            self.server.execute(f'grant "{self.name}_reviewers" to "{name}"', self.name)


@pytest.fixture
def team_db(pg_server, request) -> TeamDb:
    import re

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40]
    return TeamDb(pg_server, name)


@pytest.fixture
def memory_keyring():
    """A keyring backend that lives in this process (test machines have no system
    keyring); the code under test uses the real ``keyring`` API against it."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.secrets: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.secrets.get((service, username))

        def set_password(self, service, username, password):
            self.secrets[(service, username)] = password

        def delete_password(self, service, username):
            self.secrets.pop((service, username), None)

    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)
