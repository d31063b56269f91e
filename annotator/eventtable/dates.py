"""An event's date: from its TIME argument, else the nearest date expression in its sentence, resolved
against the article's published date; the published date itself is the explicit, marked fallback.

Precision follows ACLED's ``time_precision``: 1 the day, 2 the week, 3 the month. Every resolved date is
a period ``start``..``end`` (equal for a day), so linking can compare reports of unequal precision.
``dateparser`` does the parsing; we correct the one thing news needs that it does differently: a bare
weekday ("on Friday") means the most recent such day on or before publication, which is the
publication day itself when it is that weekday (dateparser, preferring the past, goes back a week).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

DAY, WEEK, MONTH = 1, 2, 3
YEAR = 4  # not one of ACLED's: a year alone ("in 1945") dates background, never an event row's day
# An event that ended this long before its report is background ("fought a war in 2006"): left out of
# the table unless the reviewer keeps it (annotator.eventtable.decisions.keep_background).
BACKGROUND_DAYS = 180

# How the date was found: the TIME argument, a date words in the event's sentence, the article's
# published date as the fallback, or nothing usable.
FROM_ARGUMENT = "argument"
FROM_SENTENCE = "sentence"
FROM_PUBLISHED = "published"
UNRESOLVED = "unresolved"

_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
# Date words we look for in a sentence. dateparser's own search_dates also finds "may", "second" or
# "march" used as ordinary words in war reporting, so the sentence is searched with this narrower list
# and only the matches are handed to dateparser.
_DATE_WORDS = re.compile(
    rf"\b(?:(?:last|this|next|on|early|late)\s+)?(?:{_WEEKDAYS})(?:\s+(?:morning|afternoon|evening|night))?(?:,?\s+\d{{1,2}}\s+(?:{_MONTHS})\b(?:\s+\d{{4}})?)?"
    # a day of the month is 1-31: "dies at 91 JUNE 6, 2013" is an age and then the date, not June 1991
    rf"|\b(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b(?:,?\s+\d{{4}})?"
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\b(?:in\s+|early\s+|late\s+|mid-)?(?:{_MONTHS})\b(?:\s+\d{{4}})?"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:in|since|during|by|of|until)\s+(?:early\s+|late\s+|mid-)?(?:1[6-9]\d\d|20\d\d)\b(?!\s*(?:people|soldiers|km))"
    r"|\b(?:yesterday|today|tonight|overnight|last night|this morning|this week|last week|this month|last month"
    r"|earlier this (?:week|month)|last weekend|this weekend|(?:at|over) the weekend|the day before|(?:\w+|\d+) (?:days|weeks) ago)\b",
    re.I,
)
# A web page's own time stamp ("Published: July 29, 2004", "September 14, 2013 11:41am | Updated ...",
# "May 3rd, 2013 2:00pm EDT"): when the page was written, not when its event happened. A full date (with
# its year) after a publishing word, or followed at once by a clock time; a date in prose is followed by
# "at" before its hour ("on Friday at 11:30").
_FULL_DATE = (rf"(?:(?:{_WEEKDAYS}),?\s+)?(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
              rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}"
              r"|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})")
_CLOCK = r"\d{1,2}\s*:\s*\d{2}(?:\s*:\s*\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s+(?:GMT|UTC|[ECMP][SD]T|BST|CES?T))?"
_PAGE_TIMESTAMP = re.compile(
    rf"\b(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)(?:\s+on)?\s*:?\s*){_FULL_DATE}(?:,?\s*(?:at\s+)?{_CLOCK})?"
    rf"|\b{_FULL_DATE},?\s*(?:-\s*)?{_CLOCK}(?!\s*(?:local|hours?\b|hrs\b|h\b))"  # prose: "5 March 2023, 04:30 local time"
    rf"|\b{_CLOCK},?\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?{_FULL_DATE}",  # "10:24 AM, MON 22 JUL 2013"
    re.I,
)
_BARE_WEEKDAY = re.compile(rf"^(?:on\s+|last\s+)?({_WEEKDAYS})\b", re.I)
# "may" and "march" are verbs as often as months: alone they count only as "in May", "in March" or a
# capitalised "March" ("May" alone opens too many sentences as a verb).
_AMBIGUOUS_MONTH = re.compile(r"^(?:may|march|May)$")


class DateError(ValueError):
    """A published date that is not an ISO date; the message names the article field."""


@dataclass(frozen=True)
class ResolvedDate:
    """When an event happened, as far as its report says.

    ``start``/``end`` are ISO dates (equal for day precision); ``basis`` says where it came from
    (``argument``, ``sentence``, ``published`` or ``unresolved``); ``text`` the words it was read from.
    """

    start: str | None
    end: str | None
    precision: int | None
    basis: str
    text: str = ""
    note: str = ""

    @property
    def event_date(self) -> str | None:
        """ACLED's event_date: the first day of the period."""
        return self.start

    @property
    def is_fallback(self) -> bool:
        return self.basis == FROM_PUBLISHED

    def background_for(self, published: str | None) -> bool:
        """Whether the event ended well before its report: a memory, not news (see BACKGROUND_DAYS)."""
        if not self.end or not published or self.basis == FROM_PUBLISHED:
            return False
        try:
            report = parse_published(published)
        except DateError:
            return False
        if report is None:
            return False
        if self.precision == YEAR and date.fromisoformat(self.end).year < report.year:
            return True  # "a 2012 crash" in a paper of May 2013: a year before the report's is history
        return (report - date.fromisoformat(self.end)).days > BACKGROUND_DAYS


