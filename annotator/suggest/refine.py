"""Entity suggestions, second pass: what the whole document and the parse show once the model, the
rules and annotation memory have been chosen between (``entities.resolve``).

One name, one kind of thing: "Laura Novak" ... "Novak's term" is the same person, a name shown
to be a place once is a place, "the government of Chad" is an organisation; a force keeps its
modifiers ("U.S. forces"); a weapon its head ("mortar systems"); a short form defined in brackets
its label. Spans from annotation memory are never changed.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from annotator.suggest.entities import MEMORY, MODEL, OF_PLACE_NOUNS, ORG_WORDS, RULE, EntityCandidate
from annotator.suggest.gazetteer import Gazetteer
from annotator.suggest.lexicon import dateline_places

# Heads of a force named by its modifiers ("Allied military forces", "the Novak regime", "Daesh
# tactical units"); they need a modifier to be a span.
GROUP_HEADS_WITH_MODIFIER = {"regime", "coalition", "unit", "units", "terrorists", "terrorist", "members",
                             "allies", "partners"}
WEAPON_HEADS = {"system", "systems", "launcher", "launchers", "round", "rounds", "piece", "pieces", "battery",
                "batteries", "vehicle", "vehicles", "munitions", "shells"}


def refine(doc: Doc, spans: list[EntityCandidate], gazetteer: Gazetteer) -> list[EntityCandidate]:
    """Corrections that need the chosen spans of the whole document: one name, one kind of thing
    ("Laura Novak" ... "Novak's term" is the same person); a force with its modifiers ("U.S.
    forces", "the Kurdish YPG"); a weapon with its head ("artillery systems")."""
    spans = _surnames_after_first_names(doc, spans, gazetteer)
    spans = _people_by_discourse(doc, spans)
    spans = _places_by_discourse(doc, spans)
    spans = _places_after_place_nouns(doc, spans)
    spans = _governments(doc, spans)
    spans = _groups_with_modifiers(doc, spans, gazetteer)
    spans = _weapons_with_heads(doc, spans)
    spans = _hyphenated_names(doc, spans)
    spans = _acronyms_by_discourse(doc, spans)
    spans = _datelines(doc, spans, gazetteer)
    return sorted(spans, key=lambda c: c.start)


def _datelines(doc: Doc, spans: list[EntityCandidate], gazetteer: Gazetteer) -> list[EntityCandidate]:
    """A dateline ("KHARKIV, Oct. 10 -", "ODESA, March 2 (Reuters) -", "BAMAKO \u2014", as
    ``lexicon.dateline_places`` finds them) whose town is a known place: where the report was filed. The
    model reads a dateline's capitals as an organisation's initials, a weapon's name, or nothing."""
    for place_start, place_end in dateline_places(doc.text):
        words = doc.text[place_start:place_end].split(",")[0].strip()
        chunk = doc.char_span(place_start, place_start + len(words))
        if chunk is None or len(words) < 3 or words.title() not in gazetteer.places:  # "US", an organisation's initials
            continue
        covering = [s for s in spans if s.start < chunk.end and chunk.start < s.end]
        if any(s.priority == MEMORY or s.label == "LOCATION" for s in covering):
            continue
        spans = [s for s in spans if s not in covering]
        spans.append(EntityCandidate(chunk.start, chunk.end, "LOCATION", RULE, canonical=gazetteer.canonical(words)))
    return spans


# Words after a leader's name that make an organisation of it, not a surname ("Biden Administration").
NOT_SURNAMES = ORG_WORDS | {"administration", "government", "regime", "cabinet", "camp", "era", "doctrine", "plan"}


def _surnames_after_first_names(doc: Doc, spans: list[EntityCandidate], gazetteer: Gazetteer) -> list[EntityCandidate]:
    """"spokesman Oleksandr Pyrogivsky declined": the model tagged the familiar first name alone and left
    the unfamiliar surname untagged. A capitalised proper noun no one labelled, right after a one-word
    person on the same line and before a lower-case word or a punctuation mark, is the surname.
    (Before another capitalised word the line may be a headline in title case: nothing is joined.)"""
    taken = {i for s in spans for i in range(s.start, s.end)}
    for span in spans:
        if span.label != "PERSON" or span.end - span.start != 1 or span.priority == MEMORY or span.end + 1 >= len(doc):
            continue
        first, word, after = doc[span.start], doc[span.end], doc[span.end + 1]
        if (span.end not in taken and first.whitespace_ == " " and word.pos_ == "PROPN" and word.is_title
                and word.is_alpha and not word.ent_type_ and word.lower_ not in NOT_SURNAMES
                and not gazetteer.is_place(word.text) and (after.is_lower or after.is_punct)):
            span.end += 1
            span.canonical = gazetteer.canonical(doc[span.start : span.end].text)
            taken.add(span.end - 1)
    return spans


def _hyphenated_names(doc: Doc, spans: list[EntityCandidate]) -> list[EntityCandidate]:
    """"CTF-Alpha" is one name, not "CTF" and "Alpha": organisations joined by a hyphen without spaces."""
    spans = sorted(spans, key=lambda c: c.start)
    merged: list[EntityCandidate] = []
    for span in spans:
        previous = merged[-1] if merged else None
        if (previous is not None and previous.label in {"ORG", "ARMED_GROUP"} and span.label in {"ORG", "ARMED_GROUP"}
                and span.start == previous.end + 1 and doc[previous.end].text == "-"
                and not doc[previous.end - 1].whitespace_ and not doc[previous.end].whitespace_
                and MEMORY not in {previous.priority, span.priority}):
            previous.end = span.end
            if span.label == "ARMED_GROUP":
                previous.label = "ARMED_GROUP"
            continue
        merged.append(span)
    return merged


def _acronyms_by_discourse(doc: Doc, spans: list[EntityCandidate]) -> list[EntityCandidate]:
    """"the Kivu Defence Forces (KDF)": the short form defined in brackets is the same force or
    organisation wherever it recurs, whatever the model calls it there."""
    defined: dict[str, str] = {}
    by_start = {s.start: s for s in spans}
    for span in spans:
        if span.label not in {"ORG", "ARMED_GROUP"} or span.end + 2 >= len(doc):
            continue
        if doc[span.end].text == "(" and doc[span.end + 2].text == ")" and doc[span.end + 1].is_upper \
                and len(doc[span.end + 1]) >= 2:
            defined[doc[span.end + 1].text] = span.label
    if not defined:
        return spans
    taken = {i for s in spans for i in range(s.start, s.end)}
    for token in doc:
        label = defined.get(token.text)
        if label is None:
            continue
        current = by_start.get(token.i)
        if current is not None and current.end == token.i + 1 and current.priority != MEMORY:
            current.label = label
        elif token.i not in taken:
            spans.append(EntityCandidate(token.i, token.i + 1, label, RULE))
            taken.add(token.i)
    return spans


NAME_PARTICLES = {"al", "el", "ad", "de", "del", "da", "di", "van", "von", "bin", "ibn", "der", "la", "le"}


def _people_by_discourse(doc: Doc, spans: list[EntityCandidate]) -> list[EntityCandidate]:
    # A full name again, or its first or last words ("Novak", "Laura"), never a stretch from its
    # middle; and a two- or three-word name whose surname alone is a person elsewhere ("Forest" ...
    # "Eva Forest").
    parts: set[tuple[str, ...]] = set()
    surnames: set[str] = set()
    readings: Counter = Counter()  # (words, label): how often the document's spans read a name so
    for span in spans:
        words = tuple(t.text for t in doc[span.start : span.end] if not t.is_punct)
        readings[words, span.label] += 1
        if span.label == "PERSON":
            if len(words) == 1:
                surnames.add(words[0])
                continue  # a one-word person lends only its surname: the model's slips are one-word
            for k in range(1, len(words)):
                parts.add(words[:k])
                parts.add(words[-k:])
    for span in spans:
        if span.label in {"ORG", "LOCATION"} and span.priority == MODEL:
            words = tuple(t.text for t in doc[span.start : span.end] if not t.is_punct)
            if not words or not words[-1][:1].isupper() or not all(
                    w[:1].isupper() or w.lower() in NAME_PARTICLES for w in words):
                continue
            # the same full name read as a person more often than as this ("Junction City" once a
            # person and three times a place stays a place)
            again = len(words) > 1 and readings[words, "PERSON"] > readings[words, span.label]
            if words in parts or again or (2 <= len(words) <= 3 and words[-1] in surnames and not any(
                    w.lower() in ORG_WORDS for w in words)):
                span.label, span.canonical = "PERSON", None
    return spans


def _places_by_discourse(doc: Doc, spans: list[EntityCandidate]) -> list[EntityCandidate]:
    """A one-word name the model called a person where the document elsewhere shows it is a place
    ("the village of Kutama" ... "Kutama was quiet"), and no longer name makes it a person's."""
    places = {doc[s.start : s.end].text for s in spans if s.label == "LOCATION"}
    people = {t.text for s in spans if s.label == "PERSON" and s.end - s.start > 1 for t in doc[s.start : s.end]}
    for span in spans:
        if span.label in {"PERSON", "ORG", "WEAPON"} and span.priority == MODEL and span.end - span.start == 1 \
                and doc[span.start].is_title:
            text = doc[span.start].text
            if text in places and text not in people:
                span.label = "LOCATION"
    return spans


NEAR_WORDS = {"near", "outside", "around", "nearby"}


def _places_after_place_nouns(doc: Doc, spans: list[EntityCandidate]) -> list[EntityCandidate]:
    """"Residents of Mbaleko", "the village of Dembaso", "Near Al Murayjah, one strike ...": a proper
    name nobody labelled after these words is a place (small villages are beyond both the model and
    the gazetteer)."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    added = []
    for token in doc[1:]:
        i = token.i
        if i in taken or not (token.pos_ == "PROPN" and token.is_title):
            continue
        after_of = i >= 2 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in OF_PLACE_NOUNS - {"people", "mayor", "governor"}
        if not (after_of or doc[i - 1].lower_ in NEAR_WORDS):
            continue
        end = i + 1
        while end < len(doc) and end not in taken and doc[end].pos_ == "PROPN" and (
                doc[end].is_title or doc[end].text in {"-", "al", "el", "ad", "as", "az", "ar"}):
            end += 1
        added.append(EntityCandidate(i, end, "LOCATION", RULE))
        taken |= set(range(i, end))
    return spans + added


GOVERNMENT_NOUNS = {"government", "governments"}
GOVERNMENT_ADJECTIVES = {"federal", "regional", "central", "national", "interim", "transitional", "provincial",
                         "state", "local", "new"}


def _governments(doc: Doc, spans: list[EntityCandidate]) -> list[EntityCandidate]:
    """"the government of Chad", "the Chadian government", "the Puntland regional government": a
    government is an organisation; the place in its name is not a place of the events."""
    by_token = {i: s for s in spans for i in range(s.start, s.end)}
    for token in doc:
        if token.lower_ not in GOVERNMENT_NOUNS:
            continue
        start, end = token.i, token.i + 1
        while start > 0 and (doc[start - 1].ent_type_ in {"GPE", "NORP"} or doc[start - 1].lower_ in GOVERNMENT_ADJECTIVES
                             or (doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title)
                             or (by_token.get(start - 1) is not None and by_token[start - 1].label == "LOCATION")):
            start -= 1
        place = lambda i: doc[i].ent_type_ == "GPE" or (by_token.get(i) is not None and by_token[i].label == "LOCATION")  # noqa: E731
        if end + 1 < len(doc) and doc[end].lower_ == "of" and place(end + 1):
            end += 1
            while end < len(doc) and place(end):
                end += 1
        named = [doc[i] for i in range(start, end) if i != token.i and doc[i].lower_ not in GOVERNMENT_ADJECTIVES | {"of"}]
        if not named:
            continue  # "the government" alone names no one
        if any(by_token.get(t.i) is not None and by_token[t.i].label == "ARMED_GROUP" for t in named):
            continue  # "the Taliban government": the group is what an annotator records
        if any(by_token.get(i) is not None and by_token[i].priority == MEMORY for i in range(start, end)):
            continue
        spans = _replace(spans, EntityCandidate(start, end, "ORG", RULE))
        by_token = {i: s for s in spans for i in range(s.start, s.end)}
    return spans


def _replace(spans: list[EntityCandidate], new: EntityCandidate) -> list[EntityCandidate]:
    kept = [s for s in spans if s.end <= new.start or s.start >= new.end or s.priority == MEMORY]
    if any(s.priority == MEMORY and s.start < new.end and new.start < s.end for s in spans):
        return spans
    return [*kept, new]


HEDGE_WORDS = {"suspected", "alleged", "unidentified", "unknown", "several", "many", "some", "other", "more", "few",
               "most", "all", "both", "such", "former", "presumed", "apparent", "heavily", "armed"}
# Lower-case adjectives that name whose force it is ("international forces", "Allied military forces").
FORCE_ADJECTIVES = {"international", "foreign", "coalition", "military", "local", "tactical", "allied", "partner",
                    "multinational", "joint", "regional", "federal", "national", "government", "state"}


def _modifier_start(doc: Doc, head: int, stop: int, allowed: frozenset[str] | set[str] = FORCE_ADJECTIVES) -> int:
    """The first token of the head's contiguous run of noun and adjective modifiers (no determiner,
    possessive, number or punctuation), not before ``stop``."""
    start = head
    while start - 1 >= stop:
        token = doc[start - 1]
        if token.is_punct and token.text != "-" or token.like_num or token.pos_ in {"DET", "PRON", "CCONJ", "ADP", "VERB", "AUX"}:
            break
        if token.dep_ == "poss" or token.lower_ in {"'s", "’s"}:
            break
        if token.text == "-" and token.whitespace_ and token.i > 0 and doc[token.i - 1].whitespace_:
            break  # a spaced dash separates ("BAMAKO - Gunmen attacked"); "anti-Hamas" has none
        # "Suspected ADF rebels", "more police", "heavily armed": descriptions, not part of the name
        if token.tag_ in {"VBN", "VBD", "VBG", "JJR", "JJS", "RB"} or token.lower_ in HEDGE_WORDS:
            break
        if token.is_lower and token.pos_ == "ADJ" and token.lower_ not in allowed:
            break
        if token.head.i < start - 1 or token.head.i > head:
            break
        start -= 1
    return start


def _groups_with_modifiers(doc: Doc, spans: list[EntityCandidate], gazetteer: Gazetteer) -> list[EntityCandidate]:
    if not doc.has_annotation("DEP"):
        return spans
    by_token = {i: s for s in spans for i in range(s.start, s.end)}
    heads = gazetteer.force_nouns | GROUP_HEADS_WITH_MODIFIER
    allowed = FORCE_ADJECTIVES | gazetteer.affiliation_words | gazetteer.nationality_words  # a force's modifiers
    for token in doc:
        if token.lower_ not in heads or token.pos_ not in {"NOUN", "PROPN"}:
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].pos_ in {"NOUN", "PROPN"} and doc[token.i + 1].dep_ == "compound":
            continue  # "force commander": the force is a modifier here
        current = by_token.get(token.i)
        if current is not None and current.label not in {"ARMED_GROUP"} and current.priority >= RULE:
            continue
        start = _modifier_start(doc, token.i, 0, allowed)
        # "image caption Federal troops": a lower-case common noun before a capitalised modifier is
        # the text the force's name follows (a caption, a headline), not a modifier of the force.
        for i in range(token.i - 1, start, -1):
            if doc[i].is_title and doc[i - 1].is_lower and doc[i - 1].pos_ in {"NOUN", "PROPN"} \
                    and doc[i - 1].lower_ not in allowed:
                start = i
                break
        if start == token.i:
            continue
        modifiers = doc[start : token.i]
        inner = [by_token[i] for i in range(start, token.i) if i in by_token]
        named = any(s.label in {"ARMED_GROUP", "LOCATION", "ORG"} for s in inner)
        kinds = {t.ent_type_ for t in modifiers}
        words = {t.lower_ for t in modifiers}
        if not (named or kinds & {"NORP", "GPE", "ORG"} or words & (gazetteer.affiliation_words | gazetteer.nationality_words)
                or any(t.pos_ in {"ADJ", "PROPN"} or t.is_title for t in modifiers)):
            continue
        if token.lower_ in GROUP_HEADS_WITH_MODIFIER and not (named or kinds & {"NORP", "GPE", "ORG", "PERSON"}
                                                              or words & gazetteer.affiliation_words):
            continue  # "tactical units", "the ruling coalition": not a named force
        if any(s.label in {"PERSON", "DATE", "QUANTITY", "WEAPON"} and s.priority >= RULE for s in inner):
            continue
        # keep the end of an existing longer group ("Syrian Democratic Forces (SDF)")
        end = max([token.i + 1] + [s.end for s in inner if s.label == "ARMED_GROUP"] +
                  ([current.end] if current is not None else []))
        if current is not None and current.start <= start:
            continue
        while start < token.i and doc[start].text == "-":
            if start > 0 and not doc[start - 1].whitespace_ and (doc[start - 1].i not in by_token
                                                                 or by_token[doc[start - 1].i].label == "ARMED_GROUP"):
                start -= 1  # "anti-Hamas coalition": the hyphenated word is one modifier
                break
            start += 1
        new = EntityCandidate(start, end, "ARMED_GROUP", RULE)
        new.canonical = gazetteer.canonical(doc[start:end].text)
        spans = _replace(spans, new)
        by_token = {i: s for s in spans for i in range(s.start, s.end)}
    # a named group with its nationality before it: "the Kurdish YPG"
    for span in spans:
        if span.label == "ARMED_GROUP" and span.start > 0 and span.priority != MEMORY:
            before = doc[span.start - 1]
            if (before.ent_type_ == "NORP" or before.lower_ in gazetteer.nationality_words) and before.i not in by_token:
                span.start -= 1
    return spans


# Nouns a weapon word only qualifies ("an explosives expert", "a weapons depot"): no weapon is named.
NOT_A_WEAPON_HEADS = {"expert", "experts", "specialist", "specialists", "factory", "factories", "depot", "depots",
                      "dealer", "dealers", "smuggler", "smugglers", "programme", "program", "inspector", "inspectors",
                      "maker", "makers", "manufacturer", "manufacturers", "trafficking", "smuggling", "cache", "caches",
                      "storage", "store", "stores", "facility", "facilities", "site", "sites", "workshop", "deal",
                      "deals", "sales", "ban", "treaty", "inspections"}


def _weapons_with_heads(doc: Doc, spans: list[EntityCandidate]) -> list[EntityCandidate]:
    spans = [s for s in spans if not (s.label == "WEAPON" and s.priority != MEMORY and s.end < len(doc)
                                      and doc[s.end].lower_ in NOT_A_WEAPON_HEADS)]
    taken = {i for s in spans for i in range(s.start, s.end)}
    for span in spans:
        if span.label != "WEAPON" or span.priority == MEMORY:
            continue
        if span.end < len(doc) and doc[span.end].lower_ in WEAPON_HEADS and span.end not in taken:
            taken.add(span.end)
            span.end += 1
        if span.start >= 3 and doc[span.start - 1].text == "-" and doc[span.start - 3].lower_ == "anti" and not (
                taken & {span.start - 1, span.start - 2, span.start - 3}):
            span.start -= 3  # "anti-aircraft artillery"
    return spans
