import pytest

from annotator.eventtable.linking import (
    GroupingError, affinity, apply_confirmed, confirm, count_events, merge, propose, split,
)
from annotator.eventtable.records import (
    CIVILIANS, OTHER, POLITICAL_MILITIA, PROTESTERS, REBELS, STATE_FORCES, Override, RecordBuilder, RecordError,
)
from eventtable_fixtures import Annotated, builder, places_index, withdrawal_pair  # noqa: F401 - places_index is a fixture


def records_of(builder, *annotated):
    out = []
    for item in annotated:
        out += builder.records(item.article, item.spans, item.links)
    return out


def test_records_read_type_actors_place_and_date(builder):
    first, second = withdrawal_pair()
    withdrawal, shelling = records_of(builder, second)
    assert (withdrawal.event_type, withdrawal.sub_event_type) == ("Strategic developments", "Non-violent transfer of territory")
    assert withdrawal.actors[0].inter == STATE_FORCES
    assert withdrawal.place.place.geonameid == 691999
    assert (withdrawal.date.start, withdrawal.date.basis) == ("2022-06-24", "argument")
    assert (withdrawal.source.outlet, withdrawal.source.url) == ("Coastal Wire", "https://wire.example/b7")
    assert shelling.place.place.name == "Lysychansk" and shelling.place.basis == "argument"
    (only,) = records_of(builder, first)
    # No TIME argument: the date words of its sentence, "on Friday" in a Friday paper.
    assert (only.date.start, only.date.basis) == ("2022-06-24", "sentence")
    assert only.reported_by == "the regional governor"


@pytest.mark.parametrize(
    "words, label, role, code",
    [
        ("Ukrainian forces", "ARMED_GROUP", "ACTOR", STATE_FORCES),
        ("the police", "ORG", "ACTOR", STATE_FORCES),
        ("pro-Russian separatists", "ARMED_GROUP", "ACTOR", REBELS),
        ("Wagner", "ARMED_GROUP", "ACTOR", OTHER),
        ("gunmen", "ARMED_GROUP", "ACTOR", POLITICAL_MILITIA),
        ("hundreds of protesters", "QUANTITY", "ACTOR", PROTESTERS),
        ("local residents", "QUANTITY", "TARGET", CIVILIANS),
        ("Maria Petrenko", "PERSON", "TARGET", CIVILIANS),
        ("Russian artillery", "ARMED_GROUP", "ACTOR", STATE_FORCES),
    ],
)
def test_records_actor_types_follow_acled_inter_codes(builder, words, label, role, code):
    report = Annotated(9, f"Yesterday {words} were involved.")
    filler = report.span(words, label)
    assert builder.actor(filler, words, role).inter == code


def test_records_fatalities_and_modality(builder):
    report = Annotated(5, "Militants killed at least 12 villagers near Maiduguri on Tuesday. "
                          "The army said it would retake the area soon.", published="2023-03-09")
    report.span("Maiduguri", "LOCATION")
    report.event("killed", "VIOLENCE_AGAINST_CIVILIANS", actor=("Militants", "ARMED_GROUP"),
                 target=("villagers", "QUANTITY"), fatalities=("at least 12 villagers", "QUANTITY"))
    report.event("retake", "BATTLES", modality="planned", actor=("The army", "ARMED_GROUP"))
    killing, plan = records_of(builder, report)
    assert killing.fatalities.low == 12 and killing.fatalities.text == "at least 12 villagers"
    assert killing.date.start == "2023-03-07"
    # "near Maiduguri" hangs on the trigger in the parse: the place is read from that attachment
    assert killing.place.basis == "attachment" and killing.place.place.country_code == "NG"
    assert killing.counted and not plan.counted
    assert plan.date.basis == "published"


def test_records_reject_a_span_of_another_article(builder):
    first, second = withdrawal_pair()
    with pytest.raises(RecordError, match="article 1: span .* belongs to article 2"):
        builder.records(first.article, first.spans + second.spans[:1], first.links)


