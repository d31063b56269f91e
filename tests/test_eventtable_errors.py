"""The event table's error classes seen on real news (issue 20), each on invented text of the same shape:
the place where it happened, counts as ACLED and UCDP count them, dates of background events, and
links across reports."""

import pytest

from annotator.eventtable.dates import YEAR, resolve_event_date
from annotator.eventtable.fatalities import read_casualties
from annotator.eventtable.linking import propose
from annotator.eventtable.places import COUNTRY, REGION
from annotator.suggest.gazetteer import fold
from eventtable_fixtures import Annotated, builder, places_index, record_of_sentence  # noqa: F401 - fixtures


def record_of(builder, text, trigger, label="BATTLES", published="2024-05-10", **arguments):
    return record_of_sentence(builder, 70, text, trigger, label, published, **arguments)


# -- where it happened -------------------------------------------------------------------------------

def test_place_after_an_abbreviation_with_full_stops_is_in_the_same_sentence(builder):
    # A sentence rule on full stops ended the sentence at "U.N." and never saw "in Kismayo".
    record = record_of(builder, "Officials of the U.N. said a convoy was ambushed in Kismayo on Monday.", "ambushed")
    assert record.place.place.name == "Kismayo"
    assert record.date.start == "2024-05-06"


def test_place_a_dateline_under_the_headline_sets_the_article(builder):
    # Pasted news opens with its headline; the wire's dateline opens the paragraph below it. An event
    # whose own sentence names no place is set there, and the dateline's date is the report's, not the
    # event's (it was read as neither: the nearest place named before won).
    text = ("Strike on Moscow-built plant cuts power, officials say\n\n"
            "KHARKIV, Oct. 10 - A drone strike hit a power plant on the city's edge on Monday.")
    record = record_of(builder, text, "strike hit", label="EXPLOSIONS_REMOTE_VIOLENCE", published="2024-10-10")
    assert record.place.place.name == "Kharkiv" and record.place.basis == "dateline"
    assert (record.date.start, record.date.text) == ("2024-10-07", "on Monday")


def test_place_a_headline_word_before_a_colon_is_no_dateline(builder):
    from annotator.suggest.lexicon import dateline

    assert dateline("Analysis: why the truce failed\n\nBAGHDAD - Fighting resumed.") == "BAGHDAD"
    assert dateline("Lawyer: the commander surrendered") is None
    assert dateline("KYIV: Troops withdrew.") == "KYIV"


def test_place_where_it_happened_beats_a_destination(builder):
    record = record_of(builder, "A cargo ship bound for Kenya was seized off Mogadishu by gunmen.", "seized")
    assert record.place.place.name == "Mogadishu"


def test_place_an_actor_country_is_not_where_it_happened(builder):
    record = record_of(builder, "Iran seized a tanker near Fujairah on Sunday.", "seized")
    assert record.place.place.country_code == "AE"


def test_place_a_possessive_country_contains_the_region_named(builder):
    record = record_of(builder, "Rebels shelled villages in Syria's Idlib province overnight.", "shelled")
    assert (record.place.place.name, record.place.place.precision) == ("Idlib", REGION)
    assert record.place.place.admin1 == "Idlib"


def test_place_titles_and_agency_initials_are_never_places(builder):
    record = record_of(builder, "The group's deputy Middle East director said soldiers were attacked, SANA reported.",
                       "attacked")
    assert record.place is None or record.place.place is None


def test_place_an_article_dateline_places_an_event_its_sentence_leaves_unplaced(builder):
    record = record_of(builder, "KHARKIV, May 9 (Reuters) - Two drones struck a depot overnight, officials said.",
                       "struck")
    assert record.place.place.name == "Kharkiv" and record.place.basis == "dateline"


@pytest.mark.parametrize("words, country, precision", [
    ("Anbar", "IQ", REGION), ("Florida", "US", REGION), ("Texas", "US", REGION), ("Kentucky", "US", REGION),
    ("Northern Ireland", "GB", REGION), ("Diyala", "IQ", REGION), ("Helmand Province", "AF", REGION),
    ("Russian Federation", "RU", COUNTRY), ("Washington D.C.", "US", 1),
])
def test_gazetteer_regions_and_official_country_names_resolve(places_index, words, country, precision):
    place = places_index.resolve(words).place
    assert (place.country_code, place.precision) == (country, precision)


