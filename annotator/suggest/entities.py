"""Entity suggestions: the statistical NER, mapped onto the scheme, overridden by the conflict rules.

The rules run as two spaCy ``span_ruler``s: names (a PhraseMatcher, first in the pipeline so that
building it only tokenizes) into ``doc.spans[NAMES_KEY]``, and shapes (token patterns that read
the tagger and NER, after ``ner``) into ``doc.spans[RULES_KEY]``. The
choice between rule, model and memory spans is made here in plain Python, so a rule beats the
model where they overlap (en_core_web_sm calls Kyiv a PERSON and "Troops" an ORG).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span as SpacySpan

from annotator.suggest import names as _names  # noqa: F401  (registers the names matcher's factory)
from annotator.suggest.gazetteer import Gazetteer
from annotator.suggest.lexicon import PERSON_SPEAKING_VERBS, an_everyday_word, dateline_places

RULES_KEY = "conflict_rules"
WEAPONS_KEY = "conflict_weapons"
WEAPONS_MATCHER_NAME = "conflict_weapons"
RULER_NAME = "conflict_ruler"
NAMES_KEY = "conflict_names"
NAMES_RULER_NAME = "conflict_names"

# How the model's OntoNotes labels map onto the conflict scheme; NORP ("Ukrainian") alone is not a
# span, and a bare CARDINAL is only a QUANTITY when the rules find what it counts.
MODEL_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "FACILITY",
    "DATE": "DATE",
    "TIME": "DATE",
    "PERCENT": "QUANTITY",
    "WEAPON": "WEAPON",  # the conflict component's own label (scripts/train_conflict_model.py)
}

# The rule families, each switched on or off as a whole (bench/suggest_quality.py --families measures
# what each adds on outlets it was not tuned on): gazetteer names, the shape patterns by the label
# they give, the model's labels corrected by context, and the document-wide second pass (refine.py).
SHAPE_FAMILIES = {"ARMED_GROUP": "groups", "QUANTITY": "counts", "FACILITY": "facilities", "WEAPON": "weapons"}
RULE_FAMILIES = ("names", "groups", "counts", "facilities", "weapons", "context", "refine")

# Priority when spans overlap: the annotators' own choices, then rules, then the model.
MEMORY, RULE, MODEL = 3, 2, 1
GEONAMES_ID = "geonames:"

LEADING_WORDS = {"the", "a", "an", "its", "their", "his", "her", "our", "some", "early", "late"}

COUNTED_NOUNS = [
    "people", "person", "persons", "civilian", "civilians", "soldier", "soldiers", "fighter", "fighters",
    "troops", "servicemen", "serviceman", "child", "children", "woman", "women", "man", "men", "resident",
    "residents", "prisoner", "prisoners", "protester", "protesters", "demonstrators", "militant", "militants",
    "body", "bodies", "refugee", "refugees", "family", "families", "worker", "workers", "officer", "officers",
    "policeman", "policemen", "student", "students", "migrant", "migrants", "hostage", "hostages",
    "passenger", "passengers", "patient", "patients", "casualties", "deaths", "dead", "wounded", "injured",
    "others", "suspects", "suspect", "jihadists", "rebels", "insurgents", "gunmen", "villagers", "displaced",
    "attacks", "strikes", "missiles", "rockets", "drones", "shells", "tanks", "homes", "houses", "buildings",
    "captives", "POWs", "detainees", "victims", "members", "personnel", "percent", "%", "nationals",
    "citizens", "journalists", "commanders", "peacekeepers", "sailors", "pilots", "doctors", "medics",
    "terrorists", "fishermen", "farmers", "miners", "worshippers", "pupils", "teachers", "settlers",
]
COUNTING_WORDS = ["dozens", "hundreds", "thousands", "tens", "scores", "millions"]
FACILITY_HEADS = [
    "plant", "factory", "bridge", "airport", "airbase", "base", "hospital", "school", "station", "dam",
    "refinery", "port", "palace", "steelworks", "works", "depot", "prison", "barracks", "headquarters",
    "checkpoint", "mosque", "church", "cathedral", "stadium", "theatre", "theater", "market", "mall",
    "building", "motel", "hotel", "embassy", "consulate", "compound", "restaurant", "cafe", "synagogue", "temple",
    "shrine", "courthouse", "tower", "terminal", "airfield", "street", "road", "highway", "camp",
]
FACILITY_MODIFIERS = [
    "presidential", "oil", "nuclear", "power", "chemical", "steel", "thermal", "military", "air", "fuel",
    "gas", "ammunition", "maternity", "children's", "police", "railway", "train", "bus", "petrol", "water",
    "electricity", "TV", "television", "radio", "army", "border", "naval", "research", "storage", "grain",
]
# A name ending in one of these is a building or structure ("Independence Monument", "Mosul Dam",
# "Antonivskyi Bridge"); hospitals, schools and markets are left out: their names are as often the
# organisation that runs them.
FACILITY_NAME_HEADS = {"monument", "memorial", "dam", "bridge", "airport", "airbase", "airfield", "plant", "stadium",
                       "mosque", "church", "cathedral", "palace", "prison", "barracks", "refinery", "steelworks",
                       "terminal", "tower", "embassy", "consulate", "synagogue", "temple", "shrine"}
ORDINAL_REGEX = r"^\d+(st|nd|rd|th)$"
SHIP_PREFIXES = ["HMS", "USS", "FS", "INS", "HMCS", "HMAS", "USNS", "RFS", "TCG", "ROKS", "JS", "HNLMS", "ITS", "ESPS"]
ACRONYM_REGEX = r"^[A-Z][A-Z0-9]{1,5}$"
# A count of things is a number before a plural noun; years and spans of time are not counts.
NOT_A_YEAR_REGEX = r"^(?!(1[89]|20)\d\d$)"
TIME_UNITS = ["seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades", "centuries"]
BACKED_WORDS = ["backed", "led", "installed", "allied", "aligned", "controlled", "affiliated", "linked"]
# Nouns of armed personnel that are a span on their own ("Gunmen abducted..."); the others need a
# modifier ("the Syrian army", not "the army's position").
NEEDS_MODIFIER = {"force", "army", "armies", "military", "units", "battalion", "brigade", "regiment", "division",
                  "corps", "garrison", "guards", "defenders", "occupiers", "guard", "coalition", "regime",
                  "navy", "navies", "fleet"}


@dataclass
class EntityCandidate:
    start: int  # token offsets into the Doc
    end: int
    label: str
    priority: int
    canonical: str | None = None
    score: float | None = None
    attributes: dict = field(default_factory=dict)


def _token_pattern(nlp: Language, phrase: str, attr: str = "LOWER") -> list[dict]:
    return [{attr: (t.lower_ if attr == "LOWER" else t.text)} for t in nlp.make_doc(phrase)]


def rule_patterns(nlp: Language, gazetteer: Gazetteer) -> list[dict]:
    """The span_ruler patterns: names with their canonical form as the pattern id, and shapes."""
    patterns: list[dict] = []
    # Organisations last: a later name with the same words wins, and an agency or a seat of power is no
    # place or person ("(Bloomberg) --", "told Al Jazeera", "the Kremlin said"), whatever else carries its name.
    for table, label in ((gazetteer.places, "LOCATION"), (gazetteer.people, "PERSON"), (gazetteer.groups, "ARMED_GROUP"),
                         (gazetteer.organisations, "ORG")):
        for variant, canonical in table.items():
            # geonames spellings are many and some are English words ("Human"): they only win
            # against the model where it found nothing longer (see rule_candidates).
            pattern_id = GEONAMES_ID + canonical if variant in gazetteer.from_geonames else canonical
            # A string pattern goes to the ruler's PhraseMatcher: tens of thousands of names as token
            # patterns would make the token Matcher the slowest step of the pipeline by far.
            patterns.append({"label": label, "pattern": variant, "id": pattern_id})
    # Weapon terms are matched by annotator/suggest/names.py's WeaponsMatcher (see add_conflict_ruler).
    alone = sorted(gazetteer.force_nouns - NEEDS_MODIFIER)
    all_nouns = sorted(gazetteer.force_nouns)
    affiliation = {"LOWER": {"IN": sorted(gazetteer.affiliation_words)}}
    backed = [{"IS_TITLE": True}, {"ORTH": "-"}, {"LOWER": {"IN": BACKED_WORDS}}]
    named_place = {"ENT_TYPE": {"IN": ["GPE", "LOC"]}, "OP": "+"}
    patterns += [
        {"label": "ARMED_GROUP", "pattern": [{"ENT_TYPE": "NORP", "OP": "?"}, {**affiliation, "OP": "*"}, {"LOWER": {"IN": alone}}]},
        {"label": "ARMED_GROUP", "pattern": [{"ENT_TYPE": "NORP"}, {**affiliation, "OP": "*"}, {"LOWER": {"IN": all_nouns}}]},
        {"label": "ARMED_GROUP", "pattern": [{"ENT_TYPE": "NORP", "OP": "?"}, affiliation, {"LOWER": {"IN": all_nouns}}]},
        {"label": "ARMED_GROUP", "pattern": [*backed, {**affiliation, "OP": "*"}, {"LOWER": {"IN": all_nouns}}]},
        {"label": "ARMED_GROUP", "pattern": [*backed, {"LOWER": {"IN": all_nouns}}, {"LOWER": "of"}, named_place]},
        {"label": "ARMED_GROUP", "pattern": [{"ENT_TYPE": "NORP", "OP": "?"}, {"LOWER": {"IN": all_nouns}}, {"LOWER": "of"}, named_place]},
        # "ADF rebels", "FARC dissidents", "UN peacekeepers": a named group's members acting
        {"label": "ARMED_GROUP", "pattern": [{"TEXT": {"REGEX": ACRONYM_REGEX}}, {"LOWER": {"IN": alone}}]},
        {"label": "ARMED_GROUP", "pattern": [{"TEXT": {"REGEX": ORDINAL_REGEX}}, {"IS_TITLE": True, "OP": "*"},
                                              {"ORTH": {"IN": sorted(gazetteer.unit_words)}}]},
        {"label": "QUANTITY", "pattern": [{"LIKE_NUM": True, "OP": "+"}, {"POS": "ADJ", "OP": "?"}, {"LOWER": {"IN": COUNTED_NOUNS}}]},
        {"label": "QUANTITY", "pattern": [{"LIKE_NUM": True, "OP": "+"}, {"ENT_TYPE": "NORP", "OP": "?"}, {"LOWER": {"IN": COUNTED_NOUNS}}]},
        {"label": "QUANTITY", "pattern": [{"LOWER": {"IN": COUNTING_WORDS}}, {"LOWER": "of"},
                                           {"TAG": {"IN": ["JJ", "VBN"]}, "OP": "?"},
                                           {"LOWER": {"IN": COUNTED_NOUNS}}]},
        {"label": "QUANTITY", "pattern": [{"LIKE_NUM": True}, {"LOWER": "per"}, {"LOWER": "cent"}]},
        {"label": "QUANTITY", "pattern": [{"LIKE_NUM": True, "TEXT": {"REGEX": NOT_A_YEAR_REGEX}, "OP": "+"},
                                           {"POS": "ADJ", "OP": "?"},
                                           {"TAG": "NNS", "LOWER": {"NOT_IN": TIME_UNITS}}]},
        {"label": "QUANTITY", "pattern": [{"LOWER": {"IN": ["half", "quarter"]}}, {"LOWER": "a"},
                                           {"LOWER": {"IN": ["hundred", "thousand", "million", "billion"]}},
                                           {"POS": "ADJ", "OP": "?"}, {"LOWER": {"IN": COUNTED_NOUNS}}]},
        {"label": "QUANTITY", "pattern": [{"LOWER": {"IN": COUNTING_WORDS}, "DEP": {"IN": ["nsubj", "nsubjpass", "dobj"]}}]},
        {"label": "FACILITY", "pattern": [{"IS_TITLE": True, "OP": "+"}, {"LOWER": {"IN": FACILITY_MODIFIERS}, "OP": "*"},
                                           {"LOWER": {"IN": FACILITY_HEADS}}]},
        {"label": "FACILITY", "pattern": [{"LOWER": {"IN": FACILITY_MODIFIERS}, "OP": "+"}, {"LOWER": {"IN": FACILITY_HEADS}}]},
        # a warship by its name: "HMS Resolute", "USS Carver", "FS Pierre de Valois"
        {"label": "WEAPON", "pattern": [{"ORTH": {"IN": SHIP_PREFIXES}}, {"IS_TITLE": True},
                                         {"IS_TITLE": True, "OP": "?"}, {"LOWER": {"IN": ["de", "du", "la"]}, "OP": "?"},
                                         {"IS_TITLE": True, "OP": "?"}]},
    ]
    # The model does not always tag "Malian" as NORP, and rules alone have no NER: every pattern
    # with a nationality slot also gets a copy with the nationality word list.
    nationalities = sorted(gazetteer.nationality_words)
    for item in list(patterns):
        if isinstance(item["pattern"], list) and any(t.get("ENT_TYPE") == "NORP" for t in item["pattern"]):
            copy = [{"LOWER": {"IN": nationalities}, **({"OP": t["OP"]} if "OP" in t else {})}
                    if t.get("ENT_TYPE") == "NORP" else t for t in item["pattern"]]
            patterns.append({**item, "pattern": copy})
    if not ({"tagger", "morphologizer"} & set(nlp.pipe_names)):
        # Without a tagger spaCy refuses POS and TAG in patterns: an optional token that needs
        # them is dropped, a pattern that cannot do without them goes.
        tagged = lambda t: "POS" in t or "TAG" in t  # noqa: E731
        patterns = [p for p in patterns if not (isinstance(p["pattern"], list) and any(
            tagged(t) and t.get("OP") not in {"?", "*"} for t in p["pattern"]))]
        for item in patterns:
            if isinstance(item["pattern"], list):
                item["pattern"] = [t for t in item["pattern"] if not tagged(t)]
    if "parser" not in nlp.pipe_names:
        patterns = [p for p in patterns if not (isinstance(p["pattern"], list) and any("DEP" in t for t in p["pattern"]))]
    return patterns


def add_conflict_ruler(nlp: Language, gazetteer: Gazetteer) -> None:
    patterns = rule_patterns(nlp, gazetteer)
    names = [p for p in patterns if isinstance(p["pattern"], str)]
    shapes = [p for p in patterns if not isinstance(p["pattern"], str)]
    # ~25,000 names: matched by their tokens in a dictionary (annotator/suggest/names.py), whose
    # tokenizing is cached between runs; it needs nothing but the tokens, so it runs first.
    from annotator import config
    from annotator.suggest.names import tokenized_names

    names_matcher = nlp.add_pipe("conflict_names_matcher", name=NAMES_RULER_NAME, first=True,
                                 config={"key": NAMES_KEY})
    names_matcher.add(tokenized_names(nlp, [(p["pattern"], p["label"], p["id"]) for p in names]))
    shapes_ruler = nlp.add_pipe(
        "span_ruler", name=RULER_NAME, after="ner" if "ner" in nlp.pipe_names else None,
        config={"spans_key": RULES_KEY, "overwrite": True, "validate": False},
    )
    from annotator.suggest.word_flags import word_lists_as_flags

    # The same matches, the word lists checked as flags on the words (word_flags.py).
    shapes_ruler.add_patterns(word_lists_as_flags(nlp.vocab, shapes))
    weapons = nlp.add_pipe("conflict_weapons_matcher", name=WEAPONS_MATCHER_NAME, after=RULER_NAME,
                           config={"key": WEAPONS_KEY})
    weapons.add(tokenized_names(nlp, [(term, "WEAPON", term) for term in sorted(gazetteer.weapons)],
                                config.cache_dir() / "suggester-weapons.json"), gazetteer.nationality_words)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while end - start > 1 and doc[start].lower_ in LEADING_WORDS:
        start += 1
    while end - start > 1 and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s"}):
        end -= 1
    return start, end


MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
DEICTIC_DAYS = {"yesterday", "today", "tomorrow", "tonight"}
RELATIVE_WORDS = {"last", "next", "this", "earlier", "later", "previous", "coming"}


def _anchored_date(span: SpacySpan) -> bool:
    """A date an annotator records places the event in time: it names a day, month or year, or
    counts back from now ("last week"). Durations ("for months"), times of day ("overnight") and
    ages ("39-year-old") do not."""
    words = [t.lower_ for t in span]
    if any("year-old" in w or w in {"old", "aged"} for w in words):
        return False
    numbers = [t for t in span if t.like_num and any(ch.isdigit() for ch in t.text)]
    if numbers and len(span) == 1 and len(numbers[0].text) <= 3 and numbers[0].text.isdigit():
        return False  # "Hawa Traore, 34, said": an age or a count, not a day
    if numbers:
        return True
    return bool(set(words) & (MONTHS | WEEKDAYS | DEICTIC_DAYS)) or words[0] in RELATIVE_WORDS


PLACE_NOUNS = {"village", "town", "city", "port", "district", "region", "province", "state", "county",
               "camp", "settlement", "neighbourhood", "neighborhood", "suburb", "municipality", "oblast"}
REGION_NOUNS = {"region", "province", "state", "district", "county", "governorate", "oblast", "prefecture"}
PERSON_AS_PLACE = {"in", "near", "into", "towards", "toward", "outside"}
# "residents of X", "the outskirts of X": what comes after "of" is a place.
OF_PLACE_NOUNS = PLACE_NOUNS | {"residents", "villagers", "outskirts", "edge", "centre", "center", "heart",
                                "people", "east", "west", "north", "south", "streets", "mayor", "governor"}
CAPTURE_VERBS = {"seize", "capture", "retake", "recapture", "overrun", "storm", "besiege", "shell", "bomb",
                 "liberate", "encircle", "occupy", "raid", "enter", "evacuate"}
MOVE_VERBS = {"flee", "move", "return", "travel", "head", "retreat", "withdraw", "march", "advance", "escape",
              "relocate", "drive", "fly", "deploy", "send"}
# Words an organisation's name is made of: such a span after "in" stays an organisation.
ORG_WORDS = {"council", "ministry", "office", "court", "agency", "committee", "commission", "party", "bank",
             "university", "association", "union", "organisation", "organization", "company", "group", "fund",
             "department", "assembly", "parliament", "institute", "foundation", "program", "programme", "nations",
             "front", "movement", "network", "service", "services", "news", "times", "post", "press"}
# Nouns for people in an apposition ("Amina Keita, a mother of four"): the name is a person's.
PERSON_NOUNS = {
    "mother", "father", "farmer", "resident", "teacher", "student", "trader", "shopkeeper", "driver", "nurse",
    "doctor", "widow", "widower", "survivor", "witness", "villager", "man", "woman", "boy", "girl", "grandmother",
    "grandfather", "son", "daughter", "brother", "sister", "husband", "wife", "pastor", "priest", "imam", "cleric",
    "fisherman", "worker", "vendor", "businessman", "businesswoman", "mechanic", "official", "spokesman",
    "spokeswoman", "spokesperson", "commander", "leader", "chief", "journalist", "reporter", "lawyer", "activist",
    "engineer", "soldier", "officer", "refugee", "volunteer", "owner", "father-of", "mother-of", "resident", "local",
    "elder", "midwife", "surgeon", "medic", "nun", "monk", "retiree", "pensioner", "veteran", "member", "head",
    "director", "minister", "secretary", "president", "governor", "mayor", "general", "colonel", "analyst",
    "researcher", "professor", "friend", "neighbour", "neighbor", "relative", "cousin", "uncle", "aunt", "herder",
    "advisor", "adviser", "ambassador", "envoy", "representative", "coordinator", "negotiator", "diplomat",
}


def _place_by_context(doc: Doc, start: int, end: int) -> bool:
    """A name the model called a person or organisation that the sentence shows is a place:
    "the village of Ohn Taw", "Rakhine state", "fighting near Kyaukphyu"."""
    before = [t.lower_ for t in doc[max(0, start - 2) : start]]
    after = doc[end].lower_ if end < len(doc) else ""
    if len(before) == 2 and before[1] == "of" and before[0] in PLACE_NOUNS:
        return True
    if len(before) == 2 and before[1] == "of" and before[0] in OF_PLACE_NOUNS:
        return True
    if after in PLACE_NOUNS and doc[end].is_lower:  # "Barangi village", "Rakhine state"
        return True
    head = doc[end - 1]
    if head.dep_ in {"dobj", "obj"} and head.head.lemma_ in CAPTURE_VERBS:
        return True  # "rebels seized Kalemba"
    if before and before[-1] == "to" and start > 0 and doc[start - 1].head.lemma_ in MOVE_VERBS:
        return True  # "fled to Barangi"
    if not before or (before[-1] not in PERSON_AS_PLACE and not _left_from(doc[start - 1])):
        return False
    if doc[start].ent_type_ == "PERSON":
        return True
    # "attacks in Tinkare": a short name, not an acronym, with no word an organisation is named by
    span = doc[start:end]
    return (doc[start].ent_type_ == "ORG" and len(span) <= 2 and not any(t.is_upper for t in span)
            and not {t.lower_ for t in span} & ORG_WORDS)


def _left_from(preposition) -> bool:
    """"withdrew from Kalemba", "will pull back from Kalemba": what a force moves away from is a place."""
    if preposition.lower_ != "from":
        return False
    verb = preposition.head
    if verb.dep_ in {"advmod", "prt"} and verb.lower_ in {"back", "out", "away"}:
        verb = verb.head  # "pull back from"
    return verb.lemma_ in MOVE_VERBS or verb.lemma_ == "pull"


# "known in Russian as Северодонецк": a second name for the place a place noun just named.
def _other_name_of_place(doc: Doc, start: int) -> bool:
    before = [t.lower_ for t in doc[max(0, start - 5) : start]]
    if "as" not in before[-1:] or "known" not in before and "called" not in before:
        return False
    window = doc[max(0, start - 12) : start]
    return any(t.lower_ in PLACE_NOUNS for t in window)


# Words Arabic-named armed groups are made of ("Jabhat al-Nusra", "Ahrar al-Sham", "Jaish al-Islam",
# "Kataib Hezbollah", "Liwa al-Quds"): front, free men, army, battalions, brigade, supporters,
# soldiers, companies, movement, commission/organisation, liberation, league.
ARABIC_GROUP_WORDS = {"jabhat", "jabhet", "ahrar", "jaish", "jaysh", "kataib", "kata'ib", "liwa", "ansar", "jund",
                      "saraya", "harakat", "haraka", "hayat", "hay'at", "tahrir", "asaib", "asa'ib", "usbat", "fatah",
                      "faylaq", "jamaat", "jama'at", "tanzim", "hizb"}


def _arabic_group_extent(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The whole of an Arabic-named group the model cut short: "Harakat" of "Harakat Nour al-Sham"
    (the rest of the name follows), "Ansar al-Din" of "Jabhat Ansar al-Din" (a group word before)."""
    while start > 0 and doc[start - 1].lower_ in ARABIC_GROUP_WORDS and doc[start - 1].is_title:
        start -= 1
    if doc[start].lower_ not in ARABIC_GROUP_WORDS:
        return start, end
    while end < len(doc):
        token = doc[end]
        if token.is_title and token.is_alpha and not token.is_sent_start:
            end += 1
        elif token.lower_ == "al" and end + 2 < len(doc) and doc[end + 1].text == "-" and doc[end + 2].is_title:
            end += 3  # "al-Sham" is three tokens
        else:
            break
    return start, end


