"""Every suggestion the suggester makes on a fixed set of texts, written out for a before/after
comparison of a change meant to leave the suggestions as they are (a speed-up):

    .venv/bin/python bench/suggest_same.py --out /tmp/after.jsonl
    git worktree add /tmp/base COMMIT
    PYTHONPATH=/tmp/base .venv/bin/python bench/suggest_same.py --out /tmp/before.jsonl
    .venv/bin/python bench/suggest_same.py --compare /tmp/before.jsonl /tmp/after.jsonl

The texts: bench/suggest_speed.py's 300 synthetic texts, the bundled samples, and, when
/work/shared/data is there, WikiEvents dev and re3d's three development outlets (CENTCOM,
UK_Government, US_State_Department; never the outlets kept for independent evaluation). One line
per text: each entity's character offsets, label, attributes and score, each event's offsets,
label, ACE label, attributes, score and argument links (scores as ``repr``, every bit). The
suggester runs as `annotator suggest` places them (runner.place_doc), before the store.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import article  # noqa: E402

SHARED = Path("/work/shared/data")  # as bench/learn_data.py
DEVELOPMENT_OUTLETS = ("CENTCOM", "UK_Government", "US_State_Department")


def texts(shared: Path) -> list[tuple[str, str]]:
    from annotator.config import samples_dir

    rng = random.Random(7)  # as bench/suggest_speed.py's texts
    found = [(f"bench{i:03d}", article(rng, i, 36)["text"]) for i in range(300)]
    found += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(samples_dir().glob("*"))
              if p.suffix in {".txt", ".html"}]
    if (shared / "wikievents" / "dev.jsonl").exists():
        for line in (shared / "wikievents" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            found.append(("wikievents:" + record["doc_id"], record["text"]))
    for outlet in DEVELOPMENT_OUTLETS:
        path = shared / "re3d" / outlet / "documents.json"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    record = json.loads(line)
                    found.append((f"re3d:{outlet}:{record['_id']}", record["text"]))
    return found


def write(out: Path, shared: Path) -> None:
    from annotator.suggest import load_suggester
    from annotator.suggest.runner import Placed, place_doc

    corpus = texts(shared)
    suggester = load_suggester()
    with out.open("w", encoding="utf-8") as handle:
        for (name, _), doc in zip(corpus, suggester.nlp.pipe([text for _, text in corpus], batch_size=32)):
            placed = Placed()
            place_doc(placed, doc, suggester.analyse(doc), 0)
            handle.write(json.dumps({
                "text": name,
                "entities": [[key, start, end, label, attributes, repr(score)]
                             for key, start, end, label, attributes, score in placed.entities],
                "events": [[start, end, label, ace, attributes, repr(score), arguments]
                           for start, end, label, ace, attributes, score, arguments in placed.events],
            }, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"{len(corpus)} texts, suggester {suggester.source}: {out}")


def compare(before: Path, after: Path) -> int:
    old = before.read_text(encoding="utf-8").splitlines()
    new = after.read_text(encoding="utf-8").splitlines()
    differing = [json.loads(a)["text"] for a, b in zip(old, new) if a != b]
    entities = sum(len(json.loads(line)["entities"]) for line in new)
    events = sum(len(json.loads(line)["events"]) for line in new)
    if len(old) != len(new) or differing:
        print(f"DIFFERENT: {len(old)} vs {len(new)} texts; differing: {', '.join(differing[:10])}")
        return 1
    print(f"identical: {len(new)} texts, {entities} entities, {events} events (offsets, labels, scores, "
          "attributes, argument links)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default /work/shared/data)")
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not args.out:
        parser.error("--out or --compare")
    write(args.out, args.shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
