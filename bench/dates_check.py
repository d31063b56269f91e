"""When it happened: the event table's dates on real reports, beside "the day it was published".

    nice .venv/bin/python bench/dates_check.py                  # both views, 100 dates to read, seed 20
    nice .venv/bin/python bench/dates_check.py --sample 0       # only the agreement figures

ECB+ development topics with a published date (the reserved topics are never read). Every gold event
mention is built into a record by the project's RecordBuilder, as ``bench/link_bench.py`` does, and
its date resolved as the table resolves it (TIME arguments first, then the date words of its
sentence nearest the trigger, else the published day).

ECB+ gives no event dates, but it says which mentions, across articles, are one real-world event
(``chain``). Two views:

1. **Agreement** (computed): over pairs of mentions in *different* articles, the share whose date
   periods overlap (a period as wide as its precision: a day, a week, a month). Pairs of one event
   should overlap: two reports that date one event alike. (Pairs of different events cannot be
   used: only the ECB+ half of each topic has published dates, so the dated pairs are all of one of
   its two events, or of another step of the same story.)
   Beside the same figures for the baseline that dates every event on its article's published day,
   and the same figure over the pairs where both mentions were dated from their own words (not
   the published day standing in).
2. **Read by hand** (``--sample N``): N mentions of dated articles, sampled with a fixed seed, printed with the published day, the words read and the period, for a person to mark
   right or wrong (docs/formats.md gives the result of the check).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from link_bench import articles, build  # noqa: E402


def period(resolved) -> tuple[date, date] | None:
    if not resolved.start or not resolved.end:
        return None
    return date.fromisoformat(resolved.start), date.fromisoformat(resolved.end)


def published_day(value: str) -> tuple[date, date]:
    day = date.fromisoformat(value[:10])
    return day, day


def overlap(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def agreement(records, gold, published, topic) -> None:
    keys = [k for k in records if published[k]]
    ours = {k: period(records[k].date) for k in keys}
    baseline = {k: published_day(published[k]) for k in keys}
    by_topic: dict[int, list] = {}
    for k in keys:
        by_topic.setdefault(topic[k], []).append(k)
    counts: Counter = Counter()
    for number, members in by_topic.items():
        half = "odd topics" if number % 2 else "even topics"
        for a, b in combinations(members, 2):
            if a[0] == b[0]:
                continue  # one article: its mentions share the published day, which says nothing
            if gold[a] != gold[b]:
                continue  # two events: of one story (a crash, then an arrest) or of two, nothing says when
            kind = "same"
            worded = not records[a].date.is_fallback and not records[b].date.is_fallback
            for part in ("all topics", half):
                for subset in (kind, kind + " worded") if worded else (kind,):
                    counts[part, subset] += 1
                    counts[part, subset, "ours"] += overlap(ours[a], ours[b])
                    counts[part, subset, "baseline"] += overlap(baseline[a], baseline[b])
    bases = Counter(records[k].date.basis for k in keys)
    print(f"{len(keys)} mentions in articles with a published date; dated from: "
          + ", ".join(f"{basis} {n}" for basis, n in bases.most_common()))
    print(f"background (told as history, out of the table by default): {sum(records[k].background for k in keys)}")
    print(f"\npairs across articles of one topic           {'pairs':>7}  {'ours':>6}  {'published day':>13}")
    for part in ("all topics", "odd topics", "even topics"):
        for kind, wording in (("same", "one event: the periods overlap"),
                              ("same worded", "  both dated from their own words")):
            n = counts[part, kind] or 1
            print(f"{part:<12} {wording:<42}{counts[part, kind]:>7}  {counts[part, kind, 'ours'] / n:>6.3f}"
                  f"  {counts[part, kind, 'baseline'] / n:>13.3f}")


def sample(records, published, size: int, seed: int) -> None:
    from annotator.eventtable.dates import FROM_PUBLISHED

    # Every mention of a dated article may be drawn, whatever our date search finds in its sentence, so
    # that the same sample is read before and after a change.
    candidates = sorted(k for k in records if published[k])
    random.Random(seed).shuffle(candidates)
    print(f"\n{len(candidates)} mentions in dated articles; {min(size, len(candidates))} to read (seed {seed}):")
    for number, key in enumerate(candidates[:size], start=1):
        record = records[key]
        resolved = record.date
        when = (resolved.start if resolved.start == resolved.end else f"{resolved.start} .. {resolved.end}")
        words = "the published day" if resolved.basis == FROM_PUBLISHED else repr(resolved.text)
        flag = "  BACKGROUND" if record.background else ""
        print(f"\n{number:>3}. published {published[key][:10]}  trigger {record.trigger!r}")
        print(f"     {' '.join(record.sentence.split())}")
        print(f"     -> {when} (precision {resolved.precision}, from {resolved.basis}: {words}){flag}"
              + (f"  [{resolved.note}]" if resolved.note else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=100, help="dates to print for reading by hand (0: none)")
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    items = [a for a in articles(None) if a["published"]]
    records, gold, _lemma, published, topic = build(items)
    agreement(records, gold, published, topic)
    if args.sample:
        sample(records, published, args.sample, args.seed)


if __name__ == "__main__":
    main()