def test_linking_two_outlets_two_spellings_make_one_event(builder):
    first, second = withdrawal_pair()
    records = records_of(builder, first, second)
    grouping = propose(records)
    by_key = {r.key: r for r in records}
    withdrawal = [g for g in grouping.groups if len(g.members) == 2]
    assert len(withdrawal) == 1
    assert {by_key[k].source.outlet for k in withdrawal[0].members} == {"Northern Ledger", "Coastal Wire"}
    # Three reports, two real-world events: the withdrawal and the shelling.
    assert count_events(grouping, by_key) == 2


def test_linking_other_day_or_other_town_stays_apart(builder):
    first, _ = withdrawal_pair()
    later = Annotated(3, "Ukrainian troops were pulling out of Severodonetsk on 3 July 2022.", published="2022-07-04")
    later.event("pulling out", "STRATEGIC_DEVELOPMENTS", actor=("Ukrainian troops", "ARMED_GROUP"),
                location=("Severodonetsk", "LOCATION"))
    elsewhere = Annotated(4, "Ukrainian troops were pulling out of Kherson on Friday.", published="2022-06-24")
    elsewhere.event("pulling out", "STRATEGIC_DEVELOPMENTS", actor=("Ukrainian troops", "ARMED_GROUP"),
                    location=("Kherson", "LOCATION"))
    grouping = propose(records_of(builder, first, later, elsewhere))
    assert all(len(g.members) == 1 for g in grouping.groups)


def test_linking_split_merge_confirm_are_pure_and_replayable(builder):
    first, second = withdrawal_pair()
    records = records_of(builder, first, second)
    by_key = {r.key: r for r in records}
    proposed = propose(records)
    pair = next(g for g in proposed.groups if len(g.members) == 2)
    separated = split(proposed, pair.id, [[pair.members[0]]])
    assert proposed.get(pair.id).members == pair.members  # the input grouping is untouched
    assert count_events(separated, by_key) == 3
    assert all(g.confirmed for g in separated.groups if g.members[0] in pair.members)
    rejoined = merge(separated, [separated.group_of(k).id for k in pair.members])
    assert count_events(rejoined, by_key) == 2
    assert rejoined.group_of(pair.members[0]).confirmed
    # The store keeps confirmed member sets; replaying them over a fresh proposal gives the same grouping.
    kept = [g.members for g in separated.groups if g.confirmed]
    assert apply_confirmed(records, kept) == separated
    assert confirm(proposed, pair.id).get(pair.id).confirmed
    with pytest.raises(GroupingError, match="not members"):
        split(proposed, pair.id, [[(99, 99)]])


def test_records_reviewer_overrides_pick_another_candidate_and_a_typed_date(builder):
    report = Annotated(8, "Clashes broke out in Tripoli last week.", published="2022-06-27")
    report.event("Clashes", "BATTLES", location=("Tripoli", "LOCATION"))
    (automatic,) = records_of(builder, report)
    other = next(c for c in automatic.place.candidates if c.geonameid != automatic.place.place.geonameid)
    choice = Override(date="2022-06-21", precision=1, geonameid=other.geonameid)
    (chosen,) = builder.records(report.article, report.spans, report.links, overrides={automatic.key: choice})
    assert chosen.place.place.geonameid == other.geonameid and chosen.place.basis == "reviewer"
    assert (chosen.date.start, chosen.date.precision, chosen.date.basis) == ("2022-06-21", 1, "reviewer")
    assert automatic.date.start in chosen.date.note  # what it was before stays visible
    with pytest.raises(RecordError, match="article 8, span .*precision must be 1, 2 or 3"):
        builder.records(report.article, report.spans, report.links,
                        overrides={automatic.key: Override(date="2022-06-21", precision=5)})


def test_records_unresolvable_time_words_fall_back_to_the_published_date_with_a_note(builder):
    report = Annotated(10, "Fighting resumed near Bakhmut at some point.", published="2023-01-16")
    report.event("Fighting", "BATTLES", location=("Bakhmut", "LOCATION"), time=("at some point", "DATE"))
    (record,) = records_of(builder, report)
    assert (record.date.start, record.date.basis) == ("2023-01-16", "published")
    assert "at some point" in record.date.note


