import pytest

from annotator.eventtable.fatalities import (
    FatalityError, combine_across_sources, combine_in_event, parse_fatalities,
)


@pytest.mark.parametrize(
    "words, low, best, high",
    [
        ("two soldiers", 2, 2, 2),
        ("twenty-five people", 25, 25, 25),
        ("1,200 civilians", 1200, 1200, 1200),
        ("a dozen villagers", 12, 12, 12),
        ("half a dozen", 6, 6, 6),
        ("two hundred and five", 205, 205, 205),
        ("10 to 15 fighters", 10, 10, 15),
        ("10-15", 10, 10, 15),
        ("between ten and twenty", 10, 10, 20),
        ("three or four", 3, 3, 4),
        ("at least 25", 25, 25, 25),
        ("more than 100 people", 100, 100, 100),
        ("up to 15", 1, 15, 15),
        ("dozens of civilians", 12, 12, 12),
        ("scores of people", 20, 20, 20),
        ("hundreds", 100, 100, 100),
        ("no casualties", 0, 0, 0),
        ("a soldier", 1, 1, 1),
    ],
)
def test_fatalities_phrases_code_low_best_high(words, low, best, high):
    parsed = parse_fatalities(words)
    assert (parsed.low, parsed.best, parsed.high) == (low, best, high)
    assert parsed.acled == low
    assert parsed.text == words


def test_fatalities_vague_words_are_marked():
    assert parse_fatalities("dozens").vague
    assert not parse_fatalities("12").vague


def test_fatalities_without_a_count_names_the_words():
    with pytest.raises(FatalityError, match="heavy losses"):
        parse_fatalities("heavy losses")


def test_fatalities_add_up_within_an_event_and_take_the_lowest_across_sources():
    one_event = combine_in_event([parse_fatalities("three soldiers"), parse_fatalities("two civilians")])
    assert (one_event.low, one_event.high) == (5, 5)
    reports = combine_across_sources([parse_fatalities("at least 20"), parse_fatalities("25 to 30")])
    assert (reports.low, reports.best, reports.high) == (20, 20, 30)
    assert combine_across_sources([]) is None
