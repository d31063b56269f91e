"""Event records: one per accepted (or gold) event span, with its arguments and attributes read out
into what an ACLED coder writes down: type and sub-type, modality, who claims it, actors with their
ACLED inter codes, deaths, date, place and the source article.

Takes domain objects only (an Article, its Spans and argument links with ``.event``, ``.filler`` and
``.role``, such as :class:`annotator.selection.ArgumentLink`); never reads the project itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping, Protocol, Sequence

from annotator.eventtable.dates import (
    UNRESOLVED, ResolvedDate, dates_another_noun, find_date_words, page_timestamps, resolve_event_date,
)
from annotator.eventtable.fatalities import (
    ARRESTED, INJURED, MISSING, Casualties, FatalityError, Fatalities, combine_in_event, parse_fatalities, read_casualties,
)
from annotator.eventtable.places import COUNTRY, PlaceIndex, ResolvedPlace
from annotator.suggest.gazetteer import fold
from annotator.eventtable.where import mentions, names_a_place, rank_mentions, speaks
from annotator.suggest.lexicon import an_everyday_word, dateline_place, dateline_span
from annotator.domain import Article, Layer, Modality, Span

# A label the scheme gives no event-table meaning: its own name as the type, and a family of its own.
UNTYPED_FAMILY = "Other"

STATE_FORCES, REBELS, POLITICAL_MILITIA, IDENTITY_MILITIA, RIOTERS, PROTESTERS, CIVILIANS, OTHER = range(1, 9)
INTER_NAMES = {
    STATE_FORCES: "State forces", REBELS: "Rebel group", POLITICAL_MILITIA: "Political militia",
    IDENTITY_MILITIA: "Identity militia", RIOTERS: "Rioters", PROTESTERS: "Protesters",
    CIVILIANS: "Civilians", OTHER: "External/Other forces",
}

# The gazetteer's named armed groups, coded as ACLED's actor list codes them (2024 codebook practice):
# state forces and their formal units 1, insurgents 2, pro-government or party militias 3, communal and
# ethnic militias 4, foreign private forces 8.
NAMED_GROUP_INTER = {
    "Wagner Group": OTHER,
    "Rapid Support Forces": REBELS,
    "Sudanese Armed Forces": STATE_FORCES,
    "Islamic State": REBELS,
    "Islamic State West Africa Province": REBELS,
    "Islamic State in the Greater Sahara": REBELS,
    "al-Qaeda": REBELS,
    "JNIM": REBELS,
    "Boko Haram": REBELS,
    "al-Shabaab": REBELS,
    "Hayat Tahrir al-Sham": REBELS,
    "Syrian Democratic Forces": REBELS,
    "Free Syrian Army": REBELS,
    "YPG": REBELS,
    "Hezbollah": POLITICAL_MILITIA,
    "Hamas": REBELS,
    "Houthis": REBELS,
    "Taliban": REBELS,
    "M23": REBELS,
    "Tigray Defence Forces": REBELS,
    "Fano": IDENTITY_MILITIA,
    "Azov Brigade": STATE_FORCES,
    "Kadyrovites": STATE_FORCES,
    "Dozo": IDENTITY_MILITIA,
    "Volunteers for the Defence of the Homeland": POLITICAL_MILITIA,
}

# Words in a filler, strongest first: the first rule that matches decides.
_WORD_RULES: tuple[tuple[re.Pattern, int], ...] = tuple(
    (re.compile(pattern, re.I), code)
    for pattern, code in (
        (r"\b(protesters?|demonstrators?|marchers|activists|strikers)\b", PROTESTERS),
        (r"\b(rioters?|mobs?|looters)\b", RIOTERS),
        (r"\b(peacekeep\w*|mercenar\w*|private military|contractors|UN|United Nations|NATO|coalition)\b", OTHER),
        (r"\b(ethnic|communal|tribal|clan|vigilantes?|self-defen[cs]e|Fulani|Dogon|Amhara)\b.*\bmilitia", IDENTITY_MILITIA),
        (r"\b(pro-government|party)\b.*\b(militia|militias|militiamen|fighters)\b", POLITICAL_MILITIA),
        (r"\b(rebels?|insurgents?|jihadists?|militants?|separatists?|guerrillas?|Islamists?|opposition fighters)\b", REBELS),
        (r"\b(separatist|rebel|jihadist|Islamist|insurgent|opposition|pro-Russian|Russian-backed|Moscow-backed|Kremlin-backed)\b.*\b(forces?|army|troops|fighters|units?)\b", REBELS),
        (r"\b(militia|militias|militiamen|gunmen|attackers|assailants|armed men)\b", POLITICAL_MILITIA),
        (r"\b(forces?|army|armies|troops?|military|soldiers?|police|policemen|gendarm\w*|marines|"
         r"paratroopers|brigade|battalion|regiment|division|corps|navy|air force|national guard|"
         r"border guards?|servicemen|defen[cs]e ministry|ministry of defen[cs]e|government)\b", STATE_FORCES),
        (r"\b(civilians?|residents?|villagers?|people|children|women|men|families|refugees|"
         r"displaced|journalists?|farmers?|workers?|students?|worshippers|passengers|patients|inhabitants)\b", CIVILIANS),
    )
)
_UNIDENTIFIED = re.compile(r"\b(?:gunmen|attackers|assailants|armed men|unidentified|unknown)\b", re.I)
# Fillers that are not actors: a shelled town or bridge is where or what, not whom.
_NOT_ACTORS = {"LOCATION", "FACILITY", "DATE", "WEAPON"}


_ARMED = {STATE_FORCES, REBELS, POLITICAL_MILITIA, IDENTITY_MILITIA, OTHER}


def _meaning(scheme, label: str) -> tuple[str, str]:
    """The event type and type family the scheme gives a label (its ``event_table``)."""
    found = scheme.label(label) if scheme is not None else None
    table = found.event_table if found is not None else {}
    if table:
        return table["event_type"], table["disorder_type"]
    return label.replace("_", " ").capitalize(), UNTYPED_FAMILY


def _by_victims(scheme, label: str, event_type: str, disorder: str, victims, targets) -> tuple[str, str, str]:
    """ACLED's rule on who died, as the scheme states it (``if_victims_armed``): violence against
    civilians needs unarmed victims; when every victim named is armed ("killed 139 insurgents") the
    event is of the label the scheme names (a battle)."""
    found = scheme.label(label) if scheme is not None else None
    instead = (found.event_table or {}).get("if_victims_armed") if found is not None else None
    if not instead:
        return event_type, disorder, ""
    codes = [actor_type(v, "") for v in victims] + [t.inter for t in targets]
    codes = [c for c in codes if c != OTHER]
    if codes and all(c in _ARMED for c in codes):
        battle, family = _meaning(scheme, instead)
        return battle, family, f"typed {battle}, not {event_type}: the victims are armed ({', '.join(victims) or 'targets'})"
    return event_type, disorder, ""


_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"}


_DATE_LINE = re.compile(r"^[ \t]*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4}|\d{4}-\d{2}-\d{2})"
                        r"[^\n]{0,20}$", re.M)


def _without_dateline(text: str, start: int, end: int, found: tuple[int, int, str] | None) -> str:
    """The sentence with what dates the report blanked (offsets kept): the article's dateline ("KYIV, June
    24 -", opening the text or the first paragraph under its headline) and a line holding nothing but a
    date ("May 03, 2013" under a headline).

    :param found: the article's ``dateline_span``, read once for all its events"""
    sentence = text[start:end]
    if found is not None and start <= found[0] < end:
        cut_from, cut_to = found[0] - start, min(found[1], end) - start
        sentence = sentence[:cut_from] + " " * (cut_to - cut_from) + sentence[cut_to:]
    return _DATE_LINE.sub(lambda m: " " * len(m.group(0)), sentence)