def test_gazetteer_agency_initials_resolve_to_nothing(places_index):
    assert places_index.resolve("SANA").place is None


def test_fold_is_one_rule_for_every_name():
    assert fold("Deir ez-Zor") == fold("Deir ez Zor") == "deir ez zor"
    assert fold("Da'esh") == fold("Da’esh") == fold("Daesh") == "daesh"
    assert fold("Washington D.C.") == "washington dc"


# -- counts -------------------------------------------------------------------------------------------

def test_counts_injured_are_never_fatalities(builder):
    record = record_of(builder, "A car bomb wounded around 100 people in Kirkuk.", "wounded", label="EXPLOSIONS_REMOTE_VIOLENCE",
                       fatalities=("wounded around 100 people", "QUANTITY"))
    assert record.fatalities is None
    assert record.casualties.injured.best == 100


@pytest.mark.parametrize("sentence, trigger, filler, killed, injured", [
    ("A drone attack on Kharkiv on Tuesday night injured three people.", "injured", "three people", None, 3),
    ("Shells hit the market, killing one man and wounding 18 others.", "wounding", "18 others", 1, 18),
])
def test_counts_an_injury_events_count_is_the_injured(builder, sentence, trigger, filler, killed, injured):
    # the guidelines put an injury event's count in its FATALITIES role, and the words alone name no outcome
    record = record_of(builder, sentence, trigger, label="EXPLOSIONS_REMOTE_VIOLENCE", fatalities=(filler, "QUANTITY"))
    assert (record.fatalities.best if record.fatalities else None) == killed
    assert record.casualties.injured.best == injured


def test_counts_a_distance_is_not_a_death(builder):
    record = record_of(builder, "Troops killed two militants in Kupwara, 200 kilometers north of Srinagar.", "killed")
    assert record.fatalities.best == 2


def test_counts_a_war_toll_is_context_not_an_event(builder):
    said = read_casualties("More than 300,000 people have been killed in Yemen's civil war.")
    assert said.killed is None and said.context
    record = record_of(builder, "More than 300,000 people have been killed in Yemen's civil war.", "killed")
    assert record.fatalities is None and any("toll" in n for n in record.notes)


@pytest.mark.parametrize("sentence, killed", [
    # the count before an active verb with its own object did the killing
    ("Two car bombs killed 15 people near the market.", 15),
    ("A young gunman killed another judge in the square.", None),
    # years are never counts, in the event's clause or joined to it
    ("The 2019 bombing killed three people.", 3),
    ("In the 2016 attacks 44 people were killed.", 44),
    ("On 4 March 2019, two people were killed.", 2),
    # a part of a count is not more deaths
    ("14 villagers including five children were killed.", 14),
    # still counted: a headline's elided passive and counts joined by "and"
    ("Two soldiers killed in blast.", 2),
    ("Three soldiers and two civilians were killed.", 5),
])
def test_counts_agents_years_and_parts_are_not_added_to_the_dead(sentence, killed):
    said = read_casualties(sentence)
    assert (said.killed.best if said.killed else None) == killed


@pytest.mark.parametrize("sentence, killed", [
    ("Two soldiers of the 41st Brigade were killed near the river.", 2),
    ("Three fighters of the 12th Mechanised Infantry Brigade died on Sunday.", 3),
    ("Four members of the 7th Battalion were killed, and 2nd Lieutenant Ward was wounded.", 4),
])
def test_counts_a_unit_number_in_the_victims_words_neither_hides_nor_makes_the_count(sentence, killed):
    said = read_casualties(sentence)
    assert said.killed is not None and (said.killed.low, said.killed.best) == (killed, killed)


