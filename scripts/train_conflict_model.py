"""Train the conflict entity component the suggester ships (resources/models/conflict_ner/).

    nice .venv/bin/python scripts/train_conflict_model.py                     # the shipped model: all dev data
    nice .venv/bin/python scripts/train_conflict_model.py --hold-out CENTCOM --out /tmp/conflict_ner-CENTCOM
                                                       # a leave-one-outlet-out variant, for the benches
    nice .venv/bin/python scripts/train_conflict_model.py --soup DIR0 DIR1 DIR2 --out DIR
                                                       # the mean of the weights of several seeds' components

The recipe (scripts/conflict_ner.json holds its numbers): en_core_web_sm's own ``ner`` with its
internal tok2vec, fine-tuned on public conflict annotations, early stopping on development articles
kept apart from its training articles. Keeping the model's OntoNotes labels where the data's mean
the same (a place stays GPE, a nationality NORP, a facility FAC) starts those labels from what the
model already knows and keeps the rules that read ``ENT_TYPE`` working; WEAPON is added.

Data (read where they are, never copied: ``$CONFLICT_REAL_DATA``, default /work/shared/data), through
bench/real_gold.py, so spans follow our span guidelines:
- re3d's CENTCOM, US_State_Department (public domain, US government works) and UK_Government
  (Open Government Licence v3.0) outlets, their Organisation as ORG, Nationality as NORP;
- WikiEvents dev (MIT) entity names. WikiEvents annotates no dates and no numbers: every token the
  base model reads as a date, time or number there is *missing* (no loss either way), not a
  negative, or the model would learn that dates are not entities.
Spans the gold marks with a type we do not map (nominals, pronouns, low-confidence crowd spans,
money, quantities) are missing too.

Off in the shipped recipe, there to try variants with ``--config`` (docs/suggester.md has what they did):
- ``rehearsal_sentences`` / ``rehearsal_ecbplus_articles``: pseudo-rehearsal, the base model's own
  PERSON/ORG/GPE/LOC/NORP on unlabelled development news (event_location dev sentences, MIT, without
  the reserved sources; ECB+ dev articles, CC BY 3.0, without the reserved topics), its other labels
  missing, the rest outside (``rehearsal_outside``, or missing too when false);
- ``headlines``: Prodigy's 373 annotated news headlines (explosion/prodigy-recipes, MIT), ORG, PERSON
  and LOCATION; the base model's other labels and numbers there are missing.
- ``ecbplus_names``: names from ECB+ development articles (CC BY 3.0, without the reserved topics) as
  partial annotations: ECB+ marks only the entities tied to its annotated events, so only its
  mentions that are proper names become entities (ecbplus_name_spans) and every other token is
  missing, never outside; only the lines holding such a name are read. ``ecbplus_names_articles``
  caps how many articles (the same ones for every seed), so that a few dozen gold articles are not
  drowned; ``ecbplus_lowercase_outside`` makes their lower-case words outside the base model's
  entities negatives (no name under any guideline), the rest staying missing.

``--hold-out OUTLET`` leaves one re3d outlet and the WikiEvents fold of the same index out of the
training data, for the leave-one-outlet-out figures (bench/suggest_quality.py --loo).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import minibatch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from real_gold import DATA, LEADING, NOT_NAMES, RE3D_SOURCES, TITLE_WORDS, lower_case_words, normalise_span, re3d_articles, wikievents_articles, wikievents_fold  # noqa: E402

CONFIG = Path(__file__).resolve().parent / "conflict_ner.json"
SHIPPED = ROOT / "resources" / "models" / "conflict_ner"
# Our gold labels -> the component's labels (OntoNotes names where they mean the same thing).
TO_MODEL = {"PERSON": "PERSON", "ORG": "ORG", "LOCATION": "GPE", "FACILITY": "FAC", "DATE": "DATE",
            "WEAPON": "WEAPON", "NORP": "NORP"}
# Gold spans of unmapped types that still mean a nationality.
NATIONALITY_TYPES = {"Nationality", "NORP"}
# What WikiEvents never annotates: the base model's guesses of these are missing, not negatives.
UNANNOTATED_IN_WIKIEVENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}
# Pseudo-rehearsal: the base model's own names on unlabelled news, kept so that fine-tuning on a few
# dozen articles does not forget what the base model already finds. Its LOC becomes our GPE (our
# LOCATION is GPE); its other labels are missing, not kept: its DATE and FAC follow OntoNotes, not
# our guidelines.
REHEARSED = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "NORP": "NORP"}
# Held back for independent evaluation: never read.
RESERVED_EVENT_LOCATION_SOURCES = {"RELABEL", "APW_RA", "AFP_RA", "Xinhua_RA", "Unknown_RA"}
RESERVED_ECBPLUS_TOPICS = {3, 8, 12, 16, 18, 19, 22, 32, 33, 41, 45}
HEADLINES = Path("prodigy") / "annotated_news_headlines-ORG-PERSON-LOCATION-ner.jsonl"
# The headlines' labels -> the component's; their PRODUCT, which we do not tag, is missing.
HEADLINE_LABELS = {"ORG": "ORG", "PERSON": "PERSON", "LOCATION": "GPE"}
# The base model's labels the headlines' three cover; its guesses of any other are missing there.
ANNOTATED_IN_HEADLINES = {"ORG", "PERSON", "GPE", "LOC"}

# ECB+ entity types that are names when the mention is a proper name -> the component's labels; its
# times, nominal participants and other locations are dropped (missing).
ECBPLUS_NAME_LABELS = {"HUMAN_PART_PER": "PERSON", "HUMAN_PART_ORG": "ORG", "HUMAN_PART_GPE": "GPE",
                       "LOC_GEO": "GPE", "LOC_FAC": "FAC"}
# ECB+ mentions often open with the preposition that governs them ("in Los Angeles"): no part of a name.
LEADING_PREPOSITIONS = {"in", "at", "on", "of", "from", "to", "into", "near", "by", "for", "with", "across",
                        "outside", "inside", "around", "throughout", "within", "toward", "towards", "over",
                        "under", "off", "through", "between", "after", "before", "against", "behind", "about"}
# Lower-case words that may stand inside a name ("Bank of America", "Omar al Bashir"), never at its edges.
NAME_PARTICLES = {"of", "the", "and", "for", "de", "del", "della", "di", "da", "du", "des", "la", "le", "van",
                  "von", "der", "den", "al", "el", "bin", "ibn", "bint", "abu", "y", "&"}
QUOTES = "\"'“”‘’"


def articles_for(hold_out: str | None) -> tuple[list[dict], list[dict]]:
    """(re3d articles, WikiEvents articles) to learn from, without the held-out outlet and fold."""
    re3d, wiki = [], []
    for index, outlet in enumerate(RE3D_SOURCES):
        if outlet != hold_out:
            re3d += re3d_articles(outlet)
    fold = RE3D_SOURCES.index(hold_out) if hold_out else None
    wiki = [a for a in wikievents_articles() if fold is None or wikievents_fold(a["id"]) != fold]
    return re3d, wiki


def reference(nlp, base, article: dict, wikievents: bool):
    """The article's tokens with gold entities in the component's labels, the rest outside, and
    missing where the gold says nothing (unmapped types; WikiEvents' dates and numbers)."""
    doc = nlp.make_doc(article["text"])
    ents, missing = [], []
    for span in article["spans"]:
        if span["layer"] != "entity" or span["label"] not in TO_MODEL:
            continue
        placed = doc.char_span(span["start"], span["end"], label=TO_MODEL[span["label"]], alignment_mode="expand")
        if placed is not None:
            ents.append(placed)
    for span in article["ignore"]:
        placed = doc.char_span(span["start"], span["end"], alignment_mode="expand")
        if placed is None:
            continue
        if span.get("type") in NATIONALITY_TYPES:
            ents.append(doc.char_span(placed.start_char, placed.end_char, label="NORP"))
        else:
            missing.append(placed)
    if wikievents:
        guessed = base(article["text"])
        missing += [doc.char_span(e.start_char, e.end_char, alignment_mode="expand") for e in guessed.ents
                    if e.label_ in UNANNOTATED_IN_WIKIEVENTS]
        missing += [doc[t.i : t.i + 1] for t in doc if t.like_num]
    chosen, taken = [], set()
    for span in sorted(ents, key=lambda s: (-(s.end - s.start), s.start)):
        if span is None or taken & set(range(span.start, span.end)):
            continue
        taken |= set(range(span.start, span.end))
        chosen.append(span)
    gaps = [m for m in missing if m is not None and not taken & set(range(m.start, m.end))]
    gap_tokens = sorted({i for m in gaps for i in range(m.start, m.end)})
    doc.set_ents(chosen, missing=[doc[i : i + 1] for i in gap_tokens], default="outside")
    return doc


def rehearsal_texts(config: dict, data: Path = DATA) -> list[list[str]]:
    """Unlabelled news for pseudo-rehearsal, each item the sentences or lines of one training text:
    ``rehearsal_sentences`` event_location development sentences (non-reserved sources) packed
    ``rehearsal_sentences_per_doc`` to a text, and ``rehearsal_ecbplus_articles`` ECB+ development
    articles (non-reserved topics), both drawn with the recipe's seed."""
    rng = random.Random(config["seed"])
    wanted = config.get("rehearsal_sentences", 0)
    texts: list[list[str]] = []
    if wanted:
        with (data / "event_location" / "dev.jsonl").open(encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines if line.strip()]
        sentences = sorted({r["text"].strip() for r in records
                            if r.get("source") and r["source"] not in RESERVED_EVENT_LOCATION_SOURCES})
        chosen = rng.sample(sentences, min(wanted, len(sentences)))
        per_doc = config.get("rehearsal_sentences_per_doc", 20)
        texts += [chosen[i : i + per_doc] for i in range(0, len(chosen), per_doc)]
    wanted = config.get("rehearsal_ecbplus_articles", 0)
    if wanted:
        with (data / "ecbplus" / "dev.jsonl").open(encoding="utf-8") as lines:
            articles = [json.loads(line) for line in lines if line.strip()]
        articles = sorted((a for a in articles if a["topic"] not in RESERVED_ECBPLUS_TOPICS), key=lambda a: a["doc_id"])
        texts += [[line for line in a["text"].splitlines() if line.strip()]
                  for a in rng.sample(articles, min(wanted, len(articles)))]
    return texts


def ecbplus_name_spans(tagged, entities: list[dict]) -> list[tuple[int, int, str]]:
    """(start, end, label) of the ECB+ ``entities`` of one article that are proper names, trimmed
    to our span guidelines. ``tagged`` is the article's text as read by the base model's tagger.
    A mention is kept only if its type is a name type (ECBPLUS_NAME_LABELS), after dropping leading
    prepositions, determiners and (for a person) titles every word is capitalised or an inner name
    particle, the tagger reads a capitalised word of it as a proper noun, and not every capitalised
    word is one the article also writes in lower case ("Police said", "He" and a headline's "Man"
    are not names; "a Los Angeles hospital" is a hospital, not a name)."""
    text = tagged.text
    common = lower_case_words(text)
    kept = []
    for entity in entities:
        label = ECBPLUS_NAME_LABELS.get(entity.get("type"))
        start, end = entity["start"], entity["end"]
        if label is None or "\n" in text[start:end]:
            continue
        while True:  # "in the Betty Ford Center": the preposition, then the determiner
            head = text[start:end].lstrip()
            start = end - len(head)
            first = head.split(maxsplit=1)
            if len(first) < 2 or first[0].lower() not in LEADING_PREPOSITIONS | LEADING:
                break
            start += len(first[0])
        trimmed = normalise_span(text, start, end, label)
        if trimmed is None:
            continue
        start, end = trimmed
        if text[start:end].endswith(("'s", "’s")):
            end -= 2
        words = [w.strip(QUOTES) for w in text[start:end].split()]
        if not words or not all(
                w[:1].isupper() or (0 < i < len(words) - 1 and w.lower() in NAME_PARTICLES)
                for i, w in enumerate(words)):
            continue
        # "US" is a name, "Us" a pronoun; "Man" in a headline is the article's "man"
        if any(w.lower() in NOT_NAMES and not w.isupper() for w in words):
            continue
        if not any(w[:1].isupper() and (w.isupper() or w.lower() not in common) for w in words):
            continue
        if label == "PERSON" and words[-1].lower().split("-")[0] in TITLE_WORDS:
            continue  # a title with no name after it ("US President-elect")
        tokens = tagged.char_span(start, end, alignment_mode="expand")
        if tokens is None or not any(t.pos_ == "PROPN" and t.text[:1].isupper() for t in tokens):
            continue
        kept.append((tokens.start_char, tokens.end_char, label))
    return kept


def ecbplus_name_reference(nlp, tagged, entities: list[dict], lowercase_outside: bool = False):
    """One ECB+ article as a partial annotation: the lines that hold a kept name
    (ecbplus_name_spans), those names as entities, every other token missing (ECB+ did not look at
    it, so it is no negative). With ``lowercase_outside``, the lower-case words that are no name
    particle and lie in none of the base model's entities (``tagged.ents``) are outside: whatever
    ECB+ left unmarked, "said" or "hospital" is no name under any guideline, and a text with no
    negative at all teaches the model to see names everywhere. None when the article has no such name."""
    spans = ecbplus_name_spans(tagged, entities)
    if not spans:
        return None
    text, lines, offset = tagged.text, [], 0
    base_entity_chars = {i for ent in tagged.ents for i in range(ent.start_char, ent.end_char)}
    for line in text.split("\n"):
        line_end = offset + len(line)
        inside = [(s - offset, e - offset, label) for s, e, label in spans if offset <= s and e <= line_end]
        if inside:
            lines.append((line, offset, inside))
        offset = line_end + 1
    joined = "\n".join(line for line, _, _ in lines)
    doc = nlp.make_doc(joined)
    placed, outside, offset = [], [], 0
    for line, source_offset, inside in lines:
        placed += [doc.char_span(offset + s, offset + e, label=label) for s, e, label in inside]
        if lowercase_outside:
            words = doc.char_span(offset, offset + len(line), alignment_mode="expand") if line else None
            outside += [doc[t.i : t.i + 1] for t in (words or []) if t.is_alpha and t.text.islower()
                        and t.text not in NAME_PARTICLES
                        and source_offset + t.idx - offset not in base_entity_chars]
        offset += len(line) + 1
    chosen, taken = first_of_overlapping(sorted((p for p in placed if p is not None), key=lambda p: (-len(p), p.start)))
    outside = [span for span in outside if span.start not in taken]
    doc.set_ents(chosen, outside=outside, default="missing")
    return doc


def ecbplus_name_references(nlp, base, config: dict, data: Path = DATA) -> list:
    """The ``ecbplus_names`` training texts: ``ecbplus_names_articles`` ECB+ development articles
    (all when 0) of the non-reserved topics that hold a kept name, chosen by a hash of their id so
    every seed reads the same ones."""
    with (data / "ecbplus" / "dev.jsonl").open(encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines if line.strip()]
    articles = sorted((a for a in articles if a["topic"] not in RESERVED_ECBPLUS_TOPICS),
                      key=lambda a: hashlib.sha256(("ecbplus:" + a["doc_id"]).encode()).hexdigest())
    wanted = config.get("ecbplus_names_articles", 0) or len(articles)
    references = []
    for article in articles:
        if len(references) >= wanted:
            break
        reference_doc = ecbplus_name_reference(nlp, base(article["text"]), article["entities"],
                                               config.get("ecbplus_lowercase_outside", False))
        if reference_doc is not None:
            references.append(reference_doc)
    return references


def first_of_overlapping(spans: list) -> tuple[list, set[int]]:
    """The spans (None: words that did not align to tokens, skipped) that overlap no earlier one, and
    the tokens they cover: an entity layer holds no overlapping spans."""
    chosen, taken = [], set()
    for span in spans:
        if span is not None and not taken & set(range(span.start, span.end)):
            taken |= set(range(span.start, span.end))
            chosen.append(span)
    return chosen, taken


def silver_reference(nlp, base, parts: list[str], outside_known: bool):
    """One rehearsal text: the base model's PERSON/ORG/GPE/LOC/NORP on each part (read alone, as it
    was written) as entities, its other labels missing; the rest outside when ``outside_known``,
    else missing too (then the text teaches only the names, never that a word is no entity)."""
    text = "\n".join(parts)
    doc = nlp.make_doc(text)
    ents, missing, offset = [], [], 0
    for part, predicted in zip(parts, base.pipe(parts)):
        for ent in predicted.ents:
            start, end = offset + ent.start_char, offset + ent.end_char
            if ent.label_ not in REHEARSED:
                missing.append(doc.char_span(start, end, alignment_mode="expand"))
                continue
            # The base model's spans follow OntoNotes ("the Army", "President X"): trimmed to our
            # guidelines as the gold is; a bare title is no name, so it is missing.
            trimmed = normalise_span(text, start, end, ent.label_)
            if trimmed is None:
                missing.append(doc.char_span(start, end, alignment_mode="expand"))
            else:
                ents.append(doc.char_span(*trimmed, label=REHEARSED[ent.label_], alignment_mode="expand"))
        offset += len(part) + 1
    missing = [m for m in missing if m is not None]
    chosen, taken = first_of_overlapping(ents)
    if outside_known:
        gap_tokens = sorted({i for m in missing for i in range(m.start, m.end)} - taken)
    else:
        gap_tokens = sorted(set(range(len(doc))) - taken)
    doc.set_ents(chosen, missing=[doc[i : i + 1] for i in gap_tokens], default="outside")
    return doc


def headline_references(nlp, base, config: dict, data: Path = DATA) -> list:
    """Prodigy's annotated news headlines (ORG, PERSON, LOCATION), ``headlines_per_doc`` to a
    training text, one headline a line. Only those three labels were annotated: what the base model
    reads there as another label (a nationality, a date, a number) is missing, not a negative."""
    with (data / HEADLINES).open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    records = [r for r in records if r.get("answer") == "accept"]
    per_doc = config.get("headlines_per_doc", 20)
    references = []
    for first in range(0, len(records), per_doc):
        group = records[first : first + per_doc]
        parts = [r["text"].replace("\n", " ") for r in group]
        text = "\n".join(parts)
        doc = nlp.make_doc(text)
        ents, missing, offset = [], [], 0
        for record, part, predicted in zip(group, parts, base.pipe(parts)):
            for span in record.get("spans", []):
                start, end = offset + span["start"], offset + span["end"]
                label = HEADLINE_LABELS.get(span["label"])
                trimmed = normalise_span(text, start, end, span["label"]) if label else None
                if trimmed is None:
                    missing.append(doc.char_span(start, end, alignment_mode="expand"))
                else:
                    ents.append(doc.char_span(*trimmed, label=label, alignment_mode="expand"))
            missing += [doc.char_span(offset + e.start_char, offset + e.end_char, alignment_mode="expand")
                        for e in predicted.ents if e.label_ not in ANNOTATED_IN_HEADLINES]
            offset += len(part) + 1
        missing += [doc[t.i : t.i + 1] for t in doc if t.like_num]
        chosen, taken = first_of_overlapping(ents)
        gap_tokens = sorted({i for m in missing if m is not None for i in range(m.start, m.end)} - taken)
        doc.set_ents(chosen, missing=[doc[i : i + 1] for i in gap_tokens], default="outside")
        references.append(doc)
    return references


def chunks(doc, size: int) -> list:
    """The reference cut at paragraph breaks into pieces of about ``size`` tokens (0: the whole
    article), so that a batch mixes passages of several articles. A piece keeps its entities and its
    missing tokens; an entity never spans a paragraph break (real_gold cuts spans at line breaks)."""
    if size <= 0:
        return [doc]
    pieces, start = [], 0
    for token in doc:
        if "\n" in token.text and token.i + 1 - start >= size:
            pieces.append(doc[start : token.i + 1].as_doc())
            start = token.i + 1
    if start < len(doc):
        pieces.append(doc[start:].as_doc())
    return pieces


def score(nlp, examples: list[Example]) -> float:
    """Exact F1 on the examples' known tokens: a prediction over a missing token is not counted."""
    tp = fp = fn = 0
    for example in examples:
        predicted = nlp(example.reference.text)
        known = {t.i for t in example.reference if t.ent_iob_ != ""}
        gold = {(e.start, e.end, e.label_) for e in example.reference.ents}
        found = {(e.start, e.end, e.label_) for e in predicted.ents if e.label_ in TO_MODEL.values()
                 and all(i in known for i in range(e.start, e.end))}
        tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def dev_article(article: dict, percent: int) -> bool:
    return int(hashlib.sha256(("dev:" + article["id"]).encode()).hexdigest()[:8], 16) % 100 < percent


def train(hold_out: str | None, out: Path, config: dict, log=print) -> dict:
    random.seed(config["seed"])
    spacy.util.fix_random_seed(config["seed"])
    base = spacy.load(config["base_model"])
    nlp = spacy.load(config["base_model"], exclude=[p for p in base.component_names if p != "ner"])
    ner = nlp.get_pipe("ner")
    for label in TO_MODEL.values():
        if label not in ner.labels:
            ner.add_label(label)
    re3d, wiki = articles_for(hold_out)
    examples = {"train": [], "dev": []}
    for articles, is_wiki in ((re3d, False), (wiki, True)):
        for article in articles:
            doc = reference(nlp, base, article, is_wiki)
            part = "dev" if dev_article(article, config["dev_percent"]) else "train"
            # WikiEvents' training articles are seen more often than re3d's (config
            # "wikievents_repeat"): the folds are the outlets furthest from re3d's government prose.
            repeat = config.get("wikievents_repeat", 1) if is_wiki and part == "train" else 1
            pieces = chunks(doc, config.get("chunk_tokens", 0)) if part == "train" else [doc]
            examples[part] += [Example(nlp.make_doc(piece.text), piece) for piece in pieces] * repeat
    # Rehearsal texts only train; early stopping stays on gold development articles.
    silver = rehearsal_texts(config)
    for parts in silver:
        examples["train"].append(Example(nlp.make_doc("\n".join(parts)),
                                         silver_reference(nlp, base, parts, config.get("rehearsal_outside", True))))
    headlines = headline_references(nlp, base, config) if config.get("headlines") else []
    examples["train"] += [Example(nlp.make_doc(reference.text), reference) for reference in headlines]
    ecbplus = ecbplus_name_references(nlp, base, config) if config.get("ecbplus_names") else []
    examples["train"] += [Example(nlp.make_doc(reference.text), reference) for reference in ecbplus]
    log(f"held out: {hold_out or 'nothing'}; {len(examples['train'])} training examples ({len(silver)} rehearsal "
        f"texts, {len(headlines)} of headlines, {len(ecbplus)} of ECB+ names) and {len(examples['dev'])} development articles ({len(re3d)} re3d, {len(wiki)} WikiEvents)")
    optimizer = nlp.resume_training()
    optimizer.learn_rate = config["learn_rate"]
    best, best_step, best_bytes, step, evals_without_gain = -1.0, 0, None, 0, 0
    began = time.perf_counter()
    rng = random.Random(config["seed"])
    while step < config["max_steps"]:
        order = list(examples["train"])
        rng.shuffle(order)
        for batch in minibatch(order, size=config["batch_size"]):
            losses: dict = {}
            nlp.update(batch, sgd=optimizer, drop=config["dropout"], losses=losses)
            step += 1
            if step % config["eval_every"] == 0:
                f1 = score(nlp, examples["dev"])
                log(f"step {step}: loss {losses.get('ner', 0):.1f}, development F1 {f1:.3f} "
                    f"({time.perf_counter() - began:.0f} s)")
                if f1 > best:
                    best, best_step, best_bytes, evals_without_gain = f1, step, ner.to_bytes(), 0
                else:
                    evals_without_gain += 1
            if step >= config["max_steps"] or evals_without_gain >= config["patience"]:
                break
        if evals_without_gain >= config["patience"]:
            break
    if best_bytes is not None:
        ner.from_bytes(best_bytes)
    summary = {"held_out": hold_out, "steps": step, "best_step": best_step, "development_f1": round(best, 4),
               "train_articles": len(examples["train"]), "development_articles": len(examples["dev"]),
               "seconds": round(time.perf_counter() - began), "config": config}
    nlp.meta["name"] = "conflict_ner"
    nlp.meta["version"] = config["version"]
    nlp.meta["description"] = ("en_core_web_sm's ner fine-tuned on re3d (CENTCOM, US_State_Department, "
                               "UK_Government) and WikiEvents dev entity names; see scripts/train_conflict_model.py")
    nlp.meta["sources"] = [
        {"name": "re3d (CENTCOM, US_State_Department)", "url": "https://github.com/dstl/re3d", "license": "public domain"},
        {"name": "re3d (UK_Government)", "url": "https://github.com/dstl/re3d", "license": "OGL v3.0"},
        {"name": "WikiEvents dev", "url": "https://github.com/raspberryice/gen-arg", "license": "MIT"},
    ]
    nlp.meta["training"] = summary
    save_without_training_words(nlp, out, config)
    log(f"best development F1 {best:.3f} at step {best_step}; written to {out}")
    return summary


def save_without_training_words(trained, out: Path, config: dict) -> None:
    """Write the trained NER into a copy of the base pipeline: its vocabulary is the base model's
    (plus the labels), so no word of the training texts is shipped (the trained pipeline's own
    vocabulary remembers every word it read)."""
    base = spacy.load(config["base_model"])
    clean = spacy.load(config["base_model"], exclude=[p for p in base.component_names if p != "ner"])
    for label in trained.get_pipe("ner").labels:
        if label not in clean.get_pipe("ner").labels:
            clean.get_pipe("ner").add_label(label)
    clean.get_pipe("ner").from_bytes(trained.get_pipe("ner").to_bytes(exclude=["vocab"]), exclude=["vocab"])
    clean.meta.update({k: trained.meta[k] for k in ("name", "version", "description", "sources", "training")
                       if k in trained.meta})
    out.mkdir(parents=True, exist_ok=True)
    clean.to_disk(out)


def average_weights(components: list, names: list[str]):
    """A uniform model soup (Wortsman et al. 2022): every parameter of the first pipeline's ner (its
    own tok2vec included) set to the mean of that parameter over ``components``, pipelines trained
    by one recipe from the same start with different seeds; ``names`` name them in errors. Unlike a
    vote of several models it costs nothing at run time: the soup has the shape of each. Averaging
    only means something when the output rows mean the same moves in every seed, so the move lists
    (the labels and their order) must be equal; a label the recipe adds (WEAPON) starts as zero
    rows in every seed (spaCy's resize_output), so its rows share a start too. Returns the first
    pipeline, changed in place."""
    if len(components) < 2:
        raise SystemExit("--soup needs two or more components to average")
    first = components[0].get_pipe("ner")
    for name, nlp in zip(names[1:], components[1:]):
        if list(nlp.get_pipe("ner").move_names) != list(first.move_names):
            raise SystemExit(f"{name}: its ner's moves differ from {names[0]}'s (labels or their order): "
                             "only components of one recipe and one start can be averaged")
    walks = [list(nlp.get_pipe("ner").model.walk()) for nlp in components]
    if len({len(walk) for walk in walks}) != 1:
        raise SystemExit(f"--soup: the ner models of {', '.join(names)} differ in shape")
    for layer_of_each in zip(*walks):
        target = layer_of_each[0]
        for param in target.param_names:
            values = [layer.get_param(param) for layer in layer_of_each]
            if any(layer.name != target.name for layer in layer_of_each) or len({v.shape for v in values}) != 1:
                raise SystemExit(f"--soup: layer {target.name}'s {param} differs between {', '.join(names)}")
            mean = sum(target.ops.asarray(v, dtype="float64") for v in values) / len(values)
            target.set_param(param, target.ops.asarray(mean, dtype=values[0].dtype))
    return components[0]


def soup(folders: list[Path], out: Path, config: dict, log=print) -> dict:
    """Average the components in ``folders`` (average_weights) into ``out``, written as the shipped
    component is. The soup's and each seed's development F1 on the script's own development split
    (that of the data they were trained on) are logged and kept in the meta; each seed's figure was
    its early-stopping choice, so it flatters the seed a little."""
    components = [spacy.load(folder) for folder in folders]
    held_out = {nlp.meta.get("training", {}).get("held_out") for nlp in components}
    if len(held_out) != 1:
        raise SystemExit(f"--soup: the components were trained on different data (held out: {sorted(map(str, held_out))})")
    hold_out = held_out.pop()
    trainings = [nlp.meta.get("training") for nlp in components]
    base = spacy.load(config["base_model"])
    re3d, wiki = articles_for(hold_out)
    development = [Example(base.make_doc(a["text"]), reference(base, base, a, is_wiki))
                   for articles, is_wiki in ((re3d, False), (wiki, True)) for a in articles
                   if dev_article(a, config["dev_percent"])]
    seed_f1 = [round(score(nlp, development), 4) for nlp in components]
    soup_nlp = average_weights(components, [str(folder) for folder in folders])
    soup_f1 = round(score(soup_nlp, development), 4)
    for folder, f1 in zip(folders, seed_f1):
        log(f"{folder}: development F1 {f1:.3f}")
    log(f"soup of {len(folders)}: development F1 {soup_f1:.3f} (held out: {hold_out or 'nothing'}; "
        f"{len(development)} development articles)")
    soup_nlp.meta["version"] = config["version"]
    soup_nlp.meta["description"] += f"; the mean of the weights of {len(folders)} such components, one per seed"
    soup_nlp.meta["training"] = {"held_out": hold_out, "soup_of": trainings, "seed_development_f1": seed_f1,
                                 "development_f1": soup_f1, "config": config}
    save_without_training_words(soup_nlp, out, config)
    log(f"written to {out}")
    return soup_nlp.meta["training"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold-out", choices=RE3D_SOURCES, help="leave this re3d outlet (and one WikiEvents fold) out")
    parser.add_argument("--out", type=Path, help=f"output folder (default {SHIPPED.relative_to(ROOT)} without --hold-out)")
    parser.add_argument("--max-steps", type=int, help="override the config's max_steps")
    parser.add_argument("--config", type=Path, default=CONFIG, help=f"the recipe's numbers (default {CONFIG.name})")
    parser.add_argument("--resave", type=Path, metavar="FOLDER",
                        help="only write FOLDER's trained NER again without the training texts' words")
    parser.add_argument("--soup", type=Path, nargs="+", metavar="FOLDER",
                        help="only average these components (one recipe, several seeds) into --out")
    args = parser.parse_args(argv)
    if args.soup:
        if not args.out:
            parser.error("--soup needs --out")
        soup(args.soup, args.out, json.loads(args.config.read_text(encoding="utf-8")))
        return 0
    if args.resave:
        save_without_training_words(spacy.load(args.resave), args.resave, json.loads(CONFIG.read_text(encoding="utf-8")))
        return 0
    config = json.loads(args.config.read_text(encoding="utf-8"))
    if args.max_steps:
        config["max_steps"] = args.max_steps
    if args.hold_out and not args.out:
        parser.error("--hold-out needs --out: the shipped folder holds the model trained on everything")
    train(args.hold_out, args.out or SHIPPED, config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
