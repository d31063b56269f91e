"""The suggester's own overhead over spaCy: `suggest_articles` against `nlp.pipe` of the same pipeline
on the same texts, in one run, and the speed-up from worker processes.

    python bench/suggest_speed.py [--texts 300] [--sentences 12] [--repeat 3]

Texts are synthetic (bench/synthetic.py: invented sentences with messy characters), about 400 words
each. Measured, in one process each time and medians of --repeat runs:
  pipe      nlp.pipe over the texts, the Docs thrown away (the library's own limit)
  suggest   suggest_articles into a fresh project file: pipe + rules + memory + storing
  workers2  the same with --workers 2 (two processes; worth it only on a machine with two free cores)
Prints the ratios suggest/pipe (target at most 1.25) and suggest/workers2 (the speed-up).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import article  # noqa: E402

from annotator.store import Store  # noqa: E402
from annotator.suggest import load_suggester, suggest_articles  # noqa: E402


def texts(count: int, sentences: int) -> list[str]:
    rng = random.Random(7)
    return [article(rng, i, sentences)["text"] for i in range(count)]


def run_suggest(suggester, corpus: list[str], workers: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        with Store.open(Path(folder) / "speed.sqlite") as store:
            with store.transaction():
                for text in corpus:
                    store.add_article(text)
            started = time.perf_counter()
            summary = suggest_articles(store, suggester=suggester, workers=workers, redo=True)
            elapsed = time.perf_counter() - started
            assert summary.articles == len(corpus) and not summary.failed, summary
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--sentences", type=int, default=36, help="sentences per text (36 ≈ 400 words)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    suggester = load_suggester(args.model)
    corpus = texts(args.texts, args.sentences)
    words = sum(len(t.split()) for t in corpus) / len(corpus)
    print(f"{len(corpus)} texts, {words:.0f} words each on average; pipeline {suggester.source}")
    list(suggester.nlp.pipe(corpus[:20]))  # warm-up: lazy loading inside spaCy is not what we measure
    timings: dict[str, list[float]] = {"pipe": [], "suggest": [], "workers2": []}
    for _ in range(args.repeat):
        started = time.perf_counter()
        for _doc in suggester.nlp.pipe(corpus, batch_size=32):
            pass
        timings["pipe"].append(time.perf_counter() - started)
        timings["suggest"].append(run_suggest(suggester, corpus, 1))
        timings["workers2"].append(run_suggest(suggester, corpus, 2))
    median = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in median.items():
        print(f"  {name:<9} {value:6.2f} s  ({len(corpus) / value:5.1f} texts/s)  runs: "
              + ", ".join(f"{v:.2f}" for v in timings[name]))
    print(f"suggest / pipe = {median['suggest'] / median['pipe']:.2f} (target at most 1.25)")
    print(f"speed-up with 2 workers = {median['suggest'] / median['workers2']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