def test_linking_a_nearby_town_and_a_coarser_date_still_meet(builder):
    # Lysychansk lies across the river from Sievierodonetsk (under 25 km): one battle, two reports.
    one = Annotated(11, "Russian troops stormed Lysychansk on 2 July 2022.", published="2022-07-03", source="A")
    one.event("stormed", "BATTLES", actor=("Russian troops", "ARMED_GROUP"), location=("Lysychansk", "LOCATION"))
    two = Annotated(12, "Russian forces fought for Sievierodonetsk last week.", published="2022-07-06", source="B")
    two.event("fought", "BATTLES", actor=("Russian forces", "ARMED_GROUP"), location=("Sievierodonetsk", "LOCATION"))
    far = Annotated(13, "Russian forces fought for Kharkiv last week.", published="2022-07-06", source="C")
    far.event("fought", "BATTLES", actor=("Russian forces", "ARMED_GROUP"), location=("Kharkiv", "LOCATION"))
    records = records_of(builder, one, two, far)
    assert records[1].date.precision == 2  # "last week": 27 June to 3 July, which holds 2 July
    grouping = propose(records)
    assert grouping.group_of(records[0].key) == grouping.group_of(records[1].key)
    assert grouping.group_of(records[2].key).members == (records[2].key,)


def test_linking_labels_the_scheme_does_not_explain_join_by_related_words(builder):
    # "quake" and "earthquake" mean nothing to the conflict scheme's event table: their words decide.
    first = Annotated(21, "A quake struck Mopti on 3 May 2022, residents said.", published="2022-05-03", source="A")
    first.event("quake", "quake", location=("Mopti", "LOCATION"))
    second = Annotated(22, "The earthquake that shook Mopti on 3 May 2022 destroyed homes.", published="2022-05-04",
                       source="B")
    second.event("earthquake", "earthquake", location=("Mopti", "LOCATION"))
    unrelated = Annotated(23, "Police arrested a trader in Mopti on 3 May 2022.", published="2022-05-04", source="C")
    unrelated.event("arrested", "arrest", location=("Mopti", "LOCATION"))
    quake, earthquake, arrest = records_of(builder, first, second, unrelated)
    assert quake.disorder_type == earthquake.disorder_type == arrest.disorder_type  # no scheme family apart
    grouping = propose([quake, earthquake, arrest])
    assert grouping.group_of(quake.key) == grouping.group_of(earthquake.key)
    assert grouping.group_of(arrest.key).members == (arrest.key,)


def test_linking_a_report_in_between_never_chains_two_annotated_towns(builder):
    # Two battles on one day in towns 60+ km apart (Kramatorsk, Izium), and three reports of that day
    # naming no place, that fit either: they may join one of them, never both into one event.
    one = Annotated(31, "Russian troops stormed Kramatorsk on 2 July 2022.", published="2022-07-03", source="A")
    one.event("stormed", "BATTLES", actor=("Russian troops", "ARMED_GROUP"), location=("Kramatorsk", "LOCATION"))
    two = Annotated(32, "Russian troops stormed Izium on 2 July 2022.", published="2022-07-03", source="B")
    two.event("stormed", "BATTLES", actor=("Russian troops", "ARMED_GROUP"), location=("Izium", "LOCATION"))
    between = []
    for article_id in (33, 34, 35):
        report = Annotated(article_id, "Russian troops stormed the town on 2 July 2022.", published="2022-07-03",
                           source=f"S{article_id}")
        report.event("stormed", "BATTLES", actor=("Russian troops", "ARMED_GROUP"))
        between.append(report)
    records = records_of(builder, one, two, *between)
    assert {r.place.basis for r in records[:2]} == {"argument"}
    grouping = propose(records)
    assert grouping.group_of(records[0].key) != grouping.group_of(records[1].key)


