"""The hub tests run against a real PostgreSQL: a throwaway cluster for the session (pg_cluster.py),
stopped at the end. Without PostgreSQL installed they skip locally and fail under CI=true with what
to install.
"""

from __future__ import annotations

import os
import uuid

import pytest

from .pg_cluster import remove, start_throwaway


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = start_throwaway()
    if cluster is None:
        message = ("PostgreSQL is not installed: the hub tests need a real server"
                   " (apt-get install -y postgresql; .ci/run installs it)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield cluster
    finally:
        remove(cluster)


@pytest.fixture
def passfile(tmp_path, monkeypatch):
    """Each test keeps its passwords in its own libpq password file."""
    path = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


@pytest.fixture
def hub_url(pg_cluster, passfile):
    """The administrator's URL of a new, empty database (the team lead's)."""
    return pg_cluster.url("hub_" + uuid.uuid4().hex[:10])


@pytest.fixture
def member_name():
    """Roles are per cluster: each test's people get names no other test uses."""
    suffix = uuid.uuid4().hex[:6]
    return lambda name: f"{name}_{suffix}"
