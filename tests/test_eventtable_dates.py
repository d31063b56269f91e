import pytest

from annotator.eventtable.dates import DateError, resolve_event_date, resolve_expression
from datetime import date

FRIDAY = date(2022, 6, 24)
MONDAY = date(2022, 6, 27)


@pytest.mark.parametrize(
    "words, published, expected",
    [
        # "on Friday" in a Friday paper is that very day, not a week before.
        ("on Friday", FRIDAY, ("2022-06-24", "2022-06-24", 1)),
        # ...and in the next Monday's paper, across the week boundary, the Friday before.
        ("on Friday", MONDAY, ("2022-06-24", "2022-06-24", 1)),
        ("Sunday", MONDAY, ("2022-06-26", "2022-06-26", 1)),
        ("yesterday", MONDAY, ("2022-06-26", "2022-06-26", 1)),
        ("overnight", FRIDAY, ("2022-06-23", "2022-06-23", 1)),
        # "last week" from a Monday is the whole Monday-to-Sunday week before it.
        ("last week", MONDAY, ("2022-06-20", "2022-06-26", 2)),
        ("last week", FRIDAY, ("2022-06-13", "2022-06-19", 2)),
        ("in February", FRIDAY, ("2022-02-01", "2022-02-28", 3)),
        # A month after the published month is last year's.
        ("in July", FRIDAY, ("2021-07-01", "2021-07-31", 3)),
        ("earlier this month", FRIDAY, ("2022-06-01", "2022-06-24", 3)),
        ("24 June 2022", None, ("2022-06-24", "2022-06-24", 1)),
        ("in May", FRIDAY, ("2022-05-01", "2022-05-31", 3)),
        # "may" the verb and "May" opening a sentence are not dates.
        ("may", FRIDAY, None),
        ("May", FRIDAY, None),
        # After publication: a plan, not when something happened.
        ("24 December 2022", FRIDAY, None),
    ],
)
def test_dates_relative_words_resolve_against_the_published_date(words, published, expected):
    assert resolve_expression(words, published) == expected


def test_dates_relative_words_without_a_published_date_stay_unresolved():
    resolved = resolve_event_date(published=None, time_texts=["on Friday"], sentence="")
    assert resolved.start is None and resolved.basis == "unresolved"
    assert "no published date" in resolved.note


def test_dates_sentence_words_nearest_the_trigger_win():
    sentence = "On Monday officials said troops withdrew on Friday from the town."
    resolved = resolve_event_date(published="2022-06-27", time_texts=[], sentence=sentence,
                                  trigger_offset=sentence.index("withdrew"))
    assert (resolved.start, resolved.basis, resolved.text) == ("2022-06-24", "sentence", "on Friday")


def test_dates_published_date_is_the_marked_fallback():
    resolved = resolve_event_date(published="2022-06-24T08:30:00Z", time_texts=[], sentence="Troops withdrew.")
    assert (resolved.start, resolved.precision, resolved.basis) == ("2022-06-24", 1, "published")
    assert resolved.is_fallback


def test_dates_a_malformed_published_date_is_named():
    with pytest.raises(DateError, match="article 7: published.*24/06/2022"):
        resolve_event_date(published="24/06/2022", time_texts=[], sentence="", where="article 7")


def test_dates_a_written_date_with_its_weekday_is_that_date_in_a_later_paper():
    # "Friday, 3 June 2022" read in a paper of 20 June: 3 June, not the Friday a week later.
    assert resolve_expression("Friday, 3 June 2022", date(2022, 6, 20)) == ("2022-06-03", "2022-06-03", 1)
    # a month written with its year, in a paper of that month, ends at publication
    assert resolve_expression("in June 2022", date(2022, 6, 20)) == ("2022-06-01", "2022-06-20", 3)


# What real web reports broke (bench/dates_check.py), each on an invented line.

