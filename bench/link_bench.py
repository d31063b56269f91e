"""One event across reports: the event table's linking on ECB+ development topics, beside baselines.

    nice .venv/bin/python bench/link_bench.py
    nice .venv/bin/python bench/link_bench.py --topics 5     # the first five topics: a quick look

ECB+ is not a corpus of conflict events: each topic holds reports of two similar real-world events
(two earthquakes, two arrests...), and its gold says which event mentions, across articles, are one
event (``chain``). How the project's record building is run on it (decided for this bench):

- every gold event mention is an event span; its label is the lemma of its last word ("quake",
  "kill"), since ECB+ gives no event types and the project's linking needs one;
- the gold entity mentions give the fillers the suggester would give: LOC_GEO and LOC_FAC as LOCATION,
  TIME_DATE as DATE spans (no argument links: ECB+ does not tie them to single mentions);
- ``RecordBuilder.records`` builds the records as for any article (place, date, published date), and
  ``linking.propose`` groups them.

Topics 3, 8, 12, 16, 18, 19, 22, 32, 33, 41 and 45 are reserved for independent evaluation and never
read. Scores: pairwise (every pair of mentions: same chain or not) and B-cubed precision, recall and F1,
over all articles and over the articles with a published date (the records of the others left out).
Baselines: all singletons; same type (label) and published within a day; same trigger lemma.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

DATA = Path("/work/shared/data/ecbplus/dev.jsonl")
RESERVED_TOPICS = {3, 8, 12, 16, 18, 19, 22, 32, 33, 41, 45}
ENTITY_LABELS = {"LOC_GEO": "LOCATION", "LOC_FAC": "LOCATION", "TIME_DATE": "DATE"}


def articles(topics: int | None) -> list[dict]:
    found = []
    with DATA.open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if item["topic"] not in RESERVED_TOPICS:
                found.append(item)
    if topics:
        keep = sorted({a["topic"] for a in found})[:topics]
        found = [a for a in found if a["topic"] in keep]
    return found


def pairwise(clusters: dict, gold: dict) -> tuple[float, float, float]:
    """Precision, recall, F1 over mention pairs put together (by the system) and truly together."""
    def pairs(assign):
        by = defaultdict(list)
        for key, cluster in assign.items():
            by[cluster].append(key)
        return {tuple(sorted(p)) for members in by.values() for p in combinations(members, 2)}

    system, truth = pairs(clusters), pairs(gold)
    right = len(system & truth)
    p = right / len(system) if system else 0.0
    r = right / len(truth) if truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed(clusters: dict, gold: dict) -> tuple[float, float, float]:
    by_system, by_gold = defaultdict(set), defaultdict(set)
    for key in clusters:
        by_system[clusters[key]].add(key)
        by_gold[gold[key]].add(key)
    p = r = 0.0
    for key in clusters:
        s, g = by_system[clusters[key]], by_gold[gold[key]]
        overlap = len(s & g)
        p += overlap / len(s)
        r += overlap / len(g)
    n = len(clusters)
    p, r = p / n, r / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=None, help="only the first N topics")
    parser.add_argument("--records", type=Path, default=None,
                        help="keep the built records in this file and read them from it next time "
                             "(to try linking changes without parsing again; delete it after changing records)")
    args = parser.parse_args()

    import pickle

    from annotator.eventtable.linking import propose

    items = articles(args.topics)
    started = time.perf_counter()
    if args.records is not None and args.records.exists():
        records, gold, lemma, published = pickle.loads(args.records.read_bytes())
    else:
        records, gold, lemma, published = build(items)
        if args.records is not None:
            args.records.write_bytes(pickle.dumps((records, gold, lemma, published)))
    grouping = propose(list(records.values()))
    report(records, gold, lemma, published, grouping, items, started)

def build(items):
    """Records of every gold event mention, built by the project's RecordBuilder."""
    from annotator.eventtable.places import load_index
    from annotator.eventtable.records import RecordBuilder, load_parser
    from annotator.domain import Article, Layer, Origin, Span, Status

    nlp = load_parser(lemmas=True)  # the same-lemma baseline reads lemmas
    docs = list(nlp.pipe((a["text"] for a in items), batch_size=32))
    builder = RecordBuilder(places=load_index(), nlp=nlp)
    records, gold, lemma, published = {}, {}, {}, {}
    for article_id, (item, doc) in enumerate(zip(items, docs), start=1):
        spans, span_id = [], 0
        for mention in item["events"]:
            token = doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
            word = token[-1].lemma_.lower() if token is not None and len(token) else mention["text"].lower()
            span_id += 1
            spans.append(Span(id=span_id, article_id=article_id, start_char=mention["start"], end_char=mention["end"],
                              label=word, layer=Layer.EVENT, origin=Origin.IMPORTED, status=Status.ACCEPTED,
                              annotator="bench"))
            gold[(article_id, span_id)] = mention["chain"]
            lemma[(article_id, span_id)] = word
            published[(article_id, span_id)] = item["published"]
        for entity in item["entities"]:
            label = ENTITY_LABELS.get(entity["type"])
            if label:
                span_id += 1
                spans.append(Span(id=span_id, article_id=article_id, start_char=entity["start"], end_char=entity["end"],
                                  label=label, layer=Layer.ENTITY, origin=Origin.IMPORTED, status=Status.ACCEPTED,
                                  annotator="bench"))
        article = Article(id=article_id, text=item["text"], published=item["published"], url=item["url"] or "",
                          source=item["doc_id"])
        for record in builder.records(article, spans, [], docs={item["text"]: doc}):
            records[record.key] = record
    return records, gold, lemma, published


def report(records, gold, lemma, published, grouping, items, started) -> None:
    ours = {key: group.id for group in grouping.groups for key in group.members}
    print(f"{len(items)} articles, {len(records)} event mentions, {len(set(gold.values()))} gold chains "
          f"(built and linked in {time.perf_counter() - started:.0f} s)")

    def same_type_same_day(key):
        day = published[key]
        return (lemma[key], day) if day else ("alone", key)

    systems = {
        "all singletons": {k: k for k in records},
        "same type, same day": {k: same_type_same_day(k) for k in records},
        "same trigger lemma": {k: lemma[k] for k in records},
        "event table": ours,
    }
    for subset, keep in (("all articles", lambda k: True), ("with a published date", lambda k: bool(published[k]))):
        chosen = [k for k in records if keep(k)]
        print(f"\n{subset}: {len(chosen)} mentions")
        print(f"{'':<22}{'pairwise P':>11}{'R':>7}{'F1':>7}   {'B3 P':>6}{'R':>7}{'F1':>7}")
        for name, assign in systems.items():
            a = {k: assign[k] for k in chosen}
            g = {k: gold[k] for k in chosen}
            pp, pr, pf = pairwise(a, g)
            bp, br, bf = bcubed(a, g)
            print(f"{name:<22}{pp:>11.3f}{pr:>7.3f}{pf:>7.3f}   {bp:>6.3f}{br:>7.3f}{bf:>7.3f}")


if __name__ == "__main__":
    main()
