"""``annotator accept``: accept suggestions as an annotator's spans, as Shift+A (and Ctrl+Return)
do in the window, for every article or the ones named."""

from __future__ import annotations

import sys

from annotator.commands._common import CommandError, add_db_argument, open_store


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "accept",
        help="accept pending suggestions as an annotator's spans (Shift+A for many articles)",
        description="Accept the pending suggestions an annotator sees, with their event arguments, as the "
        "window's Shift+A does: one step per article, logged as the window logs it. With --done each "
        "article is then marked done (Ctrl+Return). Suggestions the annotator already decided are left alone.",
    )
    add_db_argument(parser)
    parser.add_argument("--annotator", required=True, metavar="NAME", help="whose spans the accepted copies become")
    parser.add_argument("--article", type=int, action="extend", nargs="+", metavar="ID", dest="articles",
                        help="only these articles (default: every article)")
    parser.add_argument("--labels", nargs="+", metavar="LABEL", help="only suggestions with these labels")
    parser.add_argument("--layers", nargs="+", choices=["entity", "event"], help="only these layers")
    parser.add_argument("--min-score", type=float, metavar="S",
                        help="only suggestions scored at least S (unscored suggestions are then left pending)")
    parser.add_argument("--done", action="store_true", help="mark each article done afterwards (Ctrl+Return)")
    parser.add_argument("--undo", action="store_true",
                        help="take back the annotator's last accept-all on each article (this command's or the "
                        "window's): the spans it made that are unchanged since are deleted; states stay")
    parser.set_defaults(func=run)


def run(args) -> int:
    from annotator.bulk.accept import AcceptFilter, accept_suggestions
    from annotator.domain import Layer, check_annotator_name
    from annotator.store import StoreError

    try:
        annotator = check_annotator_name(args.annotator)
    except ValueError as exc:
        raise CommandError(f"--annotator: {exc}") from exc
    only = AcceptFilter(
        labels=frozenset(args.labels) if args.labels else None,
        layers=frozenset(Layer(name) for name in args.layers) if args.layers else None,
        min_score=args.min_score,
    )
    if args.undo and (args.labels or args.layers or args.min_score is not None or args.done):
        raise CommandError("--undo takes only --annotator and --article")
    with open_store(args) as store:
        if args.undo:
            return _undo(store, annotator, args.articles)
        if args.articles:
            missing = store.articles.missing(args.articles)
            if missing:
                raise CommandError(f"--article: no article with id {', '.join(map(str, missing))}")
        if args.labels:
            scheme = store.project_scheme()
            known = {label.name for label in scheme.labels}
            unknown = sorted(set(args.labels) - known)
            if unknown:
                print(f"annotator: warning: the project's scheme has no label {', '.join(unknown)}", file=sys.stderr)
        try:
            summary = accept_suggestions(store, annotator, args.articles, only=only, done=args.done)
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
    print(f"{annotator}: {summary.suggestions} suggestions accepted on {summary.accepted_articles} of "
          f"{summary.articles} articles ({summary.spans} spans with their event arguments)")
    if args.done:
        print(f"  marked done: {summary.marked_done} articles")
    return 0


def _undo(store, annotator: str, articles) -> int:
    from annotator.bulk.accept import take_back

    if articles:
        missing = store.articles.missing(articles)
        if missing:
            raise CommandError(f"--article: no article with id {', '.join(map(str, missing))}")
    summary = take_back(store, annotator, articles)
    print(f"{annotator}: taken back on {summary.articles} articles, {summary.spans} spans removed")
    if summary.kept_changed:
        print(f"  kept, changed since they were accepted: {summary.kept_changed} spans")
    return 0