# The learned step's score from which its choice stands (more likely than not where the event happened):
# a name the gazetteer lacks is then kept as written, at the region or country around it, rather than
# another mention read instead; and a small town's name the model did not call a place ("captured Birao")
# is read as that town where the article names no country.
CONFIDENT_SCORE = 0.5


def _is_a_name(doc, mention) -> bool:
    """Whether a mention's words hold a proper name beyond region and direction words ("Khan Touman",
    not "State" of "the State of Qatar"): only a name is worth keeping as the place's words."""
    from annotator.eventtable.where import DIRECTION_WORDS, REGION_WORDS

    from annotator.eventtable.places import WORLD_REGIONS
    from annotator.suggest.gazetteer import fold

    words = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if words is not None and fold(words.text).removeprefix("the ") in WORLD_REGIONS:
        return False  # "the Pacific": no village the gazetteer lacks
    return words is not None and any(t.pos_ == "PROPN" and t.is_alpha and t.lower_ not in REGION_WORDS | DIRECTION_WORDS
                                     | {"state", "republic", "kingdom", "the"} for t in words)


# Words for a part of a place: the place they are "of" holds the part ("the northern countryside of Hama",
# "the outskirts of Aleppo"). An administrative or region word does so only when it carries a name of its
# own ("the East Ghouta region of rural Damascus", "Hong Local Government Area of Adamawa State"); without
# one it names the place ("the state of Hidalgo", "the province of Idlib"), as "the town of Hebron" does.
_PART_WORDS = {"countryside", "suburb", "suburbs", "outskirts", "neighbourhood", "neighborhood", "neighbourhoods",
               "neighborhoods", "quarter", "quarters", "sector", "part", "parts"}
_NAMED_PART_WORDS = {"region", "province", "governorate", "district", "area", "valley", "desert", "government",
                     "council", "lga", "state", "county", "prefecture", "oblast", "mountains"}


def _contains(token, is_country) -> bool:
    """Whether a place's head token is what a part word before it belongs to: "[region] of [Damascus]".

    :param is_country: words -> whether they name a country ("the Mexico state of Hidalgo" names Hidalgo)"""
    if not (token.dep_ == "pobj" and token.head.lower_ == "of"):
        return False
    part = token.head.head
    if part.lower_ in _PART_WORDS:
        return True
    return part.lower_ in _NAMED_PART_WORDS and any(
        child.dep_ in {"compound", "amod", "nmod"} and child.pos_ == "PROPN" and not is_country(child.text)
        for child in part.lefts)


# Words that measure from a place ("180 km south of Mogadishu"); not "the eastern [part] of Damascus" or
# "outside of Wadi Barada", which say where.
_MEASURED_FROM = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "km",
                  "kilometres", "kilometers", "miles"}


# Last words of a region's name whose initials may follow it: "Logo Local Government Area (LGA)",
# "the Federally Administered Tribal Areas (FATA)", "the Kurdistan Region (KRG)".
_REGION_ENDINGS = {"area", "areas", "region", "province", "state", "territory", "territories", "district",
                   "governorate", "council"}


def _before_initials(doc, mention, is_country) -> bool:
    """Whether a mention ends a name that its initials follow in brackets ("the Islamic State of Iraq and
    Al-Sham (ISIS)", "the Kurdistan Workers' Party (PKK)"): the name is a group's, its last word no place.
    A country's or a region's name is kept ("the Democratic Republic of Congo (DRC)", "Logo Local Government
    Area (LGA)").

    :param is_country: words -> whether they name a country"""
    words = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if words is None:
        return False
    at = words.end
    while at < len(doc) and doc[at].text in {'"', "”", "’", "'"}:
        at += 1
    return at + 2 < len(doc) and doc[at].text == "(" and doc[at + 2].text == ")" \
        and doc[at + 1].text.replace("/", "").isupper() and len(doc[at + 1].text) >= 2 \
        and not is_country(mention.text) and mention.text.split()[-1].lower() not in _REGION_ENDINGS


