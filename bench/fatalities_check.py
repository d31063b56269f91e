"""Counts read from real sentences, for a person to check by reading them.

    .venv/bin/python bench/fatalities_check.py                 # 100 sentences, seed 20
    .venv/bin/python bench/fatalities_check.py --sample 0      # only the totals over every sentence

The sentences are event_location's development sentences (reserved sources left out) that hold a
casualty word (killed, dead, died, wounded, injured, missing, arrested, detained, toll...). Each is read by
:func:`annotator.eventtable.fatalities.read_casualties` and printed with what it found: killed,
injured, missing and arrested as low/best/high, and any cumulative toll kept as context. The hand check
(docs/formats.md gives its result) marks each printed count right or wrong against the sentence: a
count is right when it is the number of people the sentence says met that outcome in its event, in
ACLED's conservative reading; a count missed or a toll not recognised is listed apart.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path

DATA = Path("/work/shared/data/event_location/dev.jsonl")
RESERVED = {"RELABEL", "APW_RA", "AFP_RA", "Xinhua_RA", "Unknown_RA"}
CASUALTY_WORDS = re.compile(r"\b(?:kill\w*|dead|died|deaths?|wound\w*|injur\w*|missing|arrest\w*|detain\w*|toll)\b",
                            re.I)


def sentences() -> list[str]:
    found = []
    with DATA.open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if item.get("source") not in RESERVED and CASUALTY_WORDS.search(item["text"]):
                found.append(" ".join(item["text"].split()))
    return list(dict.fromkeys(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()

    from annotator.eventtable.fatalities import ARRESTED, INJURED, KILLED, MISSING, read_casualties

    every = sentences()
    totals = Counter()
    for sentence in every:
        said = read_casualties(sentence)
        for outcome in (KILLED, INJURED, MISSING, ARRESTED):
            totals[outcome] += said.of(outcome) is not None
        totals["context"] += bool(said.context)
    print(f"{len(every)} sentences with casualty words; counts found: "
          + ", ".join(f"{k} {v}" for k, v in totals.items()))
    if not args.sample:
        return
    for number, sentence in enumerate(random.Random(args.seed).sample(every, args.sample), start=1):
        said = read_casualties(sentence)
        found = [f"{o} {c.low}/{c.best}/{c.high}" for o in (KILLED, INJURED, MISSING, ARRESTED)
                 if (c := said.of(o)) is not None]
        if said.context:
            found.append(f"context: {' | '.join(said.context)}")
        print(f"\n{number:>3}. {sentence}\n     -> {'; '.join(found) or 'nothing'}")


if __name__ == "__main__":
    main()
