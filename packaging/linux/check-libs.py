"""Every shared library the bundle loads from the system must come from a package the .deb depends on.

Usage: python3 check-libs.py APPDIR CONTROL. Runs ldd over the bundle's ELF files (with the bundle's
own folders first, as the frozen app sees them), maps each library found outside the bundle to its
Debian package (dpkg -S) and checks it lies in the Depends closure of CONTROL. Prints the table; exit
status 1 if a library is missing or comes from a package nothing in Depends pulls in.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# The C library and the loader are never a question (and dpkg knows them under merged-/usr paths).
ALWAYS_THERE = {"libc6"}


def elf_files(appdir: Path) -> list[Path]:
    found = []
    for path in appdir.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def outside_libraries(appdir: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(system library path -> users, missing soname -> users)"""
    internal = appdir / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    system: dict[str, set[str]] = {}
    missing: dict[str, set[str]] = {}
    for elf in elf_files(appdir):
        out = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env).stdout
        user = str(elf.relative_to(appdir))
        for line in out.splitlines():
            if "not found" in line:
                missing.setdefault(line.split()[0], set()).add(user)
            elif "=>" in line:
                target = line.split("=>")[1].split()[0]
                if target.startswith("/") and not target.startswith(str(appdir)):
                    system.setdefault(target, set()).add(user)
    return system, missing


def package_of(path: str) -> str:
    candidates = [path, os.path.realpath(path)]
    if path.startswith("/lib"):
        candidates.append("/usr" + path)
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":")[0].strip()
    return "?"


def depends_of(package: str) -> list[str]:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}, ${Provides}", package],
                            capture_output=True, text=True)
    return parse_depends(result.stdout) if result.returncode == 0 else []


def parse_depends(field: str) -> list[str]:
    names = []
    for alternative in re.split(r"[,|]", field):
        name = re.sub(r"\(.*?\)", "", alternative).strip().split(":")[0]
        if name:
            names.append(name)
    return names


def closure(roots: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        package = todo.pop()
        if package not in seen:
            seen.add(package)
            todo.extend(depends_of(package))
    return seen


def main(appdir: str, control: str) -> int:
    fields = Path(control).read_text(encoding="utf-8")
    depends = parse_depends(re.search(r"^Depends:(.*)$", fields, re.M).group(1))
    allowed = closure(depends) | ALWAYS_THERE
    system, missing = outside_libraries(Path(appdir))
    bad = 0
    print(f"{'library from the system':<48} {'package':<22} via Depends")
    for path in sorted(system):
        package = package_of(path)
        ok = package in allowed
        bad += not ok
        print(f"{path:<48} {package:<22} {'yes' if ok else 'NO  <- add it to Depends'}")
    for soname, users in sorted(missing.items()):
        bad += 1
        print(f"{soname:<48} {'NOT FOUND':<22} needed by {', '.join(sorted(users)[:3])}")
    print(f"{len(system)} system libraries, {len(missing)} missing, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
