"""How long the ``annotator`` command takes to start, as a user sees it: whole-process wall time.

    python bench/startup_bench.py [--runs 11] [--top 8] [COMMAND ...]

Each COMMAND (default: ``--version``, ``stats``, ``scheme``, ``agreement``, ``import``) runs ``--runs``
times as a fresh ``python -m annotator`` process on a small project (the bundled sample articles) in
a temporary folder; the median wall time and its spread are printed with the median CPU time and
the peak memory (max RSS). Then one
``python -X importtime`` run per command lists the modules that cost the most, cumulative, so a
regression names its culprit. Nothing is asserted: tests/test_startup.py checks which libraries
load, this measures what they cost. Run it with the project's interpreter (``.venv/bin/python``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_COMMANDS = ["--version", "stats", "scheme", "agreement", "import"]
IGNORED = {"annotator", "site"}


def command_line(command: str, db: Path, samples: Path) -> list[str]:
    argv = command.split()
    if argv[0].startswith("-"):
        return argv
    if argv[0] == "import":  # the samples are already there: this times reading and skipping them
        return [*argv, "--db", str(db), str(samples)]
    return [*argv, "--db", str(db)]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KB) of one fresh process."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "annotator", *argv], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, unlike RUSAGE_CHILDREN
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"annotator {' '.join(argv)} failed with status {child.returncode}")
    # CPU time is what the start-up costs; wall time is what the user waits, and on a shared machine
    # it also holds the time spent waiting for a core.
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def import_offenders(argv: list[str], env: dict[str, str], top: int) -> list[tuple[float, str]]:
    """The third-party packages that took longest to import (cumulative ms), from ``-X importtime``."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "annotator", *argv], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    costs: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if not cumulative.strip().isdigit():
            continue  # the header line
        package = name.strip().split(".")[0]
        if package in IGNORED or package in sys.stdlib_module_names or package.startswith("__editable"):
            continue  # our own package's figure includes its dependencies; the stdlib is not ours to cut
        # The outermost import of a package carries the cumulative cost of everything under it.
        costs[package] = max(costs.get(package, 0.0), int(cumulative) / 1000)
    return sorted(((ms, name) for name, ms in costs.items()), reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commands", nargs="*", default=DEFAULT_COMMANDS, metavar="COMMAND")
    parser.add_argument("--runs", type=int, default=11, help="processes per command (default 11)")
    parser.add_argument("--top", type=int, default=8, help="import offenders to list (default 8)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        env = {**os.environ, "ANNOTATOR_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
        env.pop("ANNOTATOR_DB", None)
        # The default project: made on first use with the sample articles (a small project).
        subprocess.run([sys.executable, "-m", "annotator", "stats"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from annotator import config

        os.environ["ANNOTATOR_HOME"] = str(home)
        db, samples = config.default_db_path(), config.samples_dir()
        print(f"python {sys.version.split()[0]}, {args.runs} runs per command, project {db.stat().st_size // 1024} KB")
        print(f"{'command':<22}{'median s':>10}{'min s':>8}{'max s':>8}{'cpu s':>8}{'peak MB':>9}")
        for command in args.commands:
            argv = command_line(command, db, samples)
            runs = [run_once(argv, env) for _ in range(args.runs)]
            times = [wall for wall, _, _ in runs]
            cpu = statistics.median(seconds for _, seconds, _ in runs)
            peak = max(kb for _, _, kb in runs) / 1024
            print(f"{command:<22}{statistics.median(times):>10.3f}{min(times):>8.3f}{max(times):>8.3f}"
                  f"{cpu:>8.3f}{peak:>9.0f}")
        print(f"\nslowest third-party imports (cumulative ms, one -X importtime run each; top {args.top}):")
        for command in args.commands:
            offenders = import_offenders(command_line(command, db, samples), env, args.top)
            print(f"  {command}: " + ", ".join(f"{name} {ms:.0f}" for ms, name in offenders))


if __name__ == "__main__":
    main()
