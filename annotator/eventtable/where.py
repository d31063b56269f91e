"""Where an event happened, read from the parse of its article (spaCy's dependencies and entities).

The order, strongest first:

1. the trigger's own attachments: the object of a place preposition ("in", "at", "near", "off",
   "outside", "north of"...) hanging from the trigger, from the clause it heads or sits in, or from its
   object ("an attack on a checkpoint in Kabul"); a place naming the trigger ("the Kabul bombing"); a
   place the trigger acts on ("shelled Aleppo");
2. the sentence's other places by role: never a destination ("en route to Kenya", "fled to Turkey"), a
   possessor that only contains another place ("Syria's Aleppo province"), a place inside a title or an
   organisation ("the Middle East director", "Iraqi police"), or an actor ("Iran captured...") while
   anything else is left;
3. the article's setting: its dateline ("KYIV, June 24 (Reuters) -"), else the last place placed
   earlier in the article.

A place mention is an entity (GPE, LOC, FAC) or an annotated LOCATION span, stretched over the words
news puts after a region's name ("Aleppo province"); all-capital initials ("SANA") are organisations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from annotator.suggest.lexicon import PLACE_SPEAKING_FORMS, REGION_WORDS

# Prepositions that say where; "to", "from", "toward" say where to or from, not where it happened.
PLACE_PREPOSITIONS = {"in", "at", "near", "off", "outside", "inside", "across", "around", "throughout", "within",
                      "along", "over", "on", "into", "onto", "through", "outskirts", "by", "between", "beside"}
MOVEMENT_PREPOSITIONS = {"to", "toward", "towards", "from", "for", "via", "against", "with"}
DIRECTION_WORDS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                   "northern", "southern", "eastern", "western", "outside", "near", "close", "km", "kilometres",
                   "kilometers", "miles"}
# Nouns that make a place before them a title's or an organisation's ("Middle East director").
ROLE_NOUNS = {"director", "spokesman", "spokeswoman", "spokesperson", "official", "officials", "minister",
              "ministry", "president", "governor", "police", "army", "forces", "troops", "agency", "envoy",
              "ambassador", "embassy", "government", "authorities", "chief", "commander", "head", "correspondent",
              "office", "council", "representative", "researcher", "analyst", "team", "division", "desk"}
# Role nouns that are also buildings, where an event can happen.
_BUILDING_NOUNS = {"office", "embassy", "ministry"}

ENTITY_PLACES = {"GPE", "LOC", "FAC"}
# Words that are never a place however they are tagged ("in March 1995": March, Cambridgeshire, exists).
NEVER_PLACES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@dataclass(frozen=True)
class Mention:
    """Words that may name a place: character offsets in the article and the tokens they cover."""

    start: int
    end: int
    text: str
    root: int  # index of the mention's head token in the doc
    origin: str = "entity"  # entity | annotated (a LOCATION span) | name (a proper name the model left untyped)

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Candidate:
    """A place mention ranked for one event: lower ``tier`` first, then ``distance`` in the tree."""

    mention: Mention
    tier: int
    distance: int
    role: str  # attachment | sentence | setting

    @property
    def basis(self) -> str:
        return {"attachment": "attachment", "sentence": "sentence", "setting": "article"}[self.role]


def mentions(doc, locations: Iterable[tuple[int, int]] = ()) -> list[Mention]:
    """Place mentions of a doc: its GPE/LOC/FAC entities and the given LOCATION spans (character offsets),
    each stretched over a following region word; initials of organisations left out."""
    found: dict[tuple[int, int], Mention] = {}
    spans = [(doc.char_span(s, e, alignment_mode="expand"), "annotated") for s, e in locations]
    spans += [(ent, "entity") for ent in doc.ents if ent.label_ in ENTITY_PLACES]
    spans += [(run, "name") for run in _proper_names_in_place(doc)]
    spans += [(run, "name") for run in _named_regions(doc)]
    for span, origin in spans:
        if span is None or not len(span):
            continue
        start, end = span.start, span.end
        while start < end and doc[start].lower_ in {"the", "a"}:
            start += 1
        if start == end:
            continue
        if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in _ADMIN_WORDS and not any(
                child.dep_ in {"compound", "amod", "nmod"} and child.pos_ == "PROPN" for child in doc[start - 2].lefts):
            start -= 2  # "the eastern province of Deir Ezzor": the province, not the town of its name
        words = doc[start:end].text
        if words.casefold() in NEVER_PLACES:
            continue
        if words.isupper() and len(words) <= 6 and words not in {"US", "UK", "USA", "DRC", "UAE", "U.S.", "U.K."}:
            continue  # "SANA", "HRW": an organisation's initials
        if end < len(doc) and doc[end].lower_ in REGION_WORDS and doc[end].lower_ not in {"city", "area"}:
            end += 1  # "Aleppo province", "Donetsk region"
        elif end + 1 < len(doc) and doc[end].lower_ == "local" and doc[end + 1].lower_ in {"government", "council"}:
            # Nigeria's districts: "Guma local government area", "the Agatu local council"
            end += 3 if end + 2 < len(doc) and doc[end + 2].lower_ == "area" else 2
        elif end < len(doc) and doc[end].text in {"LGA", "L.G.A."}:
            end += 1
        chunk = doc[start:end]
        key = (chunk.start_char, chunk.end_char)
        if not any(k[0] < key[1] and key[0] < k[1] for k in found):
            found[key] = Mention(chunk.start_char, chunk.end_char, chunk.text, chunk.root.i, origin)
    return sorted(found.values(), key=lambda m: m.start)


_NOT_PLACES = {"PERSON", "ORG", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY",
               "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"}


def _is_date_word(token) -> bool:
    """A day's or month's name ("in Thessaloniki Tuesday"): it ends a run of proper nouns, never joins it."""
    return token.ent_type_ in {"DATE", "TIME"} or token.lower_ in NEVER_PLACES


def _proper_names_in_place(doc) -> list:
    """Runs of proper nouns the model gave no entity, where the words around them say place: the object
    of a place preposition ("in Damboa"), after "the town of", or before a region word ("Damboa town")."""
    runs, current = [], []
    for token in doc:
        if token.pos_ == "PROPN" and token.ent_type_ not in ENTITY_PLACES and not _is_date_word(token):
            current.append(token)
        elif current and token.text in {"-", "'", "’"} and token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN":
            current.append(token)
        else:
            if current:
                runs.append(doc[current[0].i: current[-1].i + 1])
            current = []
    if current:
        runs.append(doc[current[0].i: current[-1].i + 1])
    kept = []
    for run in runs:
        root, after = run.root, (doc[run.end] if run.end < len(doc) else None)
        before = doc[run.start - 1] if run.start > 0 else None
        named = any(t.ent_type_ in _NOT_PLACES for t in run)  # the model read a person or group here
        if (after is not None and after.lower_ in REGION_WORDS) or (len(run) > 1 and run[-1].lower_ in REGION_WORDS):
            kept.append(run)  # "Damboa town", "Bama Town"
        elif root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in REGION_WORDS | {"localities"}:
            kept.append(run)  # "the city of Daraa", even where the model said organisation
        elif root.dep_ == "pobj" and (not named or root.head.lower_ in {"in", "into", "at", "near", "outside"}) and (
                root.head.lower_ in PLACE_PREPOSITIONS or (root.head.lower_ == "of" and root.head.head.lower_ in DIRECTION_WORDS)):
            kept.append(run)
        elif root.dep_ in {"compound", "poss"} and root.head.dep_ == "pobj" and root.head.head.lower_ in PLACE_PREPOSITIONS \
                and not named:
            kept.append(run)  # "outside his Freetown home", "in a Barcelona suburb"
        elif root.dep_ == "dobj" and not any(t.ent_type_ in {"PERSON", "ORG", "NORP"} for t in run):
            kept.append(run)  # "shelled Kramatorsk": kept only if the gazetteer knows a place of the name
        elif root.dep_ == "conj" and before is not None and any(k.root.i == root.head.i for k in kept):
            kept.append(run)  # "the towns of Khan Touman, Aleis and Alzorba"
    return kept


# Region words that follow a region's own name ("Aleppo province"); "city" or "area" follow anything.
_ADMIN_WORDS = {"province", "governorate", "region", "state", "district", "oblast", "prefecture", "county"}


# Words after a place's name for parts of it ("the southern Aleppo districts", "the Hama countryside").
_PARTS_OF_A_PLACE = {"districts", "countryside", "neighborhoods", "neighbourhoods", "suburbs", "outskirts"}


def _named_regions(doc) -> list:
    """Capitalised words before an administrative word, whatever the model tagged them: "Syria's Aleppo
    province" where "Aleppo" came out as an adjective or a nationality."""
    runs = []
    for token in doc:
        if (token.lower_ not in _ADMIN_WORDS and token.lower_ not in _PARTS_OF_A_PLACE) or token.i == 0:
            continue
        start = token.i
        while start > 0 and doc[start - 1].is_title and not doc[start - 1].is_sent_start \
                and doc[start - 1].ent_type_ not in {"PERSON", "ORG", "DATE", "CARDINAL"} and token.i - start < 3:
            start -= 1
        if start < token.i:
            runs.append(doc[start: token.i + 1])
    return runs


