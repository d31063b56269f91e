"""One event across reports: the event table's linking on ECB+ development topics, beside baselines.

    nice .venv/bin/python bench/link_bench.py
    nice .venv/bin/python bench/link_bench.py --topics 5     # the first five topics: a quick look
    nice .venv/bin/python bench/link_bench.py --errors tuned # also list the tuned half's false links and splits

ECB+ is not a corpus of conflict events: each topic holds reports of two similar real-world events
(two earthquakes, two arrests...), and its gold says which event mentions, across articles, are one
event (``chain``). How the project's record building is run on it (decided for this bench):

- every gold event mention is an event span; its label is the lemma of its head word ("checked into"
  -> "check", "quake", "kill"), since ECB+ gives no event types; the label carries no event-table
  meaning, so linking reads it as any scheme's unexplained label (its trigger words decide the family);
- the gold entity mentions give the fillers the suggester would give: LOC_GEO and LOC_FAC as LOCATION,
  TIME_DATE as DATE spans (no argument links: ECB+ does not tie them to single mentions);
- ``RecordBuilder.records`` builds the records as for any article (place, date, published date), and
  ``linking.propose`` groups them.

Topics 3, 8, 12, 16, 18, 19, 22, 32, 33, 41 and 45 are reserved for independent evaluation and never
read. Scores: pairwise (every pair of mentions: same chain or not) and B-cubed precision, recall and F1,
over all articles and over the articles with a published date (the records of the others left out).
Baselines: all singletons; same type (label) and published within a day; same trigger lemma. Beside
what ships (average linkage with cannot-links, ADR 15) the same evidence under complete linkage, in the
same run.

The linking's weights and word families were tuned on the odd-numbered topics only; the even-numbered
topics are the held-out half, scored apart ("held out") beside the tuned half and all topics.
``--errors tuned`` lists the tuned half's false links and false splits (articles with a published date;
``--errors-all`` for every article) with each record's date, place, trigger and actors and why the
linking joined or kept them apart. Look only at the tuned half's: the held-out half stays unseen, so its
figure still says what the linking does on reports it was not fitted to.
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
    parser.add_argument("--errors", choices=("tuned", "held-out"), default=None,
                        help="list the false links and splits of this half (tuned: odd topics; never read the "
                             "held-out half's while changing the linking)")
    parser.add_argument("--errors-all", action="store_true",
                        help="with --errors: every article, not only those with a published date")
    args = parser.parse_args()

    import pickle

    from annotator.eventtable.linking import propose

    items = articles(args.topics)
    started = time.perf_counter()
    if args.records is not None and args.records.exists():
        records, gold, lemma, published, topic = pickle.loads(args.records.read_bytes())
    else:
        records, gold, lemma, published, topic = build(items)
        if args.records is not None:
            args.records.write_bytes(pickle.dumps((records, gold, lemma, published, topic)))
    grouping = propose(list(records.values()))
    complete = propose(list(records.values()), linkage="complete")
    report(records, gold, lemma, published, topic, grouping, items, started, complete)
    if args.errors:
        odd = args.errors == "tuned"
        chosen = {k for k in records if (topic[k] % 2 == 1) == odd and (args.errors_all or published[k])}
        errors(records, gold, grouping, chosen, items)


def build(items):
    """Records of every gold event mention, built by the project's RecordBuilder."""
    from annotator.eventtable.places import load_index
    from annotator.eventtable.records import RecordBuilder, load_parser
    from annotator.domain import Article, Layer, Origin, Span, Status

    nlp = load_parser(lemmas=True)  # the same-lemma baseline reads lemmas
    docs = list(nlp.pipe((a["text"] for a in items), batch_size=32))
    builder = RecordBuilder(places=load_index(), nlp=nlp)
    records, gold, lemma, published, topic = {}, {}, {}, {}, {}
    for article_id, (item, doc) in enumerate(zip(items, docs), start=1):
        spans, span_id = [], 0
        for mention in item["events"]:
            token = doc.char_span(mention["start"], mention["end"], alignment_mode="expand")
            # the head word: "checked into" is a "check", as the suggester's triggers would type it
            word = token.root.lemma_.lower() if token is not None and len(token) else mention["text"].lower()
            span_id += 1
            spans.append(Span(id=span_id, article_id=article_id, start_char=mention["start"], end_char=mention["end"],
                              label=word, layer=Layer.EVENT, origin=Origin.IMPORTED, status=Status.ACCEPTED,
                              annotator="bench"))
            gold[(article_id, span_id)] = mention["chain"]
            lemma[(article_id, span_id)] = word
            published[(article_id, span_id)] = item["published"]
            topic[(article_id, span_id)] = item["topic"]
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
    return records, gold, lemma, published, topic


