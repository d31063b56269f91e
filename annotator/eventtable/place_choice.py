"""Which of a sentence's place mentions says where its event happened, learned from annotated sentences.

The rules of :mod:`annotator.eventtable.where` rank a sentence's place mentions by how they hang from the
event's word; this module learns how much each such cue counts. Every place mention of the event's
sentence (titles and organisations included: the model learns to pass them over) becomes a bag of cues
read from spaCy's parse: the rules' own verdict (tier and reason), the preposition and what it hangs
from, the mention's dependency and entity label, distance in the tree and in words, which side of the
event word, whether the gazetteer knows the name and at which precision. A logistic regression weighs
the cues; its weights are a small JSON file (``resources/models/place_choice/weights.json``, written by
``scripts/train_place_choice.py``), read without scikit-learn or numpy.

The record builder asks the chooser for the mentions in order of score and takes the first that the
place index resolves, if its score clears the file's threshold; otherwise the article's setting (its
dateline, places earlier in the report) is read as before.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from annotator.eventtable.where import (DIRECTION_WORDS, NEVER_PLACES, REGION_WORDS, ROLE_NOUNS, Mention, _attached,
                                        _is_date_word, _role, _tree_distance, rank_mentions)

FORMAT = "conflict-annotator/place-choice"


class PlaceChoiceError(ValueError):
    """A weights file that cannot be read; the message names the file and what is wrong."""


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


# Entity types whose words are never a place, however a town happens to be called ("May", "Second"). The
# model's rarer types (a work of art, a language, a law, an event) are left to the cues: it gives them to
# cities it has not learned ("attacks on Aleppo" came out as a work of art, "Aleppo's residential areas" too).
_NOT_PLACE_ENTITIES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}


def sentence_mentions(doc, trigger_start: int, trigger_end: int, found: Sequence[Mention],
                      resolve: Callable[[str], tuple[str, int]] | None = None) -> list[Mention]:
    """The mentions of the trigger's sentence other than the trigger's own words, in text order. With
    ``resolve``, also every run of proper nouns the gazetteer knows that the model read as a person or a
    group ("Jonglei was the scene", "captured Kafr Saghir"): the cues say how far to trust them."""
    trigger_span = doc.char_span(trigger_start, trigger_end, alignment_mode="expand")
    if trigger_span is None or not len(trigger_span):
        return []
    sentence = _sentence_of(trigger_span.root)
    kept = [m for m in found if sentence.start_char <= m.start and m.end <= sentence.end_char
            and not m.overlaps(trigger_start, trigger_end) and m.text.casefold() not in ROLE_NOUNS]
    if resolve is None:
        return kept
    run: list = []
    for token in list(sentence) + [None]:
        if token is not None and token.pos_ == "PROPN" and not token.is_punct and not _is_date_word(token):
            run.append(token)
            continue
        if run and token is not None and token.text in {"-", "'", "’"} and token.i + 1 < len(doc) \
                and doc[token.i + 1].pos_ == "PROPN":
            run.append(token)  # "Al-Quds", "Tal Rifa'at": one name, never "Al" alone
            continue
        if run:
            span = doc[run[0].i: run[-1].i + 1]
            words = span.text
            if not any(m.overlaps(span.start_char, span.end_char) for m in kept) \
                    and len(words) >= 3 and not (words.isupper() and len(words) <= 6) \
                    and words.casefold() not in NEVER_PLACES and words.casefold() not in ROLE_NOUNS \
                    and not any(t.ent_type_ in _NOT_PLACE_ENTITIES for t in span) \
                    and not (span.start_char < trigger_end and trigger_start < span.end_char) \
                    and resolve(words)[0] != "none":
                kept.append(Mention(span.start_char, span.end_char, words, span.root.i, "propn"))
        run = []
    whole = [_whole_name(doc, m, resolve, trigger_start, trigger_end) for m in kept]
    whole = [m for n, m in enumerate(whole)  # a stretched name may now cover another mention: keep one
             if not any(o is not m and o.overlaps(m.start, m.end) and (len(o.text), -k) > (len(m.text), -n)
                        for k, o in enumerate(whole))]
    return sorted(whole, key=lambda m: m.start)


def _sentence_of(token):
    """The token's sentence, joined with a neighbour the parser split off at a bracketed insertion: "killed
    on Saturday [31 October] in firing ... in Ranipur Town" is one sentence, cut by the model at "["."""
    doc = token.doc
    start, end = token.sent.start, token.sent.end
    for _ in range(3):
        if start > 0 and (doc[start].text in {"[", "]"} or doc[start - 1].text in {"[", "]"}):
            start = doc[start - 1].sent.start
        elif end < len(doc) and (doc[end].text in {"[", "]"} or doc[end - 1].text in {"[", "]"}):
            end = doc[end].sent.end
        else:
            break
    return doc[start:end]


_JOINERS = {"-", "'", "’", "‘"}


def _whole_name(doc, mention: Mention, resolve, trigger_start: int, trigger_end: int) -> Mention:
    """The mention stretched over the rest of a name the model cut short, when the gazetteer knows the whole
    name: "Mazar" of "Mazar-e-Sharif", "Khe" of "Khe Sanh", "Issa" of "‘Ayn ‘Issa", "Tal" of "Tal Rifa’at"."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return mention
    end = span.end
    while end < len(doc) and doc[end - 1].whitespace_ == "" and (doc[end].is_alpha or doc[end].text in _JOINERS):
        end += 1  # the rest of a hyphenated or apostrophised word
    ends = [end]
    if end < len(doc) and doc[end].text[:1].isupper() and doc[end].text[:2].isalpha() \
            and doc[end].ent_type_ in {"", "PERSON", "ORG", "GPE", "LOC"}:
        more = end + 1  # one more capitalised word: "Khe Sanh", "Tal Rifa’at"
        while more < len(doc) and doc[more - 1].whitespace_ == "" and (doc[more].is_alpha or doc[more].text in _JOINERS):
            more += 1
        ends.append(more)
    starts = [span.start]
    before = span.start - 1
    if before >= 0 and doc[before].text in _JOINERS and doc[before].whitespace_ == "":
        before -= 1  # the opening quote of "‘Issa"
    if before >= 0 and doc[before].is_alpha and doc[before].text[:1].isupper() and not doc[before].is_sent_start:
        starts.append(before)
        if before > 0 and doc[before - 1].text in _JOINERS and doc[before - 1].whitespace_ == "":
            starts.append(before - 1)  # "‘Ayn ‘Issa"
    best = mention
    for start in starts:
        for stop in ends:
            if (start, stop) == (span.start, span.end):
                continue
            words = doc[start:stop]
            if words.start_char < trigger_end and trigger_start < words.end_char:
                continue
            text = words.text.strip("‘’'")
            if len(text) > len(best.text) and resolve(text)[0] != "none":
                offset = words.start_char + words.text.index(text)
                best = Mention(offset, offset + len(text), text, words.root.i, mention.origin)
    return best


def cues(doc, trigger_start: int, trigger_end: int, candidates: Sequence[Mention],
         resolve: Callable[[str], tuple[str, int]], *, relations: bool = False) -> list[dict[str, float]]:
    """One bag of cues per candidate mention (see the module's list).

    :param resolve: a mention's words -> (precision name or "none", how many places have the name)
    :param relations: add the cues that compare a candidate with the event's other candidates
        (:func:`_relation_cues`); weights trained without them are read without them
    """
    trigger_span = doc.char_span(trigger_start, trigger_end, alignment_mode="expand")
    trigger = trigger_span.root
    trigger_tokens = {t.i for t in trigger_span}
    nearest = sorted(range(len(candidates)), key=lambda n: abs(doc[candidates[n].root].i - trigger.i))
    # The rules' own order (where.py), counting only names the gazetteer knows: their pick is rank 0.
    known = {(m.start, m.end): resolve(m.text)[0] != "none" for m in candidates}
    rule_order = [c.mention for c in rank_mentions(doc, trigger_start, trigger_end, candidates)
                  if known.get((c.mention.start, c.mention.end))]
    rule_rank = {(m.start, m.end): n for n, m in enumerate(rule_order)}
    # Whether a mention is the finest place the sentence names (a town beside its region and country).
    fineness = {"town": 1, "region": 2, "country": 3}
    levels = {(m.start, m.end): fineness.get(resolve(m.text)[0], 9) for m in candidates}
    finest = min(levels.values())
    closeness = {n: rank for rank, n in enumerate(nearest)}
    out = []
    for n, mention in enumerate(candidates):
        token = doc[mention.root]
        role = _role(token, trigger_tokens, None)
        why = role[1] if role else "title or organisation"
        tier = role[0] if role else 9
        attached = bool(role) and tier == 1 and _attached(token, trigger)
        head = token.head
        preposition = head.lower_ if token.dep_ == "pobj" else "-"
        known_as = resolve(mention.text)
        precision, ambiguity = known_as[:2]
        population = known_as[2] if len(known_as) > 2 else 0
        after = doc[doc[mention.root].i + 1] if mention.root + 1 < len(doc) else None
        words = {
            "bias": 1.0,
            f"why={why}": 1.0,
            f"tier={tier}": 1.0,
            f"attached={attached}": 1.0,
            f"why={why}|attached={attached}": 1.0,
            f"prep={preposition}": 1.0,
            f"prep={preposition}|attached={attached}": 1.0,
            f"prep_of={head.head.lower_ if preposition != '-' else '-'}": 1.0,
            f"dep={token.dep_}": 1.0,
            f"head_dep={head.dep_}": 1.0,
            f"head_pos={head.pos_}": 1.0,
            f"origin={mention.origin}": 1.0,
            f"ent={token.ent_type_ or '-'}": 1.0,
            f"tree={_bucket(_tree_distance(token, trigger), (1, 2, 3, 4, 6, 9))}": 1.0,
            f"words={_bucket(abs(token.i - trigger.i), (1, 2, 4, 8, 15, 25))}": 1.0,
            f"side={'before' if token.i < trigger.i else 'after'}": 1.0,
            f"closeness={min(closeness[n], 4)}": 1.0,
            f"position={'first' if n == 0 else 'last' if n == len(candidates) - 1 else 'middle'}": 1.0,
            f"count={min(len(candidates), 5)}": 1.0,
            f"resolves={precision}": 1.0,
            f"resolves={precision}|attached={attached}": 1.0,
            f"ambiguity={_bucket(ambiguity, (0, 1, 3, 10))}": 1.0,
            f"region_word={bool(after is not None and after.lower_ in REGION_WORDS)}": 1.0,
            f"possessive={bool(after is not None and after.tag_ == 'POS')}": 1.0,
            f"at_start={token.i - token.sent.start <= 2}": 1.0,
            f"rule_rank={min(rule_rank.get((mention.start, mention.end), 9), 3)}": 1.0,
        }
        first = token
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head  # "Iraq and Al-Sham": the second conjunct hangs where the first does
        first_role = _role(first, trigger_tokens, None) if first.i != token.i else role
        above = [a for a, _ in zip(first.ancestors, range(3)) if a.i not in trigger_tokens]
        words.update({
            f"conj_why={first_role[1] if first_role else 'title or organisation'}": 1.0,
            f"named_above={any(a.ent_type_ in ('ORG', 'PERSON', 'NORP') or a.lower_ in ROLE_NOUNS for a in above)}": 1.0,
            f"of_region={preposition == 'of' and head.head.lower_ in REGION_WORDS | DIRECTION_WORDS | {'countryside'}}": 1.0,
            f"modifies={token.dep_ if head.lower_ in REGION_WORDS else '-'}": 1.0,
            f"finest={levels[(mention.start, mention.end)] == finest}": 1.0,
        })
        if RICH_CUES:
            words.update(_parse_cues(doc, token, trigger, mention, preposition, precision, population, levels))
        out.append(words)
    if relations:
        for words, extra in zip(out, _relation_cues(doc, trigger, trigger_tokens, candidates, levels)):
            words.update(extra)
    return out


# The cues that weigh a candidate against the event's others (_relation_cues) and the softmax over an
# event's candidates (fit with ``events``) are off in the shipped weights: held out by source they read the
# gold words more often (75.7 % and 76.3 % against 74.9 %) but not the right place clearly more often
# (63.2 % and 62.4 % against 63.0 %), and each lowers two or more of seven sources (bench/place_accuracy.py
# --relations --by-event; ADR 28). Kept so that a new parser or gazetteer can be weighed with them again.

# How a place hangs from another place of the sentence, by the word that joins them: "in Rastan in central
# Syria" (in), "the Deir al-Asafir suburb of Damascus" (of), "Sabir area, Tuban District" (apposition),
# "Hama's Hamidiyeh neighbourhood" (possessive), "south of the capital Algiers, near Medea" (a direction).
_HANGING_DEPS = {"pobj", "prep", "appos", "poss", "compound", "npadvmod", "nmod", "amod", "acl", "advmod"}


def _describes(token, other_tokens: set[int], trigger_tokens: set[int]) -> str | None:
    """How a mention's head token hangs from another mention's words ("of", "in", "appos", "poss",
    "direction", "other"), or None when it does not within four steps of the parse."""
    joined_by = None
    current = token
    for _ in range(4):
        if current.dep_ not in _HANGING_DEPS or current.head.i == current.i:
            return None
        if current.dep_ == "pobj":
            joined_by = current.head.lower_
        elif current.dep_ in {"appos", "poss"} and joined_by is None:
            joined_by = current.dep_
        current = current.head
        if current.i in trigger_tokens:
            return None
        if current.i in other_tokens:
            if joined_by in {"of", "in", "appos", "poss"}:
                return joined_by
            return "direction" if joined_by in {"near", "outside"} or current.lower_ in DIRECTION_WORDS else "other"
        if current.lower_ in DIRECTION_WORDS:
            joined_by = joined_by or "direction"
    return None


def _relation_cues(doc, trigger, trigger_tokens: set[int], candidates: Sequence[Mention],
                   levels: dict) -> list[dict[str, float]]:
    """Cues that weigh one candidate against the event's others, which the cues of a lone candidate cannot
    say: whether it only describes where another candidate lies ("the Deir al-Asafir suburb of Damascus":
    Damascus; "Rastan in central Syria": Syria) or is described so; whether another candidate hangs from
    the trigger too; its rank by distance in the parse among them; whether it is the coarsest named."""
    spans, bounds = [], []
    for mention in candidates:
        words = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        tokens = {t.i for t in words} if words is not None else {mention.root}
        bounds.append((min(tokens), max(tokens)))
        root = doc[mention.root]
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in REGION_WORDS | _PART_NOUNS:
            tokens.add(root.head.head.i)  # "the town of Rastan in central Syria": "in" hangs from "town"
        spans.append(tokens)
    # Only a place can hold another: a partner must be known to the gazetteer, read as a place and found as
    # one (never a name the model took for a person or a people: "the Northern Alliance in Afghanistan", "a
    # hotel owned by a Kikuyu in Mtwapa", "Roma homes in Kosovo").
    partners = [levels[(m.start, m.end)] != 9 and m.origin != "propn"
                and _role(doc[m.root], trigger_tokens, None) is not None for m in candidates]
    distances = [_tree_distance(doc[m.root], trigger) for m in candidates]
    attached = [_attached(doc[m.root], trigger) for m in candidates]
    coarsest = max((v for v in levels.values() if v != 9), default=9)
    out = []
    for n, mention in enumerate(candidates):
        token = doc[mention.root]
        describes = [how for k in range(len(candidates)) if k != n and partners[k]
                     for how in [_describes(token, spans[k], trigger_tokens)] if how]
        described = [how for k, other in enumerate(candidates) if k != n and partners[k]
                     for how in [_describes(doc[other.root], spans[n], trigger_tokens)] if how]
        # The same read off the words alone, which a parse of long news sentences often gets wrong:
        # "Sabir area, Tuban District", "Rastan in central Syria", "Hama's Hamidiyeh".
        before = [how_places_join(doc, bounds[k][1], bounds[n][0]) for k in range(len(candidates))
                  if partners[k] and bounds[k][1] < bounds[n][0]]
        after = [how_places_join(doc, bounds[n][1], bounds[k][0]) for k in range(len(candidates))
                 if partners[k] and bounds[n][1] < bounds[k][0]]
        before, after = [j for j in before if j], [j for j in after if j]
        nearer = sum(d < distances[n] for d in distances)
        tied = sum(d == distances[n] for d in distances) - 1
        level = levels[(mention.start, mention.end)]
        out.append({
            f"describes={describes[0] if describes else '-'}": 1.0,
            f"described_by={described[0] if described else '-'}": 1.0,
            f"describes_attached={bool(describes) and attached[n]}": 1.0,
            f"described_by={described[0] if described else '-'}|level={level}": 1.0,
            f"others_attached={min(sum(attached) - attached[n], 2)}|attached={attached[n]}": 1.0,
            f"tree_rank={min(nearer, 2)}|tied={tied > 0}": 1.0,
            f"coarsest={level == coarsest and len(set(levels.values())) > 1}": 1.0,
            f"after_place={before[-1] if before else '-'}": 1.0,
            f"before_place={after[0] if after else '-'}": 1.0,
        })
    return out


_PART_NOUNS = {"villages", "towns", "cities", "areas", "districts", "neighborhoods", "neighbourhoods", "settlement",
               "settlements", "suburb", "outskirts", "countryside", "part", "parts"}
# Words that may stand between a place and the place it lies in: "Rastan, in central Syria", "Hebron in the
# southern West Bank", "the Nabi Yunis area of Mosul".
_BETWEEN_PLACES = {",", "in", "of", "the", "rural", "central", "'s", "’s", "greater", "upper", "lower", "area",
                   "district", "province", "city", "town", "village", "region", "governorate"} | DIRECTION_WORDS


def how_places_join(doc, left_end: int, right_start: int) -> str | None:
    """How two places close together in the words are joined ("in", "of", "comma", "possessive"), or None
    when more than four words, or other words than those of :data:`_BETWEEN_PLACES`, stand between them."""
    between = [t.lower_ for t in doc[left_end + 1: right_start]]
    if not between or len(between) > 4 or not all(w in _BETWEEN_PLACES for w in between):
        return None
    for word, name in (("in", "in"), ("of", "of"), ("'s", "possessive"), ("’s", "possessive"), (",", "comma")):
        if word in between:
            return name
    return None


# More cues of the parse (the path of dependencies to the trigger, the word before, the trigger's part
# of speech, the population of the name's biggest place, a coarser place right after, length): off,
# since held out by source they do not beat the cues above (bench/place_accuracy.py --rich-cues);
# kept so that a new parser or corpus can be weighed with them again.
RICH_CUES = False


def _path_cue(token, trigger) -> str:
    """The dependency labels from a mention up to where it meets the trigger, and from the trigger up
    ("pobj>prep^|dobj"): at most three steps each side."""
    up_trigger = {t.i: n for n, t in enumerate([trigger, *trigger.ancestors])}
    mine = []
    for ancestor in [token, *token.ancestors]:
        if ancestor.i in up_trigger:
            theirs = [t.dep_ for t in [trigger, *trigger.ancestors]][:up_trigger[ancestor.i]]
            return ">".join(mine[:3]) + "^" + ">".join(theirs[:3])
        mine.append(ancestor.dep_)
    return ">".join(mine[:3]) + "^?"


def _parse_cues(doc, token, trigger, mention, preposition, precision, population, levels) -> dict[str, float]:
    words = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    before = doc[words.start - 1] if words.start > 0 else None
    end = words.end
    after = doc[end] if end < len(doc) else None
    # "Kafr X, Syria" / "Kafr X in Idlib province": a known coarser place right after says this one is finer.
    then = doc[end + 1] if after is not None and after.text in {",", "in"} and end + 1 < len(doc) else None
    coarser_after = bool(then is not None and then.ent_type_ in ("GPE", "LOC"))
    population_band = "none" if precision == "none" else _bucket(len(str(max(population, 1))), (3, 4, 5, 6))
    return {
        f"path={_path_cue(token, trigger)}": 1.0,
        f"before={before.lower_ if before is not None and (before.is_stop or before.is_punct) else '-'}": 1.0,
        f"prep={preposition}|ent={token.ent_type_ or '-'}": 1.0,
        f"prep={preposition}|resolves={precision}": 1.0,
        f"trigger={trigger.pos_}|{trigger.dep_}": 1.0,
        f"population={population_band}": 1.0,
        f"resolves={precision}|origin={mention.origin}": 1.0,
        f"coarser_after={coarser_after}": 1.0,
        f"tokens={_bucket(len(mention.text.split()), (1, 2, 3))}": 1.0,
    }


@dataclass(frozen=True)
class PlaceChooser:
    """Weights per cue and the score below which a sentence is taken to say nothing of where."""

    weights: dict[str, float]
    threshold: float
    about: str = ""
    relations: bool = False  # trained with the cues that compare an event's candidates (RELATIONS below)
    # "each": every candidate scored on its own (a logistic regression); "event": the event's candidates
    # share one probability with "no place said" (a softmax over them, whose "no place" score is 0).
    choice: str = "each"

    def score(self, bag: dict[str, float]) -> float:
        """The probability that a mention with these cues is where the event happened."""
        z = sum(self.weights.get(name, 0.0) * value for name, value in bag.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def shares(self, bags: Sequence[dict[str, float]]) -> list[float]:
        """Each candidate's share of one event's probability, the rest going to "no place said"."""
        z = [max(-30.0, min(30.0, sum(self.weights.get(name, 0.0) * value for name, value in bag.items())))
             for bag in bags]
        top = max(0.0, *z)
        total = math.exp(-top) + sum(math.exp(v - top) for v in z)
        return [math.exp(v - top) / total for v in z]

    def ranked(self, doc, trigger_start: int, trigger_end: int, found: Sequence[Mention],
               resolve: Callable[[str], tuple[str, int]]) -> list[tuple[float, Mention]]:
        """The sentence's mentions with their scores, best first."""
        candidates = sentence_mentions(doc, trigger_start, trigger_end, found, resolve)
        if not candidates:
            return []
        bags = cues(doc, trigger_start, trigger_end, candidates, resolve, relations=self.relations)
        if self.choice == "event":
            scored = list(zip(self.shares(bags), candidates))
        else:
            scored = [(self.score(bag), mention) for bag, mention in zip(bags, candidates)]
        return sorted(scored, key=lambda pair: (-pair[0], pair[1].start))

    def to_json(self) -> dict:
        return {"format": FORMAT, "version": 1, "about": self.about, "threshold": self.threshold,
                "relations": self.relations, "choice": self.choice, "weights": dict(sorted(self.weights.items()))}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=0, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> "PlaceChooser":
        """:raises PlaceChoiceError: naming the file when it is unreadable or not a weights file"""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PlaceChoiceError(f"{path}: cannot read the place chooser's weights ({exc})") from exc
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise PlaceChoiceError(f"{path}: not a place chooser file (format {raw.get('format') if isinstance(raw, dict) else None!r})")
        weights = raw.get("weights")
        if not isinstance(weights, dict) or not all(isinstance(v, (int, float)) for v in weights.values()):
            raise PlaceChoiceError(f"{path}: 'weights' must map each cue to a number")
        threshold = raw.get("threshold")
        if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
            raise PlaceChoiceError(f"{path}: 'threshold' must be a number from 0 to 1, not {threshold!r}")
        relations = raw.get("relations", False)
        if not isinstance(relations, bool):
            raise PlaceChoiceError(f"{path}: 'relations' must be true or false, not {relations!r}")
        choice = raw.get("choice", "each")
        if choice not in ("each", "event"):
            raise PlaceChoiceError(f"{path}: 'choice' must be \"each\" or \"event\", not {choice!r}")
        return cls({k: float(v) for k, v in weights.items()}, float(threshold), str(raw.get("about", "")), relations,
                   choice)


def fit(bags: Sequence[dict[str, float]], labels: Sequence[bool], *, l2: float = 1.0, threshold: float = 0.05,
        about: str = "", relations: bool = False, events: Sequence[int] | None = None) -> PlaceChooser:
    """Logistic regression with an L2 penalty of ``l2`` on every cue but the bias (scikit-learn, from the
    ``test`` extra, as the trigger model's ``fit``: training is a developer's step, the app only reads the
    weights). A few thousand mentions and a few hundred cues fit in seconds."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise PlaceChoiceError("training needs mentions both where the event happened and elsewhere")
    if events is not None:
        return _fit_by_event(bags, labels, events, l2=l2, threshold=threshold, about=about, relations=relations)
    # The "bias" cue every bag carries is the intercept, left unpenalised as before.
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([{k: v for k, v in bag.items() if k != "bias"} for bag in bags])
    model = LogisticRegression(C=1.0 / l2, tol=1e-8, max_iter=2000, solver="lbfgs")
    model.fit(x, [bool(label) for label in labels])
    weights = dict(zip(vectorizer.get_feature_names_out().tolist(), model.coef_[0].tolist()))
    weights["bias"] = float(model.intercept_[0])
    return PlaceChooser({name: round(value, 4) for name, value in sorted(weights.items()) if abs(value) > 1e-4},
                        threshold, about, relations)


def _fit_by_event(bags, labels, events, *, l2: float, threshold: float, about: str, relations: bool) -> PlaceChooser:
    """A softmax over each event's candidates and "no place said" (score 0), fitted by L-BFGS: the
    probability of the event's gold candidates (or of "no place" where a person marked none) is raised,
    with an L2 penalty of ``l2`` on every cue but the bias, which weighs the candidates against "no place".
    ``events`` gives each bag's event (bags of one event next to each other)."""
    import numpy as np
    from scipy.optimize import minimize
    from sklearn.feature_extraction import DictVectorizer

    if len(events) != len(bags) or any(b < a for a, b in zip(events, events[1:])):
        raise PlaceChoiceError("each bag needs its event's number, the bags of one event side by side")
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(bags).tocsr()
    names = vectorizer.get_feature_names_out().tolist()
    penalised = np.array([name != "bias" for name in names], dtype=float)
    y = np.array([bool(label) for label in labels], dtype=float)
    event_ids = np.asarray(events)
    starts = np.flatnonzero(np.r_[True, event_ids[1:] != event_ids[:-1]])
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(event_ids)]))
    has_gold = np.add.reduceat(y, starts) > 0

    def loss_and_gradient(w):
        z = np.clip(x @ w, -30, 30)
        top = np.maximum(np.maximum.reduceat(z, starts), 0.0)
        e = np.exp(z - top[group])
        total = np.exp(-top) + np.add.reduceat(e, starts)
        gold = np.add.reduceat(e * y, starts)
        # -log of the gold candidates' share, or of "no place"'s (exp(0 - top) / total) where none is gold
        loss = np.sum(np.log(total)) - np.sum(np.log(gold[has_gold])) + np.sum(top[~has_gold])
        share = e / total[group]
        wanted = np.where(has_gold[group], e * y / np.where(gold > 0, gold, 1.0)[group], 0.0)
        gradient = x.T @ (share - wanted)
        return loss + 0.5 * l2 * np.sum(penalised * w * w), gradient + l2 * penalised * w

    found = minimize(loss_and_gradient, np.zeros(len(names)), jac=True, method="L-BFGS-B",
                     options={"maxiter": 2000, "gtol": 1e-6})
    weights = dict(zip(names, found.x.tolist()))
    return PlaceChooser({name: round(value, 4) for name, value in sorted(weights.items()) if abs(value) > 1e-4},
                        threshold, about, relations, "event")


def index_cue(places) -> Callable[[str], tuple[str, int, int]]:
    """The gazetteer's cue for a mention: the finest precision a place of its name has ("none" when the
    place index knows no such name), how many places have it and the population of the biggest."""
    def resolve(words: str) -> tuple[str, int, int]:
        found = places.lookup(words)
        if not found:
            return "none", 0, 0
        return min(found, key=lambda p: p.precision).precision_name, len(found), max(p.population for p in found)

    return resolve


def model_path() -> Path:
    from annotator.config import resources_dir

    return resources_dir() / "models" / "place_choice" / "weights.json"


_LOADED: dict[Path, PlaceChooser | None] = {}


def load_chooser(path: Path | None = None) -> PlaceChooser | None:
    """The shipped chooser, read once; None when the file is absent (the rules alone decide then)."""
    path = path or model_path()
    if path not in _LOADED:
        _LOADED[path] = PlaceChooser.read(path) if path.exists() else None
    return _LOADED[path]


__all__ = ["PlaceChooser", "PlaceChoiceError", "cues", "fit", "index_cue", "load_chooser", "model_path", "sentence_mentions"]
