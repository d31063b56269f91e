"""Train the learned trigger model shipped in resources/models/triggers/ (see annotator/suggest/events/learned.py).

Run (needs the ``test`` extra for scikit-learn, and the public data of docs/suggester.md):
    nice .venv/bin/python scripts/train_triggers.py [--data /work/shared/data] [--out resources/models/triggers] [--cache FILE]
        [--event-location W]

Training data (read where it lies, never copied into the project):
- WikiEvents dev (Li et al. 2021, MIT): every word is labelled. Triggers of the conflict events our scheme
  types (attack, death, injury, demonstration, arrest) are positives; triggers of other KAIROS events
  ("said", "arrived", "virus") are missing, neither positive nor negative; all other words are negatives.
- event_location (Halterman 2019, MIT), only with ``--event-location W`` (it lowered the held-out F1,
  docs/suggester.md): one event verb per sentence is marked; it is a positive, the
  place words are negatives, every other word is missing (other verbs may be events nobody marked).
  Records whose ``source`` is reserved for independent evaluation are skipped.

Each word is read with the suggester's own pipeline (tokenizer, parse, conflict entity ruler), so the
features at training are those the suggester computes when it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.suggest.events import TriggerSet, load_triggers  # noqa: E402
from annotator.suggest.events.learned import TrainingRows, fit, rule_hits  # noqa: E402

DATA = Path(os.environ.get("CONFLICT_REAL_DATA", "/work/shared/data"))
RESERVED_SOURCES = {"RELABEL", "APW_RA", "AFP_RA", "Xinhua_RA", "Unknown_RA"}
# The KAIROS events our scheme has an ACLED type for (as bench/real_gold.py maps them).
CONFLICT_EVENTS = ("Conflict.Attack", "Life.Die", "Life.Injure", "Conflict.Demonstrate", "Justice.ArrestJailDetain")
BITS = 18
# Chosen by leave-one-group-out over WikiEvents dev's 7 document groups (bench/trigger_variants.py)
# (the nested figures of docs/suggester.md say how well this choice does on groups it did not see).
REGULARISATION = 3.0  # scikit-learn's C: smaller is smoother
THRESHOLD = 0.3  # a word no rule matches is suggested from this probability up
KEEP_THRESHOLD = 0.0  # a rule's word is never dropped (see KEEPS in bench/trigger_quality.py)
# The token vectors' scale in training (learned.fit): 0.1 holds their weights firmly to zero, so the model
# leans on the word and its parse. C 3, threshold 0.3 and scale 0.1 are what bench/trigger_variants.py's
# token_vector_chosen picks over all 7 groups (its nested figure, 0.692 against 0.681 at scale 1, is the fair one).
VECTOR_SCALE = 0.1
# event_location (one verb per sentence from other outlets) lowered the held-out F1 on WikiEvents
# (docs/suggester.md): it is left out of the shipped model (0); ``--event-location W`` adds its rows at
# weight W, the verbs nobody marked as weak negatives of weight OTHER_VERBS.
EVENT_LOCATION_WEIGHT = 0.0
OTHER_VERBS = 0.3


def document_group(doc_id: str) -> str:
    """The family of a WikiEvents report ("road_ied_8" -> "road_ied", the VOA reports -> "VOA"): reports of
    one family may tell of one incident, so cross-validation keeps a family on one side."""
    return "VOA" if "_VOA_" in doc_id else re.sub(r"_\d.*$", "", doc_id)


@dataclass
class Report:
    """One text with its trigger character spans: ``triggers`` to find, ``missing`` neither right nor wrong."""

    group: str  # document id (WikiEvents) or source (event_location)
    text: str
    triggers: list[tuple[int, int]]
    missing: list[tuple[int, int]] = field(default_factory=list)
    negatives: list[tuple[int, int]] = field(default_factory=list)
    fully_annotated: bool = True  # False: words outside every span are missing, not negatives


def wikievents_reports(data: Path = DATA, *, all_events: bool = False) -> list[Report]:
    reports = []
    with (data / "wikievents" / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            text, offsets = _wikievents_text(doc)
            if len(offsets) != len(doc["tokens"]):
                raise ValueError(f"{doc['doc_id']}: {len(offsets)} sentence words for {len(doc['tokens'])} tokens")
            triggers, missing = [], []
            for event in doc["event_mentions"]:
                trigger = event["trigger"]
                span = (offsets[trigger["start"]][0], offsets[trigger["end"] - 1][1])
                conflict = event["event_type"].startswith(CONFLICT_EVENTS)
                (triggers if conflict or all_events else missing).append(span)
            reports.append(Report(doc["doc_id"], text, triggers, missing))
    return reports


def _wikievents_text(doc: dict) -> tuple[str, list[tuple[int, int]]]:
    """WikiEvents' ``text`` field does not agree with its sentence offsets: the text is laid out again
    from the sentence words at their offsets, each sentence on its own line when it has no final stop
    (headlines), so the parser sees the sentences the annotators saw."""
    length = max(end for sentence in doc["sentences"] for _, _, end in sentence[0])
    chars = [" "] * length
    offsets = []
    for words, *_ in doc["sentences"]:
        for word, start, end in words:
            chars[start:end] = word
            offsets.append((start, end))
        if words[-1][2] < length and words[-1][0] not in {".", "?", "!", "'", '"', "\u201d"}:
            chars[words[-1][2]] = "\n"
    return "".join(chars), offsets


def event_location_reports(data: Path = DATA) -> list[Report]:
    reports = []
    with (data / "event_location" / "dev.jsonl").open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            record = json.loads(line)
            if record.get("source") in RESERVED_SOURCES or "source" not in record:
                continue
            verbs = [(s["start"], s["end"]) for s in record.get("spans", []) if s["label"] == "VERB"]
            places = [(s["start"], s["end"]) for s in record.get("spans", []) if s["label"] == "LOCATION"]
            if not verbs:
                continue
            reports.append(Report(record["source"], record["text"], verbs, negatives=places, fully_annotated=False))
    return reports


def overlaps(token, spans) -> bool:
    return any(token.idx < end and start < token.idx + len(token) for start, end in spans)


def token_labels(doc, report: Report, other_verbs: float = 0.0) -> tuple[dict[int, int], dict[int, float]]:
    """(token index -> 1 / 0, token index -> row weight); missing tokens are left out. In a partly
    annotated sentence, verbs other than the marked one are negatives of weight ``other_verbs``
    (0: missing): most are reporting verbs ("said"), some are events nobody marked."""
    labels, weights = {}, {}
    for token in doc:
        if overlaps(token, report.triggers):
            labels[token.i] = 1
        elif overlaps(token, report.missing):
            continue
        elif report.fully_annotated or overlaps(token, report.negatives):
            labels[token.i] = 0
        elif other_verbs > 0 and token.pos_ == "VERB":
            labels[token.i], weights[token.i] = 0, other_verbs
    return labels, weights


def parsed(nlp, reports: list[Report], batch_size: int = 64, cache: Path | None = None):
    """(report, Doc) pairs, parsed as the suggester parses (its Doc, its entity ruler). With ``cache``
    the Docs (token vectors included) are kept in that file for the next run over the same texts."""
    import hashlib
    import pickle

    from spacy.tokens import Doc

    # The key holds the pipeline as well as the texts: Docs parsed by an older pipeline (another entity
    # model, other components) would give the features of a pipeline the suggester no longer runs.
    pipeline = f"{nlp.meta.get('name')}-{nlp.meta.get('version')}|{','.join(nlp.pipe_names)}"
    key = hashlib.sha1("\x00".join([pipeline, *(r.text for r in reports)]).encode("utf-8")).hexdigest()[:16]
    if cache is not None and cache.with_suffix(f".{key}.pickle").exists():
        blobs = pickle.loads(cache.with_suffix(f".{key}.pickle").read_bytes())
        return list(zip(reports, (Doc(nlp.vocab).from_bytes(b) for b in blobs)))
    docs = list(nlp.pipe((r.text for r in reports), batch_size=batch_size))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.with_suffix(f".{key}.pickle").write_bytes(pickle.dumps([d.to_bytes() for d in docs]))
    return list(zip(reports, docs))


def training_rows(pairs, triggers: TriggerSet, bits: int = BITS, *, partial_weight: float = 1.0,
                  other_verbs: float = 0.0) -> TrainingRows:
    """Rows of every candidate word; rows of partly annotated texts (event_location) count ``partial_weight``."""
    rows = TrainingRows.empty()
    for report, doc in pairs:
        labels, weights = token_labels(doc, report, other_verbs)
        scale = 1.0 if report.fully_annotated else partial_weight
        rows.add(doc, rule_hits(doc, triggers), labels, report.group, bits,
                 {i: weights.get(i, 1.0) * scale for i in labels})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "models" / "triggers")
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the parsed texts in this file stem (bench/trigger_quality.py uses /tmp/trigger_quality_cache/docs)")
    parser.add_argument("--event-location", type=float, default=EVENT_LOCATION_WEIGHT,
                        help="weight of event_location's rows (0, the default: WikiEvents dev alone)")
    args = parser.parse_args()
    from annotator.suggest.pipeline import load_suggester

    started = time.perf_counter()
    suggester = load_suggester()
    triggers = TriggerSet.of(load_triggers())
    wikievents = wikievents_reports(args.data)
    event_location = event_location_reports(args.data) if args.event_location else []
    pairs = parsed(suggester.nlp, wikievents, cache=args.cache)
    if event_location:
        pairs += parsed(suggester.nlp, event_location, cache=args.cache)
    rows = training_rows(pairs, triggers, partial_weight=args.event_location, other_verbs=OTHER_VERBS)
    model = fit(rows, bits=BITS, threshold=THRESHOLD, regularisation=REGULARISATION, vector_scale=VECTOR_SCALE)
    model.keep_threshold = KEEP_THRESHOLD
    model.save(args.out, base_model=suggester.features_of,
               data={"wikievents_dev_reports": len(wikievents), "event_location_sentences": len(event_location),
                     "event_location_weight": args.event_location,
                     "rows": len(rows.labels), "triggers": int(sum(rows.labels))},
               trained_by="scripts/train_triggers.py")
    print(f"{len(rows.labels)} words ({sum(rows.labels)} triggers) from {len(wikievents)} WikiEvents reports and "
          f"{len(event_location)} event_location sentences; written to {args.out} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