def _group_by_name(doc: Doc, start: int, end: int) -> bool:
    """An Arabic-named armed group the model took for a person ("Ahrar al-Sham"): a group word of
    the name's opening, then more of the name."""
    words = [t.lower_ for t in doc[start:end] if not t.is_punct]
    return len(words) >= 2 and words[0] in ARABIC_GROUP_WORDS


ARMED_KINDS = {"armed", "rebel", "militant", "jihadist", "insurgent", "separatist", "islamist", "paramilitary",
               "guerrilla", "extremist", "terrorist", "secessionist", "self-defence", "self-defense"}
GROUP_NOUNS = {"group", "faction", "movement", "alliance", "coalition", "organisation", "organization", "outfit",
               "network"}
ARMED_BY_ITSELF = {"militia", "militias", "insurgency", "rebellion"}


def _group_by_apposition(doc: Doc, start: int, end: int) -> bool:
    """A name the sentence then says is an armed group: "the Northern Shore Front, an armed group
    that...", "Kivu Defence Forces, a rebel alliance", "Ansar Dine, an Islamist militia"."""
    if end + 2 >= len(doc) or doc[end].text != "," or doc[end + 1].lower_ not in {"a", "an", "the"}:
        return False
    kinds = False
    for token in doc[end + 2 : end + 7]:
        word = token.lower_
        if word in ARMED_BY_ITSELF:
            return True
        if word in GROUP_NOUNS:
            return kinds
        if word in ARMED_KINDS:
            kinds = True
        elif not (token.pos_ in {"ADJ", "PROPN", "NOUN"} or token.text == "-" or token.tag_ == "JJ"):
            return False
    return False


