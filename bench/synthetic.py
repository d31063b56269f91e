"""Synthetic conflict-news articles for benchmarks: deterministic, varied, with spans and messy text."""

from __future__ import annotations

import json
import random
from pathlib import Path

PLACES = ["Sievierodonetsk", "Severodonetsk", "Lysychansk", "Kharkiv", "Mykolaiv", "Bakhmut", "Aleppo",
          "Djibo", "Bamako", "Idlib", "Mariupol", "Kherson", "Гуляйполе", "Goma", "Mopti"]
ACTORS = ["Ukrainian forces", "Russian troops", "the army", "JNIM fighters", "government forces",
          "the 93rd Brigade", "M23 rebels", "police"]
VERBS = [("shelled", "EXPLOSIONS_REMOTE_VIOLENCE"), ("attacked", "BATTLES"), ("will withdraw from", "STRATEGIC_DEVELOPMENTS"),
         ("captured", "BATTLES"), ("struck", "EXPLOSIONS_REMOTE_VIOLENCE"), ("protested in", "PROTESTS")]


def sentence(rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    actor, (verb, event), place = rng.choice(ACTORS), rng.choice(VERBS), rng.choice(PLACES)
    count = rng.randint(2, 400)
    parts = [(actor, "ARMED_GROUP"), (" ", None), (verb, event), (" ", None), (place, "LOCATION"),
             (f" on {rng.choice(['Monday', 'Friday', 'June 3'])}, ", None), (f"{count} people", "QUANTITY"),
             (rng.choice([" were killed", " fled 🇺🇦", " were hurt", " — <b>officials</b> said"]), None),
             (".\r\n" if rng.random() < 0.2 else ". ", None)]
    text, spans, offset = "", [], 0
    for chunk, label in parts:
        if label:
            spans.append((offset, offset + len(chunk), label))
        text += chunk
        offset += len(chunk)
    return text, spans


def article(rng: random.Random, index: int, sentences: int = 10) -> dict:
    text, spans = f"Report {index}\n\n", []
    for _ in range(sentences):
        piece, piece_spans = sentence(rng)
        spans += [(s + len(text), e + len(text), l) for s, e, l in piece_spans]
        text += piece
    return {"text": text, "spans": spans}


def write_prodigy_jsonl(path: Path, count: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            record = article(rng, index)
            out.write(json.dumps({
                "text": record["text"], "meta": {"source": "synthetic", "n": index}, "answer": "accept",
                "spans": [{"start": s, "end": e, "label": l} for s, e, l in record["spans"]],
            }, ensure_ascii=False) + "\n")
    return path
