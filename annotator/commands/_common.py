"""What every subcommand shares: the ``--db`` option, opening its project, the user-error type.

Every command module imports this while ``annotator --help`` builds the parser, so it stays light:
the store (sqlite-utils) is imported only when a command actually opens a project.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TextIO

from annotator import config
from annotator.terminal import visible

if TYPE_CHECKING:
    from annotator.store import Store


class CommandError(Exception):
    """A user mistake in a command: printed as ``annotator: error: ...`` with exit status 2."""


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        # SUPPRESS: a subcommand's unset --db must not overwrite one given before the subcommand.
        default=argparse.SUPPRESS,
        help="project file (default: $ANNOTATOR_DB, else %s)" % config.default_db_path(),
    )


def db_path_of(args: argparse.Namespace) -> Path:
    return config.resolve_db_path(getattr(args, "db", None))


def open_store(args: argparse.Namespace, *, create: bool = False, readonly: bool = False) -> Store:
    """Open the project the arguments name; only ``create=True`` (``import``) makes a new file.

    The default project is the exception: it is made on first use, with the sample articles.
    """
    from annotator.opening import open_project

    opened = open_project(db_path_of(args), create=create, readonly=readonly)
    if opened.samples_error is not None:
        print(f"annotator: warning: sample articles not loaded: {opened.samples_error}", file=sys.stderr)
    # A command-line writer that meets another program's write waits as long as it takes, saying so.
    opened.store.on_write_wait = _say_waiting
    return opened.store


def _say_waiting(path: Path | None) -> None:
    print(f"annotator: waiting for another program writing to {visible(str(path))}…", file=sys.stderr, flush=True)


def add_label_map_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--label-map", action="append", default=[], metavar="THEIRS=OURS",
        help="rename another tool's label to one of the scheme's as the files are read (repeatable: "
        "--label-map PER=PERSON --label-map GPE=LOCATION), or a JSON file of such pairs "
        '({"PER": "PERSON"}); labels left outside the scheme are named and added to the project')


def label_map_of(args: argparse.Namespace) -> dict[str, str]:
    """The ``--label-map`` options as one mapping; a value naming a .json file is read as pairs."""
    import json

    found: dict[str, str] = {}
    for value in getattr(args, "label_map", None) or []:
        if "=" not in value and value.lower().endswith(".json"):
            try:
                pairs = json.loads(Path(value).read_text(encoding="utf-8"))
            except OSError as exc:
                raise CommandError(f"--label-map {value}: cannot read: {exc.strerror or exc}") from exc
            except (json.JSONDecodeError, RecursionError) as exc:
                raise CommandError(f"--label-map {value}: not a JSON object of label pairs ({exc})") from exc
            if not isinstance(pairs, dict) or not all(isinstance(k, str) and isinstance(v, str) and k and v.strip()
                                                      for k, v in pairs.items()):
                raise CommandError(f"--label-map {value}: expected a JSON object of label pairs, "
                                   '{"THEIRS": "OURS", ...}')
            found.update(pairs)
            continue
        theirs, sep, ours = value.partition("=")
        if not sep or not theirs.strip() or not ours.strip():
            raise CommandError(f"--label-map {value!r}: expected THEIRS=OURS (e.g. PER=PERSON) or a .json file")
        found[theirs.strip()] = ours.strip()
    return found


def say(*lines: str, file: TextIO | None = None) -> None:
    """Print lines that may hold text from files (names, titles, labels) with control characters made
    visible: a colleague's file must not be able to send escape sequences to our terminal."""
    for line in lines:
        print(visible(line), file=file or sys.stdout)


# Seconds between two plain progress lines when stderr is not a terminal (a log file, a pipe).
PROGRESS_SECONDS = 5.0


class Progress:
    """Progress on stderr: a tqdm bar on a terminal; elsewhere one plain line every
    :data:`PROGRESS_SECONDS` (count and rate), so that a long run in a log never looks stuck.

    :param desc: what is being done ("importing")
    :param unit: what is counted ("article"; "B" counts bytes, shown as kB, MB)
    :param total: how many in all, if known
    :param stream: where to write (default stderr)
    :param interval: seconds between plain lines (default :data:`PROGRESS_SECONDS`)
    :param clock: the time source, for tests
    """

    def __init__(self, desc: str, unit: str, total: int | None = None, *, stream: TextIO | None = None,
                 interval: float | None = None, clock: Callable[[], float] = time.monotonic):
        self.desc, self.unit, self.total = desc, unit, total
        self.stream = stream or sys.stderr
        self.interval = PROGRESS_SECONDS if interval is None else interval
        self.clock = clock
        self.done = 0
        self.started = self.last = clock()
        self.bar = None
        isatty = getattr(self.stream, "isatty", None)
        if isatty is not None and isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=unit, unit_scale=unit == "B", desc=desc, file=self.stream,
                            leave=False)

    def update(self, count: int = 1) -> None:
        self.set(self.done + count)

    def set(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        self.done = done
        if self.bar is not None:
            self.bar.total = self.total
            self.bar.n = done
            self.bar.refresh()
            return
        now = self.clock()
        if now - self.last >= self.interval:
            self.last = now
            self._line(now)

    def _line(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        amount = self._amount(self.done)
        if self.total:
            amount += f" of {self._amount(self.total)} ({100 * self.done / self.total:.0f}%)"
        rate = self.done / elapsed
        # A slow count (pieces of one huge article) reads better per minute than as "0 articles/s".
        pace = f"{self._amount(rate)}/s" if rate >= 1 or self.unit == "B" else f"{self._amount(rate * 60)}/min"
        print(f"{self.desc}: {amount}, {pace}", file=self.stream, flush=True)

    def _amount(self, value: float) -> str:
        if self.unit == "B":
            for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
                if value >= size:
                    return f"{value / size:.1f} {unit}"
            return f"{value:.0f} B"
        if value != int(value) and value < 10:
            return f"{value:.1f} {self.unit}s"  # a share of an article done piece by piece: 0.4 articles
        return f"{value:,.0f} {self.unit}s" if value != 1 else f"1 {self.unit}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