PERSONAL_PRONOUNS = {"he", "she", "his", "her", "him", "hers", "himself", "herself"}


def _speaker(doc: Doc, start: int, end: int) -> bool:
    """"Liliya Nesterenko said her house...": a two- or three-word name, saying something, then
    spoken of as he or she, is a person (the small model calls unfamiliar names organisations)."""
    span = doc[start:end]
    if not 2 <= len(span) <= 3 or not all(t.is_title and t.is_alpha for t in span):
        return False
    if {t.lower_ for t in span} & ORG_WORDS or end >= len(doc) or doc[end].lemma_ not in PERSON_SPEAKING_VERBS:
        return False
    return any(t.lower_ in PERSONAL_PRONOUNS for t in doc[end + 1 : end + 6])


def _person_by_context(doc: Doc, start: int, end: int) -> bool:
    """A name the model called an organisation or place that the sentence shows is a person's:
    "Amina Keita, a mother of four", "Moussa Diarra, 52,", "Idrissa Maiga, who fled".

    Quotes in human-interest paragraphs name people the small model does not know."""
    span = doc[start:end]
    if _speaker(doc, start, end):
        return True
    if not all(t.is_title or t.is_punct or t.lower_ in {"al", "bin", "ibn", "de", "van", "von"} for t in span):
        return False
    if {t.lower_ for t in span} & ORG_WORDS:
        return False
    if start > 0 and doc[start - 1].lower_ in PERSON_AS_PLACE:
        return False  # "the owner of Hunam Palace, in Junction City, who testified": the clause is the owner's
    if (2 <= len(span) <= 3 and all(t.is_alpha for t in span) and start > 0
            and doc[start - 1].lower_ in PERSON_NOUNS and doc[start - 1].is_lower):
        return True  # "military spokesman Oleksandr Zhuravchyk declined": a role noun names who holds it
    after = [t for t in doc[end : end + 4]]
    if len(after) >= 2 and after[0].text == ",":
        second = after[1]
        if second.lower_ == "who":
            return True
        if second.lower_ in PERSON_NOUNS and len(after) >= 3 and after[2].lower_ == "of":
            return True  # "Eva Forest, wife of the playwright", "Ali Musa, head of the council"
        if second.like_num and len(after) >= 3 and after[2].text == "," and second.text.isdigit() and 0 < int(second.text) < 110:
            return True  # an age
        words = [t for t in doc[end + 1 : end + 6]]
        if words and words[0].lower_ in {"a", "an", "the"}:
            for token in words[1:]:
                if token.lower_ in PERSON_NOUNS:
                    return True
                if not (token.pos_ in {"ADJ", "NUM"} or token.is_lower and token.tag_ in {"JJ", "CD", "NN"}
                        or token.lower_ in TITLE_WORDS):  # "Maren Holt, the Special Advisor"
                    break
    return False


