"""Death counts from the words of a FATALITIES argument: "two", "1,200", "10 to 15", "at least 25", "dozens".

Two codings come out of one phrase:

- ACLED's ``fatalities``: the most conservative reported figure. The ACLED codebook codes vague counts
  at the low end of what the word can mean: "dozens" as 12 and "hundreds" as 100 (see
  ``/work/shared/FORMATS.md``). We extend the same rule to the words it does not list: a vague plural
  counts as one of its unit ("scores" 20, "thousands" 1000, "tens" 10), "several"/"a few" as 3.
- UCDP GED's ``low``/``best``/``high``: ``low`` is the conservative figure above, ``high`` the upper end
  of a range or an "up to" ceiling (else equal to ``best``), ``best`` the stated figure (for a range, the
  low end: we never guess a midpoint the source did not give).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_UNITS = {
    "zero": 0, "no": 0, "none": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Exact collective nouns: "a dozen" is twelve, "a score" twenty, "a couple" two.
_COLLECTIVE = {"dozen": 12, "score": 20, "couple": 2, "pair": 2}
# Vague plurals, coded as one of their unit (ACLED: "dozens" 12, "hundreds" 100).
_VAGUE = {
    "dozens": 12, "scores": 20, "tens": 10, "hundreds": 100, "thousands": 1000,
    "several": 3, "few": 3, "a few": 3, "some": 1, "many": 3, "numerous": 3, "a handful": 3, "handful": 3,
}
_NO_DEATHS = re.compile(r"\b(no (one|deaths?|casualties|fatalities)|nobody|none)\b", re.I)

_NUMBER_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES, *_COLLECTIVE, "half"], key=len, reverse=True))
# A number: digits with thousands separators or a decimal ("1,200", "1.5 million") or a run of number words.
_WORD = rf"\b(?:{_NUMBER_WORD})\b"
_NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s+(?:hundred|thousand|million)\b)?"
    rf"|{_WORD}(?:[\s-]+(?:and\s+)?{_WORD})*"
)
# "between ten and twenty" is a range; a bare "and" is not ("two hundred and five" is one number).
_RANGE = re.compile(
    rf"between\s+(?P<a>{_NUMBER})\s*(?:and|to|-|–)\s*(?P<b>{_NUMBER})"
    # A hyphen joins a range only between digits: "twenty-five" is one number, "10-15" a range.
    rf"|(?P<c>\d[\d,]*)\s*[-–]\s*(?P<d>\d[\d,]*)"
    rf"|(?P<e>{_NUMBER})\s+(?:to|or)\s+(?P<f>{_NUMBER})",
    re.I,
)
_SINGLE = re.compile(rf"(?P<a>{_NUMBER})", re.I)
_AT_LEAST = re.compile(r"\b(at least|no fewer than|no less than|a minimum of|more than|over|upwards of|in excess of|above)\s", re.I)
_UP_TO = re.compile(r"\b(up to|as many as|at most|no more than|fewer than|less than|nearly|almost|under)\s", re.I)
_ABOUT = re.compile(r"\b(about|around|roughly|approximately|some|an estimated|estimated|nearly)\s", re.I)


class FatalityError(ValueError):
    """A FATALITIES argument whose words hold no count; the message quotes them."""


@dataclass(frozen=True)
class Fatalities:
    """Deaths reported by one phrase, or combined over phrases (``text`` joins them)."""

    low: int
    best: int
    high: int
    text: str
    vague: bool = False  # a word like "dozens" rather than a figure

    @property
    def acled(self) -> int:
        """ACLED's fatalities: the most conservative figure."""
        return self.low


def _words_to_int(words: str) -> int | None:
    """'twenty-five' -> 25, 'two hundred and five' -> 205, 'a dozen' -> 12, 'half a dozen' -> 6."""
    tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t and t != "and"]
    if not tokens:
        return None
    total = 0
    current = 0
    half = False
    seen = False
    for token in tokens:
        if token == "half":
            half = True
            continue
        if token in _UNITS:
            current += _UNITS[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token in _COLLECTIVE:
            current = (current or 1) * _COLLECTIVE[token]
        elif token in _SCALES:
            scale = _SCALES[token]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        else:
            return None
        seen = True
    if not seen:
        return None
    value = total + current
    return value // 2 if half else value


def _to_int(text: str) -> int | None:
    text = text.strip()
    match = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(hundred|thousand|million))?", text, re.I)
    if match:
        number = float(match.group(1).replace(",", ""))
        if match.group(2):
            number *= _SCALES[match.group(2).lower()]
        return int(number)
    return _words_to_int(text)


