"""A throwaway PostgreSQL cluster: initdb as the ``postgres`` user when run as root, a unix socket in
a temporary folder, no TCP (``listen_addresses=''``), password logins (scram-sha-256) so that libpq's
password file is really used. Used by the hub tests (tests/hub/conftest.py) and bench/hub_load.py."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

ADMIN_PASSWORD = "admin-" + uuid.uuid4().hex[:12]


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class Cluster:
    def __init__(self, bin_dir: Path, root: Path):
        self.bin_dir, self.root = bin_dir, root
        self.data, self.socket = root / "data", root / "socket"
        self.log = root / "server.log"

    def _as_postgres(self, *argv: str) -> list[str]:
        command = [str(a) for a in argv]
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def init(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(ADMIN_PASSWORD + "\n")
        self.socket.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            for path in (pwfile, self.socket):
                shutil.chown(path, "postgres")
        subprocess.run(self._as_postgres(self.bin_dir / "initdb", "-D", self.data, "-U", "postgres", "-A",
                                         "scram-sha-256", "--pwfile", pwfile, "-E", "UTF8", "--locale", "C.UTF-8"),
                       check=True, capture_output=True)
        pwfile.unlink()

    def start(self) -> None:
        subprocess.run(self._as_postgres(
            self.bin_dir / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "-o",
            f"-c listen_addresses='' -c unix_socket_directories={self.socket} -c fsync=off"
            " -c max_connections=120 -c synchronous_commit=off", "start"), check=True, capture_output=True)

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(self._as_postgres(self.bin_dir / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"),
                       capture_output=True)

    def url(self, dbname: str, user: str = "postgres", password: str | None = ADMIN_PASSWORD) -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@/{dbname}?host={self.socket}"



def start_throwaway() -> Cluster | None:
    """A new cluster in a temporary folder, started; None if PostgreSQL is not installed."""
    bin_dir = pg_bin()
    if bin_dir is None:
        return None
    root = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
    os.chmod(root, 0o755)
    cluster = Cluster(bin_dir, root)
    cluster.init()
    cluster.start()
    return cluster


def remove(cluster: Cluster) -> None:
    cluster.stop("immediate")
    shutil.rmtree(cluster.root, ignore_errors=True)