def _a_landmark(token) -> bool:
    """Whether a place's head token is what a distance or a direction is measured from ("180 km south of
    Mogadishu", "north of Jammu")."""
    return token.dep_ == "pobj" and token.head.lower_ in {"of", "from"} and token.head.head.lower_ in _MEASURED_FROM


def _names_where(doc, chosen, other) -> bool:
    """Whether ``other`` comes right after the chosen place to say where it lies ("Kapho district, Pattani",
    "Hebron in the southern West Bank"): the province's name there, never a finer place of that name."""
    from annotator.eventtable.place_choice import how_places_join

    if chosen.offsets is None or other.offsets is None or other.offsets[0] < chosen.offsets[1]:
        return False
    left = doc.char_span(*chosen.offsets, alignment_mode="expand")
    right = doc.char_span(*other.offsets, alignment_mode="expand")
    return left is not None and right is not None \
        and how_places_join(doc, left.end - 1, right.start) in {"comma", "in"}


def _an_everyday_word(doc, mention) -> bool:
    """Whether a candidate's words are an everyday English word a capital letter made look like a name
    ("Luck was with them": never Lutsk). Weighed when a place is chosen, not when candidates are gathered,
    so the learned step's cues, and its weights, stay as they were trained."""
    words = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return words is not None and an_everyday_word(doc, words)


def _plausible(place, context) -> bool:
    """A proper name the model did not call a place ("checked into Rehab") is taken for one only when it
    lies in a country the article names (or whose people it names: "the Syrian army"), or is a region or a
    city of 100,000 or more."""
    if context is not None and (place.country_code in context.countries or place.country_code in context.nationalities):
        return True
    return place.precision != 1 or place.population >= 100_000


def _keep(cache: dict, text: str, doc) -> None:
    """Keep a parse, the oldest dropped past 64 (an article's windows ask for it again and again)."""
    if len(cache) >= 64:
        cache.pop(next(iter(cache)))
    cache[text] = doc


# Annotated labels whose words name people, groups and places (beside the model's entities)
_NAMED_SPAN_LABELS = {"PERSON", "ORG", "LOCATION", "FACILITY"}


def _names(spans: Sequence[Span], text: str, parsed=None) -> frozenset[str]:
    """The article's named people, groups and places, folded: the annotated names, and the model's
    entities in ``parsed``, the parse an article gets when its annotation leaves an event unplaced.
    Whether an article is read so is the annotation's say, never which reading ran first: a placed
    article parsed anyway (``parse_many``) brings the same names as one read for sentences alone."""
    names = {fold(s.text_in(text)) for s in spans if s.layer == Layer.ENTITY and s.label in _NAMED_SPAN_LABELS}
    if parsed is not None:
        names.update(fold(e.text) for e in parsed.ents if e.label_ in _NAME_LABELS)
    return frozenset(names)


# A place's basis when only the article's dateline gives it: where the reporter is (ADR 30). Like the
# "article" basis (a place named earlier), it stands in for the words the event's sentence does not give.
DATELINE = "dateline"


class RecordError(ValueError):
    """An event span the records cannot be built from; the message names article and span."""


class ArgumentLike(Protocol):
    event: Span
    filler: Span
    role: str


@dataclass(frozen=True)
class Actor:
    """One ACTOR or TARGET filler: its words, canonical name and ACLED inter code."""

    text: str
    name: str
    inter: int
    role: str  # ACTOR | TARGET
    span_id: int
    label: str
    named: bool = False  # ``name`` is a named group or person the gazetteer knows ("Boko Haram"), not words ("gunmen")

    @property
    def unidentified(self) -> bool:
        """A perpetrator no report has named yet ("gunmen", "unknown attackers"): it may be the group
        another report of the same event names."""
        return not self.named and _UNIDENTIFIED.search(self.name) is not None


@dataclass(frozen=True)
class Source:
    article_id: int
    outlet: str
    url: str
    published: str | None
    title: str
    source_scale: str = ""
    dateline: str = ""  # the place word of the article's dateline ("KYIV"): reports of one incident share it
    names: frozenset[str] = frozenset()  # the article's named people, groups and places, folded: reports of one
    # incident name the same ones


@dataclass(frozen=True)
class Override:
    """A reviewer's choice for one event, replayed over what was resolved automatically."""

    date: str | None = None  # ISO date typed by the reviewer
    date_end: str | None = None
    precision: int | None = None
    geonameid: int | None = None  # a candidate (or any GeoNames place) picked by the reviewer
    background: bool | None = None  # the reviewer's say: True background (out of the table), False an event


@dataclass(frozen=True)
class EventRecord:
    """One event span as a would-be event row."""

    article_id: int
    span_id: int
    label: str
    event_type: str
    disorder_type: str
    sub_event_type: str
    modality: str
    reported_by: str
    trigger: str
    sentence: str
    actors: tuple[Actor, ...]
    targets: tuple[Actor, ...]
    weapons: tuple[str, ...]
    fatalities: Fatalities | None
    date: ResolvedDate
    place: ResolvedPlace | None
    source: Source
    notes: tuple[str, ...] = field(default=())
    casualties: Casualties | None = None  # killed, injured, missing, arrested apart; fatalities is killed
    background: bool = False  # told as history ("a war in 2006"): out of the table unless the reviewer keeps it

    @property
    def key(self) -> tuple[int, int]:
        return (self.article_id, self.span_id)

    @property
    def counted(self) -> bool:
        """Only events reported as having happened count; plans, hypotheses and denials do not."""
        return self.modality == Modality.HAPPENED


