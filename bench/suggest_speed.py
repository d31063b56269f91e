"""The suggester's cost over plain spaCy, whole processes: `annotator suggest` against a process that only
loads plain en_core_web_sm and runs `nlp.pipe` over the same texts.

    nice .venv/bin/python bench/suggest_speed.py [--texts 300] [--sentences 36] [--repeat 3]

Texts are synthetic (bench/synthetic.py: invented sentences with messy characters), about 400 words
each. Each run is a fresh process, timed from start to exit (imports and model loading included, as a
user waits for them), median of --repeat runs, the two kinds interleaved so that a busy neighbour
slows both alike. One untimed suggest run first fills the bench's own cache folder (the gazetteer
names' tokens), as a user's first start does; every timed run reads it, as their later starts do:
  plain     python: import spacy; spacy.load(en_core_web_sm); for _ in nlp.pipe(texts, batch_size=32)
            (the plain pipeline: no conflict rulers, no conflict NER, nothing stored), ending with
            gc.freeze() as `annotator` does (its collector's last pass at exit skipped; plain spaCy
            spends a tenth of a second there too); --plain-as-written leaves that out
  suggest   annotator --db PROJECT suggest --redo: the suggester as shipped (the conflict NER in place of
            the model's own, gazetteer, rules, events, memory) storing its suggestions in the project file
With --startup N, the processor time of a start with nothing to do (an empty project; plain spaCy's
import and load), N runs each, alternating. --base CHECKOUT (the root of another checkout, e.g.
`git worktree add /tmp/base COMMIT`) times that checkout's suggest too, in the same interleaved runs,
on its own copy of the project and cache (run with PYTHONPATH pointing there): a before/after at one
load. With --stages, the processor time of each component of both pipelines and of the suggester's
analysis and storing, in one process, over the same texts.

Both run with compiled byte-code (PYTHONDONTWRITEBYTECODE dropped from their environment), as an
installed package runs.

Prints suggest / plain (target at most 1.25) by wall-clock time, and by processor time (user + system
of each process), which a machine shared with other work inflates less; and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import article  # noqa: E402

from annotator.store import Store  # noqa: E402
from annotator.suggest import DEFAULT_MODELS  # noqa: E402

PLAIN = """
import gc, json, sys, spacy
texts = json.load(open(sys.argv[1], encoding="utf-8"))
for name in [a for a in sys.argv[2:] if not a.startswith("--")]:
    try:
        nlp = spacy.load(name)
        break
    except OSError:
        continue
for _doc in nlp.pipe(texts, batch_size=32):
    pass
if "--as-written" not in sys.argv:
    gc.freeze()  # the same end as `annotator`'s (annotator/cli.py, _spare_the_exit)
"""


def texts(count: int, sentences: int) -> list[str]:
    rng = random.Random(7)
    return [article(rng, i, sentences)["text"] for i in range(count)]


def timed(command: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """(wall seconds, processor seconds: user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def stages(corpus: list[str]) -> None:
    """Processor seconds of each part in this one process: plain en_core_web_sm's components and the
    suggester's, component by component over the same Docs, then the suggester's analysis and its
    storing of the same texts."""
    import spacy

    from annotator.domain import Layer  # noqa: F401  (the store's records, loaded before timing)
    from annotator.schemes import DEFAULT_SCHEME
    from annotator.suggest import SuggestSummary, load_suggester
    from annotator.suggest.runner import Placed, place_doc, store_suggestions

    clock = time.process_time
    plain = next(spacy.load(name) for name in DEFAULT_MODELS if spacy.util.is_package(name))
    suggester = load_suggester()
    for label, nlp in (("plain", plain), ("suggest", suggester.nlp)):
        spent: dict[str, float] = {}
        started = clock()
        docs = [nlp.make_doc(text) for text in corpus]
        spent["tokenizer"] = clock() - started
        for name, component in nlp.pipeline:
            started = clock()
            docs = list(component.pipe(docs, batch_size=32)) if hasattr(component, "pipe") else [component(d) for d in docs]
            spent[name] = clock() - started
        print(f"  {label:<8} components, s: " + ", ".join(f"{k} {v:.2f}" for k, v in spent.items())
              + f"; all {sum(spent.values()):.2f}")
    started = clock()
    found = [suggester.analyse(doc) for doc in docs]
    print(f"  suggest  analysis (entities, rules, events, arguments): {clock() - started:.2f} s")
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "stages.sqlite") as store:
        ids = []
        with store.transaction():
            for text in corpus:
                ids.append(store.articles.add(text)[0])
        scheme = store.project_scheme(DEFAULT_SCHEME)
        for run in ("new", "again"):
            started = clock()
            for article_id, doc, suggestions in zip(ids, docs, found):
                placed = Placed()
                place_doc(placed, doc, suggestions, 0)
                store_suggestions(store, article_id, placed, suggester, scheme, SuggestSummary(suggester.source))
            print(f"  suggest  storing ({run}): {clock() - started:.2f} s")