def test_linking_a_misread_place_does_not_keep_a_report_out_of_its_event(builder):
    # Five reports of one raid; the last names a town 80 km off in its sentence (not as the event's
    # annotated place): that contradicts the first report's place, but it agrees with the three others
    # on everything. Complete linkage kept it out; on the mean evidence it joins.
    texts = [
        (41, "Gunmen raided Djibo on 3 May 2022, killing two traders, the army said.", "Djibo"),
        (42, "Gunmen raided a market on 3 May 2022, killing two traders, the army said.", None),
        (43, "Gunmen raided a busy market on 3 May 2022, killing two traders, the army said.", None),
        (44, "Gunmen raided the market on 3 May 2022, killing two traders, the army said.", None),
        (45, "Gunmen raided a market on 3 May 2022, killing two traders near Arbinda, the army said.", None),
    ]
    reports = []
    for article_id, text, place in texts:
        report = Annotated(article_id, text, published="2022-05-04", source=f"S{article_id}")
        arguments = {"actor": ("Gunmen", "ARMED_GROUP"), "fatalities": ("two traders", "QUANTITY")}
        if place:
            arguments["location"] = (place, "LOCATION")
        report.event("raided", "VIOLENCE_AGAINST_CIVILIANS", **arguments)
        reports.append(report)
    records = records_of(builder, *reports)
    assert records[4].place.place.name == "Aribinda" and records[4].place.basis != "argument"
    assert affinity(records[0], records[4]) is None  # Djibo and Aribinda: too far apart for one town
    grouping = propose(records)
    assert len(grouping.group_of(records[0].key).members) == 5


def test_records_of_placed_events_read_the_same_from_sentences_alone(places_index):
    # Every event has a LOCATION argument the index knows: the full parse is not needed, and the records
    # read from the sentence recogniser alone equal those read from the full parse.
    report = Annotated(51, "The U.N. said gunmen raided Djibo on 3 May 2022, killing 14 villagers including five "
                           "children. Two days later police arrested 4 men in Mopti.", published="2022-05-06")
    report.event("raided", "VIOLENCE_AGAINST_CIVILIANS", actor=("gunmen", "ARMED_GROUP"), location=("Djibo", "LOCATION"))
    report.event("arrested", "VIOLENCE_AGAINST_CIVILIANS", actor=("police", "ORG"), location=("Mopti", "LOCATION"))
    light = RecordBuilder(places=places_index)
    assert not light.needs_parse(report.article, report.spans, report.links)
    light.prepare([(report.article, report.spans, report.links)])
    full = RecordBuilder(places=places_index)
    full.parse_many([report.article.text])
    read_light = light.records(report.article, report.spans, report.links)
    read_full = full.records(report.article, report.spans, report.links)
    assert report.article.text not in light._docs  # never fully parsed
    assert [(r.sentence, r.date, r.place.place.geonameid, r.fatalities) for r in read_light] == \
           [(r.sentence, r.date, r.place.place.geonameid, r.fatalities) for r in read_full]
    assert read_light[0].fatalities.best == 14 and read_light[0].sentence.startswith("The U.N. said")
    # one event without a place argument: the place is looked for in the parse
    report.event("said", "STRATEGIC_DEVELOPMENTS")
    assert light.needs_parse(report.article, report.spans, report.links)