@lru_cache(maxsize=4096)  # "two people", "at least 12 people": the same words in report after report
def parse_fatalities(text: str) -> Fatalities:
    """The count in one FATALITIES phrase.

    :param text: the argument's words, e.g. "at least 25 civilians", "10-15 soldiers", "dozens of people"
    :raises FatalityError: when the words hold no count at all
    """
    phrase = " ".join(text.split())
    if _NO_DEATHS.search(phrase):
        return Fatalities(0, 0, 0, text)
    ranged = _RANGE.search(phrase)
    if ranged:
        a = _to_int(ranged.group("a") or ranged.group("c") or ranged.group("e"))
        b = _to_int(ranged.group("b") or ranged.group("d") or ranged.group("f"))
        if a is not None and b is not None and a != b:
            low, high = min(a, b), max(a, b)
            return Fatalities(low, low, high, text)
    single = None
    for match in _SINGLE.finditer(phrase):
        value = _to_int(match.group("a"))
        # "a" and "an" alone are articles ("a soldier" is one death, but "an attack" says nothing)
        if value is not None:
            single = (match, value)
            break
    if single is not None:
        match, value = single
        before = phrase[: match.start()]
        if _UP_TO.search(before[-20:] + " "):
            # "up to 15": the source vouches only that some died; 1 is the conservative floor.
            return Fatalities(min(1, value), value, value, text)
        return Fatalities(value, value, value, text)
    folded = phrase.lower()
    for word in sorted(_VAGUE, key=len, reverse=True):
        if re.search(rf"\b{re.escape(word)}\b", folded):
            value = _VAGUE[word]
            return Fatalities(value, value, value, text, vague=True)
    raise FatalityError(f"no count of deaths in the FATALITIES words {text!r}")


def combine_in_event(parts: list[Fatalities]) -> Fatalities | None:
    """Fillers of one event name different victims ("three soldiers and two civilians"): they add up."""
    if not parts:
        return None
    return Fatalities(
        low=sum(p.low for p in parts),
        best=sum(p.best for p in parts),
        high=sum(p.high for p in parts),
        text=" + ".join(p.text for p in parts),
        vague=any(p.vague for p in parts),
    )


def combine_across_sources(parts: list[Fatalities]) -> Fatalities | None:
    """Reports of one event disagree: ACLED keeps the lowest figure, UCDP's high the highest."""
    if not parts:
        return None
    return Fatalities(
        low=min(p.low for p in parts),
        best=min(p.best for p in parts),
        high=max(p.high for p in parts),
        text=" | ".join(p.text for p in parts),
        vague=all(p.vague for p in parts),
    )


# -- counts read from a sentence, as ACLED and UCDP count them ----------------------------------------
# Killed, injured, missing and arrested are kept apart: only the killed are fatalities. A number is
# counted only when a casualty word governs it; numbers of units ("200 kilometers", "a 50-year-old",
# "in 2006"), and tolls of a whole war ("since the war began", "in Syria's civil war") are not events.

KILLED, INJURED, MISSING, ARRESTED = "killed", "injured", "missing", "arrested"
_OUTCOME_WORDS = {
    KILLED: r"killed|killing|kills|dead|died|dies|deaths?|slain|massacred|executed|beheaded|perished"
            r"|lost their lives|shot dead|death toll",
    INJURED: r"wounded|wounding|wounds|injured|injuring|injuries|hurt",
    MISSING: r"missing|unaccounted for|disappeared",
    ARRESTED: r"arrested|arresting|arrests|detained|detaining|apprehended|rounded up|taken into custody",
}
_UNIT_AFTER = re.compile(
    r"^[\s-]*(?:km\b|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|feet|foot|yards?|years?|-?year-old|yr|months?|weeks?|"
    r"days?|hours?|minutes?|percent|per cent|%|tons?|tonnes?|kg|kilograms?|mm|degrees?|dollars?|euros?|"
    r"acres?|hectares?|rounds?|rockets?|missiles?|shells?|mortars?|vehicles?|tanks?|aircraft|jets?|sorties?|"
    r"(?:st|nd|rd|th)\b)", re.I)
