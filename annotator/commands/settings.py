"""``annotator settings``: project-wide settings kept in the project file (today: the blind share)."""

from __future__ import annotations

from annotator.commands._common import CommandError, add_db_argument, open_store


def _share(text: str) -> float:
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r} (e.g. 0.2 for one article in five)") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value:g}")
    return value


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "settings",
        help="show or change project settings (the share of articles annotated without suggestions)",
        description="Without options, prints the project's settings. --blind-share sets the share of articles "
        "annotated without suggestions ('blind'): `suggest` leaves them out, the window shows no suggestion "
        "on them, and `annotator agreement` reports them apart, so that agreement measures the annotators, "
        "not the suggester. Which articles are blind follows from their id alone. See docs/agreement.md.",
    )
    add_db_argument(parser)
    parser.add_argument("--blind-share", type=_share, metavar="SHARE",
                        help="share of articles annotated without suggestions, 0 to 1 (0: none, 1: all)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from annotator.store import StoreError

    with open_store(args) as store:
        if args.blind_share is not None:
            try:
                store.set_blind_share(args.blind_share)
            except StoreError as exc:
                raise CommandError(str(exc)) from exc
        share = store.blind_share()
        blind = len(store.blind_article_ids(store.articles.ids()))
        print(f"blind share: {share:g} ({blind} of {store.articles.count()} articles annotated without suggestions)")
    return 0
