"""``annotator learn``: train a suggester on the team's decisions; list versions; go back to one."""

from __future__ import annotations

import sys

from annotator.commands._common import CommandError, add_db_argument, open_store


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "learn",
        help="learn the team's conventions from reviewed and finished articles; suggest uses the result",
        description="Trains entity and event-trigger recognisers in the project's own labels on the gold "
        "spans of reviewed articles and the accepted spans of articles marked done, holding part of them "
        "back to score the result. Each version is kept beside the project file (PROJECT.models/) and "
        "recorded in it; `annotator suggest` then uses the newest good one with the rules. See "
        "docs/learning.md.",
    )
    add_db_argument(parser)
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true", help="list the learned versions and their scores")
    what.add_argument("--use", metavar="VERSION",
                      help="suggest with this version from now on (vNNNN), or 'newest' to follow the newest good one")
    parser.add_argument("--annotator", metavar="NAME", default=None,
                        help="who starts the learning, for the project's log (default: your name in the preferences)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from tqdm import tqdm

    from annotator.learn import LearnCancelled, LearnInputError, VersionError, choose_version, list_versions
    from annotator.learn.project import learn_from_project
    from annotator.learn.versions import chosen_version

    if not args.annotator:
        from annotator import config

        args.annotator = config.Preferences.load().annotator or "learn"
    with open_store(args) as store:
        if args.list:
            versions = list_versions(store.path)
            if not versions:
                print("no learned version yet: `annotator learn` makes one")
            chosen = chosen_version(store.path)
            for info in versions:
                layers = (info.manifest or {}).get("scores", {}).get("layers", {})
                figures = "  ".join(f"{layer} F1 {scores.get('f1', 0):.3f}" for layer, scores in sorted(layers.items()))
                mark = "*" if info.name == chosen else " "
                print(f" {mark} {info.name}  {'good' if info.good else 'not used'}  {figures or info.problem or ''}")
            return 0
        if args.use:
            try:
                choose_version(store.path, None if args.use == "newest" else args.use)
            except VersionError as exc:
                raise CommandError(str(exc)) from exc
            print("suggestions follow the newest good version" if args.use == "newest"
                  else f"suggestions use {args.use} from now on")
            return 0
        with tqdm(unit="step", desc="learning", file=sys.stderr, disable=None) as bar:
            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            try:
                outcome = learn_from_project(store, args.annotator, progress=progress)
            except LearnInputError as exc:
                raise CommandError(f"nothing to learn from yet: {exc}") from exc
            except LearnCancelled as exc:
                raise CommandError(str(exc)) from exc
    print("\n".join(outcome.lines()))
    return 0
