"""The server a published review lives on: its URL, password and TLS.

A URL may carry the password (``postgresql://ann:secret@host/db``): it is used, offered
to the system keyring, and never written into the review file, which keeps the URL
without it. Without one, the keyring is asked, and then libpq's own ways
(``PGPASSWORD``, ``~/.pgpass``, a client certificate named in the URL). A server that
is not on this machine is reached over TLS unless the URL says otherwise
(``sslmode=verify-full`` and ``sslrootcert`` check the server's certificate too).
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit, urlunsplit

from psycopg.conninfo import conninfo_to_dict, make_conninfo

KEYRING_SERVICE = "reviewer-postgresql"
_LOCAL_HOSTS = ("", "localhost", "127.0.0.1", "::1")


class UrlError(ValueError):
    """The server URL cannot be used; the message says why."""


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password, and the password (``None`` when it has none)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise UrlError(f"{url!r}: a server URL starts with postgresql://")
    if parts.password is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = quote(unquote(parts.username or ""), safe="") + "@" + host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc)), unquote(parts.password)


def account(url: str) -> str:
    """Who at which server and database: the keyring's name for the password."""
    info = conninfo_to_dict(url)
    return f"{info.get('user', '')}@{info.get('host', '')}:{info.get('port', 5432)}/{info.get('dbname', '')}"


def keyring_password(url: str) -> str | None:
    """The password the system keyring holds for this URL, if it has a keyring and one."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, account(url))
    except Exception:  # noqa: BLE001 (no keyring backend on this machine, or it is locked)
        return None


def remember_password(url: str, password: str) -> bool:
    """Keep the password in the system keyring; ``False`` when there is no keyring."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, account(url), password)
        return True
    except Exception:  # noqa: BLE001
        return False


def conninfo(url: str) -> str:
    """The connection string to use: TLS required for a server elsewhere, unless the
    URL chose an ``sslmode`` itself."""
    try:
        info = conninfo_to_dict(url)
    except Exception as exc:  # noqa: BLE001 (psycopg's ProgrammingError)
        raise UrlError(f"{url!r}: not a PostgreSQL URL ({exc})") from exc
    host = str(info.get("host", ""))
    local = all(h in _LOCAL_HOSTS or h.startswith("/") for h in host.split(","))
    if "sslmode" not in info and not local:
        info["sslmode"] = "require"
    return make_conninfo(**info)


def display(url: str) -> str:
    """The URL as shown to people (never with a password)."""
    return split_password(url)[0]
