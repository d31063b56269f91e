"""How long learning takes, and how much memory, for 70 articles of about 400 words with both layers.

Run:  /usr/bin/time -v .venv/bin/python bench/learn_speed.py [--articles 70] [--epochs N] [--triggers ner|spancat]

The articles are put together from the real development sets so that both layers are realistic:
each is one re3d article (its entities) followed by about 200 words of WikiEvents dev (its triggers).
They are built in memory; a version is written into a temporary project folder, as the app would.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learn_data import read_re3d, read_wikievents  # noqa: E402

from annotator.learn import LearnArticle, LearnSpan, TrainConfig, learn  # noqa: E402


def trigger_slices(words_per_slice: int = 200) -> list[tuple[str, list[LearnSpan]]]:
    """WikiEvents dev cut at line breaks into pieces of about ``words_per_slice`` words, spans moved along."""
    pieces = []
    for article in read_wikievents():
        start = 0
        lines = article.text.split("\n")
        offset, words = 0, 0
        for line in lines:
            offset += len(line) + 1
            words += len(line.split())
            if words >= words_per_slice:
                pieces.append((article, start, offset - 1))
                start, words = offset, 0
        if start < len(article.text):
            pieces.append((article, start, len(article.text)))
    sliced = []
    for article, begin, end in pieces:
        spans = [LearnSpan(s.start_char - begin, s.end_char - begin, s.label, s.layer) for s in article.spans
                 if begin <= s.start_char and s.end_char <= end]
        sliced.append((article.text[begin:end], spans))
    return sliced


def composite_articles(count: int) -> list[LearnArticle]:
    entities = read_re3d()
    triggers = trigger_slices()
    articles = []
    for index in range(count):
        first = entities[index % len(entities)]
        text, spans = triggers[index % len(triggers)]
        glue = first.text + "\n\n"
        moved = [LearnSpan(s.start_char + len(glue), s.end_char + len(glue), s.label, s.layer) for s in spans]
        articles.append(LearnArticle(glue + text, list(first.spans) + moved, article_id=index + 1))
    return articles


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=70)
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument("--triggers", default=TrainConfig.triggers, choices=["ner", "spancat"])
    args = parser.parse_args(argv)
    articles = composite_articles(args.articles)
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    spans = sum(len(a.spans) for a in articles)
    print(f"{len(articles)} articles, {words:.0f} words each on average, {spans} spans")
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        version = learn(Path(tmp) / "project.sqlite", articles, TrainConfig(epochs=args.epochs, triggers=args.triggers))
        seconds = time.perf_counter() - began
        layers = version.manifest["scores"]["layers"]
        print(f"learned {version.name} in {seconds:.1f} s (training {version.manifest['training']['seconds']} s); "
              f"held-out F1: " + ", ".join(f"{layer} {s['f1']:.3f}" for layer, s in layers.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
