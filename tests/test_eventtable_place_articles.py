"""Where an event happened, read in whole articles (invented text): a capital that speaks is its government,
a wire's dateline says where the reporter is, a headline's dash is no dateline, and an everyday word
capitalised at a sentence's start is no town."""

import pytest

from annotator.eventtable.places import COUNTRY, TOWN
from annotator.suggest.lexicon import dateline
from eventtable_fixtures import Annotated, builder, places_index, record_of_sentence  # noqa: F401 - fixtures


def record_of(builder, text, trigger, label="EXPLOSIONS_REMOTE_VIOLENCE", published="2024-05-10", **arguments):
    return record_of_sentence(builder, 71, text, trigger, label, published, **arguments)


# -- a. a capital that says, denies or claims is its government speaking --------------------------------

def test_a_capital_denying_an_attack_is_not_where_the_attack_happened(builder):
    text = "Artillery hit the town of Marinka overnight. Moscow denies shelling the town."
    record = record_of(builder, text, "shelling")
    assert record.place is not None and record.place.place is not None
    assert record.place.place.name != "Moscow"
    assert record.place.place.country_code == "UA"


@pytest.mark.parametrize("text, trigger", [
    ("Washington said the strike killed a militia commander.", "strike"),
    ("Kyiv claimed its drones hit a fuel depot.", "hit"),
    ("Moscow accused the rebels of shelling a school.", "shelling"),
])
def test_a_speaking_capital_is_never_read_as_the_place(builder, text, trigger):
    record = record_of(builder, text, trigger)
    assert record.place is None or record.place.place is None


def test_a_capital_where_something_happened_is_still_the_place(builder):
    record = record_of(builder, "Protesters marched in Moscow on Sunday and police detained dozens.", "detained",
                       label="PROTESTS")
    assert record.place.place.name == "Moscow"


# -- b. a dateline is where the reporter is -----------------------------------------------------------

def test_a_dateline_sets_an_unplaced_event_in_its_country_when_the_article_names_other_towns(builder):
    text = ("KYIV, June 24 (Reuters) - Russian forces shelled Kramatorsk and Bakhmut overnight, officials said.\n\n"
            "Later a drone struck a fuel depot, the air force said.")
    record = record_of(builder, text, "struck")
    assert (record.place.place.name, record.place.place.precision) == ("Ukraine", COUNTRY)
    assert record.place.basis == "dateline"
    assert "Kyiv" in record.place.note


def test_a_dateline_is_the_city_itself_when_the_article_names_no_other_town(builder):
    text = "KYIV, June 24 (Reuters) - A drone struck a fuel depot overnight, officials said."
    record = record_of(builder, text, "struck")
    assert (record.place.place.name, record.place.place.precision) == ("Kyiv", TOWN)
    assert record.place.basis == "dateline"


def test_a_place_the_events_own_words_give_beats_the_dateline(builder):
    text = "KYIV, June 24 (Reuters) - A drone struck a fuel depot in Kramatorsk overnight, officials said."
    record = record_of(builder, text, "struck")
    assert record.place.place.name == "Kramatorsk" and record.place.basis != "dateline"


# -- c. a headline with a dash is no dateline ---------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Ukraine says troops pull back - officials\nTroops left the town on Friday after weeks of shelling.",
    "Kharkiv hit by drones overnight - mayor\n\nDrones struck the city's edge, the mayor said.",
    "Rebels seize border post – army\nRebels seized a post on the border on Friday.",
])
def test_a_headline_before_a_dash_is_no_dateline(text):
    assert dateline(text) is None


@pytest.mark.parametrize("text, place", [
    ("KYIV, June 24 (Reuters) - Troops withdrew.", "KYIV"),
    ("Kyiv, June 24 - Troops withdrew from the town after weeks of shelling.", "Kyiv"),
    ("BAMAKO - Soldiers fired on protesters.", "BAMAKO"),
    ("Port Sudan (Reuters) - Shelling resumed.", "Port Sudan"),
])
def test_datelines_are_still_read(text, place):
    assert dateline(text) == place


def test_a_headline_is_not_the_dateline_reports_are_linked_by(builder):
    text = ("Ukraine says troops pull back - officials\n"
            "Troops left a river town on Friday after weeks of shelling, the governor said.")
    record = record_of(builder, text, "shelling")
    assert record.source.dateline == ""
    assert record.place is None or record.place.basis != "dateline"


# -- d. an everyday word at a sentence's start is no town ---------------------------------------------

@pytest.mark.parametrize("text, word, trigger", [
    ("Luck was with the villagers when a shell struck the school.", "Luck", "struck"),
    ("Split between two factions, the rebels attacked a checkpoint.", "Split", "attacked"),
    ("Mobile phones were seized after gunmen attacked the market.", "Mobile", "attacked"),
])
def test_an_everyday_word_marked_as_a_location_is_not_a_place(builder, text, word, trigger):
    report = Annotated(72, text, published="2024-05-10")
    report.span(word, "LOCATION")  # what an accepted suggestion leaves
    report.event(trigger, "BATTLES")
    (record,) = builder.records(report.article, report.spans, report.links)
    assert record.place is None or record.place.place is None


def test_a_town_named_so_after_a_place_preposition_is_still_a_place(builder):
    report = Annotated(73, "Gunmen attacked a bar in Split on Friday.", published="2024-05-10")
    report.span("Split", "LOCATION")
    report.event("attacked", "BATTLES")
    (record,) = builder.records(report.article, report.spans, report.links)
    assert (record.place.place.name, record.place.place.country_code) == ("Split", "HR")


def test_a_dateline_city_the_article_names_again_stays_the_setting(builder):
    text = ("ODESA, July 31 - Missiles hit the port city of Odesa overnight, and grain ships waited off Mykolaiv.\n\n"
            "Two workers were killed at the terminal, the governor said.")
    record = record_of(builder, text, "killed")
    assert (record.place.place.name, record.place.basis) == ("Odesa", "dateline")


def test_a_town_named_so_in_a_list_after_a_place_preposition_is_a_place(builder):
    report = Annotated(74, "Gunmen killed six people in Zadar, Sibenik and Split on Friday.", published="2024-05-10")
    report.event("killed", "BATTLES", location=[("Zadar", "LOCATION")])
    from annotator.suggest.lexicon import an_everyday_word

    doc = builder._doc(report.article.text, True)
    split = doc.char_span(report.article.text.index("Split"), report.article.text.index("Split") + 5)
    assert not an_everyday_word(doc, split)


def test_a_dateline_in_capitals_with_its_country_and_a_double_dash_is_read():
    assert dateline("TEGUCIGALPA, Honduras -- The candidate called on her supporters to march.") == "TEGUCIGALPA"


def test_an_exported_row_placed_by_a_dateline_says_so_and_validates(builder, tmp_path):
    import json

    import jsonschema

    from annotator.eventtable.export import event_rows, to_geojson
    from annotator.eventtable.linking import propose
    from annotator.schemes import schemas_dir

    report = Annotated(75, "KYIV, June 24 (Reuters) - Russian forces shelled Kramatorsk and Bakhmut overnight.\n\n"
                           "Later a drone struck a fuel depot, the air force said.", published="2024-06-24")
    report.event("struck", "EXPLOSIONS_REMOTE_VIOLENCE")
    records = builder.records(report.article, report.spans, report.links)
    (row,) = event_rows(propose(records), {r.key: r for r in records})
    assert (row["place_basis"], row["location_precision"], row["country"]) == ("dateline", "country", "Ukraine")
    for name, document in (("event_row.schema.json", row),
                           ("events.geojson.schema.json", to_geojson([row]))):
        schema = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
