"""Choosing, from a bulk run's shards, the articles worth a person's time.

Two passes over the shards, so memory holds a few numbers per article, never the articles: the
first applies the filters that look at one article at a time (text query, label count, date
range) and near-duplicate removal, and keeps for each article left its outlet, month and how
unsure the suggester was; the second writes the chosen articles, as they were in the shards, in
the shards' order. The output is JSON lines that ``annotator import`` reads with the suggestions.

- ``uncertain``: the articles whose scored suggestions sit closest to 0.5 on average (the smallest
  mean margin ``|2·score − 1|``), ties broken by the lowest single score. The shipped pipeline gives
  few scores; a project's learned version (``bulk suggest --db``) scores its spans.
- ``sample``: stratified by outlet and month, each stratum's share as in the articles left, with a
  seed, so the same command picks the same articles.
- ``dedupe``: wire copies republished by several outlets (a changed dateline, a dropped last
  paragraph) are one story. Each article's word 5-grams get a MinHash signature (datasketch); LSH
  finds earlier articles that may be near it, and an article is a copy when at least
  ``dedupe_threshold`` of the shorter one's 5-grams are estimated to be in the other (containment,
  not Jaccard: a copy cut short by a third is still a copy). The first copy is kept.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import shlex
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

from annotator.bulk.suggest import SHARD_SUFFIX

DEDUPE_THRESHOLD = 0.8
# 64 permutations: the similarity estimate is within ~0.06, and each article kept costs ~0.6 KB.
NUM_PERM = 64
# LSH looks for candidates from this Jaccard up: a copy whose shorter side is 80 % contained in the
# longer one can have a Jaccard similarity as low as 0.8 / (2 - 0.8) ≈ 0.67 ... and lower when sizes differ.
CANDIDATE_JACCARD = 0.5
SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+", re.UNICODE)


class SelectError(ValueError):
    """A selection that cannot be made (no shards, bad dates, no scores for --uncertain)."""


@dataclass
class Criteria:
    query: str | None = None
    label: str | None = None
    label_min: int = 1
    date_from: date | None = None
    date_to: date | None = None
    uncertain: int | None = None
    sample: int | None = None
    seed: int = 0
    dedupe: bool = False
    dedupe_threshold: float = DEDUPE_THRESHOLD


@dataclass
class SelectSummary:
    read: int = 0
    after_query: int = 0
    after_label: int = 0
    after_dates: int = 0
    undated: int = 0  # left out by a date range because they carry no date
    duplicates: int = 0
    unscored: int = 0  # left out by --uncertain: no scored suggestion
    written: int = 0
    strata: int = 0
    notes: list[str] = field(default_factory=list)


def shard_files(folder: str | Path) -> list[Path]:
    """The shards of a bulk run: ``DIR/shards/*.jsonl.gz`` (or the shards folder itself)."""
    folder = Path(folder)
    where = folder / "shards" if (folder / "shards").is_dir() else folder
    if not where.is_dir():
        raise SelectError(f"{folder}: not a folder")
    files = sorted(p for p in where.glob(f"*{SHARD_SUFFIX}") if not p.name.startswith("."))
    if not files:
        raise SelectError(f"{folder}: no shards (*{SHARD_SUFFIX}); `annotator bulk suggest --out {folder}` writes them")
    return files


def iter_shard_records(files: list[Path]) -> Iterator[tuple[int, dict]]:
    """(position, record) over every shard, in order."""
    position = 0
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SelectError(f"{path}:{number}: not valid JSON: {exc.msg}") from exc
                yield position, record
                position += 1


class TextQuery:
    """Every word (or "quoted phrase") of the query, as whole words, case-insensitively, in the
    article's title or text."""

    def __init__(self, query: str):
        try:
            terms = shlex.split(query)
        except ValueError:
            terms = query.split()
        if not terms:
            raise SelectError("--query is empty")
        self.patterns = [re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, term.split())) + r"(?!\w)", re.IGNORECASE)
                         for term in terms]

    def matches(self, record: dict) -> bool:
        haystack = f"{(record.get('meta') or {}).get('title') or ''}\n{record.get('text') or ''}"
        return all(p.search(haystack) for p in self.patterns)


def published_date(record: dict) -> date | None:
    value = (record.get("meta") or {}).get("published")
    if not isinstance(value, str):
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


def uncertainty(record: dict) -> tuple[float, float] | None:
    """(mean margin, lowest score) of the record's scored suggestions; smaller is less sure."""
    scores = [s["score"] for s in record.get("spans") or [] if isinstance(s.get("score"), (int, float))]
    if not scores:
        return None
    return sum(abs(2 * s - 1) for s in scores) / len(scores), min(scores)


def stratum(record: dict) -> tuple[str, str]:
    meta = record.get("meta") or {}
    day = published_date(record)
    return str(meta.get("source") or "(no outlet)"), day.strftime("%Y-%m") if day else "(no date)"


def shingles(text: str) -> set[bytes]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}


class NearDuplicates:
    """Remembers the articles kept so far; says whether a new one is a near copy of one of them."""

    def __init__(self, threshold: float = DEDUPE_THRESHOLD, num_perm: int = NUM_PERM):
        from datasketch import MinHash, MinHashLSH

        self.threshold, self.num_perm = threshold, num_perm
        self._minhash = MinHash
        self.lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=num_perm)
        self.kept: dict[str, tuple] = {}  # key -> (signature's hash values, number of 5-grams)

    def seen(self, key: str, text: str) -> bool:
        grams = shingles(text)
        signature = self._minhash(num_perm=self.num_perm)
        signature.update_batch(list(grams))
        for other in self.lsh.query(signature):
            values, size = self.kept[other]
            jaccard = float((values == signature.hashvalues).mean())
            # |A ∩ B| from the Jaccard estimate and both sizes, then the share of the shorter text.
            common = jaccard * (len(grams) + size) / (1 + jaccard)
            if common / max(1, min(len(grams), size)) >= self.threshold:
                return True
        self.lsh.insert(key, signature)
        self.kept[key] = (signature.hashvalues.copy(), len(grams))
        return False


def choose(files: list[Path], criteria: Criteria, summary: SelectSummary) -> list[int]:
    """Positions of the chosen records (first pass)."""
    query = TextQuery(criteria.query) if criteria.query else None
    duplicates = NearDuplicates(criteria.dedupe_threshold) if criteria.dedupe else None
    kept: list[tuple[int, tuple[str, str], tuple[float, float] | None]] = []
    for position, record in iter_shard_records(files):
        summary.read += 1
        if query is not None and not query.matches(record):
            continue
        summary.after_query += 1
        if criteria.label is not None:
            count = sum(1 for s in record.get("spans") or [] if s.get("label") == criteria.label)
            if count < criteria.label_min:
                continue
        summary.after_label += 1
        if criteria.date_from is not None or criteria.date_to is not None:
            day = published_date(record)
            if day is None:
                summary.undated += 1
                continue
            if (criteria.date_from and day < criteria.date_from) or (criteria.date_to and day > criteria.date_to):
                continue
        summary.after_dates += 1
        if duplicates is not None and duplicates.seen(str(position), record.get("text") or ""):
            summary.duplicates += 1
            continue
        kept.append((position, stratum(record), uncertainty(record) if criteria.uncertain else None))
    if criteria.uncertain is not None:
        scored = [k for k in kept if k[2] is not None]
        summary.unscored = len(kept) - len(scored)
        if not scored and kept:
            raise SelectError("--uncertain: no suggestion in these shards has a score (the shipped pipeline gives "
                              "none); run `annotator bulk suggest --db PROJECT` with a learned version")
        scored.sort(key=lambda k: (k[2], k[0]))
        kept = sorted(scored[: criteria.uncertain], key=lambda k: k[0])
    if criteria.sample is not None:
        kept = stratified_sample(kept, criteria.sample, criteria.seed, summary)
    return [k[0] for k in kept]


def stratified_sample(kept: list, size: int, seed: int, summary: SelectSummary) -> list:
    """``size`` of ``kept``, each (outlet, month) stratum's share as in ``kept`` (largest remainders)."""
    if size >= len(kept):
        return kept
    strata: dict[tuple[str, str], list] = {}
    for item in kept:
        strata.setdefault(item[1], []).append(item)
    summary.strata = len(strata)
    exact = {key: size * len(items) / len(kept) for key, items in strata.items()}
    quota = {key: int(share) for key, share in exact.items()}
    # The seats left go to the largest remainders; ties by stratum name, so the result is stable.
    left = size - sum(quota.values())
    for key in sorted(exact, key=lambda k: (-(exact[k] - quota[k]), k))[:left]:
        quota[key] += 1
    rng = random.Random(seed)
    chosen = []
    for key in sorted(strata):
        chosen += rng.sample(strata[key], quota[key])
    return sorted(chosen, key=lambda k: k[0])


def select(folder: str | Path, out: str | Path, criteria: Criteria) -> SelectSummary:
    """Write the chosen articles of a bulk run's shards to ``out`` (JSON lines; gzipped if it ends in .gz)."""
    files = shard_files(folder)
    summary = SelectSummary()
    chosen = set(choose(files, criteria, summary))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    opener = gzip.open if out.name.endswith(".gz") else open
    with opener(temporary, "wt", encoding="utf-8", newline="\n") as handle:
        for position, record in iter_shard_records(files):
            if position in chosen:
                handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
                summary.written += 1
    temporary.replace(out)
    return summary
