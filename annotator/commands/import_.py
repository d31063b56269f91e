"""``annotator import PATH...``: articles and other tools' annotations into the project."""

from __future__ import annotations

import sys
from pathlib import Path

from annotator.commands._common import (
    CommandError,
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
        help="import articles: .txt, JSONL/JSON (plain, Prodigy, doccano, Label Studio; also .jsonl.gz), CSV, web pages",
        description="Import files or folders (recursively). Each file imports whole or not at all "
        "unless --skip-invalid. Articles already in the project (same text) are not added again.",
    )
    add_db_argument(parser)
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (.html pages: their article only)")
    parser.add_argument("--urls", metavar="FILE",
                        help="also fetch the web pages listed in FILE (one URL a line) and import their articles; "
                        "robots.txt is obeyed, one request at a time per site")
    parser.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS",
                        help="with --urls: give up on a page after this long (default 15)")
    parser.add_argument("--fetch-delay", type=float, default=1.0, metavar="SECONDS",
                        help="with --urls: pause between two requests to one site (default 1)")
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

    if not args.paths and not args.urls:
        raise CommandError("name files or folders to import, or --urls FILE")
    label_map = label_map_of(args)
    files = collect_files(args.paths)
    urls = _read_urls(args.urls) if args.urls else []
    # Each file is read twice: checked whole first, then written (annotator.importers).
    total = 2 * sum(f.stat().st_size for f in files)
    web = None
    # The one command that makes a new project: importing into a path is how a project begins.
    with open_store(args, create=True) as store:
        with Progress("importing", "B", total, stream=sys.stderr) as bar:
            summary = import_paths(store, files, annotator=args.annotator, skip_invalid=args.skip_invalid,
                                   text_column=args.text_column, encoding=args.encoding, progress=bar.update,
                                   label_map=label_map)
        if args.urls:
            web = _import_urls(store, urls, args)
    if files or web is None:
        say(*summary.lines())
    if web is not None:
        _print_web(web, len(urls))
    return 0 if summary.ok and (web is None or web.ok) else 1


def _read_urls(path: str) -> list[str]:
    from annotator.importers.web import read_url_list

    return read_url_list(Path(path))


def _import_urls(store, urls: list[str], args):
    from annotator.importers import import_urls
    from annotator.importers.web import Fetcher

    with Progress("fetching", "page", len(urls), stream=sys.stderr) as bar:
        return import_urls(store, urls, fetcher=Fetcher(timeout=args.timeout, delay=args.fetch_delay),
                           progress=bar.update)


def _print_web(web, listed: int) -> None:
    failed, web.failed = web.failed, []
    say(f"web pages listed: {listed}, fetched: {listed - len(failed)}")
    say(*web.lines()[1:])  # the articles, as for files
    if failed:
        say(f"pages not imported: {len(failed)}")
        say(*(f"  {error}" for error in failed))
    web.failed = failed
