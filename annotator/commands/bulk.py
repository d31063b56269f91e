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

    pick = commands.add_parser(
        "select",
        help="choose articles from a bulk run's shards (text, label, dates, least sure, stratified sample, "
        "no wire copies)",
        description="Filters apply in this order: --query, --label, --from/--to, --dedupe, --uncertain, --sample. "
        "The output is JSON lines with the suggestions, for `annotator import`.",
    )
    pick.add_argument("folder", metavar="DIR", help="the --out folder of `bulk suggest`")
    pick.add_argument("--out", required=True, metavar="FILE", help="where to write the chosen articles (.jsonl, .jsonl.gz)")
    pick.add_argument("--query", metavar="TEXT",
                      help='articles with every word of TEXT in title or text (whole words, any case; "quoted phrases")')
    pick.add_argument("--label", metavar="LABEL", help="articles with suggestions of this label ...")
    pick.add_argument("--min", type=int, default=1, metavar="N", dest="label_min", help="... at least N of them (default 1)")
    pick.add_argument("--from", metavar="DATE", dest="date_from", help="published on or after DATE (YYYY-MM-DD)")
    pick.add_argument("--to", metavar="DATE", dest="date_to", help="published on or before DATE (YYYY-MM-DD)")
    pick.add_argument("--uncertain", type=int, metavar="N",
                      help="the N articles whose scored suggestions are least sure (closest to 0.5)")
    pick.add_argument("--sample", type=int, metavar="N", help="N articles at random, stratified by outlet and month")
    pick.add_argument("--seed", type=int, default=0, metavar="S", help="the sample's seed (default 0)")
    pick.add_argument("--dedupe", action="store_true",
                      help="drop near-duplicate copies of one story (MinHash, Jaccard >= 0.8), keeping the first")
    pick.set_defaults(func=run_select)


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


def run_select(args) -> int:
    from datetime import date

    from annotator.bulk.select import Criteria, SelectError, select

    def day(value: str | None, option: str):
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from exc

    for option, value in (("--min", args.label_min), ("--uncertain", args.uncertain), ("--sample", args.sample)):
        if value is not None and value < 1:
            raise CommandError(f"{option} must be at least 1")
    if args.dedupe:
        try:
            import datasketch  # noqa: F401 - only to say clearly what is missing
        except ImportError as exc:
            raise CommandError("--dedupe needs datasketch: pip install 'conflict-annotator[bulk]'") from exc
    criteria = Criteria(query=args.query, label=args.label, label_min=args.label_min,
                        date_from=day(args.date_from, "--from"), date_to=day(args.date_to, "--to"),
                        uncertain=args.uncertain, sample=args.sample, seed=args.seed, dedupe=args.dedupe)
    try:
        summary = select(args.folder, args.out, criteria)
    except SelectError as exc:
        raise CommandError(str(exc)) from exc
    print(f"articles read: {summary.read}")
    if args.query:
        print(f"  matching --query: {summary.after_query}")
    if args.label:
        print(f"  with at least {args.label_min} {args.label}: {summary.after_label}")
    if args.date_from or args.date_to:
        print(f"  in the date range: {summary.after_dates} ({summary.undated} without a date left out)")
    if args.dedupe:
        print(f"  near-duplicate copies dropped: {summary.duplicates}")
    if args.uncertain:
        print(f"  least sure kept: up to {args.uncertain} ({summary.unscored} without scored suggestions left out)")
    if args.sample and summary.strata:
        print(f"  sampled across {summary.strata} outlet-month strata")
    print(f"written: {summary.written} articles to {args.out}")
    return 0
