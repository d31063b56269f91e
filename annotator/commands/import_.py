"""``annotator import PATH...``: articles and other tools' annotations into the project."""

from __future__ import annotations

import sys

from annotator.commands._common import (
    Progress,
    add_db_argument,
    add_label_map_argument,
    label_map_of,
    open_store,
    say,
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import articles: .txt, JSONL/JSON (plain, Prodigy, doccano, Label Studio), CSV",
        description="Import files or folders (recursively). Each file imports whole or not at all "
        "unless --skip-invalid. Articles already in the project (same text) are not added again.",
    )
    add_db_argument(parser)
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument("--annotator", metavar="NAME",
                        help="whose annotations the files hold (default: as each record says, else 'import')")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="import the good records of a file and list the bad ones")
    parser.add_argument("--text-column", metavar="NAME", help="the CSV column with the article text (default: text)")
    parser.add_argument("--encoding", metavar="NAME", help="the files' encoding if not UTF-8 (e.g. cp1251)")
    add_label_map_argument(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from annotator.importers import collect_files, import_paths

    label_map = label_map_of(args)
    files = collect_files(args.paths)
    # Each file is read twice: checked whole first, then written (annotator.importers).
    total = 2 * sum(f.stat().st_size for f in files)
    # The one command that makes a new project: importing into a path is how a project begins.
    with open_store(args, create=True) as store:
        with Progress("importing", "B", total, stream=sys.stderr) as bar:
            summary = import_paths(store, files, annotator=args.annotator, skip_invalid=args.skip_invalid,
                                   text_column=args.text_column, encoding=args.encoding, progress=bar.update,
                                   label_map=label_map)
    say(*summary.lines())
    return 0 if summary.ok else 1
