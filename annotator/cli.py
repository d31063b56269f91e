"""The ``annotator`` command. Alone it opens the window; subcommands do the rest.

Each subcommand lives in ``annotator/commands/<name>.py`` with ``register(subparsers)``; the
command's function gets the parsed arguments and returns the exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from annotator import __version__, config
from annotator.importers.records import InputError
from annotator.schemes import SchemeError
from annotator.store import Store, StoreError

# Order is the order of ``annotator --help``.
COMMAND_MODULES = ["import_", "stats", "suggest", "export", "merge", "agreement", "review", "scheme", "gui"]


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


def open_store(args: argparse.Namespace, *, readonly: bool = False) -> Store:
    """Open the project the arguments name; a new default project starts with the sample articles."""
    path = config.resolve_db_path(getattr(args, "db", None))
    first_run = path == config.default_db_path() and not path.exists() and not readonly
    store = Store.open(path, readonly=readonly)
    if first_run:
        from annotator.importers import import_samples

        import_samples(store)
    return store


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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "gui"])
    try:
        return int(args.func(args) or 0)
    except (StoreError, CommandError, InputError, SchemeError) as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("annotator: interrupted; every completed step is saved", file=sys.stderr)
        return 130


def db_path_of(args: argparse.Namespace) -> Path:
    return config.resolve_db_path(getattr(args, "db", None))
