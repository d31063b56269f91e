"""scripts/install-system-deps.sh, the README's first step, as root (no sudo) and as a user (sudo).

The system commands it calls are replaced by small stand-ins on PATH that record their calls, so the
test installs nothing and works on any machine with bash.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "install-system-deps.sh"
XCB_PACKAGES = ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"]

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def stand_ins(tmp_path: Path, *, uid: int, sudo: bool, cache: str = "",
              ensurepip: bool = True) -> tuple[dict[str, str], Path]:
    """A PATH holding fake ldconfig, id, apt-get, python3 (and sudo), and the system's grep and cat."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    fakes = {
        "ldconfig": f"cat <<'EOF'\n{cache}\nEOF",
        "id": f"echo {uid}",
        "apt-get": f'echo "apt-get $*" >> {log}',
        # Debian's python3 without python3-venv lacks ensurepip; this one has it or not, as told.
        "python3": f'exec {sys.executable} "$@"' if ensurepip else "exit 1",
    }
    if sudo:
        fakes["sudo"] = f'echo "sudo $*" >> {log}; exec "$@"'
    for name, body in fakes.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    for tool in ("grep", "cat"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    return {**os.environ, "PATH": str(bin_dir)}, log


def run_script(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([shutil.which("bash"), str(SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=60)


def test_install_script_as_root_runs_apt_get_without_sudo(tmp_path):
    env, log = stand_ins(tmp_path, uid=0, sudo=False)
    done = run_script(env)
    assert done.returncode == 0, done.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "apt-get update -qq"
    assert calls[1].startswith("apt-get install -y -qq " + " ".join(XCB_PACKAGES))
    assert not any(call.startswith("sudo") for call in calls)


def test_install_script_as_a_user_goes_through_sudo(tmp_path):
    env, log = stand_ins(tmp_path, uid=1000, sudo=True)
    done = run_script(env)
    assert done.returncode == 0, done.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "sudo apt-get update -qq"
    assert any(call.startswith("sudo apt-get install -y -qq " + " ".join(XCB_PACKAGES)) for call in calls)


def test_install_script_as_a_user_without_sudo_says_what_to_do(tmp_path):
    env, log = stand_ins(tmp_path, uid=1000, sudo=False)
    done = run_script(env)
    assert done.returncode == 1
    assert "run as root, or install sudo" in done.stderr and "libxcb-cursor0" in done.stderr
    assert not log.exists()


def test_install_script_installs_nothing_when_all_is_there(tmp_path):
    cache = "\n".join(f"\t{name} (libc6,x86-64) => /lib/{name}"
                      for name in ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"))
    env, log = stand_ins(tmp_path, uid=1000, sudo=True, cache=cache)
    done = run_script(env)
    assert done.returncode == 0, done.stderr
    assert "all present" in done.stdout
    assert not log.exists()


def test_install_script_adds_python3_venv_where_ensurepip_is_missing(tmp_path):
    env, log = stand_ins(tmp_path, uid=0, sudo=False, ensurepip=False)
    assert run_script(env).returncode == 0
    assert log.read_text(encoding="utf-8").splitlines()[1].endswith("libxcb-keysyms1 python3-venv")