TITLE_WORDS = {"secretary", "minister", "president", "vice", "deputy", "prime", "foreign", "defence", "defense",
               "interior", "home", "state", "chancellor", "general", "gen.", "gen", "lt.", "lt", "col.", "col",
               "maj.", "maj", "sgt.", "sgt", "spc.", "spc", "capt.", "capt", "adm.", "cpl.", "pvt.", "colonel",
               "major", "captain", "lieutenant", "sergeant", "admiral", "commander", "chief", "staff", "press",
               "ambassador", "envoy", "special", "advisor", "adviser", "spokesman", "spokeswoman", "spokesperson",
               "attorney", "justice", "senator", "sen.", "governor", "mayor", "king", "queen", "prince", "sheikh",
               "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "under", "-", "of", "for", "the", "u.s.",
               "uk", "u.k.", "navy", "army", "marine", "petty", "officer", "first", "class"}
TITLE_HEADS = {"secretary", "minister", "president", "chancellor", "ambassador", "envoy", "advisor", "adviser",
               "spokesman", "spokeswoman", "spokesperson", "attorney", "general", "governor", "mayor", "senator"}


def _titles(doc: Doc, start: int, end: int, label: str) -> tuple[int, int, str | None]:
    """A title is no part of a name ("Defense Secretary [Tom Avery]") and no organisation of its
    own ("Secretary of [State] Marsh", "the [Foreign] Secretary"): the title's words are dropped."""
    words = [t.lower_ for t in doc[start:end]]
    # a span made of nothing but title words ("Foreign Secretary", "Prime Minister")
    if all(w in TITLE_WORDS for w in words) and set(words) & (TITLE_HEADS | {"foreign", "defence", "defense", "state", "interior", "home"}):
        following = doc[end] if end < len(doc) else None
        before = doc[start - 1].lower_ if start > 0 else ""
        if label == "ORG" and (before in {"of", "for"} and start > 1 and doc[start - 2].lower_ in TITLE_HEADS
                               or following is not None and following.lower_ in TITLE_HEADS):
            return start, end, None
        if label == "PERSON" or set(words) & TITLE_HEADS:
            return start, end, None
    if label == "ORG" and start > 2 and doc[start - 1].lower_ == "the" and doc[start - 2].lower_ in {"of", "for"} \
            and doc[start - 3].lower_ in TITLE_HEADS:
        return start, end, None  # "Minister for the Pacific ...": a minister's brief, not an organisation
    if label == "ORG" and start > 1 and doc[start - 1].lower_ in {"of", "for"} and doc[start - 2].lower_ in TITLE_HEADS:
        # "Secretary of State Marsh": the organisation is part of the title; a name after it is the person
        tail = [i for i in range(start, end) if doc[i].ent_type_ == "PERSON"]
        if tail:
            return tail[0], end, "PERSON"
        return start, end, None
    if label == "PERSON":
        last_title = None
        for i in range(start, end - 1):
            if doc[i].lower_ in TITLE_WORDS and doc[i].lower_ not in {"-", "of", "for", "the"}:
                last_title = i
            elif doc[i].lower_ not in {"-", "of", "for", "the", "."}:
                break
        if last_title is not None:
            start = last_title + 1
            while start < end and (doc[start].is_punct or doc[start].lower_ in {"of", "for", "the"}):
                start += 1
            if start >= end:
                return start, end, None
    return start, end, label


