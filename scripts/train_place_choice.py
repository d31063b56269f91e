"""Train the event table's learned place step and write resources/models/place_choice/weights.json.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/train_place_choice.py

Reads every sentence of ahalterman/event_location's development file (../shared/data/event_location/dev.jsonl,
MIT) with one event word, from the sources not reserved for independent evaluation (the bench's own
reader leaves out RELABEL, APW_RA, AFP_RA, Xinhua_RA and Unknown_RA): each place mention of the event's
sentence, as the event table finds them in the suggester's parse, is one example, labelled by whether a
person marked it as where the event happened. Sentences whose annotator marked no place teach the step
when to say nothing. The weights are cue -> number (no text of the corpus is kept).

Whether it beats the rules is shown held out by source by ``bench/place_accuracy.py``, which trains the
same way on all sources but one and scores that one; ship weights only when it does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parse-cache", type=Path, default=None, help="folder of the bench's kept parses")
    parser.add_argument("--threshold", type=float, default=0.05,
                        help="below this score the sentence is taken to say nothing of where (the article's setting is read)")
    parser.add_argument("--relations", action="store_true",
                        help="with the cues that compare an event's candidates (off in the shipped weights)")
    parser.add_argument("--by-event", action="store_true",
                        help="a softmax over each event's candidates instead of one score each (off in the shipped weights)")
    parser.add_argument("--out", type=Path, default=None, help="default: resources/models/place_choice/weights.json")
    args = parser.parse_args()

    from place_accuracy import events, parse_all, training_rows

    from annotator.eventtable.place_choice import fit, model_path
    from annotator.eventtable.places import load_index
    from annotator.eventtable.records import load_parser

    items = events(placeless=True)
    nlp = load_parser()
    docs = parse_all(nlp, [item["text"] for item in items], args.parse_cache)
    index = load_index()
    bags, labels, numbers = [], [], []
    for number, (item, doc) in enumerate(zip(items, docs)):
        item_bags, item_labels = training_rows(index, doc, item, args.relations)
        bags += item_bags
        labels += item_labels
        numbers += [number] * len(item_bags)
    chooser = fit(bags, labels, threshold=args.threshold, relations=args.relations,
                  events=numbers if args.by_event else None,
                  about=f"logistic regression over {len(bags)} place mentions ({sum(labels)} where the event "
                        f"happened) of {len(items)} sentences of ahalterman/event_location dev (MIT), reserved "
                        f"sources left out; built by scripts/train_place_choice.py")
    out = args.out or model_path()
    chooser.save(out)
    print(f"{len(bags)} mentions, {sum(labels)} positive, {len(chooser.weights)} cues -> {out}")


if __name__ == "__main__":
    main()
