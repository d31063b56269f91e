"""Connecting to the hub: URLs, the password file, the schema version check.

Passwords never go into a project file. A URL given with a password (what ``annotator hub
add-annotator`` prints) is split: the password goes into libpq's password file (``$PGPASSFILE``, else
``~/.pgpass``, mode 0600, which libpq and so psycopg read by themselves) and the project keeps the URL
without it (docs/adr/0008-team-hub.md says why a password file rather than the system keyring).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg
from psycopg.conninfo import conninfo_to_dict

from annotator.hub import schema
from annotator.store.errors import StoreError

CONNECT_TIMEOUT_S = 5


class HubError(StoreError):
    """The hub cannot be used as asked; the message says what and where."""


class HubUnreachable(HubError):
    """The server did not answer (offline, stopped): the work stays in the file for the next sync."""


def parse(url: str) -> dict[str, str]:
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise HubError(f"not a PostgreSQL URL: {redact(url)} ({exc})") from exc
    return {key: str(value) for key, value in params.items()}


def make_url(params: dict[str, str]) -> str:
    """A ``postgresql://`` URL from connection parameters; a unix-socket folder goes in ``?host=``."""
    user = params.get("user", "")
    password = params.get("password")
    userinfo = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    host = params.get("host", "")
    query = {}
    netloc = ""
    if host.startswith("/"):
        query["host"] = host
        if params.get("port"):
            query["port"] = params["port"]
    else:
        netloc = host + (f":{params['port']}" if params.get("port") else "")
    for key, value in params.items():
        if key not in ("user", "password", "host", "port", "dbname"):
            query[key] = value
    at = f"{userinfo}@" if userinfo else ""
    url = f"postgresql://{at}{netloc}/{quote(params.get('dbname', ''), safe='')}"
    return url + (f"?{urlencode(query, safe='/')}" if query else "")


def redact(url: str) -> str:
    """The URL with any password replaced, for messages."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "<unreadable URL>"
    if "password" in params:
        params["password"] = "***"
    return make_url({k: str(v) for k, v in params.items()})


def passfile_path() -> Path:
    return Path(os.environ.get("PGPASSFILE") or Path.home() / ".pgpass")


def _escape(field: str) -> str:
    return field.replace("\\", "\\\\").replace(":", "\\:")


def remember_password(url: str) -> str:
    """Move a password out of ``url`` into the password file; returns the URL without it.

    The entry is keyed by host, port and user as libpq matches them (a unix-socket folder
    is its host), replacing an older entry for the same four. The file is created with mode 0600
    (libpq ignores a password file that others can read).
    """
    params = parse(url)
    password = params.pop("password", None)
    if password is None:
        return make_url(params)
    # A role's password is the same in every database of the server: the entry's database is "*".
    key = ":".join([_escape(params.get("host") or "localhost"), _escape(params.get("port") or "5432"), "*",
                    _escape(params.get("user") or "*")])
    path = passfile_path()
    lines = []
    if path.exists():
        lines = [line for line in path.read_text().splitlines() if not line.startswith(key + ":")]
    lines.append(f"{key}:{_escape(password)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return make_url(params)


def connect(url: str, *, autocommit: bool = False) -> psycopg.Connection:
    """A connection to the hub at ``url`` (a password in it or in the password file).

    :raises HubUnreachable: the server did not answer or refused the login
    """
    try:
        return psycopg.connect(url, autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT_S,
                               passfile=str(passfile_path()))
    except psycopg.OperationalError as exc:
        raise HubUnreachable(f"cannot reach the hub at {redact(url)}: {str(exc).strip()}") from exc


def applied_migrations(conn: psycopg.Connection) -> list[str]:
    exists = conn.execute("SELECT to_regclass('public.hub_migrations') IS NOT NULL").fetchone()[0]
    if not exists:
        return []
    return [row[0] for row in conn.execute("SELECT name FROM hub_migrations ORDER BY name")]


def check_version(conn: psycopg.Connection, url: str) -> None:
    """Refuse a hub without our schema, or made by a newer version of the app."""
    applied = applied_migrations(conn)
    if not applied:
        raise HubError(f"{redact(url)} is not a team hub yet; `annotator hub init` makes it one")
    unknown = [name for name in applied if name not in schema.KNOWN]
    if unknown:
        raise HubError(
            f"the hub at {redact(url)} was set up by a newer version of Conflict Annotator (it has schema"
            f" step {unknown[-1]}; this version knows up to {schema.KNOWN[-1]}). Upgrade the app to use it;"
            " nothing was changed.")
    if applied != schema.KNOWN:
        raise HubError(f"the hub at {redact(url)} needs upgrading: the team lead runs `annotator hub init` again")