def _path_up(token) -> list:
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) < 50:
        chain.append(chain[-1].head)
    return chain


def _tree_distance(a, b) -> int:
    up_a, up_b = _path_up(a), _path_up(b)
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, token in enumerate(up_a):
        if token.i in index_b:
            return n + index_b[token.i]
    return 99


# Plural words for places, before "of" a list of their names: "the villages of Babinnis and Kafr Saghir".
_PLACES_OF = {"villages", "towns", "cities", "areas", "districts", "settlements", "neighborhoods", "neighbourhoods",
              "localities", "provinces", "regions", "camps"}


def _in_a_place_slot(token) -> bool:
    """Whether a name stands where a list of places stands, whatever entity the model gave it: the object of
    a place preposition ("between Tabit and El Fasher", "in villages like Cailaco and Manapa") or of
    "the villages of" ("the towns of Hayyan, Huraytan and Kafar Hamra")."""
    if token.dep_ != "pobj":
        return False
    preposition = token.head.lower_
    if preposition == "of":
        return token.head.head.lower_ in _PLACES_OF | REGION_WORDS
    return preposition in PLACE_PREPOSITIONS - {"on", "over", "by", "with"} or (
        preposition == "like" and token.head.head.lower_ in _PLACES_OF)


def _role(token, trigger_tokens: set[int], sentence_tokens) -> tuple[int, str] | None:
    """How a place's head token hangs in its sentence, as (tier, why); None when it cannot be the place."""
    head = token.head
    if token.dep_ == "conj" and head.i != token.i and head.dep_ != "conj" and head.i not in trigger_tokens and (
            (head.pos_ == "PROPN" and head.ent_type_ == "ORG" and not _in_a_place_slot(head))
            or _role(head, trigger_tokens, sentence_tokens) is None):
        return None  # "the Islamic State of Iraq and Al-Sham": a conjunct of a name, or of a name's place, is the name's
    # A place in a title or organisation: "Middle East director", "Iraqi police", "Kabul's governor"; but an
    # office that is itself where something happened is a building in that place ("outside his Istanbul office").
    if token.dep_ in {"compound", "amod", "nmod", "poss"} and head.lower_ in ROLE_NOUNS and not (
            head.lower_ in _BUILDING_NOUNS and head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPOSITIONS - {"on", "over"}):
        return None
    if token.dep_ == "poss" and head.ent_type_ in ENTITY_PLACES | {""} and head.lower_ in REGION_WORDS:
        return (3, "container")  # "Syria's Aleppo province": Syria only contains the place
    if token.dep_ == "compound" and head.i in trigger_tokens:
        return (0, "names the trigger")  # "the Kabul bombing"
    if token.dep_ in {"compound", "poss"} and head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPOSITIONS \
            and head.lower_ not in REGION_WORDS:
        token = head  # "in the Tokyo subway", "outside his Freetown home": where the thing is
        head = token.head
    if token.dep_ == "pobj":
        preposition = head.lower_
        grand = head.head
        if preposition in MOVEMENT_PREPOSITIONS or grand.lower_ in {"route"}:
            return (4, "destination or origin")
        if preposition == "of" and grand.lower_ in DIRECTION_WORDS:
            return (1, "direction")  # "north of Jammu"
        if preposition == "of" and (grand.lower_ in ROLE_NOUNS or (grand.pos_ == "PROPN" and grand.lower_ not in REGION_WORDS)):
            return None  # "the governor of Kandahar", "the Islamic State of Iraq": a title or a name
        if preposition == "of" and grand.lower_ == "state" and grand.pos_ == "PROPN" and any(
                child.dep_ in {"compound", "amod"} and child.is_title for child in grand.children):
            return None  # "Islamic State of Iraq": "State" is a region word, but here a name's
        if preposition == "of" and grand.ent_type_ == "ORG" and token.ent_type_ == "ORG":
            return None  # one organisation's name around it, even where its head is "State"
        if preposition in PLACE_PREPOSITIONS or preposition == "of":
            return (1, "place preposition")
    if token.dep_ in {"nsubj", "nsubjpass"} and head.i in trigger_tokens and token.dep_ == "nsubj":
        return (5, "actor")  # "Iran captured": who acted, a place only if nothing else is said
    if token.dep_ == "dobj" and head.i in trigger_tokens:
        return (1, "acted on")  # "shelled Aleppo"
    if token.dep_ == "appos":
        return (3, "apposition")
    return (3, "in the sentence")