def startup(runs: int, base: str | None) -> None:
    """Processor seconds of a start with nothing to do: `annotator suggest --redo` on an empty project
    against plain spaCy's import and load, alternating, median of ``runs``; with ``base`` (the root
    of another checkout, e.g. `git worktree add /tmp/base COMMIT`) that checkout's suggest too."""
    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.sqlite"
        Store.open(empty).close()
        corpus_file = Path(folder) / "texts.json"
        corpus_file.write_text("[]", encoding="utf-8")
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        kinds = {"plain": ([sys.executable, "-c", PLAIN, str(corpus_file), *DEFAULT_MODELS], env),
                 "suggest": ([sys.executable, "-m", "annotator", "--db", str(empty), "suggest", "--redo"],
                             dict(env, ANNOTATOR_CACHE=str(Path(folder) / "cache")))}
        if base:
            kinds["base"] = (kinds["suggest"][0], dict(env, PYTHONPATH=str(Path(base).resolve()),
                                                       ANNOTATOR_CACHE=str(Path(folder) / "cache-base")))
        spent: dict[str, list[float]] = {name: [] for name in kinds}
        for command, kind_env in kinds.values():  # untimed: byte-code and caches written
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env=kind_env, cwd=folder)
        load_before = os.getloadavg()[0]
        for _ in range(runs):
            for name, (command, kind_env) in kinds.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=kind_env, cwd=folder)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                spent[name].append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    for name, values in spent.items():
        print(f"  {name:<8} start, processor s: median {statistics.median(values):.2f}; runs: "
              + ", ".join(f"{v:.2f}" for v in values))
    print(f"load average (1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--sentences", type=int, default=36, help="sentences per text (36 ≈ 400 words)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plain-as-written", action="store_true",
                        help="the plain process ends without gc.freeze() (annotator's exit; see above)")
    parser.add_argument("--startup", type=int, metavar="RUNS",
                        help="instead: processor time of a start with nothing to do, RUNS times each")
    parser.add_argument("--base", metavar="CHECKOUT",
                        help="also time another checkout's suggest (run with PYTHONPATH there), interleaved")
    parser.add_argument("--stages", action="store_true",
                        help="instead: processor time of each component and stage in one process")
    args = parser.parse_args()
    if args.startup:
        startup(args.startup, args.base)
        return 0
    corpus = texts(args.texts, args.sentences)
    words = sum(len(t.split()) for t in corpus) / len(corpus)
    print(f"{len(corpus)} texts, {words:.0f} words each on average")
    if args.stages:
        stages(corpus)
        return 0
    annotator = Path(sys.executable).with_name("annotator")
    kinds = ["plain", "suggest"] + (["base"] if args.base else [])
    timings: dict[str, list[float]] = {name: [] for name in kinds}
    processor: dict[str, list[float]] = {name: [] for name in kinds}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        corpus_file = Path(folder) / "texts.json"
        corpus_file.write_text(json.dumps(corpus), encoding="utf-8")
        project = Path(folder) / "speed.sqlite"
        with Store.open(project) as store:
            with store.transaction():
                for text in corpus:
                    store.articles.add(text)
        plain = [sys.executable, "-c", PLAIN, str(corpus_file), *DEFAULT_MODELS,
                 *(["--as-written"] if args.plain_as_written else [])]
        suggest = [str(annotator), "--db", str(project), "suggest", "--redo"]
        # The suggester keeps the tokens of its ~25,000 gazetteer names and the GeoNames places in the
        # user's cache after its first start. Here that cache is the bench's own, filled by one
        # untimed run: every timed run starts as every start after a user's first does, and other
        # programs on the machine (another checkout with another gazetteer) cannot empty it meanwhile.
        env = dict(os.environ, ANNOTATOR_CACHE=str(Path(folder) / "cache"))
        # Python's compiled byte-code, as an installed package has it (pip compiles every module;
        # spaCy's are compiled): a PYTHONDONTWRITEBYTECODE in the caller's environment would make
        # every run compile annotator's modules from source, a fifth of a second that no user's
        # start pays. The untimed run writes it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        runs = {"plain": (plain, env), "suggest": (suggest, env)}
        if args.base:
            # The other checkout on its own copy of the project and its own cache, from the same venv.
            base_project = Path(folder) / "base.sqlite"
            shutil.copyfile(project, base_project)
            runs["base"] = ([sys.executable, "-m", "annotator", "--db", str(base_project), "suggest", "--redo"],
                            dict(env, PYTHONPATH=str(Path(args.base).resolve()),
                                 ANNOTATOR_CACHE=str(Path(folder) / "cache-base")))
        for name in kinds[1:]:
            subprocess.run(runs[name][0], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env=runs[name][1], cwd=folder)
        for _ in range(args.repeat):
            for name in kinds:
                command, kind_env = runs[name]
                # In the temporary folder: `python -m` puts the working folder first on the path.
                wall, cpu = timed(command, kind_env, folder)
                timings[name].append(wall)
                processor[name].append(cpu)
    median = {name: statistics.median(values) for name, values in timings.items()}
    median_cpu = {name: statistics.median(values) for name, values in processor.items()}
    for name, value in median.items():
        print(f"  {name:<8} {value:6.2f} s  ({len(corpus) / value:5.1f} texts/s)  runs: "
              + ", ".join(f"{v:.2f}" for v in timings[name])
              + f"  | processor {median_cpu[name]:6.2f} s, runs: " + ", ".join(f"{v:.2f}" for v in processor[name]))
    print(f"load average (1 min) {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print(f"suggest / plain = {median['suggest'] / median['plain']:.2f} (target at most 1.25); "
          f"processor time {median_cpu['suggest'] / median_cpu['plain']:.2f} (what a busy machine shifts least)")
    # Each suggest run against the plain run just before it: a neighbour's burst that slows one pair
    # moves one ratio, not both medians.
    for name in kinds[1:]:
        paired = [s / p for s, p in zip(processor[name], processor["plain"])]
        print(f"{name} / plain, processor time run by run: " + ", ".join(f"{r:.2f}" for r in paired)
              + f"; median {statistics.median(paired):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
