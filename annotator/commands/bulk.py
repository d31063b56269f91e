"""``annotator bulk``: suggestions for corpora too large for one project, on Dask, and choosing
from the result the articles worth a person's time."""

from __future__ import annotations

import sys

from annotator.commands._common import CommandError

# The defaults of annotator.bulk, repeated so that `annotator --help` imports neither it nor Dask;
# tests/test_bulk.py checks they are the same.
DEFAULT_CHUNK_SIZE = 1000
DEFAULT_MEMORY_LIMIT = "2GiB"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "bulk",
        help="suggest over large corpora on Dask into shards; select articles to annotate from them",
        description="Work on corpora of hundreds of thousands of articles outside a project: `bulk suggest` "
        "writes the suggester's suggestions as gzipped shards (importable with `annotator import`), "
        "`bulk select` picks articles from them. Needs the `bulk` extra (pip install 'conflict-annotator[bulk]').",
    )
    commands = parser.add_subparsers(dest="bulk_command", metavar="STEP", required=True)

    suggest = commands.add_parser(
        "suggest",
        help="run the suggester over files or folders as Dask tasks, one gzipped shard per chunk",
        description="Cut the input into chunks (a stretch of a JSON lines file, a CSV file, a group of .txt/.html "
        "files), run the same suggester as `annotator suggest` over each chunk as one Dask task, and write one "
        "gzipped Prodigy-style shard per chunk under DIR/shards plus DIR/manifest.json. Shards already there are "
        "skipped, so a run that was killed continues where it stopped.",
    )
    suggest.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL, JSON, CSV, .txt or .html files or folders")
    suggest.add_argument("--out", required=True, metavar="DIR", help="output folder (shards and manifest)")
    suggest.add_argument("--workers", type=int, default=2, metavar="N",
                         help="worker processes of the local cluster, one thread each (default 2)")
    suggest.add_argument("--scheduler", metavar="ADDRESS",
                         help="use a running Dask cluster (tcp://host:8786) instead of a local one; its workers "
                         "must read the input and write DIR")
    suggest.add_argument("--db", metavar="PATH", dest="bulk_db",
                         help="suggest with this project's label scheme, newest learned version and annotation memory")
    suggest.add_argument("--model", metavar="NAME_OR_PATH", help="spaCy pipeline (default as `annotator suggest`)")
    suggest.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, metavar="N",
                         help=f"articles per task (default {DEFAULT_CHUNK_SIZE})")
    suggest.add_argument("--memory-limit", default=DEFAULT_MEMORY_LIMIT, metavar="SIZE",
                         help=f"memory per local worker, e.g. 1.5GiB (default {DEFAULT_MEMORY_LIMIT})")
    suggest.add_argument("--text-column", metavar="NAME", help="the CSV column with the article text (default: text)")
    suggest.add_argument("--encoding", metavar="NAME", help="the files' encoding if not UTF-8")
    suggest.add_argument("--redo", action="store_true", help="make every shard again, even those already written")
    suggest.set_defaults(func=run_suggest)


def run_suggest(args) -> int:
    if args.workers < 1 or args.chunk_size < 1:
        raise CommandError("--workers and --chunk-size must be at least 1")
    try:
        import distributed  # noqa: F401 - only to say clearly what is missing
    except ImportError as exc:
        raise CommandError("`annotator bulk` needs Dask: pip install 'conflict-annotator[bulk]' "
                           "(or dask[distributed])") from exc
    from annotator.bulk.run import bulk_suggest

    summary = bulk_suggest(args.inputs, args.out, workers=args.workers, scheduler=args.scheduler,
                           project=args.bulk_db or getattr(args, "db", None), model=args.model, chunk_size=args.chunk_size,
                           memory_limit=args.memory_limit, text_column=args.text_column, encoding=args.encoding,
                           redo=args.redo, show_progress=sys.stderr.isatty() or sys.stdout.isatty())
    print(f"chunks: {summary.chunks}; done now {summary.done_now}, already done {summary.skipped}, "
          f"failed {len(summary.failed)}")
    print(f"articles this run: {summary.articles_now} in {summary.seconds:.1f} s "
          f"({summary.articles_per_second:.1f} articles/s)")
    print(f"in all shards: {summary.articles} articles, {summary.spans} suggestions, {summary.events} events, "
          f"{summary.arguments} arguments")
    if summary.peak_rss_mb:
        peaks = ", ".join(f"{mb:.0f}" for mb in sorted(summary.peak_rss_mb.values()))
        print(f"peak memory per worker process (MB): {peaks}")
    print(f"suggester: {', '.join(summary.sources) or '-'}")
    print(f"manifest: {summary.manifest}")
    for warning in summary.warnings:
        print(f"annotator: warning: {warning}", file=sys.stderr)
    if summary.record_errors:
        print(f"records not suggested: {summary.record_errors}")
        for line in summary.error_lines[:20]:
            print(f"  {line}")
    if summary.failed:
        print(f"chunks failed (run again to retry them): {len(summary.failed)}")
        for where, why in summary.failed:
            print(f"  {where}: {why}")
    return 1 if summary.failed else 0