_UNIT_BEFORE = re.compile(r"(?:\b(?:no|number|brigade|division|battalion|unit|route|highway|resolution|article|"
                          r"flight|level|phase|grade|sector|camp|district|road)\.?|[$€£#]|\bin|\bsince|\bof)\s*$", re.I)
_CUMULATIVE = re.compile(
    r"\bsince (?:the )?(?:war|conflict|uprising|fighting|insurgency|crisis|revolution|start|beginning|outbreak|launch|offensive|operation|"
    r"\w+ began|\d{4}|january|february|march|april|may|june|july|august|september|october|november|december)"
    r"|\bcivil war\b|\b(?:the|this|a) (?:war|conflict|insurgency|uprising) (?:that |which )?(?:has|have) (?:killed|claimed)"
    r"|\bso far (?:this|in)\b|\bthis year\b|\bin total\b|\bover the (?:past|last) (?:\w+ )?(?:years?|months?|decades?)"
    r"|\bduring the (?:war|conflict|insurgency|occupation)|\bthe (?:war|conflict)'s (?:toll|dead)"
    r"|\bhave been killed in (?:the|\w+'s|\w+’s) (?:war|conflict|fighting|violence)"
    # "have since been killed", "since have been killed": counted from a start the clause does not name
    r"|\b(?:have|has|had) since\b|\bsince (?:have|has|had)\b", re.I)
# A war's onset anywhere in the sentence ("Since the Syrian conflict erupted in 2011, more than 90,000
# people have been killed"): the opening clause dates every toll after it, past the comma.
_SINCE_ONSET = re.compile(
    r"\bsince\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}(?:war|conflict|uprising|insurgency|revolt|revolution|rebellion|"
    r"crisis|fighting|violence|occupation|invasion)\b(?:\s+\w+){0,2}\s+(?:began|erupted|started|broke out|"
    r"flared|escalated|(?:was|were) launched)\b", re.I)
_COUNT = (rf"(?:(?:at least|more than|over|nearly|almost|about|around|some|up to|as many as|an estimated|roughly|"
          rf"approximately|no fewer than|upwards of|in excess of)\s+)?"
          rf"(?:between\s+)?(?:{_NUMBER}|dozens|scores|hundreds|thousands|several|a few|tens)"
          rf"(?:\s*(?:to|or|and|-|–)\s*(?:{_NUMBER}))?")


@dataclass(frozen=True)
class Casualties:
    """What one sentence says happened to people, each outcome apart; ``context`` keeps cumulative tolls
    (a war's dead) as words, never as an event's count."""

    killed: Fatalities | None = None
    injured: Fatalities | None = None
    missing: Fatalities | None = None
    arrested: Fatalities | None = None
    context: tuple[str, ...] = ()
    victims: tuple[str, ...] = ()  # the nouns after the killed counts: "insurgents", "civilians"

    def of(self, outcome: str) -> Fatalities | None:
        return getattr(self, outcome)


