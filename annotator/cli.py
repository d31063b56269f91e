"""The ``annotator`` command. Alone it opens the window; subcommands do the rest.

Each subcommand lives in ``annotator/commands/<name>.py`` with ``register(subparsers)``; the
command's function gets the parsed arguments and returns the exit status. Shared helpers are in
``annotator/commands/_common.py``.

Building the parser imports every command module, so those modules import their heavy libraries
(spaCy, numpy, jsonschema, tqdm, the store) inside ``run``: ``annotator --version`` and
``annotator stats`` start in a fraction of a second (``bench/startup_bench.py``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from annotator import __version__
from annotator.commands._common import CommandError, add_db_argument

# Order is the order of ``annotator --help``.
COMMAND_MODULES = ["import_", "stats", "suggest", "export", "merge", "agreement", "review", "scheme", "gui"]

# 128 + SIGPIPE: what a shell reports for a program whose reader went away (`annotator stats | head`).
EXIT_BROKEN_PIPE = 141


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Label armed-conflict news: entities, events, arguments; review; export for spaCy.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_db_argument(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"annotator.commands.{name}").register(subparsers)
    return parser


def user_errors() -> tuple[type[Exception], ...]:
    """Errors whose message is meant for the user; imported only once one is being handled."""
    from annotator.importers.records import InputError
    from annotator.schemes import SchemeError
    from annotator.store import StoreError

    return StoreError, CommandError, InputError, SchemeError


def import_sqlite_utils_without_numpy() -> None:
    """Import sqlite-utils so that it does not import numpy (and pandas) as it would on its own.

    sqlite-utils imports numpy only to add numpy scalar types to the column types it infers when it
    creates a table from Python values (``COLUMN_TYPE_MAPPING``); the project's tables are created by
    SQL in the migrations, so nothing here needs that, while numpy is two thirds of `annotator stats`'
    start-up. Commands that use numpy (agreement, review) import it afterwards as usual.
    """
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    # A None entry makes `import numpy` raise ImportError, which sqlite-utils treats as "not installed".
    blocked = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in blocked:
            del sys.modules[name]


def main(argv: list[str] | None = None) -> int:
    try:
        try:
            status = _run(argv)
        except SystemExit:  # --version and --help print, then exit through argparse
            sys.stdout.flush()
            raise
        # Flush here, not at interpreter exit, so a closed pipe surfaces where it can be handled.
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (`head`) has all it wanted. Point stdout at devnull so the interpreter's own
        # flush at exit does not raise again (the recipe in Python's signal module documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return status


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "gui"])
    import_sqlite_utils_without_numpy()
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("annotator: interrupted; every completed step is saved", file=sys.stderr)
        return 130
    except Exception as exc:
        if not isinstance(exc, user_errors()):
            raise
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 2
