"""``annotator review``: the reviewer's queue from the command line, and gold for agreed articles."""

from __future__ import annotations

from annotator.commands._common import CommandError, add_db_argument, open_store, say


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "review",
        help="list the articles whose disagreements need a reviewer, worst first",
        description="Articles two or more annotators marked done that have a disagreement, worst first, with"
        " the review progress. The review itself happens in the reviewer mode window.",
    )
    add_db_argument(parser)
    parser.add_argument("--accept-agreed", metavar="REVIEWER",
                        help="put articles on which all annotators agree into gold, finished, in REVIEWER's name")
    parser.add_argument("--annotators", nargs="+", metavar="NAME", help="only these annotators (two or more)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from annotator.domain import check_annotator_name
    from annotator.review import accept_agreed_articles, agreed_article_ids, review_progress, review_queue
    from annotator.store import StoreError

    with open_store(args) as store:
        try:
            if args.accept_agreed:
                try:
                    reviewer = check_annotator_name(args.accept_agreed)
                except ValueError as exc:
                    raise CommandError(f"--accept-agreed: {exc}") from exc
                finished = agreed_article_ids(store, args.annotators)
                if finished:
                    accept_agreed_articles(reviewer, finished, args.annotators).apply(store)
                say(f"articles with full agreement put into gold and finished: {len(finished)}")
            queue = review_queue(store, args.annotators)
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
    done, total = review_progress(queue)
    say(f"reviewed {done} of {total} articles with disagreements")
    for item in queue:
        score = "  -  " if item.f1_exact is None else f"{item.f1_exact:.3f}"
        mark = "done" if item.finished else "open"
        say(f"  #{item.article_id:<6} {mark}  f1_exact {score}  unmatched {item.unmatched:<4} {item.title[:60]}")
    return 0
