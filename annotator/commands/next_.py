"""``annotator next``: which articles to annotate next, those the learned version is least sure of first."""

from __future__ import annotations

from annotator.commands._common import CommandError, add_db_argument, open_store

ORDERS = ("uncertain", "list")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "next",
        help="list the articles to annotate next (--order uncertain: the learned version's least certain first)",
        description="Lists the articles ANNOTATOR has not finished. With --order uncertain, by how many errors "
        "the learned version expects to make in them per 100 words (as Prodigy's ner.teach asks about what "
        "the model is least sure of); the scores are computed with the current learned version and kept in "
        "the project, and computed again when a newer version is in use, or with --rescore. The default is "
        "the article list's order: the simulated annotation curve did not show the uncertain order needing "
        "fewer articles (docs/learning.md).",
    )
    add_db_argument(parser)
    parser.add_argument("--annotator", metavar="NAME", default=None,
                        help="whose unfinished articles (default: your name in the preferences)")
    parser.add_argument("--order", choices=ORDERS, default="list",
                        help="list: the article list's order (default); uncertain: the learned version's least certain first")
    parser.add_argument("--count", type=int, default=10, metavar="N", help="how many to list (default 10)")
    parser.add_argument("--rescore", action="store_true", help="score the articles again even if the scores are current")
    parser.set_defaults(func=run)


def run(args) -> int:
    if args.count < 1:
        raise CommandError(f"--count must be at least 1, not {args.count}")
    if not args.annotator:
        from annotator import config

        args.annotator = config.Preferences.load().annotator or "annotator"
    from annotator.domain import display_title

    with open_store(args) as store:
        ids = store.uncertainty.unfinished_ids(args.annotator)
        if not ids:
            print(f"{args.annotator} has finished every article")
            return 0
        scores: dict[int, tuple[str, float]] = {}
        if args.order == "uncertain":
            scores = _current_scores(store, args, ids)
            if scores:
                ids = sorted(ids, key=lambda i: (i not in scores, -scores.get(i, ("", 0.0))[1], i))
        for article_id in ids[: args.count]:
            article = store.articles.get(article_id)
            title = display_title(article.title, article.text, article.id)
            figure = f"{scores[article_id][1]:7.2f}" if article_id in scores else "      -"
            print(f"{article_id:>8} {figure}  {title[:70]}")
        if args.order == "uncertain" and scores:
            print(f"(expected errors per 100 words, learned version {next(iter(scores.values()))[0]})")
    return 0


def _current_scores(store, args, ids: list[int]) -> dict[int, tuple[str, float]]:
    """The stored scores if the current learned version made them, else scored now (and stored)."""
    from annotator.learn.versions import current_version

    current = current_version(store.path) if store.path else None
    if current is None:
        print("no learned version yet (`annotator learn` makes one): the article list's order")
        return {}
    stored = store.uncertainty.of(ids)
    if args.rescore or any(stored.get(i, ("",))[0] != current.name for i in ids):
        import sys

        from annotator.learn.uncertainty import score_project
        from annotator.learn.versions import VersionError, load_version

        try:
            loaded = load_version(store.path, current.name)
        except VersionError as exc:
            raise CommandError(str(exc)) from exc
        print(f"scoring {len(ids)} unfinished articles with {current.name}...", file=sys.stderr)
        score_project(store, args.annotator, loaded)
        stored = store.uncertainty.of(ids)
    return stored