@pytest.mark.parametrize("sentence", [
    "Since the Moldovan conflict erupted in 2019, more than 40,000 people have been killed.",
    "Since the uprising broke out, more than 40,000 have been killed.",
    "More than 40,000 people have since been killed, making it the deadliest revolt of the decade.",
    "More than 40,000 people since have been killed, the monitor says.",
    "At least 900 members of the border guard have been killed since the launch of the northern offensive in May.",
])
def test_counts_a_toll_since_a_war_began_is_context_whatever_the_clause(sentence):
    said = read_casualties(sentence)
    assert said.killed is None and said.context


def test_counts_a_war_toll_given_as_the_fatalities_argument_stays_context(builder):
    text = "Since the Moldovan conflict erupted in 2019, more than 40,000 people have been killed."
    record = record_of(builder, text, "killed", fatalities=("more than 40,000 people", "QUANTITY"))
    assert record.fatalities is None
    assert any("toll" in note for note in record.notes)


def test_counts_ranges_and_vague_words_give_low_best_high():
    said = read_casualties("Between 10 and 15 people died and dozens were injured; police arrested 4 men.")
    assert (said.killed.low, said.killed.best, said.killed.high) == (10, 10, 15)
    assert said.injured.low == 12 and said.arrested.best == 4


def test_counts_armed_victims_make_a_battle_not_violence_against_civilians(builder):
    record = record_of(builder, "Soldiers killed 139 insurgents near Kunduz.", "killed", label="VIOLENCE_AGAINST_CIVILIANS")
    assert record.event_type == "Battles"
    civilians = record_of(builder, "Gunmen killed 12 villagers near Kunduz.", "killed", label="VIOLENCE_AGAINST_CIVILIANS")
    assert civilians.event_type == "Violence against civilians"


# -- dates ---------------------------------------------------------------------------------------------

def test_dates_a_bare_year_dates_a_background_event(builder):
    record = record_of(builder, "The bombing of the city killed 40,000 people in 1943.", "killed")
    assert (record.date.start, record.date.precision) == ("1943-01-01", YEAR)
    assert record.background


def test_dates_a_war_long_ago_is_background_not_the_publication_day(builder):
    record = record_of(builder, "The militia fought a month-long war with its neighbour in 2006.", "fought",
                       published="2017-01-13")
    assert record.date.start == "2006-01-01" and record.background


def test_dates_an_annotated_date_in_a_page_time_stamp_does_not_date_the_event(builder):
    # The annotator marked the byline's date as a DATE; it says when the page was written, not the raid.
    report = Annotated(72, "Gunmen raid Kidal market | Published May 10, 2024 9:12 AM | Gunmen raided the market in "
                           "Kidal, officials said.", published="2024-05-10")
    report.event("raided", "VIOLENCE_AGAINST_CIVILIANS")
    report.span("May 10, 2024", "DATE")
    (record,) = builder.records(report.article, report.spans, report.links)
    assert record.date.is_fallback and record.date.start == "2024-05-10"


def test_dates_a_year_naming_another_thing_does_not_date_the_event(builder):
    # "a 2012 ambush case": the year (marked as a DATE) dates the ambush, not the arraignment
    text = "The commander was arraigned on Thursday over a 2012 ambush case."
    report = Annotated(73, text, published="2013-05-03")
    report.event("arraigned", "STRATEGIC_DEVELOPMENTS")
    report.event("ambush", "BATTLES")
    report.span("2012", "DATE")
    arraigned, ambush = builder.records(report.article, report.spans, report.links)
    assert (arraigned.date.start, arraigned.background) == ("2013-05-02", False)
    assert (ambush.date.start, ambush.background) == ("2012-01-01", True)
    # a year with "since" or "during" before it still dates the sentence's event: a war's toll is history
    toll = Annotated(74, "More than 2,000 fighters have been killed since the 2011 uprising.", published="2013-05-03")
    toll.event("killed", "BATTLES")
    toll.span("2011", "DATE")
    (killed,) = builder.records(toll.article, toll.spans, toll.links)
    assert killed.date.start == "2011-01-01" and killed.background


def test_dates_without_a_published_date_only_absolute_dates_resolve():
    relative = resolve_event_date(published=None, time_texts=[], sentence="Rebels attacked the base last week.")
    assert relative.start is None and "no published date" in relative.note
    absolute = resolve_event_date(published=None, time_texts=[], sentence="Rebels attacked the base on 3 May 2022.")
    assert absolute.start == "2022-05-03"