_STOP = (r"in|on|at|near|and|or|from|to|by|during|after|before|when|while|the|a|an|as|said|says|since|with|"
         r"were|was|have|has|had|are|is|be|been|being|reportedly|also|later|this|that|which|who|last|early|late|"
         r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|overnight")
# A word of the victims' description; an ordinal is one too ("soldiers of the 93rd Brigade": a unit, no count)
_WORD_NOT_STOP = rf"\s+(?!(?:{_STOP})\b)(?:[A-Za-z'’-]+|\d+(?:st|nd|rd|th)\b)"
# "civilians", "dozens of civilians", "members of the YPG", "pro-Assad soldiers"
_NOUN = rf"(?:\s+of(?:\s+the)?)?(?:{_WORD_NOT_STOP}){{0,3}}(?:\s+of(?:\s+the)?(?:{_WORD_NOT_STOP}){{1,4}})?"
_BOTH = re.compile(r"\b(?:kill\w*|dead)\s+(?:and|or)\s+(?:wound\w*|injur\w*)|\b(?:wound\w*|injur\w*)\s+(?:and|or)\s+kill\w*",
                   re.I)
_WAR_TOLL = re.compile(r"\b(?:war|conflict|insurgency|uprising|fighting|violence|crisis)\b[^.;]{0,80}?\b(?:has|have|had)\s+"
                       r"(?:so far\s+)?(?:killed|claimed|left)\b", re.I)
_PATTERNS = {
    outcome: (
        # "killed 139 insurgents", "wounding about 20", "death toll rose to 40"
        re.compile(rf"\b(?:{words})(?:\s+(?:rose|climbed|reached|stood|stands|of|to|at|is|was|has risen))*\s+"
                   rf"(?P<count>{_COUNT})(?P<noun>{_NOUN})", re.I),
        # "8 people were killed", "two soldiers died", "dozens of civilians have been wounded"
        re.compile(rf"(?P<count>{_COUNT})(?P<noun>{_NOUN})\s+"
                   rf"(?:(?:were|was|have been|has been|had been|are|is|been|reportedly|also|later|were reportedly|"
                   rf"have|had|being|since)\s+)*(?:{words})\b", re.I),
    )
    for outcome, words in _OUTCOME_WORDS.items()
}


_MENTIONED = {outcome: re.compile(rf"\b(?:{words})", re.I) for outcome, words in _OUTCOME_WORDS.items()}


_PEOPLE = re.compile(
    r"^\s*(?:[a-z'’-]+\s+){0,2}(?:person|man|woman|child|boy|girl|baby|soldier|civilian|officer|policeman|policewoman|"
    r"fighter|militant|rebel|insurgent|member|resident|villager|worker|journalist|student|teacher|doctor|nurse|"
    r"farmer|trader|guard|commander|leader|official|pilot|driver|passenger|protester|demonstrator|gunman|"
    r"attacker|bomber|jihadist|policemen|people|soldiers|civilians|men|women|children)\b", re.I)
_ARTICLE = re.compile(r"^(?:a|an|one|single|no|none|zero)$", re.I)


_FOLLOWING = re.compile(rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?P<count>{_COUNT})(?P<noun>{_NOUN})(?=[\s,.;]|$)", re.I)
# "three soldiers and two civilians were killed": counts joined by "and" or a comma (a count before
# with no joiner is something else: "the 2008 attacks 166 people were killed")
_JOINED = re.compile(rf"(?P<count>\b{_COUNT})(?P<noun>{_NOUN})(?:,\s*(?:and\s+)?|\s+and\s+)", re.I)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_INCLUDING = re.compile(rf"(?P<count>\b{_COUNT})(?P<noun>{_NOUN})\s+(?:including|among them)\s+$", re.I)
# What follows an active verb when the count before it did the deed: its own count or an object
# ("killed 15 people", "killed another judge", "shot dead the officer")
_OBJECT_NEXT = re.compile(rf"^\s+(?:{_COUNT}|the|another|his|her|their|its)\b", re.I)
_PASSIVE = re.compile(r"\b(?:were|was|have|has|had|are|is|been|being|died|dies|perished)\b", re.I)


def _counted(sentence: str, match: re.Match) -> bool:
    """A count stands only if no unit follows or precedes its number ("200 kilometers", "in 2006"), it is
    no year ("the 2014 bombing"; "2014 people" is a count), and it is not the subject of an active verb
    with its own object ("two car bombs killed 15 people": 15 died, not 17)."""
    count_start, count_end = match.span("count")
    if _UNIT_AFTER.match(sentence[count_end:count_end + 14]):
        return False
    if _YEAR.match(match.group("count").strip()) and not _PEOPLE.match(match.group("noun") or ""):
        return False
    if (match.end() > match.end("noun") and not _PASSIVE.search(sentence[match.end("noun"):match.end()])
            and _OBJECT_NEXT.match(sentence[match.end():])):
        return False  # the count before an active verb with its own count after: who did it
    return not _UNIT_BEFORE.search(sentence[max(0, count_start - 14):count_start])


def _a_year(part: re.Match) -> bool:
    """A count joined to another that is a year ("On 22 February 2001, two people were killed")."""
    return bool(_YEAR.match(part.group("count").strip())) and not _PEOPLE.match(part.group("noun") or "")


def _clause(sentence: str, start: int, end: int) -> str:
    """The comma- or dash-delimited stretch around a match, where a cumulative marker would belong."""
    left = max(sentence.rfind(c, 0, start) for c in ",;—–(") + 1
    rights = [i for i in (sentence.find(c, end) for c in ",;—–)") if i >= 0]
    return sentence[left:min(rights) if rights else len(sentence)]


@lru_cache(maxsize=4096)  # the same FATALITIES words ("two people") come back in report after report
def read_casualties(sentence: str) -> Casualties:
    """Killed, injured, missing and arrested counts of a sentence, and its cumulative tolls as context."""
    found: dict[str, list[Fatalities]] = {KILLED: [], INJURED: [], MISSING: [], ARRESTED: []}
    victims: list[str] = []
    context: list[str] = []
    taken: list[tuple[int, int]] = []
    for outcome, patterns in _PATTERNS.items():
        if not _MENTIONED[outcome].search(sentence):
            continue  # most sentences name one outcome or none: the two long patterns are not tried
        for pattern in patterns:
            for match in pattern.finditer(sentence):
                span = match.span("count")
                if any(a < span[1] and span[0] < b for a, b in taken) or not _counted(sentence, match):
                    continue
                noun = match.group("noun") or ""
                if _ARTICLE.match(match.group("count").strip()) and not _PEOPLE.match(noun):
                    continue  # "a bomb killed", "an attack wounded": an article, not a count of people
                words = match.group(0)
                if _BOTH.search(sentence[max(0, match.start() - 25):match.end()]):
                    taken.append(span)
                    continue  # "killing and wounding scores": how many died is not said
                toll = _WAR_TOLL.search(sentence)
                onset = _SINCE_ONSET.search(sentence)
                if _CUMULATIVE.search(_clause(sentence, match.start(), match.end())) or (
                        toll is not None and toll.start() < match.start("count")) or (
                        onset is not None and onset.start() < match.start("count")):
                    context.append(words.strip())
                    taken.append(span)
                    continue
                try:
                    count = parse_fatalities(match.group("count") + noun)
                except FatalityError:
                    continue
                taken.append(span)
                found[outcome].append(count)
                if outcome == KILLED and noun.strip():
                    victims.append(re.sub(r"^of\s+(?:the\s+)?", "", noun.strip(" ,").lower()))
                if pattern is patterns[0]:
                    # "wounded 10 policemen and six civilians": the counts after, joined by "and"
                    rest = match.end()
                    while (more := _FOLLOWING.match(sentence, rest)) is not None and not _a_year(more):
                        try:
                            found[outcome].append(parse_fatalities(more.group("count") + more.group("noun")))
                        except FatalityError:
                            break
                        taken.append(more.span("count"))
                        rest = more.end()
                if pattern is patterns[1]:
                    # "three soldiers and two civilians were killed": the counts before, joined by "and"
                    before = sentence[:match.start("count")]
                    whole = _INCLUDING.search(before)
                    if whole is not None and not _a_year(whole):
                        # "13 civilians including three women have been killed": 13, the part inside it
                        try:
                            found[outcome][-1] = parse_fatalities(whole.group("count") + whole.group("noun"))
                            taken.append(whole.span("count"))
                        except FatalityError:
                            pass
                        continue
                    for earlier in reversed(list(_JOINED.finditer(before))):
                        if _a_year(earlier):
                            break
                        if "including" in sentence[max(0, earlier.start() - 12):earlier.start()].lower():
                            break  # "five killed, including two children, and nine injured": a part, not more
                        if earlier.end() != len(before) or any(a < earlier.end("count") and earlier.start("count") < b
                                                               for a, b in taken):
                            break
                        try:
                            found[outcome].append(parse_fatalities(earlier.group("count") + earlier.group("noun")))
                        except FatalityError:
                            break
                        taken.append(earlier.span("count"))
                        before = sentence[:earlier.start()]
    return Casualties(**{k: combine_in_event(v) for k, v in found.items()}, context=tuple(context),
                      victims=tuple(victims))
