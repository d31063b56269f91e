"""``annotator merge FILE...``: bring other annotators' project files or JSONL exports in."""

from __future__ import annotations

from annotator.commands._common import (
    CommandError,
    add_db_argument,
    add_label_map_argument,
    label_map_of,
    open_store,
    say,
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "merge",
        help="merge other annotators' project files or JSONL exports (matched by article text)",
        description="Each FILE is a project file of this app or a Prodigy-style JSONL export whose records"
        " name their annotator in _annotator_id. Each file is merged whole or not at all; merging"
        " the same file again changes nothing.",
    )
    add_db_argument(parser)
    parser.add_argument("inputs", nargs="+", metavar="FILE", help="project file or JSONL export")
    add_label_map_argument(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    from annotator.importers.merge import MergeError, merge_files

    label_map = label_map_of(args)
    with open_store(args) as store:
        for input_file in args.inputs:
            try:
                [summary] = merge_files(store, [input_file], label_map=label_map)
            except MergeError as exc:
                raise CommandError(f"{exc} (nothing from this file was merged)") from exc
            say(*summary.lines())
    return 0