# -- one event across reports ------------------------------------------------------------------------

def test_linking_same_country_alone_never_joins_events_in_towns(builder):
    one = record_of(builder, "Insurgents attacked a checkpoint in Kandahar on 3 July 2002.", "attacked", published=None)
    other = Annotated(71, "Insurgents attacked a convoy in Herat on 3 July 2002.")
    other.event("attacked", "BATTLES")
    (two,) = builder.records(other.article, other.spans, other.links)
    grouping = propose([one, two])
    assert len(grouping.groups) == 2


def test_linking_reports_months_apart_stay_apart(builder):
    october = record_of(builder, "Troops advanced on Mosul on 17 October 2016.", "advanced", published="2016-10-18")
    later = Annotated(72, "Troops advanced on Mosul on 29 January 2017.", published="2017-01-30")
    later.event("advanced", "BATTLES")
    (january,) = builder.records(later.article, later.spans, later.links)
    assert len(propose([october, january]).groups) == 2


def test_linking_two_reports_of_one_shelling_join(builder):
    one = record_of(builder, "Artillery shelled Kramatorsk on 2 May 2024.", "shelled", label="EXPLOSIONS_REMOTE_VIOLENCE")
    other = Annotated(73, "KRAMATORSK, May 3 - Shells hit the city on 2 May 2024, officials said.", published="2024-05-03")
    other.event("hit", "EXPLOSIONS_REMOTE_VIOLENCE")
    (two,) = builder.records(other.article, other.spans, other.links)
    (group,) = propose([one, two]).groups
    assert len(group.members) == 2


def test_place_a_name_on_the_thing_where_it_happened_and_never_a_month(builder):
    record = record_of(builder, "A gas attack killed 13 people in the Osaka subway in March 1995.", "killed")
    assert record.place.place.name == "Osaka"
    assert record.date.start == "1995-03-01"


def test_place_a_part_of_a_town_is_read_as_the_town(places_index):
    place = places_index.resolve("Hama countryside").place
    assert place is not None and place.geonameid == places_index.resolve("Hama").place.geonameid


# -- sentences -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("gap", ["\n\n", "\r\n\r\n"])
def test_a_headline_without_a_full_stop_is_not_part_of_the_first_sentence(builder, gap):
    # The parser ran the headline into the dateline's sentence, so the events window showed both as one.
    text = f"Missile attack damages grain terminal{gap}ODESA, July 31 - Missiles struck the port overnight, officials said."
    record = record_of(builder, text, "struck", label="EXPLOSIONS_REMOTE_VIOLENCE")
    assert record.sentence.startswith("ODESA, July 31")
    assert "grain terminal" not in record.sentence


def test_a_line_break_inside_a_wrapped_paragraph_does_not_end_a_sentence(builder):
    text = "Missiles struck the port of Odesa\novernight, officials said on Monday."
    record = record_of(builder, text, "struck", label="EXPLOSIONS_REMOTE_VIOLENCE")
    assert "officials said" in record.sentence


def test_dates_an_undated_articles_dateline_day_is_named_in_the_note(builder):
    # no published date: "May 4" has no year, and the note said the event had "no date words"
    record = record_of(builder, "SLOVIANSK, May 4 - Two civilians were killed when shells hit a market.", "killed",
                       label="VIOLENCE_AGAINST_CIVILIANS", published=None)
    assert record.date.start is None
    assert "'May 4' names no year" in record.date.note and "no date words" not in record.date.note


def test_dates_a_toll_since_a_year_is_history(builder):
    # "since 2011" is when the killing began: the toll is dated from it, so it is background, not a new event
    toll = Annotated(75, "More than 2,000 fighters have been killed since 2011, monitors said.", published="2013-05-03")
    toll.event("killed", "BATTLES")
    toll.span("2011", "DATE")
    (killed,) = builder.records(toll.article, toll.spans, toll.links)
    assert killed.date.start == "2011-01-01" and killed.background