def test_dates_a_page_time_stamp_does_not_date_the_event():
    # A byline's stamp is when the page was written: the raid was on Friday night.
    for stamp in ("Published: June 27, 2022", "June 27, 2022 11:41am | Updated June 27, 2022 3:02 PM EDT",
                  "10:24 AM, MON 27 JUN 2022", "Posted 6/27/2022 7:21 AM"):
        sentence = f"Gunmen raid a market in Kidal {stamp} Gunmen raided the market on Friday night, officials said."
        resolved = resolve_event_date(published="2022-06-27", time_texts=[], sentence=sentence,
                                      trigger_offset=sentence.index("raid a market"))
        assert (resolved.start, resolved.text) == ("2022-06-24", "on Friday night"), stamp


def test_dates_a_date_in_prose_with_its_hour_still_dates_the_event():
    sentence = "The convoy was hit on June 24, 2022 at 11:30, a spokesman said."
    resolved = resolve_event_date(published="2022-06-27", time_texts=[], sentence=sentence,
                                  trigger_offset=sentence.index("hit"))
    assert resolved.start == "2022-06-24" and resolved.basis == "sentence"


def test_dates_an_age_before_a_date_is_not_a_year():
    # "dies at 91 JUNE 24, 2022": an age, then the date (it was read as June 1991, a background event)
    sentence = "Former militia leader dies at 91\nJUNE 24, 2022 The former commander died in Goma."
    resolved = resolve_event_date(published="2022-06-24", time_texts=[], sentence=sentence,
                                  trigger_offset=sentence.index("dies"))
    assert resolved.start == "2022-06-24" and resolved.precision == 1


@pytest.mark.parametrize("words", ["early Friday", "late Friday night", "early Friday morning", "at the weekend"])
def test_dates_early_and_late_on_a_day_are_that_day(words):
    start, end, _ = resolve_expression(words, MONDAY)
    assert date.fromisoformat(start) <= date(2022, 6, 26) and date(2022, 6, 24) <= date.fromisoformat(end)
    assert date.fromisoformat(end) < MONDAY


def test_dates_a_day_of_the_month_just_ahead_is_a_plan_not_last_year():
    # "talks open July 4th" in a paper of 24 June: ahead, so no event date (it was read as 4 July 2021)
    assert resolve_expression("July 4th", FRIDAY) is None
    assert resolve_expression("on 4 July", FRIDAY) is None
    # a day well behind the paper's stays this year's, one just past New Year last year's
    assert resolve_expression("June 3", FRIDAY) == ("2022-06-03", "2022-06-03", 1)
    assert resolve_expression("December 28", date(2023, 1, 3)) == ("2022-12-28", "2022-12-28", 1)


def test_dates_a_year_read_as_a_modifier_is_a_year_and_a_decade_is_none():
    # "a 2012 ambush": the year 2012, not January 2012
    assert resolve_expression("a 2012", FRIDAY) == ("2012-01-01", "2012-12-31", 4)
    # "the 1990s" dates no event (dateparser read it as the publication day)
    assert resolve_expression("the 1990s", FRIDAY) is None
    assert resolve_expression("the '90s", FRIDAY) is None


def test_dates_an_event_dated_only_by_an_earlier_year_is_background():
    # "a 2012 ambush" in a paper of May 2013: its year ended 122 days before, but a year alone is history
    resolved = resolve_event_date(published="2013-05-02", time_texts=["a 2012"], sentence="")
    assert resolved.precision == 4 and resolved.background_for("2013-05-02")
    # this year's, with only its year known, is not
    assert not resolve_event_date(published="2013-05-02", time_texts=["in 2013"], sentence="").background_for("2013-05-02")


def test_dates_a_date_with_its_local_hour_in_prose_still_dates_the_event():
    sentence = "The shelling began on 24 June 2022, 04:30 local time, officials said."
    resolved = resolve_event_date(published="2022-06-27", time_texts=[], sentence=sentence,
                                  trigger_offset=sentence.index("shelling"))
    assert (resolved.start, resolved.basis) == ("2022-06-24", "sentence")