FUNCTION_POS = {"ADP", "DET", "CCONJ", "SCONJ", "PART", "PRON"}


def breaks_line(token) -> bool:
    """Whether a token is whitespace holding a line break (LF, CRLF or CR alone)."""
    return token.is_space and ("\n" in token.text or "\r" in token.text)


def is_dateline(doc: Doc, start: int, end: int, places: list[tuple[int, int]] | None = None) -> bool:
    """Whether ``doc[start:end]`` lies in a dateline's place ("KYIV" of "KYIV, June 24 (Reuters) -",
    "BAMAKO, Mali" of "BAMAKO, Mali \u2014"), as the event table finds datelines (``lexicon.dateline_places``).
    It says where the report was filed, so it is no event's actor, target or speaker, whatever the parse
    attached it to. ``places``: the doc's ``dateline_places``, when read once for many spans."""
    if start >= end:
        return False
    first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    places = dateline_places(doc.text) if places is None else places
    return any(place_start <= first and last <= place_end for place_start, place_end in places)


def _split_at_line_breaks(doc: Doc):
    """The model's entities cut at line breaks: a heading's last word and the dateline under it
    ("Velyka Dolyna\r\n\r\nVELYKA DOLYNA") are two names, never one."""
    for ent in doc.ents:
        start = ent.start
        for index in range(ent.start, ent.end):
            if breaks_line(doc[index]):
                if index > start:
                    yield ent, start, index
                start = index + 1
        if start < ent.end:
            yield ent, start, ent.end


