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
COMMAND_MODULES = ["import_", "stats", "suggest", "accept", "bulk", "learn", "next_", "export", "merge", "agreement",
                   "review", "scheme", "settings", "sync", "hub", "gui"]

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


def main(argv: list[str] | None = None) -> int:
    try:
        try:
            status = _run(argv)
        except SystemExit:  # --version and --help print, then exit through argparse
            sys.stdout.flush()
            raise
        # Flush here, not at interpreter exit, so a closed pipe surfaces where it can be handled.
        sys.stdout.flush()
        if argv is None:
            _spare_the_exit()
    except BrokenPipeError:
        # The reader (`head`) has all it wanted. Point stdout at devnull so the interpreter's own
        # flush at exit does not raise again (the recipe in Python's signal module documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return status


def _spare_the_exit() -> None:
    """The program is about to end: its objects go into the cycle collector's permanent generation.

    At exit Python runs the collector over every object still alive; after `annotator suggest`
    that is the whole spaCy pipeline and the gazetteer, a quarter of a second spent finding no
    garbage, since the operating system takes the memory back anyway. Only the real program does
    this (``argv`` None): a test calling ``main([...])`` goes on running and keeps its collector."""
    import gc

    gc.freeze()


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "gui"])
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("annotator: interrupted; every completed step is saved", file=sys.stderr)
        return 130
    except Exception as exc:
        if not isinstance(exc, user_errors()):
            raise
        from annotator.terminal import visible

        # The message may quote a file's content (a name, a label): shown with control characters escaped.
        print(f"annotator: error: {visible(str(exc))}", file=sys.stderr)
        return 2
