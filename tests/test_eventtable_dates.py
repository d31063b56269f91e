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