def citation_tokens(doc: Doc) -> set[int]:
    """Tokens of reference marks copied from web pages: "[1]", "[2]", "[citation needed]"."""
    marks: set[int] = set()
    for token in doc:
        if token.text != "[":
            continue
        for j in range(token.i + 1, min(token.i + 5, len(doc))):
            if doc[j].text == "]":
                inner = doc[token.i + 1 : j]
                if inner and (all(t.like_num for t in inner) or inner.text.lower() in {"citation needed", "note"}):
                    marks.update(range(token.i, j + 1))
                break
    return marks


# Capitalised opening words that are no part of a name: "Near Tal Kabir," opening a line of a
# strike report is a place, not a person called Near.
PLACE_PREPOSITIONS = {"near", "in", "at", "outside", "around", "inside", "from", "into", "across", "along",
                      "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
OTHER_OPENERS = {"and", "but", "while", "with", "for", "by", "on", "after", "before", "during", "when", "as",
                 "according", "also", "meanwhile", "then", "since", "of", "to"}


def _strip_openers(doc: Doc, start: int, end: int) -> tuple[int, int, bool]:
    """Drop capitalised prepositions a model took into a name; True when one of them locates it."""
    located = False
    while end - start > 1 and doc[start].lower_ in PLACE_PREPOSITIONS | OTHER_OPENERS and doc[start].pos_ in {
        "ADP", "SCONJ", "CCONJ", "ADV", "PROPN", "ADJ", ""} and not doc[start].is_lower:
        located = located or doc[start].lower_ in PLACE_PREPOSITIONS
        start += 1
        if doc[start].lower_ == "of" and end - start > 1:  # "North of Mosul"
            start += 1
    return start, end, located


# Words that open the name of a street or a building in the languages reports quote names from
# ("Calle del Correo", "Rue Victor Hugo", "Avenida Bolívar"): our facilities, as "Victor Hugo street".
FACILITY_OPENERS = {"calle", "rue", "avenida", "avenue", "via", "rua", "plaza", "piazza", "boulevard", "cafe", "café",
                    "cafetería", "cafeteria", "hotel", "hospital", "hôpital", "estadio", "stade"}
# Newspapers and agencies, named by these words ("Herald Tribune", "Daily Gazette").
PRESS_WORDS = {"tribune", "herald", "gazette", "journal", "daily", "telegraph", "monitor", "observer", "chronicle"}
OPENING_QUOTES = {"«", "“", "„", '"', "‹"}
CLOSING_QUOTES = {"»", "”", '"', "›"}
# Weapon words the gazetteer's terms do not end in, for the conflict NER's nominal weapons
# ("the explosive device", "a knife", "the warhead").
WEAPON_NOUNS = {"weapon", "weapons", "arms", "firearm", "firearms", "explosive", "explosives", "munition", "munitions",
                "ammunition", "bullet", "bullets", "shell", "shells", "round", "rounds", "warhead", "warheads", "knife",
                "knives", "machete", "machetes", "bazooka", "projectile", "projectiles", "airstrike", "airstrikes",
                "aircraft", "bomber", "bombers", "warship", "warships", "submarine", "artillery", "armour", "armor",
                "fighter", "plane", "planes", "ship", "ships", "vessel", "vessels", "frigate", "frigates", "destroyer",
                "destroyers", "carrier", "carriers", "gunboat", "gunboats", "jet", "jets", "truck", "trucks"}


def _names_a_weapon(span: SpacySpan, gazetteer: Gazetteer) -> bool:
    """A weapon span holds a weapon word ("drones", "device") or a name ("Javelin", "TB2", "Kh-101"):
    the conflict NER also tags words near weapons that are none ("the front", "government")."""
    def weapon_word(token) -> bool:
        return token.lower_ in WEAPON_NOUNS or gazetteer.is_weapon_word(token.text)

    if span[-1].is_lower and not weapon_word(span[-1]):
        return False  # "IRA leader", "front line": the head names something else
    return any(not t.is_lower or weapon_word(t) for t in span if not t.is_punct)


def _common_noun_opening(doc: Doc, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """One word opening a sentence or line that the tagger reads as a common noun ("Residents",
    "Scenarios") and no curated list knows: capitalised by its position, not because it is a name.
    A geonames spelling alone does not make it a name ("Luck ran out": an old name of Lutsk)."""
    if end - start != 1 or doc[start].tag_ not in {"NN", "NNS"} or not doc[start].is_title:
        return False
    opens = doc[start].is_sent_start or start == 0 or breaks_line(doc[start - 1]) \
        or doc[start - 1].text in OPENING_QUOTES | {"(", "["}
    text = doc[start].text
    return opens and (gazetteer.canonical(text) is None or text in gazetteer.from_geonames)


def model_candidates(doc: Doc, gazetteer: Gazetteer, *, context: bool = True) -> list[EntityCandidate]:
    """The model's entities on the scheme's labels; with ``context``, relabelled where the sentence
    shows the model wrong ("fled to Barangi" is a place, "Amina Keita, a mother of four" a person)."""
    found = []
    citations = citation_tokens(doc)
    for ent, piece_start, piece_end in _split_at_line_breaks(doc):
        label = MODEL_LABELS.get(ent.label_)
        if label is None:
            continue
        start, end = _trim(doc, piece_start, piece_end)
        # "the port town of Kyaukphyu", "residents of Mbaleko": the common words before "of" are no
        # part of the name.
        # "Allied military forces later": a trailing adverb is no part of a name either.
        while end - start > 1 and doc[end - 1].is_lower and doc[end - 1].pos_ == "ADV":
            end -= 1
        of = next((i for i in range(start, min(end - 1, start + 4)) if doc[i].lower_ == "of"), None)
        if of is not None and label != "DATE" and all(t.is_lower or t.lower_ in OF_PLACE_NOUNS for t in doc[start:of]):
            start = of + 1
        opening = [i for i in range(start + 1, end) if doc[i].text == "("]
        if opening and not any(doc[i].text == ")" for i in range(opening[0], end)):
            end = opening[0]  # "Kivu Defence Forces (KDF": the short form is not part of it
        quote = [i for i in range(start + 1, end - 1) if doc[i].text in OPENING_QUOTES]
        if quote and not any(doc[i].text in CLOSING_QUOTES for i in range(quote[-1], end)):
            start = quote[-1] + 1  # "Місто «Харків": what opens the quotation is no part of the name in it
        while start < end and start in citations:
            start += 1
        while end > start and end - 1 in citations:
            end -= 1
        if start >= end or all(t.is_punct or t.like_num for t in doc[start:end]) and label not in {"DATE", "QUANTITY"}:
            continue
        if label in {"PERSON", "ORG"}:
            start, end, located = _strip_openers(doc, start, end)
            if located and context:
                label = "LOCATION"
        if label in {"PERSON", "ORG"}:
            start, end, label = _titles(doc, start, end, label)
            if label is None:
                continue
        if context and label in {"ORG", "PERSON", "LOCATION"}:
            start, end = _arabic_group_extent(doc, start, end)
        if context and label in {"LOCATION", "ORG", "PERSON"} and _common_noun_opening(doc, start, end, gazetteer):
            continue  # "Residents said ...": a common noun capitalised because it opens the sentence
        if context and label == "LOCATION":
            while end - start > 1 and doc[start].is_lower and doc[start].lower_ in PLACE_NOUNS:
                start += 1  # "the city Kharkov": the place noun is no part of the name
            if end - start > 1 and doc[start].lower_ in FACILITY_OPENERS:
                label = "FACILITY"  # "Calle del Correo", "Rue Victor Hugo", "Cafetería Rolando"
            elif end - start > 1 and doc[end - 1].lower_ in ORG_WORDS | PRESS_WORDS:
                label = "ORG"  # "Latin American Herald Tribune", "Regional Council"
        if context and label in {"ORG", "LOCATION"} and end - start > 1 and doc[end - 1].is_title \
                and doc[end - 1].lower_ in FACILITY_NAME_HEADS:
            label = "FACILITY"  # "Independence Monument" tagged an organisation, "Kakhovka Dam" a place
        if context and label in {"LOCATION", "ORG", "PERSON"}:
            while end - start > 1 and doc[end - 1].is_lower and doc[end - 1].pos_ == "ADJ":
                end -= 1  # "American radical [preacher]": a trailing adjective is no part of a name
            if end - start == 1 and doc[start].lower_ in WEEKDAYS:
                label = "DATE"  # "Saturday's attack" tagged a person: a day, not a name
        if context and label == "WEAPON":
            if gazetteer.is_place(doc[start:end].text):
                label = "LOCATION"  # a headline running into its dateline: "... Shahed drones KYIV, Oct 12 -"
            elif not _names_a_weapon(doc[start:end], gazetteer):
                continue  # "the front", "government": no weapon word and no weapon's name
        words = {t.lower_ for t in doc[start:end]}
        if label in {"LOCATION", "ORG", "PERSON"} and words <= gazetteer.nationality_words:
            continue  # "Ukrainian" tagged as a place or an organisation
        if label == "DATE" and not _anchored_date(doc[start:end]):
            continue  # "weeks", "overnight", "the third day", "39-year-old": not a date to record
        if context and label == "WEAPON" and all(t.is_title for t in doc[start:end]) \
                and _place_by_context(doc, start, end):
            label = "LOCATION"  # "rebels seized Kalemba": a named thing taken is a place, not a weapon
        elif context and label in {"ORG", "PERSON", "LOCATION"} and (_group_by_name(doc, start, end)
                                                                  or _group_by_apposition(doc, start, end)):
            label = "ARMED_GROUP"
        elif context and label in {"ORG", "PERSON"} and (_place_by_context(doc, start, end)
                                                          or _other_name_of_place(doc, start)):
            label = "LOCATION"
        elif context and label in {"ORG", "LOCATION", "FACILITY"} and _person_by_context(doc, start, end):
            label = "PERSON"
        if context and label == "PERSON" and end - start > 1 and words & (ORG_WORDS | {"cabinet"}):
            label = "ORG"  # "Stormont Cabinet", "Ulster Unionist Party": an organisation's words, no one's name
        if context and label == "LOCATION" and end - start > 1 and doc[end - 1].lower_ in gazetteer.force_nouns:
            label = "ARMED_GROUP"  # "Parachute Regiment", "Belfast Brigade": a force named after a place
        if context and label in {"LOCATION", "ORG"} and end < len(doc) and doc[end].lower_ in WEEKDAYS \
                and doc[end].is_title:
            continue  # "Bloody [Sunday]": the name of a day, not of a place or organisation
        if label in {"ORG", "PERSON"} and words & gazetteer.force_nouns:
            label = "ARMED_GROUP"
            # "Troops" alone tagged ORG is a generic force: the rules decide about those.
            if len(words) == 1:
                continue
        if context and label in {"LOCATION", "ORG", "PERSON"}:
            # "city of" (of "the city of Lyon"), "government of the": a piece of common words ending
            # in a function word, from a model trained on spans that include them, names nothing.
            while end - start > 1 and doc[end - 1].is_lower and doc[end - 1].pos_ in FUNCTION_POS:
                end -= 1
            if all(t.is_lower or t.is_punct for t in doc[start:end]):
                continue
        found.append(EntityCandidate(start, end, label, MODEL))
    return found


def _inside_longer_name(doc: Doc, span: SpacySpan) -> bool:
    """A one-word geonames spelling that opens a longer capitalised name ("Human" of "Human Rights
    Watch", "Mercy" of "Mercy Corps") is part of that name, not a place."""
    if len(span) != 1 or span.end >= len(doc):
        return False
    following = doc[span.end]
    return following.is_title and following.is_alpha and following.lower_ not in PLACE_NOUNS | REGION_NOUNS


def _named_before_place_noun(doc: Doc) -> list[EntityCandidate]:
    """"Dembaso village", "Rakhine state": capitalised words before a lower-case place noun name a
    place, when nothing else claimed them (model priority: the model's own span wins)."""
    found = []
    for token in doc:
        if not (token.is_lower and token.lower_ in PLACE_NOUNS) or token.i == 0:
            continue
        start = token.i
        while start > 0 and doc[start - 1].is_title and doc[start - 1].is_alpha and not doc[start - 1].is_sent_start:
            start -= 1
        if start < token.i and doc[start].lower_ not in PLACE_PREPOSITIONS | OTHER_OPENERS:
            found.append(EntityCandidate(start, token.i, "LOCATION", MODEL))
    return found


# Words that make a run of capitalised words an organisation's name: ORG_WORDS and the heads of
# the names of monitors and aid agencies ("Human Rights Watch", "Mercy Corps", "Red Crescent").
ORG_NAME_WORDS = ORG_WORDS | {"rights", "watch", "corps", "crescent", "relief"}


def _organisations_by_name(doc: Doc) -> list[EntityCandidate]:
    """"Human Rights Watch said ...": two or more capitalised proper nouns, one of them a word
    organisations are named by, that the model left out (it misses names opening a sentence).
    Model priority: any longer span of the model's own wins."""
    found = []
    taken = {t.i for ent in doc.ents for t in ent}
    i = 0
    while i < len(doc):
        end = i
        while end < len(doc) and doc[end].is_title and doc[end].is_alpha and doc[end].pos_ == "PROPN" \
                and end not in taken and (end == i or not doc[end].is_sent_start):
            end += 1
        words = {t.lower_ for t in doc[i:end]}
        # "Foreign Office Minister": a title, which the model's own spans lose too (_titles)
        if end - i >= 2 and words & ORG_NAME_WORDS and not words & TITLE_HEADS \
                and doc[i].lower_ not in PLACE_PREPOSITIONS | OTHER_OPENERS:
            found.append(EntityCandidate(i, end, "ORG", MODEL))
        i = max(end, i + 1)
    return found


def rule_candidates(doc: Doc, families=RULE_FAMILIES) -> list[EntityCandidate]:
    found = [*_named_before_place_noun(doc), *_organisations_by_name(doc)] if "context" in families else []
    names = [s for s in doc.spans.get(NAMES_KEY, []) if "names" in families
             and not (s.id_.startswith(GEONAMES_ID) and (_inside_longer_name(doc, s) or an_everyday_word(doc, s)))]
    shapes = [s for s in [*doc.spans.get(RULES_KEY, []), *doc.spans.get(WEAPONS_KEY, [])]
              if SHAPE_FAMILIES.get(s.label_) in families]
    for span in names + shapes:
        start, end = _trim(doc, span.start, span.end)
        canonical = span.id_ or None
        priority = RULE
        if canonical and canonical.startswith(GEONAMES_ID):
            canonical, priority = canonical.removeprefix(GEONAMES_ID), MODEL
        found.append(EntityCandidate(start, end, span.label_, priority, canonical=canonical))
    return found


def resolve(doc: Doc, candidates: list[EntityCandidate], gazetteer: Gazetteer) -> list[EntityCandidate]:
    """Keep non-overlapping spans: higher priority first, then longer, then earlier."""
    # A name rule inside a longer model span of the same label ("Traore" in "Ali Traore") gives way.
    # (By label: every rule span against every model span was the slowest part of this function.)
    model_spans: dict[str, list[tuple[int, int]]] = {}
    for c in candidates:
        if c.priority == MODEL and c.canonical is None:
            model_spans.setdefault(c.label, []).append((c.start, c.end))
    candidates = [c for c in candidates if c.priority != RULE or not any(
        start <= c.start and c.end <= end and (end - start) > (c.end - c.start)
        for start, end in model_spans.get(c.label, ()))]
    chosen: list[EntityCandidate] = []
    taken: set[int] = set()
    # Within one priority a rule span (canonical known) beats a model span of the same extent.
    ordered = sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.canonical is None, c.start))
    for candidate in ordered:
        tokens = set(range(candidate.start, candidate.end))
        if tokens & taken:
            continue
        taken |= tokens
        if candidate.canonical is None and candidate.label in {"LOCATION", "PERSON", "ARMED_GROUP"}:
            candidate.canonical = gazetteer.canonical(doc[candidate.start : candidate.end].text)
        chosen.append(candidate)
    return _merge_neighbours(doc, sorted(chosen, key=lambda c: c.start), gazetteer)