def actor_type(text: str, label: str, *, canonical: str | None = None, role: str = "ACTOR",
               national: bool = False) -> int:
    """ACLED inter code of a filler from its canonical name, words and label.

    :param national: the words name a nationality ("Russian artillery"): an armed group so named is a
        state's forces unless a word says otherwise ("Russian-backed separatists")
    """
    if canonical in NAMED_GROUP_INTER:
        return NAMED_GROUP_INTER[canonical]
    for pattern, code in _WORD_RULES:
        if pattern.search(text):
            return code
    if label == "ARMED_GROUP" and national:
        return STATE_FORCES
    if label == "ARMED_GROUP":
        return REBELS if canonical else POLITICAL_MILITIA  # a named group no rule knows; else unidentified
    if label == "PERSON":
        return CIVILIANS if role == "TARGET" else OTHER
    if label == "QUANTITY":
        return CIVILIANS  # "25 people" as a target
    return OTHER


def clean_name(text: str) -> str:
    """'the Ukrainian forces' -> 'Ukrainian forces'; possessives and spacing tidied."""
    name = " ".join(text.split()).strip(" ,.;:\"'“”")
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
    return re.sub(r"['’]s$", "", name)


def sentence_bounds(doc, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span, by spaCy's sentence boundaries ("the U.N. said" ends no sentence)."""
    span = doc.char_span(start, max(end, start + 1), alignment_mode="expand")
    if span is None or not len(span):
        return 0, len(doc.text)
    first, last = span[0].sent, span[-1].sent
    return first.start_char, last.end_char


_PARSERS: dict[tuple[str, bool, bool], object] = {}
_FULL_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "ner", "lemmatizer"]


def load_parser(model: str | None = None, *, lemmas: bool = False, sentences_only: bool = False):
    """The spaCy pipeline that parses articles for the event table: the suggester's model (its parser
    and entities), loaded once a process. The event table reads no lemmas, so the lemmatizer is left
    out unless ``lemmas`` (a bench's same-lemma baseline) asks for it.

    :param sentences_only: the model's sentence recogniser alone (about 1/40 of the full parse's time):
        sentence boundaries for articles whose places the annotation gives (:meth:`RecordBuilder.needs_parse`);
        the full parse when the model has none
    """
    import spacy  # imported here: commands that build no records start fast

    from annotator.suggest.attribute_rules import quicken_attribute_ruler
    from annotator.suggest.pipeline import DEFAULT_MODELS
    from annotator.suggest.sentences import add_paragraph_breaks

    names = [model] if model else list(DEFAULT_MODELS)
    for name in names:
        key = (name, lemmas, sentences_only)
        if key in _PARSERS:
            return _PARSERS[key]
        try:
            if sentences_only:
                nlp = spacy.load(name, exclude=_FULL_PIPES)
                if "senter" not in nlp.component_names:
                    _PARSERS[key] = load_parser(name)
                    return _PARSERS[key]
                for other in [c for c in nlp.component_names if c != "senter"]:
                    nlp.remove_pipe(other)
                nlp.enable_pipe("senter")
            else:
                nlp = spacy.load(name, exclude=[] if lemmas else ["lemmatizer"])
                quicken_attribute_ruler(nlp)  # the same matches, found in a fifth of the time
            add_paragraph_breaks(nlp)  # the suggester's sentences, read the same way
            _PARSERS[key] = nlp
            return _PARSERS[key]
        except OSError:
            continue
    raise RecordError(f"no spaCy model to parse articles with: tried {', '.join(names)}")


@dataclass
class _Reading:
    """What stage 1 reads of one event span: its sentence and its arguments' words, by role."""

    article: Article
    span: Span
    sentence_start: int
    sentence_end: int
    where: str
    actors: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    weapons: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    time_texts: list = field(default_factory=list)
    place_texts: list = field(default_factory=list)
    fatality_texts: list = field(default_factory=list)


