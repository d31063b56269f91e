"""``annotator gui`` (and ``annotator`` alone): open the annotation window."""

from __future__ import annotations

from annotator.commands._common import add_db_argument, db_path_of


def register(subparsers) -> None:
    parser = subparsers.add_parser("gui", help="open the annotation window (the default)")
    add_db_argument(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    # Qt is imported only here, so the other commands start fast and work without a display.
    from annotator.gui.app import run as run_window

    return run_window(db_path_of(args))
