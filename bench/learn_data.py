"""Readers of the real development sets into LearnArticle records (for the learning benches only).

re3d (CENTCOM, US_State_Department, UK_Government only: the other parts are never read): several types
may be proposed for one span; the most confident is the gold one; a span whose best type the crowd
backed with less than RE3D_MIN_CONFIDENCE is undecided (``LearnArticle.unknown``). Overlapping spans are kept, the
learner's reference Doc keeps the longest. WikiEvents dev only (never test): trigger spans typed with
the KAIROS type's first two parts (Conflict.Attack, Life.Die...).
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.learn import LearnArticle, LearnSpan
from annotator.domain import Layer

DATA = Path("/work/shared/data")
RE3D_PARTS = ("CENTCOM", "US_State_Department", "UK_Government")
RE3D_LABELS = ("Person", "Organisation", "Location", "Nationality", "MilitaryPlatform", "Weapon")


# The crowd's backing (IBCC posterior) of a span's best type below which the span is undecided: neither
# learned nor scored, by any system (bench/real_gold.py ignores the same spans when scoring the suggester).
RE3D_MIN_CONFIDENCE = 0.5


def read_re3d(data: Path = DATA, labels=RE3D_LABELS, min_confidence: float = RE3D_MIN_CONFIDENCE) -> list[LearnArticle]:
    articles = []
    for part in RE3D_PARTS:
        folder = data / "re3d" / part
        texts = {}
        for line in (folder / "documents.json").read_text(encoding="utf-8").splitlines():
            if line.strip():
                doc = json.loads(line)
                texts[doc["_id"]] = doc["text"]
        best: dict[tuple, tuple] = {}
        for line in (folder / "entities.json").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            ent = json.loads(line)
            key = (ent["documentId"], ent["begin"], ent["end"])
            if key not in best or ent.get("confidence", 0) > best[key][1]:
                best[key] = (ent["type"], ent.get("confidence", 0))
        spans: dict[str, list[LearnSpan]] = {doc_id: [] for doc_id in texts}
        unknown: dict[str, list[tuple[int, int]]] = {doc_id: [] for doc_id in texts}
        for (doc_id, begin, end), (label, confidence) in best.items():
            if label in labels and doc_id in texts:
                if confidence < min_confidence:
                    unknown[doc_id].append((begin, end))
                else:
                    spans[doc_id].append(LearnSpan(begin, end, label, Layer.ENTITY))
        for doc_id, text in texts.items():
            articles.append(LearnArticle(text, sorted(spans[doc_id], key=lambda s: s.start_char),
                                         article_id=f"{part}/{doc_id[:8]}", unknown=sorted(unknown[doc_id])))
    return articles


def read_wikievents(data: Path = DATA) -> list[LearnArticle]:
    articles = []
    for line in (data / "wikievents" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        # The "text" field runs sentences together; token offsets count a separator between them.
        text = ""
        for tokens, sentence in doc["sentences"]:
            text += "\n" * (tokens[0][1] - len(text)) + sentence
        offsets = [(start, end) for sentence in doc["sentences"] for _, start, end in sentence[0]]
        words = [w for sentence in doc["sentences"] for w, _, _ in sentence[0]]
        bad = [w for w, (start, end) in zip(words, offsets) if text[start:end] != w]
        if bad:
            raise ValueError(f"wikievents {doc['doc_id']}: token offsets do not match the text ({bad[:3]})")
        spans = []
        for event in doc["event_mentions"]:
            trigger = event["trigger"]
            label = ".".join(event["event_type"].split(".")[:2])
            spans.append(LearnSpan(offsets[trigger["start"]][0], offsets[trigger["end"] - 1][1], label, Layer.EVENT))
        unique = sorted(set(spans), key=lambda s: (s.start_char, s.end_char, s.label))
        articles.append(LearnArticle(text, unique, article_id=doc["doc_id"]))
    return articles