def _attached(token, trigger) -> bool:
    """Whether a place token hangs from the trigger: under it, under its clause head or under its object,
    without crossing into another clause."""
    clause = trigger
    while clause.dep_ in {"xcomp", "conj", "aux", "auxpass", "amod", "compound", "pcomp"} and clause.head.i != clause.i:
        clause = clause.head
    for ancestor in token.ancestors:
        if ancestor.i in (trigger.i, clause.i):
            return True
        if ancestor.dep_ in {"ccomp", "advcl", "relcl", "parataxis"} and ancestor.i not in (trigger.i, clause.i):
            return False
    return False


def rank_mentions(doc, trigger_start: int, trigger_end: int, found: Sequence[Mention]) -> list[Candidate]:
    """The place mentions of the trigger's sentence, best first (see the module's order)."""
    trigger_span = doc.char_span(trigger_start, trigger_end, alignment_mode="expand")
    if trigger_span is None or not len(trigger_span):
        return []
    trigger = trigger_span.root
    sentence = trigger.sent
    trigger_tokens = {t.i for t in trigger_span}
    ranked = []
    for mention in found:
        if not (sentence.start_char <= mention.start and mention.end <= sentence.end_char):
            continue
        if mention.overlaps(trigger_start, trigger_end):
            continue
        token = doc[mention.root]
        role = _role(token, trigger_tokens, sentence)
        if role is None:
            continue
        tier, _why = role
        if tier == 1 and not _attached(token, trigger):
            tier = 2  # a place preposition, but of another clause
        distance = _tree_distance(token, trigger)
        ranked.append(Candidate(mention, tier, distance, "attachment" if tier <= 1 else "sentence"))
    ranked.sort(key=lambda c: (c.tier, c.distance, c.mention.start))
    return ranked


def speaks(doc, mention: Mention) -> bool:
    """Whether a place mention is the subject of a verb of saying, denying, claiming or accusing ("Moscow
    denies shelling the town", "Washington said the strike..."): if a capital or a country, its
    government speaking, not where what it speaks of happened."""
    token = doc[mention.root]
    return token.dep_ == "nsubj" and token.head.lower_ in PLACE_SPEAKING_FORMS  # verbs of saying, as written


def names_a_place(doc, mention: Mention) -> bool:
    """Whether a mention reads as a place at all: not inside a title or an organisation's name."""
    return _role(doc[mention.root], set(), None) is not None


__all__ = ["Candidate", "Mention", "mentions", "names_a_place", "rank_mentions", "speaks"]
