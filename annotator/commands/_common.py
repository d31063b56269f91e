"""What every subcommand shares: the ``--db`` option, opening its project, the user-error type.

Every command module imports this while ``annotator --help`` builds the parser, so it stays light:
the store (sqlite-utils) is imported only when a command actually opens a project.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator import config

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
    from annotator.projects import open_project

    opened = open_project(db_path_of(args), create=create, readonly=readonly)
    if opened.samples_error is not None:
        print(f"annotator: warning: sample articles not loaded: {opened.samples_error}", file=sys.stderr)
    return opened.store