def test_the_table_of_placed_events_is_the_same_read_from_sentences_alone_or_parsed(places_index):
    # Two ways the readings used to part: the parse's own entities ("Colonel Arvid Tamm", "the Northern
    # Relief Agency") counted as names the reports share, and the parser cut a sentence the sentence
    # recogniser does not ("...from Goma. M23 rebels raided..."). Every event here is placed by its
    # LOCATION argument, so nothing of the table may depend on which reading an article got.
    texts = [
        ("Protesters withdrew from Goma. M23 rebels raided Mosul overnight. Officials gave no further details.",
         [("withdrew", "STRATEGIC_DEVELOPMENTS", "Goma"), ("raided", "VIOLENCE_AGAINST_CIVILIANS", "Mosul")]),
        ("Colonel Arvid Tamm of the Northern Relief Agency said Russian troops shelled Kharkiv on Friday, "
         "killing two people.", [("shelled", "EXPLOSIONS_REMOTE_VIOLENCE", "Kharkiv")]),
        ("Russian troops shelled Kharkiv on Friday, Colonel Arvid Tamm told the Northern Relief Agency.",
         [("shelled", "EXPLOSIONS_REMOTE_VIOLENCE", "Kharkiv")]),
        ("Shells fell on Kharkiv again on Saturday. Russian troops shelled Kharkiv, killing one man, the "
         "Northern Relief Agency said.", [("shelled", "EXPLOSIONS_REMOTE_VIOLENCE", "Kharkiv")]),
    ]
    reports = []
    for number, (text, events) in enumerate(texts, start=61):
        report = Annotated(number, text, published="2022-05-07")
        for trigger, label, place in events:
            report.event(trigger, label, location=(place, "LOCATION"))
        reports.append(report)
    light, full = RecordBuilder(places=places_index), RecordBuilder(places=places_index)
    light.prepare([(r.article, r.spans, r.links) for r in reports])
    full.parse_many([r.article.text for r in reports])
    read_light = [record for r in reports for record in light.records(r.article, r.spans, r.links)]
    read_full = [record for r in reports for record in full.records(r.article, r.spans, r.links)]
    assert light.parsed_fully == 0 and full.parsed_fully == len(reports)
    assert read_light == read_full
    # a caller's own parse of a placed article (the link bench hands one over) changes nothing either
    handed = RecordBuilder(places=places_index)
    parses = {r.article.text: full._docs[r.article.text] for r in reports}
    assert [record for r in reports for record in handed.records(r.article, r.spans, r.links, docs=parses)] == read_light
    assert read_light[1].sentence == read_full[1].sentence

    def groups(records):
        return {frozenset(group.members) for group in propose(records).groups}

    assert groups(read_light) == groups(read_full)


def test_linking_finds_near_towns_in_cells_narrowed_by_latitude():
    # Two towns 24 km apart east-west at 50°N lie two grid columns apart (a column is 18 km wide there):
    # they must still be compared as one event's possible places.
    from annotator.eventtable.linking import _near_towns
    from annotator.eventtable.places import Place, distance_km

    west = Place(-1, "Westtown", "UA", "Ukraine", "UKR", "UA.07", 50.0, 36.24, 1000)
    east = Place(-2, "Easttown", "UA", "Ukraine", "UKR", "UA.07", 50.0, 36.57, 1000)
    assert 20 < distance_km((west.latitude, west.longitude), (east.latitude, east.longitude)) < 25
    assert _near_towns({-1: west, -2: east}) == [(-2, -1)]


def test_linking_reports_of_other_targets_stay_apart(builder):
    # One day, one town, one armed group: an attack on soldiers and an attack on villagers are two events.
    soldiers = Annotated(61, "Gunmen attacked soldiers in Djibo on 3 May 2022.", published="2022-05-04", source="A")
    soldiers.event("attacked", "BATTLES", actor=("Gunmen", "ARMED_GROUP"), target=("soldiers", "ARMED_GROUP"),
                   location=("Djibo", "LOCATION"))
    villagers = Annotated(62, "Gunmen attacked villagers in Djibo on 3 May 2022.", published="2022-05-04", source="B")
    villagers.event("attacked", "BATTLES", actor=("Gunmen", "ARMED_GROUP"), target=("villagers", "QUANTITY"),
                    location=("Djibo", "LOCATION"))
    again = Annotated(63, "Gunmen attacked troops in Djibo on 3 May 2022.", published="2022-05-04", source="C")
    again.event("attacked", "BATTLES", actor=("Gunmen", "ARMED_GROUP"), target=("troops", "ARMED_GROUP"),
                location=("Djibo", "LOCATION"))
    first, second, third = records_of(builder, soldiers, villagers, again)
    grouping = propose([first, second, third])
    assert grouping.group_of(first.key) == grouping.group_of(third.key)  # soldiers, troops: state forces both
    assert grouping.group_of(second.key).members == (second.key,)
