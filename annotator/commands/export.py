"""``annotator export``: training data for spaCy, Prodigy, BRAT or doccano."""

from __future__ import annotations

import sys

from annotator.commands._common import CommandError, add_db_argument, open_store
from annotator.domain import ArticleState, Layer

# The exporter's FORMATS, repeated so that building the parser does not import spaCy through the
# exporters; tests/test_cli.py checks the two lists are the same.
FORMATS = ("spacy", "jsonl", "brat", "doccano", "events")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write one annotator's (or the gold) spans as training data",
        description="Export the spans of one annotator, or the gold layer, for the articles in the chosen "
        "states. Files are written aside and moved into place when complete. See docs/formats.md.",
    )
    add_db_argument(parser)
    parser.add_argument("--format", required=True, choices=FORMATS, help="spacy (DocBin), jsonl (Prodigy tasks), brat, doccano, events (one row per real-world "
                        "event: CSV and GeoJSON)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into (created if missing)")
    whose = parser.add_mutually_exclusive_group(required=True)
    whose.add_argument("--annotator", metavar="NAME", help="export this annotator's spans")
    whose.add_argument("--gold", action="store_true", help="export the reviewed gold layer")
    parser.add_argument("--states", nargs="+", metavar="STATE", default=[str(ArticleState.DONE)],
                        help=f"article states to export (default: done; any of {', '.join(ArticleState)})")
    parser.add_argument("--labels", nargs="+", metavar="LABEL", help="only these labels (default: all)")
    parser.add_argument("--layers", nargs="+", metavar="LAYER", help=f"only these layers ({', '.join(Layer)})")
    parser.add_argument("--split", metavar="NAME=RATIO,...",
                        help="split into parts by ratio, e.g. train=0.8,dev=0.1,test=0.1 (default: one part, 'all')")
    parser.add_argument("--seed", type=int, default=0, help="which articles go to which part (default: 0)")
    parser.add_argument("--include-rejected", action="store_true",
                        help="jsonl: add a reject record per article with the rejected spans (negative examples)")
    parser.add_argument("--count-all", action="store_true",
                        help="events: count planned, hypothetical and denied events too (they are in the table"
                        " either way, with their modality)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from tqdm import tqdm

    from annotator.export import ExportError, export_project, parse_split

    try:
        split = parse_split(args.split) if args.split else None
        with open_store(args, readonly=True) as store:
            with tqdm(unit="article", desc="export", file=sys.stderr, disable=None) as bar:
                def progress(done: int, total: int) -> None:
                    bar.total = total
                    bar.update(done - bar.n)

                report = export_project(
                    store, args.out, format=args.format, annotator=args.annotator, gold=args.gold,
                    states=args.states, labels=args.labels, layers=args.layers, split=split, seed=args.seed,
                    include_rejected=args.include_rejected, count_all=args.count_all, progress=progress,
                )
    except ExportError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        where = exc.filename or args.out
        raise CommandError(f"cannot write the export to {where}: {exc.strerror or exc}") from exc
    for line in report.lines():
        print(line)
    return 0
