"""One event across reports, as a user of the event table sees it: reports of one incident make one row,
incidents apart in time or place make rows of their own. Invented reports only."""

import pytest

from annotator.eventtable.linking import SETTINGS, explain, propose
from eventtable_fixtures import Annotated, builder, places_index  # noqa: F401 - places_index is a fixture


def one_record(builder, article_id, text, trigger, published, label="EXPLOSIONS_REMOTE_VIOLENCE", **arguments):
    report = Annotated(article_id, text, published=published)
    report.event(trigger, label, **arguments)
    (record,) = builder.records(report.article, report.spans, report.links)
    return record


def rows(records):
    return sorted(len(group.members) for group in propose(records).groups)


def test_a_report_filed_from_the_capital_joins_the_report_from_the_shelled_town(builder):
    # The wire report's own words name no place: its place is where it was filed (the dateline), which
    # stands in as a published date does and contradicts nothing.
    in_town = one_record(builder, 81, "Artillery shelled Kramatorsk on 2 May 2024, killing three people.",
                         "shelled", "2024-05-02")
    from_capital = one_record(builder, 82, "KYIV, May 3 (Reuters) - Russian artillery shelled a railway station "
                              "on 2 May 2024, killing three people, officials said.", "shelled", "2024-05-03")
    assert in_town.place.place.name == "Kramatorsk"
    assert from_capital.place.basis == "dateline" and from_capital.place.place.name == "Kyiv"
    assert rows([in_town, from_capital]) == [2]


def test_reports_whose_own_words_name_two_far_towns_stay_two_rows(builder):
    # The same day and the same kind of event, but each report says where: Kramatorsk and Kharkiv are
    # 160 km apart, farther than one town's event can be.
    in_town = one_record(builder, 83, "Artillery shelled Kramatorsk on 2 May 2024, killing three people.",
                         "shelled", "2024-05-02")
    elsewhere = one_record(builder, 84, "KYIV, May 3 (Reuters) - Russian artillery shelled Kharkiv on 2 May 2024, "
                           "killing three people, officials said.", "shelled", "2024-05-03")
    assert elsewhere.place.place.name == "Kharkiv" and elsewhere.place.basis != "article"
    assert rows([in_town, elsewhere]) == [1, 1]
    assert explain(in_town, elsewhere) == "places apart"


def test_two_incidents_a_week_apart_in_one_town_are_two_rows(builder):
    first = one_record(builder, 85, "Artillery shelled Kramatorsk on 2 May 2024.", "shelled", "2024-05-02")
    second = one_record(builder, 86, "Artillery shelled Kramatorsk on 9 May 2024.", "shelled", "2024-05-09")
    again = one_record(builder, 87, "Kramatorsk was shelled again on 9 May 2024, the mayor said.", "shelled",
                       "2024-05-10")
    assert rows([first, second, again]) == [1, 2]
    assert explain(first, second) == "dates apart"


def test_average_linkage_keeps_a_report_that_says_little_complete_linkage_leaves_it_out(builder):
    # The third report gives no day or place, only its paper's date four days on and the same witness:
    # too little beside the first report alone, enough beside the second. Average linkage (what ships)
    # takes the group's word; complete linkage, which the bench prints beside it, asks every pair alone.
    first = one_record(builder, 88, "Artillery shelled Kramatorsk on 2 May 2024.", "shelled", "2024-05-02")
    witness = Annotated(89, "Artillery shelled Kramatorsk on 2 May 2024, Ivan Petrenko of the Red Cross said.",
                        published="2024-05-02")
    witness.event("shelled", "EXPLOSIONS_REMOTE_VIOLENCE")
    witness.span("Ivan Petrenko", "PERSON")
    witness.span("Red Cross", "ORG")
    later = Annotated(90, "Artillery shelled the city, Ivan Petrenko of the Red Cross said.", published="2024-05-06")
    later.event("shelled", "EXPLOSIONS_REMOTE_VIOLENCE")
    later.span("Ivan Petrenko", "PERSON")
    later.span("Red Cross", "ORG")
    (second,) = builder.records(witness.article, witness.spans, witness.links)
    (third,) = builder.records(later.article, later.spans, later.links)
    assert explain(first, third).startswith("1.25 = ")  # below the threshold alone
    assert "shared names" in explain(second, third)
    assert rows([first, second, third]) == [3]
    complete = propose([first, second, third], linkage="complete")
    assert sorted(len(group.members) for group in complete.groups) == [1, 2]
    with pytest.raises(ValueError, match="average or complete"):
        propose([first], linkage="single")


def test_a_report_placed_in_a_province_joins_the_report_from_a_town_far_from_its_middle(builder):
    # Gwadar lies in Balochistan, 600 km from the province's middle: the province holds it, whatever the
    # distance. A town of another province stays apart.
    province = one_record(builder, 91, "Militants attacked a port convoy in Balochistan on 20 March 2024.", "attacked",
                          "2024-03-20", label="BATTLES")
    town = one_record(builder, 92, "Militants attacked a convoy near the port in Gwadar on 20 March 2024.",
                      "attacked", "2024-03-21", label="BATTLES")
    other = one_record(builder, 93, "Militants attacked a convoy in Karachi on 20 March 2024.", "attacked",
                       "2024-03-21", label="BATTLES")
    assert (province.place.place.name, town.place.place.name) == ("Balochistan", "Gwadar")
    assert province.place.place.admin1_code == town.place.place.admin1_code != other.place.place.admin1_code
    grouping = propose([province, town, other])
    assert grouping.group_of(province.key) == grouping.group_of(town.key)
    assert grouping.group_of(other.key).members == (other.key,)


