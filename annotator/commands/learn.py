"""``annotator learn``: train a suggester on the team's decisions; list versions; go back to one."""

from __future__ import annotations

import sys
import time

from annotator.commands._common import CommandError, add_db_argument, open_store

# Without a terminal (a log, a pipe, CI), a progress line at most this often.
PLAIN_PROGRESS_SECONDS = 5.0


class LearnProgress:
    """Training progress on stderr, as ``suggest`` shows it: a bar on a terminal; otherwise a line
    every few seconds and one per pass over the training articles, each with the training loss so far
    and the F1 per layer the pipeline reaches at that pass on the held-back articles (scoring them
    takes a fraction of a pass; the version's own scores, per label, come at the end)."""

    def __init__(self, out=None, terminal: bool | None = None, every: float = PLAIN_PROGRESS_SECONDS):
        from tqdm import tqdm

        self.out = out or sys.stderr
        self.terminal = self.out.isatty() if terminal is None else terminal
        self.every = every
        self.bar = tqdm(unit="step", desc="learning", file=self.out, disable=not self.terminal)
        self.done = self.total = 0
        self.epoch = ""
        self.loss = ""
        self.score = ""
        self.last_line = time.monotonic()

    def step(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if self.terminal:
            self.bar.total = total
            self.bar.n = done
            self.bar.refresh()
        elif time.monotonic() - self.last_line >= self.every:
            self._line()

    def epoch_done(self, epoch: int, epochs: int, losses: dict, score=None) -> None:
        """After a pass: the loss so far and, scored now on the held-back articles, F1 per layer."""
        self.epoch = f"pass {epoch}/{epochs}"
        self.loss = ", ".join(f"{name.removeprefix('learned_')} {value:.1f}" for name, value in sorted(losses.items()))
        scores = score() if score is not None else None
        layers = (scores or {}).get("layers", {})
        self.score = ", ".join(f"{layer} {figures['f1']:.3f}" for layer, figures in sorted(layers.items()))
        if self.terminal:
            self.bar.set_postfix_str(", ".join(self._parts()))
        else:
            self._line()

    def _parts(self) -> list[str]:
        return [part for part in (self.epoch, f"loss {self.loss}" if self.loss else "",
                                  f"held-back F1 {self.score}" if self.score else "") if part]

    def _line(self) -> None:
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        extra = "".join(f", {part}" for part in self._parts())
        print(f"learning: step {self.done} of {self.total}{share}{extra}", file=self.out, flush=True)
        self.last_line = time.monotonic()

    def close(self) -> None:
        self.bar.close()


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
    from annotator.learn import LearnCancelled, LearnInputError, VersionError, choose_version, list_versions
    from annotator.learn.project import learn_from_project
    from annotator.learn.versions import chosen_version
    from annotator.store import StoreError

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
                held = len((info.manifest or {}).get("heldout_articles", []))
                rests = f"  ({held} held back)" if info.manifest else ""
                why = "" if info.good else f"  ({info.why_not_used})" if info.why_not_used else ""
                print(f" {mark} {info.name}  {'good' if info.good else 'not used'}  {figures or ''}{rests}{why}")
            return 0
        if args.use:
            try:
                choose_version(store.path, None if args.use == "newest" else args.use)
            except VersionError as exc:
                raise CommandError(str(exc)) from exc
            print("suggestions follow the newest good version" if args.use == "newest"
                  else f"suggestions use {args.use} from now on")
            return 0
        shown = LearnProgress()
        try:
            outcome = learn_from_project(store, args.annotator, progress=shown.step, on_epoch=shown.epoch_done)
        except LearnInputError as exc:
            raise CommandError(f"nothing to learn from yet: {exc}") from exc
        except (LearnCancelled, VersionError, StoreError) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:  # the project file itself on a full disk
            raise CommandError(f"{store.path}: cannot record the learned version ({exc.strerror or exc});"
                               " free some space and learn again") from exc
        finally:
            shown.close()
    print("\n".join(outcome.lines()))
    return 0