def _merge_neighbours(doc: Doc, spans: list[EntityCandidate], gazetteer: Gazetteer) -> list[EntityCandidate]:
    """'artillery' + 'shells' is one weapon; 'M23' + 'rebels', 'SDF' + 'fighters' one armed group."""
    merged: list[EntityCandidate] = []
    for span in spans:
        previous = merged[-1] if merged else None
        if (previous is not None and previous.end == span.start and previous.label == "PERSON"
                and span.label in {"ORG", "LOCATION"} and span.priority == MODEL and span.canonical is None
                and span.end - span.start == 1 and doc[span.start].is_title and doc[previous.end - 1].is_title
                and doc[previous.end - 1].whitespace_):
            span.label = "PERSON"  # "Oleksandr" + "Prokudin" tagged apart, the surname as something else
        if previous is not None and previous.end == span.start and previous.label == span.label and (
            span.label == "WEAPON"
            # a first name and a surname found apart ("Oleksandr" + "Prokudin") are one person
            or (span.label == "PERSON" and not doc[previous.end - 1].is_punct)
            or (span.label == "ARMED_GROUP" and span.end - span.start == 1 and doc[span.start].lower_ in gazetteer.force_nouns)
        ):
            previous.end = span.end
            previous.priority = max(previous.priority, span.priority)
            if span.label == "PERSON":
                previous.canonical = gazetteer.canonical(doc[previous.start : previous.end].text)
            continue
        merged.append(span)
    return merged


def span_of(doc: Doc, candidate: EntityCandidate) -> SpacySpan:
    return doc[candidate.start : candidate.end]