def test_reports_naming_two_different_armed_groups_are_two_rows(builder):
    # Both groups are rebels to ACLED, which used to be enough; named perpetrators must share a name.
    # Words that name no one ("militants", rebels too) fit either.
    def attack(article_id, who, label="ARMED_GROUP"):
        return one_record(builder, article_id, f"{who} attacked a village near Gwoza on 14 May 2024.", "attacked",
                          "2024-05-15", label="BATTLES", actor=(who, label))

    boko, iswap, militants = attack(94, "Boko Haram"), attack(95, "ISWAP"), attack(96, "Militants")
    assert boko.actors[0].named and iswap.actors[0].name == "Islamic State West Africa Province"
    assert not militants.actors[0].named
    assert explain(boko, iswap) == "actors or targets share no name or type"
    assert rows([boko, iswap]) == [1, 1]
    assert rows([boko, militants]) == [2]
    assert rows([boko, attack(97, "Boko Haram")]) == [2]


def test_unidentified_gunmen_join_the_group_another_report_names(builder):
    # A headline's "Gunmen" (an unidentified armed group to ACLED) and the report's "suspected jihadist
    # fighters" (rebels) are one abduction; civilians are no gunmen, and a named group still fits.
    from annotator.eventtable.export import event_rows

    def abduction(article_id, who):
        return one_record(builder, article_id, f"{who} abducted 20 villagers near Djibo on 21 August 2022.",
                          "abducted", "2022-08-22", label="VIOLENCE_AGAINST_CIVILIANS", actor=(who, "ARMED_GROUP"))

    gunmen, jihadists = abduction(98, "Gunmen"), abduction(99, "Suspected jihadist fighters")
    assert gunmen.actors[0].unidentified and not jihadists.actors[0].unidentified
    assert gunmen.actors[0].inter != jihadists.actors[0].inter
    assert rows([gunmen, jihadists]) == [2]
    villagers = one_record(builder, 100, "Villagers abducted 20 herders near Djibo on 21 August 2022.", "abducted",
                           "2022-08-22", label="VIOLENCE_AGAINST_CIVILIANS", actor=("Villagers", "PERSON"))
    assert rows([gunmen, villagers]) == [1, 1]
    # the row names who acted as the most specific report does
    [row] = event_rows(propose([gunmen, jihadists]), {r.key: r for r in (gunmen, jihadists)})
    assert row["actor1"] == "Suspected jihadist fighters" and row["assoc_actor_1"] == "Gunmen"


def test_the_row_of_reports_in_a_province_and_a_town_shows_the_town(builder):
    # The annotator linked "Balochistan" as the first report's LOCATION; the second report's own sentence
    # names Gwadar. One event: its row shows the town, the most specific place, as ACLED codes it.
    from annotator.eventtable.export import event_rows

    province = one_record(builder, 94, "Militants attacked a port convoy in Balochistan on 20 March 2024.", "attacked",
                          "2024-03-20", label="BATTLES", location=("Balochistan", "LOCATION"))
    town = one_record(builder, 95, "Militants attacked a convoy near the port in Gwadar on 20 March 2024.",
                      "attacked", "2024-03-21", label="BATTLES")
    assert province.place.basis == "argument" and town.place.basis != "argument"
    records = {province.key: province, town.key: town}
    (row,) = event_rows(propose([province, town]), records)
    assert (row["location"], row["location_precision"]) == ("Gwadar", "town")


def test_one_report_naming_two_near_towns_for_two_events_gives_two_rows(builder):
    # Lysychansk lies some 10 km from Sievierodonetsk: near enough for two reports of one event to name
    # either, but one report that puts its capture in one and its shelling in the other tells them apart.
    text = ("Russian troops captured the town of Sievierodonetsk on Thursday. "
            "Artillery shelled Lysychansk on Thursday, officials said.")
    report = Annotated(96, text, published="2022-06-03")
    report.event("captured", "BATTLES")
    report.event("shelled", "EXPLOSIONS_REMOTE_VIOLENCE")
    capture, shelling = builder.records(report.article, report.spans, report.links)
    assert (capture.place.place.name, shelling.place.place.name) == ("Sievierodonetsk", "Lysychansk")
    assert not {capture.place.basis, shelling.place.basis} & SETTINGS
    assert rows([capture, shelling]) == [1, 1]
    # two reports, one naming each town for the same shelling, still make one row
    other = one_record(builder, 97, "Artillery shelled Sievierodonetsk on Thursday, officials said.", "shelled",
                       "2022-06-03")
    assert rows([shelling, other]) == [2]


def test_a_country_is_not_a_name_two_reports_share(builder):
    # Every report of this war names Ukraine: that is no sign two of them tell one event (two named
    # people, groups or places both reports name add evidence, ADR 15). Other names still count.
    report = Annotated(98, "Ukraine said the Azov Brigade shelled positions near Donetsk.", published="2024-05-02")
    report.event("shelled", "EXPLOSIONS_REMOTE_VIOLENCE")
    report.span("Ukraine", "LOCATION")
    report.span("Azov Brigade", "ORG")
    (record,) = builder.records(report.article, report.spans, report.links)
    assert "azov brigade" in record.source.names and "ukraine" not in record.source.names


def test_two_undated_reports_set_only_in_one_country_stay_two_rows(builder):
    # Neither report says where or when its shelling was; both are set in the country they name. Every
    # report of a war is: that alone joins nothing.
    one = one_record(builder, 100, "Ukraine said Russia shelled a village overnight.", "shelled", None)
    other = one_record(builder, 101, "Ukraine accused Russia of shelling a school.", "shelling", None)
    assert one.place.place.name == other.place.place.name == "Russia" and one.place.basis in SETTINGS
    assert rows([one, other]) == [1, 1]
