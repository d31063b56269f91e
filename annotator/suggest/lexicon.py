"""What the suggester and the event table both know about news text, written once (ADR 33): the
article's dateline, verbs of saying, and one-word place names that are everyday English words.

The event table (annotator.eventtable) sits above the suggester in the layers and imports from here;
the suggester's own modules do too. So a rule a user learns in one place ("a dateline is never where an
event happened, and never its actor") holds the same way in the other. Plain Python and ``re`` only:
nothing here loads spaCy or a model (the functions that read a parse take a spaCy Doc).
"""

from __future__ import annotations

import functools
import json
import re

# -- datelines ------------------------------------------------------------------------------------------

# Opening the text: a place (any case, "KYIV" or "Kyiv", with its country after a comma), a date, an
# agency, then a dash (or a colon).
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z'’.\- ]{1,40}?(?:,\s*[A-Z][A-Za-z'’.\- ]{1,30})?)\s*"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s*\d{4})?)?\s*"
    r"(?:\((?:Reuters|AP|AFP|UPI|Xinhua|dpa|IANS|PTI|ANI)\)|\b(?:Reuters|AP|AFP))?\s*(?:-|–|—|:)\s")
# Under a headline the dateline opens the first paragraph, its place in capitals as the wires write it
# ("Drone strike hits plant, officials say" + blank line + "KHARKIV, Oct. 10 - ..."); a capitalised
# headline word before a colon ("Lawyer: ...") is no dateline there.
_DATELINE_UNDER_HEADLINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.\- ]{2,40}?(?:,\s*[A-Z][A-Za-z'’.\- ]{1,30})?)\s*"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s*\d{4})?)?\s*"
    r"(?:\((?:Reuters|AP|AFP|UPI|Xinhua|dpa|IANS|PTI|ANI)\)|\b(?:Reuters|AP|AFP))?\s*(?:-|–|—)\s")
_LINE_STARTS = re.compile(r"(?:\r\n|\r|\n)[^\S\r\n]*(?=\S)")
# Lower-case words a place's name may hold ("Rostov-on-Don", "Sidi Bou Said", "Dar es Salaam").
_NAME_PARTICLES = {"de", "del", "la", "el", "al", "es", "bou", "on", "upon", "of", "and", "da", "do", "dos", "du"}
_DATED = re.compile(r",\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})|\((?:Reuters|AP|AFP|UPI|Xinhua|"
                    r"dpa|IANS|PTI|ANI)\)|\b(?:Reuters|AP|AFP)\b")


def _dateline_match(text: str) -> re.Match | None:
    match = _DATELINE.match(text[:120])
    if match and (not match.group(0).rstrip().endswith(":") or match.group("place").isupper()) \
            and not _a_headline(text, match):
        return match
    for line in list(_LINE_STARTS.finditer(text[:400]))[:4]:
        match = _DATELINE_UNDER_HEADLINE.match(text, line.end(), line.end() + 120)
        if match:
            return match
    return None


def dateline_span(text: str) -> tuple[int, int, str] | None:
    """(start, end, place words) of the article's dateline ("KYIV, June 24 (Reuters) -"): opening the
    text, or opening one of the first lines under a headline. Its date is the report's, not an event's;
    its place is where the article is set. A headline's word before a colon ("Analysis: ...",
    "Lawyer: ...") is none: before a colon only a place in capitals is ("KYIV: ...")."""
    match = _dateline_match(text)
    if match is None:
        return None
    place = match.group("place").strip(" ,")
    return match.start("place"), match.end(), place.split(",")[0].strip()


def dateline_places(text: str) -> list[tuple[int, int]]:
    """Character offsets of each dateline's place, its country too ("KYIV" of "KYIV, June 24 -", "BAMAKO,
    Mali" of "BAMAKO, Mali \u2014"): the article's (``dateline_span``), then any later line opening as a
    dateline under a headline does ("GAZA, Oct. 12 - ...": a round-up holds one report after another).
    These words name where a report was filed: the suggester reads them as a place, never as an actor,
    a target or a speaker. Only the first is where the article is set."""
    found = []
    match = _dateline_match(text)
    if match is not None:
        found.append(_place_of(match))
    for line in _LINE_STARTS.finditer(text, found[0][1] if found else 0):
        match = _DATELINE_UNDER_HEADLINE.match(text, line.end(), line.end() + 120)
        if match:
            found.append(_place_of(match))
    return found


def _place_of(match: re.Match) -> tuple[int, int]:
    start = match.start("place")
    return start, start + len(match.group("place").rstrip(" ,"))


def dateline(text: str) -> str | None:
    """The place of the article's dateline ("KYIV, June 24 (Reuters) -" -> "KYIV")."""
    return dateline_place(dateline_span(text))


def dateline_place(found: tuple[int, int, str] | None) -> str | None:
    """The place words of a ``dateline_span`` already read, or None."""
    return found[2] if found and found[2] else None


def _a_headline(text: str, match) -> bool:
    """Whether words before a dash opening the text are a headline and its source ("Ukraine says troops
    pull back - officials" on a line of its own), not a dateline. A dateline in capitals, or one with a
    date or an agency, is one; otherwise the words before the dash must read as a place's name (each word
    capitalised bar particles such as "de" or "al", at most four) and the line must go on past the dash
    into the report, where a headline ends a few words after it."""
    place = match.group("place").strip(" -–—")
    if place.split(",")[0].isupper() or _DATED.search(match.group(0)):
        return False  # "TEGUCIGALPA, Honduras --"
    words = place.replace(",", " ").split()
    if len(words) > 4 or any(not w[:1].isupper() and w.casefold() not in _NAME_PARTICLES for w in words):
        return True
    line_end = text.find("\n", match.end())
    rest = text[match.end(): line_end if line_end >= 0 else len(text)]
    return len(rest.split()) <= 4  # "Kharkiv Mayor - Reuters" + line break: a headline and its source


# -- verbs of saying ------------------------------------------------------------------------------------

# Verbs of denying: an event under one did not happen, by the speaker's word ("denied shelling the town").
DENY_VERBS = frozenset({"deny", "refute", "dismiss", "reject"})
# Verbs of saying, as lemmas, denying among them: who says, claims or denies that an event happened is who
# it is "reported by" (events.attributes), and what such a verb governs is reported, not seen. "write",
# "post" and "quote" pass an account on as much as "say" does ("the ministry posted that ...").
SAY_VERBS = frozenset({"say", "tell", "claim", "report", "announce", "write", "add", "state", "confirm", "allege",
                       "accuse", "insist", "warn", "post", "acknowledge", "quote"}) | DENY_VERBS
# A person's verbs of telling, for a quoted witness ("Liliya Nesterenko said her house ..."): some verbs of
# saying and the verbs of recounting. Narrower than SAY_VERBS on purpose: an official's verbs ("announced",
# "confirmed", "denied") follow an organisation's name as often as a person's, and the only other sign
# that a name is a person's is a "he" or "she" in the next few words.
PERSON_SPEAKING_VERBS = frozenset({"say", "tell", "add", "write", "insist"}) | {
    "explain", "recall", "describe", "recount", "complain"}
# A government's stances: what a capital or a country does as its government, beside saying ("Moscow
# blamed Kyiv", "Washington condemned the strike"). Not verbs of saying for the suggester's attributes:
# "threatened to strike", "vowed to retaliate", "urged ... to attack" make an event planned, not reported.
STANCE_VERBS = frozenset({"blame", "condemn", "vow", "urge", "admit", "demand", "threaten", "insinuate", "argue"})

# Word forms that are not the lemma plus a regular ending, listed beside their lemma.
_IRREGULAR_FORMS = {"say": ("says", "said", "saying"), "tell": ("tells", "told", "telling"),
                    "write": ("writes", "wrote", "written", "writing"), "admit": ("admits", "admitted", "admitting")}


def word_forms(lemmas) -> frozenset[str]:
    """Each lemma with its regular (or listed irregular) word forms: "deny" -> deny, denies, denied,
    denying. For readers without a lemmatizer (the event table's parse matches words as written)."""
    forms = set()
    for lemma in lemmas:
        forms.add(lemma)
        if lemma in _IRREGULAR_FORMS:
            forms.update(_IRREGULAR_FORMS[lemma])
        elif lemma.endswith("e"):
            forms.update((lemma + "s", lemma + "d", lemma[:-1] + "ing"))
        elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            forms.update((lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"))
        elif lemma.endswith(("s", "sh", "ch", "x", "z")):
            forms.update((lemma + "es", lemma + "ed", lemma + "ing"))
        else:
            forms.update((lemma + "s", lemma + "ed", lemma + "ing"))
    return frozenset(forms)


# Word forms of the verbs of denying, for reading a sentence without a parse ("denied", "rejected").
DENY_FORMS = word_forms(DENY_VERBS)
# Word forms of the verbs whose subject, when a place, is its government speaking, not where what it
# speaks of happened ("Moscow denies shelling the town", "Washington said the strike ...").
PLACE_SPEAKING_FORMS = word_forms(SAY_VERBS | STANCE_VERBS)


# -- everyday words -------------------------------------------------------------------------------------

# Words news puts after a region's name ("Aleppo province", "Bar district"): the name before them is a place.
REGION_WORDS = {"province", "governorate", "region", "state", "district", "oblast", "prefecture", "county",
                "countryside", "city", "town", "village", "area", "neighbourhood", "neighborhood", "suburb",
                "camp", "valley", "desert"}


@functools.cache
def everyday_words() -> frozenset[str]:
    """One-word place names that are also frequent English words written in lower case ("luck", "nice",
    "split"): ``resources/gazetteer/common_words.json``, derived from word frequencies by
    ``scripts/build_common_words.py``."""
    from annotator.config import resources_dir

    path = resources_dir() / "gazetteer" / "common_words.json"
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["words"])


# Words before a name that say it is a place, whatever the name means in English ("a bar in Split").
_LOCATIVE = {"in", "at", "near", "outside", "inside", "around", "into", "from", "to", "toward", "towards", "via",
             "across", "throughout", "within", "off", "reach", "reached", "entered", "left"}


def an_everyday_word(doc, span) -> bool:
    """Whether words read as a place are an everyday English word that a capital letter (a sentence's start,
    a headline) made look like a name: "Luck was with them" (Luck, an old name of Lutsk), "Split between
    factions", "Mobile phones". Such words are a place only where the model tagged them one (GPE, LOC) or
    a place preposition stands before them ("a bar in Split", "the port of Split"). Read only on a parse
    with entities: without the model's say, the words are left as they are."""
    from annotator.suggest.gazetteer import fold  # beside spaCy's stop words: loaded when a parse is read

    if fold(span.text) not in everyday_words() or not doc.has_annotation("ENT_IOB"):
        return False
    if any(token.ent_type_ in {"GPE", "LOC"} for token in span):
        return False
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in _LOCATIVE:
        return False
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.lower_ in REGION_WORDS | {"local", "lga"}:
        return False  # "Logo local government area", "Bar district"
    head = span.root
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head  # "in Kwande, Katsina/Ala and Logo": a list after a place preposition
    if head.i != span.root.i and head.i > 0 and doc[head.i - 1].lower_ in _LOCATIVE:
        return False
    if before is not None and before.lower_ == "of" and span.start >= 2 and (
            doc[span.start - 2].lower_ in REGION_WORDS | {"port", "island", "mayor", "people", "residents"}):
        return False
    return True