class RecordBuilder:
    """Builds records; holds the gazetteer and place index, each loaded once and only when needed."""

    def __init__(self, places: PlaceIndex | None = None, gazetteer=None, nlp=None, scheme=None, chooser=None):
        """:param scheme: the project's label scheme: what each event label means to the event table
            (default: the conflict scheme)
        :param chooser: a :class:`~annotator.eventtable.place_choice.PlaceChooser` for the sentence's
            place; None reads the shipped one, False keeps to the rules of ``where.py``"""
        self._places = places
        self._chooser = chooser
        self._nlp = nlp
        if scheme is None:
            from annotator.schemes import DEFAULT_SCHEME, scheme_by_name

            scheme = scheme_by_name(DEFAULT_SCHEME)
        self.scheme = scheme
        self._docs: dict[str, object] = {}  # the last few articles' parses: windows ask again and again
        self._sentences: dict[str, object] = {}  # the same, sentence boundaries only (see needs_parse)
        self._sentence_nlp = None
        self._named: dict[str, bool] = {}  # LOCATION words -> whether the place index knows them
        self.parsed_fully = 0  # articles given the full parse (the rest: sentence boundaries only)
        self._gazetteer = gazetteer
        self._actors: dict[tuple[str, str, str], tuple[str, int]] = {}  # the same forces recur in every article
        self._elsewhere: dict[tuple, list[str]] = {}  # (article, dateline place, mentions) -> other places there

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from annotator.suggest.gazetteer import load_gazetteer

            # geonames=False: place spellings come from the place index; groups and people are curated.
            self._gazetteer = load_gazetteer(geonames=False)
        return self._gazetteer

    @property
    def places(self) -> PlaceIndex:
        if self._places is None:
            from annotator.eventtable.places import load_index

            self._places = load_index()
        return self._places

    def parse_many(self, texts: Sequence[str]) -> None:
        """Parse several articles in one batch (spaCy's ``pipe`` is several times faster than one by
        one); :meth:`records` then finds them parsed. Keep batches under 64, the parses kept."""
        wanted = [t for t in dict.fromkeys(texts) if t not in self._docs]
        if not wanted:
            return
        if self._nlp is None:
            self._nlp = load_parser()
        for text, doc in zip(wanted, self._nlp.pipe(wanted, batch_size=len(wanted))):
            _keep(self._docs, text, doc)
        self.parsed_fully += len(wanted)

    def prepare(self, items: Sequence[tuple[Article, Sequence[Span], Sequence[ArgumentLike]]]) -> None:
        """Read a batch of articles (under 64) as :meth:`records` will need them, in two spaCy batches:
        the full parse for those whose events need it for their places (:meth:`needs_parse`),
        sentence boundaries alone for the others. An article whose text is already read (the same text
        twice in a run: wire copies) is not read again."""
        full, light = [], []
        for article, spans, arguments in items:
            (full if self.needs_parse(article, spans, arguments) else light).append(article.text)
        self.parse_many(full)
        self.sentences_many(light)

    def sentences_many(self, texts: Sequence[str]) -> None:
        """Sentence boundaries of several articles in one batch (see :meth:`sentences`)."""
        wanted = [t for t in dict.fromkeys(texts) if t not in self._sentences]
        if wanted:
            if self._sentence_nlp is None:
                self._sentence_nlp = load_parser(sentences_only=True)
            for text, doc in zip(wanted, self._sentence_nlp.pipe(wanted, batch_size=len(wanted))):
                _keep(self._sentences, text, doc)

    def sentences(self, text: str):
        """The article read by the model's sentence recogniser: the records of an article whose events
        the annotation places take their sentences from here even when a parse of it is at hand (the
        parser and the recogniser disagree now and then: "...from Goma. M23 rebels raided...")."""
        if text not in self._sentences:
            self.sentences_many([text])
        return self._sentences[text]

    def needs_parse(self, article: Article, spans: Sequence[Span], arguments: Iterable[ArgumentLike]) -> bool:
        """Whether the article's records read the full parse: only when an event span has no LOCATION
        argument naming a place the index knows (the place is then looked for in the parse). Otherwise
        the annotation says where, and sentence boundaries are all the date and counts read."""
        placed = set()
        for link in arguments:
            if link.role == "LOCATION":
                words = link.filler.text_in(article.text)
                if words not in self._named:
                    self._named[words] = bool(self.places.lookup(words))
                if self._named[words]:
                    placed.add(link.event.id)
        return any(s.layer == Layer.EVENT and s.id not in placed for s in spans)

    def _doc(self, text: str, unplaced: bool):
        """The article as its records read it: parsed when ``unplaced`` (needs_parse), else its sentences."""
        if not unplaced:
            return self.sentences(text)  # the annotation's say, even where a parse is at hand
        if text not in self._docs:
            self.parse_many([text])
        return self._docs[text]

    def actor(self, span: Span, text: str, role: str) -> Actor:
        key = (text, span.label, role)
        if key not in self._actors:
            self._actors[key] = self._name_and_type(span.label, text, role)
        name, code, named = self._actors[key]
        return Actor(text, name, code, role, span.id, span.label, named)

    def _name_and_type(self, label: str, text: str, role: str) -> tuple[str, int, bool]:
        canonical = self.gazetteer.canonical(text) or self.gazetteer.canonical(clean_name(text))
        if canonical and canonical not in self.gazetteer.groups.values() and canonical not in self.gazetteer.people.values():
            canonical = None  # a place's canonical name says nothing about who acted
        name = canonical or clean_name(text)
        words = {w.strip("'’s").lower() for w in re.split(r"[\s-]+", text)}
        national = bool(words & self.gazetteer.nationality_words)
        return name, actor_type(text, label, canonical=canonical, role=role, national=national), canonical is not None

    def records(
        self,
        article: Article,
        spans: Sequence[Span],
        arguments: Iterable[ArgumentLike],
        *,
        overrides: Mapping[tuple[int, int], Override] | None = None,
        docs: Mapping[str, object] | None = None,
    ) -> list[EventRecord]:
        """One record per event span of ``spans``, in text order.

        :param article: the article the spans belong to
        :param spans: its accepted (or gold) spans, both layers: entity spans give the fillers
        :param arguments: links from event spans to their fillers
        :param overrides: the reviewer's date and place choices, by (article_id, span_id)
        :raises RecordError: when a span or argument belongs to another article
        """
        text = article.text
        arguments = list(arguments)
        by_event: dict[int, list[ArgumentLike]] = {}
        for link in arguments:
            for end in (link.event, link.filler):
                if end.article_id != article.id:
                    raise RecordError(
                        f"article {article.id}: argument {link.role} links span {end.id} of article {end.article_id}")
            by_event.setdefault(link.event.id, []).append(link)
        events = [s for s in spans if s.layer == Layer.EVENT]
        for span in spans:
            if span.article_id != article.id:
                raise RecordError(f"article {article.id}: span {span.id} belongs to article {span.article_id}")
            if not 0 <= span.start_char <= span.end_char <= len(text):
                raise RecordError(
                    f"article {article.id}: span {span.id} ({span.start_char}-{span.end_char}) lies outside the text "
                    f"({len(text)} characters)")
        locations = [s for s in spans if s.layer == Layer.ENTITY and s.label == "LOCATION"]
        dates = [s for s in spans if s.layer == Layer.ENTITY and s.label == "DATE"]
        context = doc = found = parsed = None
        opening = dateline_span(text)  # once an article: each event's sentence blanks it, the source names it
        if events:
            # Which reading an article gets is the annotation's say (needs_parse), never which one
            # ran first: placed events read the same from a parse at hand as from sentences alone.
            unplaced = self.needs_parse(article, spans, arguments)
            doc = ((docs or {}).get(text) if unplaced else None) or self._doc(text, unplaced)
            found = mentions(doc, [(s.start_char, s.end_char) for s in locations])
            context = self.places.context([m.text for m in found], text)
            if unplaced and doc.has_annotation("ENT_IOB"):
                parsed = doc
        source = Source(
            article_id=article.id,
            outlet=article.source or "",
            url=article.url or "",
            published=article.published,
            title=article.title or "",
            source_scale=str(article.meta.get("source_scale", "")) if article.meta else "",
            dateline=(dateline_place(opening) or "").casefold(),
            # a country two reports both name ("Ukraine") is no sign that they tell one event
            names=frozenset(n for n in _names(spans, text, parsed) if self.places.country_of(n) is None),
        )
        out = []
        for span in sorted(events, key=lambda s: (s.start_char, s.end_char, s.id)):
            out.append(self._record(article, span, by_event.get(span.id, []), doc, found, dates,
                                    context, source, (overrides or {}).get((article.id, span.id)), opening))
        return out

    def _record(self, article, span, links, doc, found, dates, context, source, override,
                opening) -> EventRecord:
        """One record, one way: the words read (arguments, sentence) -> date -> place -> counts and the
        type they imply -> the reviewer's choices over all of it. Each stage reads only what the ones
        before it produced."""
        reading = self._read(article, span, links, doc)
        date, background = self._dated(reading, dates, opening)
        place = self._place(doc, span, reading.place_texts, found, context, opening)
        casualties, event_type, disorder = self._counted(reading)
        if override is not None:
            date, place = self._apply(override, date, place, reading.where)
            if override.background is not None:
                background = override.background
        attrs = span.attributes or {}
        return EventRecord(
            article_id=article.id,
            span_id=span.id,
            label=span.label,
            event_type=event_type,
            disorder_type=disorder,
            sub_event_type=str(attrs.get("sub_event_type") or ""),
            modality=str(attrs.get("modality") or Modality.HAPPENED),
            reported_by=str(attrs.get("reported_by") or ""),
            trigger=span.text_in(article.text),
            sentence=article.text[reading.sentence_start:reading.sentence_end].strip(),
            actors=tuple(reading.actors),
            targets=tuple(reading.targets),
            weapons=tuple(reading.weapons),
            fatalities=casualties.killed,
            date=date,
            place=place,
            source=source,
            notes=tuple(reading.notes),
            casualties=casualties,
            background=background,
        )

    def _read(self, article, span, links, doc) -> "_Reading":
        """Stage 1: the event's sentence and its arguments' words, sorted by role."""
        text = article.text
        start, end = sentence_bounds(doc, span.start_char, span.end_char)
        reading = _Reading(article, span, start, end, f"article {article.id}, span {span.id}")
        for link in sorted(links, key=lambda l: (l.filler.start_char, l.filler.id)):
            filler = link.filler.text_in(text)
            role = link.role
            if role in ("ACTOR", "TARGET") and link.filler.label not in _NOT_ACTORS:
                (reading.actors if role == "ACTOR" else reading.targets).append(self.actor(link.filler, filler, role))
            elif role == "TARGET":
                reading.notes.append(f"target: {clean_name(filler)}")
            elif role == "WEAPON":
                reading.weapons.append(clean_name(filler))
            elif role == "FATALITIES":
                reading.fatality_texts.append(filler)
            elif role == "TIME":
                reading.time_texts.append(filler)
            elif role == "LOCATION":
                reading.place_texts.append(filler)
        return reading

    def _dated(self, reading: "_Reading", dates, opening) -> tuple[ResolvedDate, bool]:
        """Stage 2: the date (TIME words, else the sentence's, else an annotated DATE span nearby, else
        the published date marked as such) and whether it makes the event background."""
        article, span = reading.article, reading.span
        text, start, end = article.text, reading.sentence_start, reading.sentence_end
        date = resolve_event_date(published=article.published, time_texts=reading.time_texts,
                                  sentence=_without_dateline(text, start, end, opening), trigger_offset=span.start_char - start,
                                  where=f"article {article.id}")
        if not reading.time_texts:
            # An annotated DATE span in the sentence beats our own search: the annotator read it as a date.
            nearby = [d for d in dates if start <= d.start_char and d.end_char <= end]
            if nearby:
                sentence, at = text[start:end], span.start_char - start
                stamps = page_timestamps(sentence)
                nearby = [d for d in nearby
                          if not any(a <= d.start_char - start < b for a, b in stamps)  # a page's stamp dates no event
                          and not dates_another_noun(sentence, d.start_char - start, d.end_char - start, at)]
            nearby.sort(key=lambda d: abs(d.start_char - span.start_char))
            if nearby:
                from_span = resolve_event_date(published=article.published, time_texts=[nearby[0].text_in(text)],
                                               where=f"article {article.id}")
                if from_span.basis == "argument":
                    date = replace(from_span, basis="sentence")
        if date.basis == UNRESOLVED and not date.text and opening is not None:
            told = find_date_words(text[opening[0]:opening[1]])
            if told:
                # "the event no date words" was untrue: the dateline gives a day, and no year to put it in
                date = replace(date, note=f"the article has no published date, and its dateline's "
                                          f"{told[0][2]!r} names no year")
        background = date.background_for(article.published)
        if background:
            reading.notes.append(f"background: dated {date.text!r}, long before the report; out of the table unless kept")
        return date, background

    def _counted(self, reading: "_Reading") -> tuple[Casualties, str, str]:
        """Stage 4: killed, injured, missing and arrested (FATALITIES words first, else the sentence), and
        the type the label means once who died is known."""
        deaths: list[Fatalities] = []
        argued: dict[str, list[Fatalities]] = {}
        sentence = read_casualties(reading.article.text[reading.sentence_start:reading.sentence_end])
        tolls = [" ".join(t.split()).casefold() for t in sentence.context]
        trigger = reading.span.text_in(reading.article.text)
        for words in reading.fatality_texts:
            said = read_casualties(words)
            if not (said.killed or said.context or any(said.of(o) for o in (INJURED, MISSING, ARRESTED))):
                # The filler alone names no outcome ("18 others"): the trigger says which ("wounding 18
                # others" is 18 injured, never 18 dead; our guidelines put both counts in this role).
                with_trigger = read_casualties(f"{trigger} {words}")
                if any(with_trigger.of(o) for o in (INJURED, MISSING, ARRESTED)) and not with_trigger.killed:
                    said = with_trigger
            others = {o: said.of(o) for o in (INJURED, MISSING, ARRESTED) if said.of(o)}
            if any(" ".join(words.split()).casefold() in toll for toll in tolls):
                continue  # the sentence gives these words as a war's toll ("since the war began"): its note says so
            if said.context and not said.killed:
                reading.notes.append(f"a war's toll, not this event's: {'; '.join(said.context)}")
            elif others and not said.killed:
                for outcome, count in others.items():
                    argued.setdefault(outcome, []).append(count)  # "wounded around 100": never deaths
            else:
                try:
                    deaths.append(said.killed or parse_fatalities(words))
                except FatalityError as exc:
                    reading.notes.append(f"{reading.where}: {exc}")
        casualties = Casualties(
            killed=combine_in_event(deaths) if deaths else sentence.killed,
            injured=combine_in_event(argued[INJURED]) if INJURED in argued else sentence.injured,
            missing=combine_in_event(argued[MISSING]) if MISSING in argued else sentence.missing,
            arrested=combine_in_event(argued[ARRESTED]) if ARRESTED in argued else sentence.arrested,
            context=sentence.context, victims=sentence.victims)
        if sentence.context:
            reading.notes.append(f"a war's toll, not this event's: {'; '.join(sentence.context)}")
        label = reading.span.label
        event_type, disorder = _meaning(self.scheme, label)
        event_type, disorder, retyped = _by_victims(self.scheme, label, event_type, disorder, casualties.victims,
                                                    reading.targets)
        if retyped:
            reading.notes.append(retyped)
        return casualties, event_type, disorder

    def _place(self, doc, span, place_texts, found, context, opening) -> ResolvedPlace | None:
        """The LOCATION argument, else the parse's best place for the trigger, else the article's setting
        (``opening``: the article's ``dateline_span``, read once for all its events)."""
        for words in place_texts:
            resolved = self.places.resolve(words, context, basis="argument")
            if resolved.place is not None:
                return resolved
        if self.chooser is not None:
            learned = self._learned_place(doc, span, found, context, opening)
            if learned is None and place_texts:
                return self.places.resolve(place_texts[0], context, basis="argument")  # unresolved, words kept
            return learned
        unresolved = None
        attached: list[ResolvedPlace] = []
        for candidate in rank_mentions(doc, span.start_char, span.end_char, found):
            if _an_everyday_word(doc, candidate.mention):
                continue
            resolved = self.places.resolve(candidate.mention.text, context, basis=candidate.basis)
            resolved = replace(resolved, offsets=(candidate.mention.start, candidate.mention.end))
            if self._speaking(doc, candidate.mention, resolved.place):
                continue
            if candidate.mention.origin == "name" and resolved.place is not None and not _plausible(resolved.place, context):
                resolved = replace(resolved, place=None, note=f"{resolved.text!r} is a town's name only far from the "
                                                               "article's countries: read as a word, not a place")
            if resolved.place is not None and candidate.tier <= 1:
                attached.append(resolved)  # of the places the trigger hangs on, the finest is where
                continue
            if attached:
                break
            if resolved.place is not None:
                return resolved
            if unresolved is None and candidate.tier <= 1:
                unresolved = resolved
        if attached:
            return min(attached, key=lambda r: r.place.precision)
        if place_texts:
            return self.places.resolve(place_texts[0], context, basis="argument")  # unresolved, words kept
        setting = self._setting(doc, span, found, context, opening)
        return setting or unresolved

    @property
    def chooser(self):
        """The learned place step in use, or None where the rules of ``where.py`` decide."""
        if self._chooser is None:
            from annotator.eventtable.place_choice import load_chooser

            self._chooser = load_chooser() or False
        return self._chooser or None

    def _learned_place(self, doc, span, found, context, opening) -> ResolvedPlace | None:
        """The learned chooser's place for the trigger: the best-scored mention the index resolves (a
        finer place named beside it wins: "the West Bank town of Hebron"), else the article's setting.
        Titles and organisations ("Middle East director") are never read, whatever the score."""
        from annotator.eventtable.place_choice import index_cue
        from annotator.eventtable.where import _tree_distance

        chooser = self.chooser
        unresolved = None
        unlisted = None  # the step's first choice, when the gazetteer lacks its name
        readable: list[tuple[float, ResolvedPlace, int]] = []
        for score, mention in chooser.ranked(doc, span.start_char, span.end_char, found, index_cue(self.places)):
            if score < chooser.threshold:
                break
            if not names_a_place(doc, mention) or _before_initials(doc, mention, self.places.country_of) \
                    or _an_everyday_word(doc, mention):
                continue
            # The basis says how the words hang from the trigger, as the rules would read it.
            hangs = rank_mentions(doc, span.start_char, span.end_char, [mention])
            basis = hangs[0].basis if hangs else "sentence"
            resolved = replace(self.places.resolve(mention.text, context, basis=basis),
                               offsets=(mention.start, mention.end))
            if self._speaking(doc, mention, resolved.place):
                continue
            if resolved.place is None and not readable and unresolved is None and score >= CONFIDENT_SCORE \
                    and _is_a_name(doc, mention):
                unlisted = resolved
            # A proper name the model did not call a place ("Kerry", "Minister") is a place far from the
            # article's countries only if it is a big one; where the article names no country at all, the
            # step's confidence decides ("captured Birao").
            doubtful = mention.origin in ("name", "propn") and not (
                score >= CONFIDENT_SCORE and (context is None or not context.countries))
            if resolved.place is None or (doubtful and not _plausible(resolved.place, context)):
                unresolved = unresolved or replace(resolved, place=None)  # the words kept for the reviewer
                continue
            readable.append((score, replace(resolved, note=f"the learned place step's choice (score {score:.2f})"),
                             mention.root))
        if readable:
            _score, best, root = readable[0]
            # A district is finer than its province ("Sanga local government area of Kaduna State"); the place
            # a region is "of" contains it rather than lies in it ("the East Ghouta region of rural Damascus").
            finer = [r for _s, r, other in readable[1:] if r.place.level < best.place.level
                     and r.place.country_code == best.place.country_code and _tree_distance(doc[root], doc[other]) <= 3
                     and not _contains(doc[other], self.places.country_of) and not _names_where(doc, best, r)]
            chosen = finer[0] if finer else best
            if not finer and _a_landmark(doc[root]):
                # "Bur Hakaba, about 180 km south of Mogadishu": the place measured from is not where.
                located = [r for _s, r, other in readable[1:] if not _a_landmark(doc[other])
                           and r.place.level <= best.place.level and r.place.country_code == best.place.country_code]
                chosen = located[0] if located else best
            if unlisted is not None and chosen.place.precision != 1:
                # "Khan Touman, in southern Aleppo province": the region named beside the unknown village
                # holds it; a town named beside it is another place, and a known town beats a guess.
                return self._unlisted(unlisted, chosen.place, f"the {chosen.place.precision_name} named beside it, {chosen.place.name}")
            return chosen
        if unlisted is not None:
            setting = self._setting(doc, span, found, context, opening)
            if setting is not None:
                return self._unlisted(unlisted, self.places.area_of(setting.place),
                                      f"the area of the article's setting, {setting.place.name}")
            if context is not None and context.countries:
                code = context.countries.most_common(1)[0][0]
                country = self.places.country(code)
                if country is not None:
                    return self._unlisted(unlisted, country, f"the country the article names most, {country.name}")
        return self._setting(doc, span, found, context, opening) or unresolved

    @staticmethod
    def _unlisted(words: ResolvedPlace, area, why: str) -> ResolvedPlace:
        """An event at a place the gazetteer lacks: its words kept as written, placed at the area around it."""
        return replace(words, place=area, candidates=(area,), unlisted=True,
                       note=f"{words.text!r} is not in the gazetteer: placed at {area.precision_name} level, {why}")

    def _setting(self, doc, span, found, context, opening) -> ResolvedPlace | None:
        """Where the article is set: its dateline, else the nearest place named before the event.

        A dateline says where the reporter is (ADR 30): when the article's words name other places in the
        dateline's country but never the dateline's city, an event it leaves unplaced may be at any of them,
        so it is set in that country at country precision; an article that names the city again ("MYKOLAIV
        - ... the port city of Mykolaiv") or no other place there is set in the city."""
        words = dateline_place(opening)
        if words:
            resolved = self.places.resolve(words.title() if words.isupper() else words, context, basis=DATELINE)
            if resolved.place is not None:
                start = doc.text.find(words)
                resolved = replace(resolved, offsets=(start, start + len(words)), note="the article's dateline")
                # an article's unplaced events ask alike (with the same place mentions: annotators differ)
                key = (doc.text, resolved.place.geonameid, tuple((m.start, m.end) for m in found))
                if key not in self._elsewhere:
                    _keep(self._elsewhere, key, self._named_elsewhere_in(resolved.place, doc, found, context,
                                                                         (start, start + len(words))))
                elsewhere = self._elsewhere[key]
                country = self.places.country(resolved.place.country_code) if elsewhere else None
                if country is not None and resolved.place.precision != COUNTRY:
                    return replace(resolved, place=country, candidates=(country, *resolved.candidates),
                                   note=f"the article's dateline, {resolved.place.name}, says where the reporter is; "
                                        f"the article names other places in {country.name} ({', '.join(elsewhere[:3])})")
                return resolved
        for mention in sorted((m for m in found if m.end <= span.start_char and names_a_place(doc, m)
                               and not _an_everyday_word(doc, m)), key=lambda m: -m.start):
            resolved = self.places.resolve(mention.text, context, basis="article")
            if resolved.place is not None and not self._speaking(doc, mention, resolved.place):
                return replace(resolved, offsets=(mention.start, mention.end), note="named earlier in the article")
        return None

    def _speaking(self, doc, mention, place) -> bool:
        """Whether a capital or a country is the subject of a verb of saying ("Moscow denies shelling the
        town"): its government speaking, never where the event happened (ADR 30). Weighed when a place is
        chosen, so the learned step's cues stay as trained."""
        return place is not None and speaks(doc, mention) and (
            place.precision == COUNTRY or self.places.is_capital(place))

    def _named_elsewhere_in(self, place, doc, found, context, dateline_at: tuple[int, int]) -> list[str]:
        """Names of the article's other towns and regions in the country of ``place`` (its dateline's); none
        when the article names ``place`` itself again."""
        names: list[str] = []
        for mention in found:
            if mention.overlaps(*dateline_at) or not names_a_place(doc, mention) or _an_everyday_word(doc, mention):
                continue
            other = self.places.resolve(mention.text, context).place
            if other is not None and other.geonameid == place.geonameid:
                return []  # the report names its dateline's city again: it is about the city
            if other is not None and other.precision != COUNTRY and other.country_code == place.country_code \
                    and other.name not in names:
                names.append(other.name)
        return names

    def _apply(self, override: Override, date: ResolvedDate, place: ResolvedPlace | None, where: str):
        if override.date:
            precision = override.precision or 1
            if precision not in (1, 2, 3):
                raise RecordError(f"{where}: reviewer's date precision must be 1, 2 or 3, not {precision}")
            date = ResolvedDate(override.date, override.date_end or override.date, precision, "reviewer",
                                text=date.text, note=f"set by the reviewer (was {date.start or 'unresolved'})")
        if override.geonameid is not None:
            chosen = next((c for c in (place.candidates if place else ()) if c.geonameid == override.geonameid), None)
            if chosen is None:
                try:
                    chosen = self.places.place(override.geonameid)
                except KeyError:
                    raise RecordError(f"{where}: reviewer's place {override.geonameid} is not a GeoNames id in the index") from None
            place = ResolvedPlace(place.text if place else chosen.name, chosen, place.candidates if place else (chosen,),
                                  "reviewer", note="picked by the reviewer")
        return date, place