def parse_published(value: str | None, *, where: str = "article.published") -> date | None:
    """An article's published date (ISO date or date-time) as a date; None when absent.

    :raises DateError: when the value is present but not ISO 8601
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise DateError(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


@lru_cache(maxsize=1024)
def _parser(base: date):
    from dateparser.date import DateDataParser  # imported here: commands that never resolve dates start fast

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(base.year, base.month, base.day, 12, 0),
            "PREFER_DATES_FROM": "past",  # news reports what has happened
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_TIME_AS_PERIOD": True,
            # News never writes Unix timestamps; leaving their parsers out saves a third of each call.
            "PARSERS": ["relative-time", "custom-formats", "absolute-time"],
        },
    )


def _week(day: date) -> tuple[date, date]:
    """The Monday-to-Sunday week holding ``day`` (ISO weeks, as ACLED's weekly coding)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _month(day: date) -> tuple[date, date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _special(words: str, base: date) -> tuple[date, date, int] | None:
    """Expressions dateparser leaves unparsed or reads otherwise than news means them."""
    key = " ".join(words.lower().split())
    if key in {"overnight", "last night", "tonight"}:
        # Reported "overnight": the night before publication; coded on its first day, as ACLED does.
        day = base - timedelta(days=1) if key != "tonight" else base
        return day, day, DAY
    if key in {"earlier this month", "this month"}:
        start, end = _month(base)
        return start, min(end, base), MONTH
    if key in {"earlier this week", "this week"}:
        start, _ = _week(base)
        return start, base, WEEK
    if key in {"last weekend", "this weekend", "the weekend", "over the weekend", "at the weekend"}:
        sunday = base - timedelta(days=(base.weekday() + 1) % 7)
        return sunday - timedelta(days=1), sunday, WEEK
    if key == "the day before":
        day = base - timedelta(days=1)
        return day, day, DAY
    # The commonest words of all, answered here: dateparser takes milliseconds a call and a new parser
    # for every published day.
    if key in {"yesterday", "today"}:
        day = base - timedelta(days=1) if key == "yesterday" else base
        return day, day, DAY
    if key == "last week":
        monday = base - timedelta(days=base.weekday() + 7)
        return monday, monday + timedelta(days=6), WEEK
    month = _MONTH_NUMBERS.get(key.removeprefix("in "))
    if month is not None and key not in {"may", "march"}:
        # "in February": the last February up to publication, ending at publication if it is this month
        year = base.year if month <= base.month else base.year - 1
        start, end = _month(date(year, month, 1))
        return start, min(end, base), MONTH
    # "early Sunday", "on Friday", "late Tuesday night": the day; the part of it does not move the date
    weekday = _WEEKDAY_NUMBERS.get(re.sub(r"^(?:on\s+)?(?:early\s+|late\s+)?|\s+(?:morning|afternoon|evening|night)$", "",
                                          key.rstrip(".")))
    if weekday is not None:
        # "on Friday": the Friday of the week up to publication ("on Friday" in a Friday paper is that day)
        day = base - timedelta(days=(base.weekday() - weekday) % 7)
        return day, day, DAY
    return None


_MONTH_NUMBERS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"), start=1)}
_WEEKDAY_NUMBERS = {name: number for number, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}


def _absolute(words: str) -> bool:
    """Words that name a date on their own (a year is written): a published date is not needed."""
    return bool(re.search(r"\b\d{4}\b", words))


def resolve_expression(words: str, published: date | None) -> tuple[str, str, int] | None:
    """ISO start, ISO end and precision of one date expression, or None when it cannot be resolved.

    :param words: the date words, e.g. "on Friday", "last week", "24 June 2022"
    :param published: the article's published date; relative words need it
    """
    # A corpus repeats a few dozen phrases over a few hundred days: dateparser (about 3 ms a call)
    # runs once per distinct pair.
    return _resolve(" ".join(words.split()), published)


_DECADE = re.compile(r"\b(?:1[6-9]|20)\d0s\b|['’]\d0s\b")
_DAY_OF_MONTH = re.compile(rf"\b(?:(?P<m1>{_MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTHS}))\b",
                           re.I)
# A day and month without a year this close ahead of publication is that day ahead, not last year's.
AHEAD_DAYS = 183


def _ahead(words: str, published: date) -> bool:
    """Whether a day and month without a year ("April 29th" in a paper of 24 April) names a day after
    publication: a plan ("pre-orders begin April 29th"), not the day a reported event happened.
    dateparser, preferring the past, would read it as last year's."""
    found = _DAY_OF_MONTH.search(words)
    if found is None:
        return False
    written = (found.group("m1") or found.group("m2")).lower()[:3]  # "sept", "Sep." and "September" alike
    month = next(n for name, n in _MONTH_NUMBERS.items() if name.startswith(written))
    try:
        day = date(published.year, month, int(found.group("d1") or found.group("d2")))
    except ValueError:
        return False
    return 0 < (day - published).days <= AHEAD_DAYS


@lru_cache(maxsize=200_000)
def _resolve(words: str, published: date | None) -> tuple[str, str, int] | None:
    if not words or _AMBIGUOUS_MONTH.match(words):
        return None
    if _DECADE.search(words):
        return None  # "the 1940s": a decade dates no event (dateparser reads it as today)
    if published is not None and not _absolute(words) and _ahead(words, published):
        return None
    if published is None and not _absolute(words):
        return None  # "yesterday" against no date at all: saying a day would be invention
    base = published or date(2000, 1, 1)
    # "in 1945", "since 2014", and a year standing as a word's modifier ("a 2012 car crash" brings "a 2012")
    year = re.fullmatch(r"(?:(?:in|since|during|by|of|until|a|an|the)\s+)?(?:early\s+|late\s+|mid-)?(\d{4})", words, re.I)
    if year:
        start, end = date(int(year.group(1)), 1, 1), date(int(year.group(1)), 12, 31)
        if published is not None and start > published:
            return None
        if published is not None and end > published:
            end = published
        return start.isoformat(), end.isoformat(), YEAR
    special = _special(words, base)
    if special is None and published is not None and _absolute(words):
        # A written year: the date is the same in every paper, so dateparser reads it once, not once per
        # published day; only the paper's own day is applied here.
        alone = _resolve(words, None)
        if alone is None:
            return None
        start, end, precision = date.fromisoformat(alone[0]), date.fromisoformat(alone[1]), alone[2]
        if precision in (MONTH, YEAR) and start <= published < end:
            end = published
        special = (start, end, precision)
    if special is None:
        data = _parser(base).get_date_data(re.sub(r"^(?:on|in)\s+", "", words, flags=re.I))
        if data is None or data.date_obj is None:
            return None
        day = data.date_obj.date()
        period = data.period
        if _BARE_WEEKDAY.match(words) and period in {"day", "time", "part_of_day"}:
            # "on Friday" in a Friday paper is that Friday, not the one before.
            if day + timedelta(days=7) <= base:
                day += timedelta(days=7)
        if period == "week":
            start, end = _week(day)
            special = (start, end, WEEK)
        elif period in {"month", "year"}:
            start, end = _month(day) if period == "month" else (day.replace(month=1, day=1), day.replace(month=12, day=31))
            # A month in the published month ends at publication, not at a day the paper had not seen yet.
            if published is not None and start <= published < end:
                end = published
            special = (start, end, MONTH if period == "month" else YEAR)
        else:
            special = (day, day, DAY)
    start, end, precision = special
    if published is not None and start > published:
        return None  # a date after publication is a plan, not when the event happened
    return start.isoformat(), end.isoformat(), precision


def find_date_words(sentence: str) -> list[tuple[int, int, str]]:
    """Date expressions in a sentence: (start, end, words), offsets into the sentence; a page's own
    time stamp ("Published: July 29, 2004") is none (see :func:`page_timestamps`)."""
    stamps = page_timestamps(sentence)
    return [(m.start(), m.end(), m.group(0)) for m in _DATE_WORDS.finditer(sentence)
            if not any(s <= m.start() < e for s, e in stamps)]


# A year standing before a noun ("a 2012 car crash", "the 2004 tsunami", "Syria's 2011 uprising") names
# when *that* thing happened, not the sentence's other events ("checked into rehab ... as part of a
# sentence for a 2012 car crash case"). (A year after its noun, "the tsunami of 2004", is left alone: the
# sentence's verb is often that same event, "a region devastated by the tsunami of 2004".)
_YEAR_BEFORE_NOUN = re.compile(r"(?:\b(?:a|an|the|its|their|his|her|this|that)|['’]s)\s+(?:(?:a|an|the)\s+)?((?:1[6-9]|20)\d\d)\s+(?=[a-z])",
                               re.I)
# words that end the noun phrase a year modifies
_PHRASE_ENDS = {"of", "in", "on", "at", "by", "for", "to", "with", "from", "and", "or", "but", "that", "which", "who",
                "was", "were", "is", "are", "has", "have", "had", "be", "been", "will", "would", "said", "says"}


def dates_another_noun(sentence: str, start: int, end: int, trigger_offset: int) -> bool:
    """Whether the date words at ``start``..``end`` of ``sentence`` are a year naming when some noun's
    thing happened ("a 2012 car crash case") and the trigger is not in that noun phrase: such a year
    dates that thing, not the event."""
    words = sentence[start:end]
    year = re.search(r"(?:1[6-9]|20)\d\d", words)
    if year is None or re.search(rf"\b(?:{_MONTHS}|{_WEEKDAYS})\b", words, re.I):
        return False
    at = start + year.start()
    for found in _YEAR_BEFORE_NOUN.finditer(sentence, max(0, at - 40), at + 6):
        if found.start(1) != at:
            continue
        if re.search(r"\b(?:since|during|in|throughout)\s*$", sentence[max(0, found.start() - 12):found.start()], re.I):
            return False  # "killed since the 2011 uprising", "during the 2006 war": the year is when, for all
        phrase_end = found.end()
        for word in re.finditer(r"[A-Za-z][\w-]*", sentence[found.end():found.end() + 60]):
            if word.group().lower() in _PHRASE_ENDS or word.start() > 0 and not sentence[found.end() + word.start() - 1].isspace():
                break
            phrase_end = found.end() + word.end()
        return not (found.start() <= trigger_offset < phrase_end)
    return False


def page_timestamps(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a web page's own time stamp (a byline's "Published: July 29, 2004", a date
    followed at once by its clock time): when the report was written, never an event's date."""
    if not _STAMP_HINT.search(text):
        return []  # no clock time and no publishing word: the long search below can find nothing
    return [m.span() for m in _PAGE_TIMESTAMP.finditer(text)]


_STAMP_HINT = re.compile(r"\d\s*:\s*\d|published|updated|posted|modified", re.I)


def resolve_event_date(
    *,
    published: str | None,
    time_texts: list[str],
    sentence: str = "",
    trigger_offset: int = 0,
    where: str = "article",
) -> ResolvedDate:
    """The date of one event.

    :param published: the article's published date (ISO), or None
    :param time_texts: words of the event's TIME arguments, tried first in order
    :param sentence: the event's sentence, searched when no TIME argument resolves
    :param trigger_offset: where the event's trigger sits in ``sentence``: the nearest date words win
    :param where: names the article in error messages
    """
    published_day = parse_published(published, where=f"{where}: published")
    for words in time_texts:
        resolved = resolve_expression(words, published_day)
        if resolved:
            return ResolvedDate(*resolved, basis=FROM_ARGUMENT, text=words)
    found = find_date_words(sentence)
    found.sort(key=lambda hit: min(abs(hit[0] - trigger_offset), abs(hit[1] - trigger_offset)))
    for _, _, words in found:
        resolved = resolve_expression(words, published_day)
        if resolved:
            return ResolvedDate(*resolved, basis=FROM_SENTENCE, text=words)
    unresolved_words = ", ".join(time_texts + [w for _, _, w in found])
    if published_day is not None:
        day = published_day.isoformat()
        note = "no date words; the published date stands in" if not unresolved_words else (
            f"could not resolve {unresolved_words!r}; the published date stands in")
        return ResolvedDate(day, day, DAY, basis=FROM_PUBLISHED, text="", note=note)
    note = "the article has no published date" + (
        f" to resolve {unresolved_words!r} against" if unresolved_words else " and the event no date words")
    return ResolvedDate(None, None, None, basis=UNRESOLVED, text=unresolved_words, note=note)