def report(records, gold, lemma, published, topic, grouping, items, started, complete) -> None:
    ours = {key: group.id for group in grouping.groups for key in group.members}
    theirs = {key: group.id for group in complete.groups for key in group.members}
    print(f"{len(items)} articles, {len(records)} event mentions, {len(set(gold.values()))} gold chains "
          f"(built and linked in {time.perf_counter() - started:.0f} s)")

    def same_type_same_day(key):
        day = published[key]
        return (lemma[key], day) if day else ("alone", key)

    systems = {
        "all singletons": {k: k for k in records},
        "same type, same day": {k: same_type_same_day(k) for k in records},
        "same trigger lemma": {k: lemma[k] for k in records},
        "complete linkage": theirs,
        "event table": ours,
    }
    halves = (("all topics", lambda k: True), ("tuned (odd topics)", lambda k: topic[k] % 2 == 1),
              ("held out (even topics)", lambda k: topic[k] % 2 == 0))
    articles_kept = (("all articles", lambda k: True), ("with a published date", lambda k: bool(published[k])))
    for (half, in_half), (subset, keep) in ((h, a) for h in halves for a in articles_kept):
        chosen = [k for k in records if in_half(k) and keep(k)]
        print(f"\n{half}, {subset}: {len(chosen)} mentions")
        print(f"{'':<22}{'pairwise P':>11}{'R':>7}{'F1':>7}   {'B3 P':>6}{'R':>7}{'F1':>7}")
        for name, assign in systems.items():
            a = {k: assign[k] for k in chosen}
            g = {k: gold[k] for k in chosen}
            pp, pr, pf = pairwise(a, g)
            bp, br, bf = bcubed(a, g)
            print(f"{name:<22}{pp:>11.3f}{pr:>7.3f}{pf:>7.3f}   {bp:>6.3f}{br:>7.3f}{bf:>7.3f}")


def describe(record, items) -> str:
    item = items[record.article_id - 1]
    d = record.date
    when = f"{d.start}..{d.end} p{d.precision} {d.basis}" + (f" '{d.text}'" if d.text else "") if d.start else d.basis
    place = record.place
    where = "no place"
    if place is not None and place.place is not None:
        where = f"{place.place.name} ({place.place.country_code}, p{place.place.precision}, {place.basis} '{place.text}')"
    actors = ", ".join(a.name for a in record.actors) or "-"
    return (f"  [{item['doc_id']} pub {item['published']} dl '{record.source.dateline}'] '{record.trigger}' "
            f"({record.label}) | {when} | {where} | actors {actors}\n      {' '.join(record.sentence.split())[:160]}")


def errors(records, gold, grouping, chosen, items) -> None:
    """The half's false links (one system group, two gold chains) and false splits (one gold chain, two
    groups): one example pair each, the closest one, with why the linking judged it so."""
    from collections import Counter

    from annotator.eventtable.linking import affinity, explain

    def strongest(pairs):
        return max(pairs, key=lambda p: affinity(records[p[0]], records[p[1]]) or -9.0)

    group_of = {key: group.id for group in grouping.groups for key in group.members}
    by_group, by_chain = defaultdict(list), defaultdict(list)
    for key in sorted(chosen):
        by_group[group_of[key]].append(key)
        by_chain[gold[key]].append(key)
    reasons = Counter()
    print(f"\n=== false links (one proposed group, several gold chains) ===")
    for members in by_group.values():
        chains = defaultdict(list)
        for key in members:
            chains[gold[key]].append(key)
        for (c1, k1), (c2, k2) in combinations(sorted(chains.items()), 2):
            a, b = strongest([(x, y) for x in k1 for y in k2])
            reasons["link: " + explain(records[a], records[b]).split(" = ")[-1].split(",")[0]] += len(k1) * len(k2)
            print(f"\n{len(k1) * len(k2)} pairs; closest: {explain(records[a], records[b])}")
            print(describe(records[a], items))
            print(describe(records[b], items))
    print(f"\n=== false splits (one gold chain, several proposed groups) ===")
    for chain, members in by_chain.items():
        groups = defaultdict(list)
        for key in members:
            groups[group_of[key]].append(key)
        for (g1, k1), (g2, k2) in combinations(sorted(groups.items()), 2):
            a, b = strongest([(x, y) for x in k1 for y in k2])
            why = explain(records[a], records[b])
            reasons["split: " + (why if " = " not in why else "weak evidence")] += len(k1) * len(k2)
            print(f"\n{len(k1) * len(k2)} pairs ({len(k1)}+{len(k2)}); closest: {why}")
            print(describe(records[a], items))
            print(describe(records[b], items))
    print("\n=== pairs by reason ===")
    for reason, n in reasons.most_common():
        print(f"{n:>6}  {reason}")


if __name__ == "__main__":
    main()
