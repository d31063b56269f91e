"""Simulated annotation: does annotating the articles the learned version is least sure of first reach the
same F1 with fewer articles than annotating them in random order?

Run by hand (long: 45 small trainings; run it under nice on a shared machine):
    nice .venv/bin/python -u bench/annotation_curve.py [--sizes 4,12,20] [--step-updates 30] [--seeds 0,1,2]
        [--outlets CENTCOM,US_State_Department,UK_Government] [--out /tmp/annotation_curve.json]

re3d, leave one outlet out: the articles of two outlets are the pool an annotator works through, the third
outlet is the held-out test. Each run starts from the same random ``sizes[0]`` articles (per seed); at each
later size the articles added are either drawn at random or the pool articles the version trained at the
previous size is least sure of (annotator.learn.uncertainty: expected errors per 100 words). At every
size a version is trained anew with ``annotator learn``'s own trainer (TrainConfig: same start weights,
``--step-updates`` updates: small, so the whole curve runs in reasonable time) and scored exact-match on
every entity of the held-out outlet (re3d labels as bench/learn_data.py reads them; labels the
training part lacks count as misses for both orders alike).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learn_data import RE3D_PARTS, read_re3d  # noqa: E402

from annotator.learn import TrainConfig, learned_spans, train_pipeline  # noqa: E402
from annotator.learn.train import gold_spans, score_spans  # noqa: E402
from annotator.learn.uncertainty import article_uncertainty  # noqa: E402

ORDERS = ("random", "uncertain")


def outlet_of(article) -> str:
    return article.article_id.split("/")[0]


def entity_f1(nlp, test) -> float:
    gold = {a.content_hash: gold_spans(a) for a in test}
    predicted = {a.content_hash: {(s.start_char, s.end_char, s.label, str(s.layer))
                                  for s in learned_spans(nlp, a.text, scores=False)} for a in test}
    return score_spans(gold, predicted)["layers"].get("entity", {}).get("f1", 0.0)


def train(articles, seed: int, updates: int):
    config = TrainConfig(epochs=1, min_updates=updates, heldout_percent=0, seed=seed, max_seconds=None)
    return train_pipeline(articles, config).nlp


def run_curve(pool, test, sizes: list[int], order: str, seed: int, updates: int, log, shared: dict) -> list[dict]:
    """One simulated annotator; ``shared`` keeps the first version per seed (both orders start alike)."""
    rng = random.Random(seed)
    remaining = list(pool)
    rng.shuffle(remaining)
    chosen = remaining[: sizes[0]]
    remaining = remaining[sizes[0] :]
    points = []
    for index, size in enumerate(sizes):
        began = time.perf_counter()
        key = (seed, tuple(a.content_hash for a in chosen))
        if key not in shared:
            nlp = train(chosen, seed, updates)
            shared[key] = (nlp, entity_f1(nlp, test))
        nlp, f1 = shared[key]
        points.append({"articles": len(chosen), "f1": f1, "words": sum(len(a.text.split()) for a in chosen)})
        log(f"    {order:<9} seed {seed} {len(chosen):>3} articles  F1 {f1:.3f}  ({time.perf_counter() - began:.0f} s)")
        if index + 1 == len(sizes):
            break
        wanted = sizes[index + 1] - len(chosen)
        if order == "uncertain":
            ranked = sorted(remaining, key=lambda a: -article_uncertainty(nlp, a.text))
        else:
            ranked = remaining  # already shuffled by this seed
        chosen = chosen + ranked[:wanted]
        remaining = [a for a in remaining if a not in ranked[:wanted]]
    return points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="4,12,20")
    parser.add_argument("--step-updates", type=int, default=30, help="updates per training (batches of 4 articles)")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--outlets", default=",".join(RE3D_PARTS))
    parser.add_argument("--out", type=Path, default=Path("/tmp/annotation_curve.json"))
    parser.add_argument("--summary", type=Path, default=None, help="print the tables of an earlier run's JSON and stop")
    args = parser.parse_args()
    if args.summary is not None:
        summarise(json.loads(args.summary.read_text()))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    seeds = [int(s) for s in args.seeds.split(",")]
    articles = read_re3d()
    results: dict = {"sizes": sizes, "seeds": seeds, "step_updates": args.step_updates, "outlets": {}}
    started = time.perf_counter()
    for outlet in args.outlets.split(","):
        test = [a for a in articles if outlet_of(a) == outlet]
        pool = [a for a in articles if outlet_of(a) != outlet and a.spans]
        print(f"held-out {outlet}: {len(test)} articles; pool {len(pool)} articles of the other outlets", flush=True)
        curves = {order: [] for order in ORDERS}
        shared: dict = {}
        for seed in seeds:
            for order in ORDERS:
                curves[order].append(run_curve(pool, test, sizes, order, seed, args.step_updates,
                                               lambda line: print(line, flush=True), shared))
            shared.clear()
        results["outlets"][outlet] = curves
        args.out.write_text(json.dumps(results, indent=1))
    summarise(results)
    print(f"\n{time.perf_counter() - started:.0f} s; raw curves in {args.out}")


def summarise(results: dict) -> None:
    """The table of the docs: mean F1 per size with the spread over seeds (lowest-highest), and how many
    articles each order needs to reach random order's mean F1 at the last size."""
    sizes, seeds = results["sizes"], results["seeds"]
    print(f"\nmean entity F1 (exact) on the held-out outlet over seeds {seeds} [lowest-highest seed];"
          f" {results['step_updates']} updates per version")
    header = "  ".join(f"{s:>19}" for s in sizes)
    print(f"{'outlet':<22} {'order':<10} {header}")
    for outlet, curves in results["outlets"].items():
        for order in ORDERS:
            cells = []
            for k in range(len(sizes)):
                values = [run[k]["f1"] for run in curves[order]]
                cells.append(f"{statistics.mean(values):.3f} [{min(values):.3f}-{max(values):.3f}]")
            print(f"{outlet:<22} {order:<10} " + "  ".join(f"{c:>19}" for c in cells))
    print("\narticles needed to reach random order's F1 at the last size (interpolated between sizes):")
    for outlet, curves in results["outlets"].items():
        target = statistics.mean(run[-1]["f1"] for run in curves["random"])
        needed = {}
        for order in ORDERS:
            means = [statistics.mean(run[k]["f1"] for run in curves[order]) for k in range(len(sizes))]
            needed[order] = next((_interpolate(sizes, means, k, target) for k in range(len(sizes)) if means[k] >= target), None)
        print(f"{outlet:<22} target F1 {target:.3f}: " + ", ".join(
            f"{order} {'%.1f' % n if n is not None else 'not reached'}" for order, n in needed.items()))
    print("\nseeds where the uncertain order is ahead of the random order at each later size:")
    for outlet, curves in results["outlets"].items():
        ahead = [sum(u[k]["f1"] > r[k]["f1"] for u, r in zip(curves["uncertain"], curves["random"]))
                 for k in range(1, len(sizes))]
        print(f"{outlet:<22} " + "  ".join(f"{size}: {n}/{len(seeds)}" for size, n in zip(sizes[1:], ahead)))


def _interpolate(sizes, means, k, target) -> float:
    if k == 0 or means[k] == means[k - 1]:
        return float(sizes[k])
    fraction = (target - means[k - 1]) / (means[k] - means[k - 1])
    return sizes[k - 1] + fraction * (sizes[k] - sizes[k - 1])


if __name__ == "__main__":
    main()
