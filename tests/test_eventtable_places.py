import pytest

from annotator.eventtable.places import COUNTRY, REGION, TOWN
from eventtable_fixtures import places_index  # noqa: F401 - a fixture


@pytest.fixture(scope="session")
def places(places_index):
    return places_index


def test_places_transliterations_reach_one_geonames_place(places):
    spellings = ["Severodonetsk", "Sievierodonetsk", "Syeverodonetsk"]
    ids = {places.resolve(s).place.geonameid for s in spellings}
    assert ids == {691999}
    # the row names the town as the suggestion does, not as GeoNames files it ("Siverskodonetsk")
    assert {places.resolve(s).place.name for s in [*spellings, "Северодонецк"]} == {"Sievierodonetsk"}


def test_places_cyrillic_spellings_reach_the_same_place(places):
    # a report quoting the Russian or Ukrainian name places its event where the English spelling does
    for spelling in ["Северодонецк", "Сєвєродонецьк"]:
        assert places.resolve(spelling).place.geonameid == 691999


def test_places_another_towns_stray_alias_is_no_candidate(places):
    # geonames lists "Slov'iansk" among Nikopol's names: a Sloviansk dateline was placed 300 km away
    resolved = places.resolve("SLOVIANSK")
    assert resolved.place.name == "Sloviansk" and resolved.place.country_code == "UA"
    assert "Nikopol" not in {c.name for c in resolved.candidates}


def test_places_old_names_resolve_through_the_gazetteer(places):
    assert places.resolve("Kharkov").place.geonameid == places.resolve("Kharkiv").place.geonameid == 706483
    assert places.resolve("Artemivsk").place.name == "Bakhmut"


def test_places_an_ambiguous_name_follows_the_article(places):
    libya = places.context(["Benghazi"], "Fighting spread across Libya.")
    lebanon = places.context(["Beirut"], "Clashes in northern Lebanon.")
    in_libya = places.resolve("Tripoli", libya)
    in_lebanon = places.resolve("Tripoli", lebanon)
    assert in_libya.place.country_code == "LY"
    assert in_lebanon.place.country_code == "LB"
    # The other Tripoli is kept for the reviewer.
    assert {c.country_code for c in in_lebanon.candidates} >= {"LY", "LB"}


def test_places_precision_town_region_country(places):
    assert places.resolve("Mariupol").place.precision == TOWN
    region = places.resolve("the Lugansk region").place
    assert (region.name, region.precision) == ("Luhansk", REGION)
    country = places.resolve("Ukraine").place
    assert (country.geonameid, country.precision, country.iso3) == (690791, COUNTRY, "UKR")


def test_places_unknown_name_is_kept_with_no_place(places):
    resolved = places.resolve("Qwertyuiopville")
    assert resolved.place is None and resolved.candidates == ()
    assert "Qwertyuiopville" in resolved.note


def test_places_a_word_for_a_place_is_no_place_of_that_name(places):
    # "the area" was Teresina in Brazil and "the city" Oakville: GeoNames' alternate names matched them
    for words in ["the area", "the city", "this town", "the region", "the north", "north", "the border"]:
        resolved = places.resolve(words)
        assert resolved.place is None, (words, resolved.place)
        assert "named elsewhere" in resolved.note
    # names keep their place whatever their case
    assert places.resolve("kyiv").place.name == "Kyiv"
    assert places.resolve("the Donbas").place.name == "Donbas"
    assert places.resolve("Split").place.country_code == "HR"


@pytest.mark.parametrize("words, name, code", [
    ("Mexico City", "Mexico City", "MX"), ("Kuwait City", "Kuwait City", "KW"), ("Guatemala City", "Guatemala City", "GT"),
    ("Raqqa city", "Raqqa", "SY"),  # "city" after a name that is no city's own name still names the town
])
def test_a_city_whose_name_ends_in_city_is_that_city_not_its_country(places_index, words, name, code):
    place = places_index.resolve(words).place
    assert (place.name, place.country_code, place.precision) == (name, code, TOWN)
