"""The learned place step and the gazetteer behind it (issue 20): which words of a sentence say where its
event happened, and what place those words name. Invented sentences of the shapes seen in real news."""

import json

import pytest

from annotator.eventtable.place_choice import PlaceChoiceError, PlaceChooser, fit, load_chooser
from annotator.eventtable.places import COUNTRY, REGION, TOWN, PlaceError, _read_regions
from annotator.eventtable.records import RecordBuilder
from eventtable_fixtures import Annotated, places_index  # noqa: F401 - places_index is a fixture


@pytest.fixture(scope="session")
def learned(places_index):
    builder = RecordBuilder(places=places_index)
    assert builder.chooser is not None, "the shipped weights (resources/models/place_choice) are missing"
    return builder


@pytest.fixture(scope="session")
def rules(places_index):
    return RecordBuilder(places=places_index, chooser=False)


def place_of(builder, text, trigger):
    report = Annotated(80, text, published="2024-05-10")
    report.event(trigger, "BATTLES")
    (record,) = builder.records(report.article, report.spans, report.links)
    return record.place


def test_learned_where_it_happened_beats_a_destination(learned):
    place = place_of(learned, "A Greek ship en route to Kenya was captured off Mogadishu on Tuesday.", "captured")
    assert (place.place.name, place.place.country_code) == ("Mogadishu", "SO")
    assert "learned" in place.note


def test_learned_the_waters_not_the_country_that_acted(learned):
    place = place_of(learned, "Iran captured 15 British naval personnel in the Gulf on Friday.", "captured")
    assert place.place.name == "Persian Gulf" and place.place.country_code != "IR"


def test_learned_a_possessive_country_contains_the_province(learned):
    # The model tags "Aleppo" here as a nationality adjective: the words before "province" still name it.
    place = place_of(learned, "Government jets bombed two villages in Syria's Aleppo province.", "bombed")
    assert (place.place.name, place.place.precision, place.place.admin1) == ("Aleppo", REGION, "Aleppo")


def test_learned_an_organisation_s_name_is_not_where(learned):
    place = place_of(learned, "The Islamic State of Iraq and Al-Sham launched an offensive in the provincial capital "
                              "of Deir Ezzor on Saturday.", "offensive")
    assert place.place.country_code == "SY"


def test_learned_titles_and_agency_initials_are_never_places(learned):
    place = place_of(learned, "The group's deputy Middle East director said soldiers were attacked, SANA reported.",
                     "attacked")
    assert place is None or place.place is None


def test_learned_a_town_named_inside_its_region_is_where(learned):
    place = place_of(learned, "Soldiers shelled the West Bank town of Hebron overnight.", "shelled")
    assert (place.place.name, place.place.precision) == ("Hebron", TOWN)


def test_learned_a_known_town_the_model_took_for_a_person(learned, rules):
    # Taken for a place only because the article is about Syria: a lone name far from it would be a word.
    text = "The war in Syria went on. Troops recaptured Kafr Saghir after heavy fighting."
    place = place_of(learned, text, "recaptured")
    assert place.place.country_code == "SY" and place.place.precision == TOWN
    assert place_of(rules, text, "recaptured").place.precision == COUNTRY  # the rules alone never saw the town


def test_rules_decide_without_a_chooser(rules, tmp_path):
    assert rules.chooser is None
    assert load_chooser(tmp_path / "absent.json") is None
    place = place_of(rules, "A Greek ship en route to Kenya was captured off Mogadishu on Tuesday.", "captured")
    assert place.place.name == "Mogadishu" and "learned" not in place.note


def test_fit_learns_which_cue_says_where(tmp_path):
    bags = [{"bias": 1.0, "prep=in": 1.0}] * 30 + [{"bias": 1.0, "dep=nsubj": 1.0}] * 30
    labels = [True] * 27 + [False] * 3 + [False] * 28 + [True] * 2
    chooser = fit(bags, labels, threshold=0.3)
    assert chooser.score({"bias": 1.0, "prep=in": 1.0}) > 0.8 > 0.2 > chooser.score({"bias": 1.0, "dep=nsubj": 1.0})
    path = tmp_path / "weights.json"
    chooser.save(path)
    again = PlaceChooser.read(path)
    assert again.threshold == 0.3 and again.score({"bias": 1.0, "prep=in": 1.0}) == pytest.approx(
        chooser.score({"bias": 1.0, "prep=in": 1.0}), abs=1e-3)


@pytest.mark.parametrize("content, complaint", [
    ("not json", "cannot read"),
    (json.dumps({"format": "something-else", "weights": {}, "threshold": 0.1}), "not a place chooser"),
    (json.dumps({"format": "conflict-annotator/place-choice", "weights": {"bias": "high"}, "threshold": 0.1}), "weights"),
    (json.dumps({"format": "conflict-annotator/place-choice", "weights": {"bias": 1}, "threshold": 3}), "threshold"),
])
def test_a_bad_weights_file_is_named_with_what_is_wrong(tmp_path, content, complaint):
    path = tmp_path / "weights.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlaceChoiceError) as caught:
        PlaceChooser.read(path)
    assert str(path) in str(caught.value) and complaint in str(caught.value)


# -- the gazetteer -------------------------------------------------------------------------------------

@pytest.mark.parametrize("words, country, precision", [
    ("Bagram", "AF", TOWN), ("Incirlik", "TR", TOWN), ("East Ghouta", "SY", REGION), ("Chechen Republic", "RU", REGION),
    ("Al-Anbar", "IQ", REGION), ("Hawija", "IQ", TOWN), ("Gaza", "PS", TOWN), ("Bosnia", "BA", COUNTRY),
    ("Deir Ezzor Military Airport", "SY", TOWN), ("Baluchistan", "PK", REGION),
])
def test_gazetteer_reaches_names_news_uses(places_index, words, country, precision):
    place = places_index.resolve(words).place
    assert (place.country_code, place.precision) == (country, precision)


def test_gazetteer_transliteration_key_stays_in_arabic_speaking_countries(places_index):
    # "Hawija" finds Al Hawijah (Iraq) by the looser key; a name with no such town nowhere is still nothing.
    assert places_index.resolve("Hawija").place.name.startswith("Al ")
    assert places_index.resolve("Qwertyuiyah").place is None


def test_curated_regions_file_errors_name_the_file_and_entry(tmp_path):
    path = tmp_path / "regions.json"
    path.write_text(json.dumps({"regions": [{"name": "Nowhere Sea", "country": "", "lat": 95, "lon": 0}]}))
    with pytest.raises(PlaceError, match=r"regions\.json: region 1 \(Nowhere Sea\) has coordinates off the globe"):
        _read_regions(path)
    path.write_text(json.dumps({"regions": [{"name": "Nowhere Sea", "lat": 5, "lon": 0}]}))
    with pytest.raises(PlaceError, match="has no country"):
        _read_regions(path)


# -- districts and places the gazetteer lacks ----------------------------------------------------------

@pytest.mark.parametrize("words, name, country, admin1", [
    ("Maywand District", "Maywand", "AF", "Kandahar"),  # a district (GeoNames admin2) with its province
    ("Kasese district", "Kasese", "UG", "Western Region"),
    ("Aleppo Governorate", "Aleppo", "SY", "Aleppo"),  # a first-level region by one of its other names
])
def test_gazetteer_districts_and_region_aliases_are_regions(places_index, words, name, country, admin1):
    place = places_index.resolve(words).place
    assert (place.name, place.country_code, place.precision, place.admin1) == (name, country, REGION, admin1)


def test_gazetteer_a_bare_name_is_the_town_before_its_district(places_index):
    # "Kasese" alone is the town; only "Kasese district" is the district around it.
    assert places_index.resolve("Kasese").place.precision == TOWN


def test_districts_file_errors_name_the_file_and_entry(tmp_path):
    from annotator.eventtable.places import _add_admin2

    path = tmp_path / "admin2.json"
    path.write_text(json.dumps({"admin1_aliases": {}, "admin2": [["Nowhere", "XX.01.5", "north", 0, 0, []]]}))
    with pytest.raises(PlaceError, match=r"admin2\.json: district 1 .*Nowhere"):
        _add_admin2({}, {}, {}, path)
    path.write_text("{")
    with pytest.raises(PlaceError, match=r"admin2\.json: cannot read the districts"):
        _add_admin2({}, {}, {}, path)


def test_learned_a_village_the_gazetteer_lacks_keeps_its_name_at_its_region(learned):
    place = place_of(learned, "Rebels shelled the village of Qarawiyat Zubaydah in southern Idlib province on Monday.",
                     "shelled")
    assert place.unlisted and place.text == "Qarawiyat Zubaydah"
    assert (place.place.name, place.place.country_code, place.place.precision) == ("Idlib", "SY", REGION)
    assert "not in the gazetteer" in place.note


def test_learned_a_village_the_gazetteer_lacks_falls_back_to_the_country_named(learned):
    place = place_of(learned, "Two people were killed in Kafr Zubaydah, Syria, on Monday.", "killed")
    assert place.unlisted and place.text == "Kafr Zubaydah"
    assert (place.place.country_code, place.place.precision) == ("SY", COUNTRY)


def test_learned_a_known_town_beats_a_guess_for_an_unknown_name(learned):
    # The town named beside an unknown village is a place of its own: read it, as before.
    place = place_of(learned, "Two people were killed in Kafr Zubaydah near Idlib on Monday.", "killed")
    assert not place.unlisted


def test_export_says_a_place_was_placed_at_its_region(learned):
    from annotator.eventtable.export import event_row
    from annotator.eventtable.linking import Group

    report = Annotated(81, "Rebels shelled the village of Qarawiyat Zubaydah in southern Idlib province on Monday.",
                       published="2024-05-10")
    report.event("shelled", "BATTLES")
    (record,) = learned.records(report.article, report.spans, report.links)
    row = event_row(Group(id="g1", members=(record.key,)), [record])
    assert (row["location"], row["admin1"], row["country"], row["location_precision"]) == (
        "Qarawiyat Zubaydah", "Idlib", "Syria", "region")
    assert "'Qarawiyat Zubaydah' is not in the gazetteer: placed at region level" in row["notes"]


def test_learned_a_small_town_the_model_left_untyped_is_read_when_the_step_is_sure(learned):
    # "Birao" is no entity of the model's and the article names no country: the step's confidence decides.
    place = place_of(learned, "Rebels captured Birao on Tuesday after a week of fighting.", "captured")
    assert (place.place.name, place.place.country_code) == ("Birao", "CF")


def test_learned_a_title_is_still_no_town_of_its_name(learned):
    place = place_of(learned, "A former Minister was killed at home on Monday.", "killed")
    assert place is None or place.place is None


def test_learned_a_car_s_name_is_no_town_abroad_where_the_article_names_its_country(learned):
    place = place_of(learned, "A bomber detonated his explosives-packed Mercedes near a market in Baghdad, Iraq, "
                              "on Saturday.", "detonated")
    assert place.place.country_code == "IQ"


def test_learned_no_country_from_an_organisation_s_name_around_an_unknown_base(learned):
    # "State" is a region word, but "Islamic State of Iraq" is a name: Iraq is no place of this attack.
    place = place_of(learned, "The so-called “Islamic State of Iraq and Al-Sham” (ISIS) launched their largest attack "
                              "at the Qarawiyat Airbase on Thursday, targeting the checkpoints.", "attack")
    assert place is None or place.place is None or place.place.country_code != "IQ"


def test_learned_a_region_word_alone_is_never_kept_as_the_place_s_name(learned):
    place = place_of(learned, "Fighting broke out in the State of Qatar on Monday.", "Fighting")
    assert (place.place.country_code, place.unlisted) == ("QA", False)


def test_place_levels_put_a_district_between_its_towns_and_its_province(places_index):
    district = next(p for p in places_index.lookup("Sanga local government area"))
    province = places_index.resolve("Kaduna State").place
    town = places_index.resolve("Kaduna").place
    country = places_index.resolve("Nigeria").place
    assert (town.level, district.level, province.level, country.level) == (0, 1, 2, 3)
    assert district.precision == province.precision == REGION  # precision alone cannot tell them apart


@pytest.mark.parametrize("text, trigger", [
    ("Herdsmen killed nine farmers in the Sanga local government area of Kaduna State on Friday.", "killed"),
    ("Herdsmen killed nine farmers in Sanga Local Government Area of Kaduna State on Friday.", "killed"),
])
def test_learned_a_district_named_inside_its_province_is_where(learned, text, trigger):
    place = place_of(learned, text, trigger)
    assert (place.place.name, place.place.country_code, place.place.level) == ("Sanga", "NG", 1)
    assert place.place.admin1 == "Kaduna"


@pytest.mark.parametrize("text, trigger, name", [
    ("Rebels launched a new assault in the East Ghouta region of rural Damascus on Sunday.", "assault",
     "Eastern Ghouta"),
    ("Government troops began an offensive in the Wadi Barada area of rural Damascus on Friday.", "offensive",
     "Wadi Barada"),
])
def test_learned_the_place_a_region_is_of_holds_it_rather_than_being_where(learned, text, trigger, name):
    place = place_of(learned, text, trigger)
    assert (place.place.name, place.place.precision) == (name, REGION)


def test_learned_a_state_of_a_name_is_that_state(learned):
    # "the state of Hidalgo" names the state: "of" here is no container, unlike "the Ghouta region of Damascus".
    place = place_of(learned, "Police detained forty migrants in the central Mexico state of Hidalgo on Tuesday.",
                     "detained")
    assert (place.place.name, place.place.country_code) == ("Hidalgo", "MX")


def test_a_conjunct_of_an_organisation_s_place_is_no_place(learned, rules):
    # "Al-Sham" is also an old name of Damascus; here it is the second half of a group's name.
    text = "The Islamic State of Iraq and Al-Sham shelled government positions on Monday."
    for builder in (learned, rules):
        place = place_of(builder, text, "shelled")
        assert place is None or place.place is None or place.place.name != "Damascus"


def test_learned_the_province_of_a_name_is_the_province(learned):
    place = place_of(learned, "Two soldiers were killed in the eastern province of Deir Ezzor on Monday.", "killed")
    assert (place.place.name, place.place.precision, place.place.country_code) == ("Deir ez-Zor", REGION, "SY")


def test_learned_an_office_where_it_happened_is_in_its_town(learned):
    # "office" usually makes the place before it an organisation's ("the Kabul office said"), but not here.
    place = place_of(learned, "The editor was shot outside his Istanbul office on Monday.", "shot")
    assert (place.place.name, place.place.country_code) == ("Istanbul", "TR")


def test_a_day_s_name_does_not_join_the_place_before_it(learned):
    # The model tags the town as a work of art; the proper nouns "Thessaloniki Tuesday" are two words of two kinds.
    place = place_of(learned, "Riot police clashed with protesters outside the Turkish consulate in Thessaloniki Tuesday.",
                     "clashed")
    assert (place.place.name, place.place.country_code) == ("Thessaloníki", "GR")


def test_learned_a_small_town_is_taken_where_the_article_names_its_people(learned):
    # Syria is never named, only "Syrian": enough for a small Syrian town the model left untyped, though
    # the country the article does name is another.
    place = place_of(learned, "The Syrian army recaptured Kafr Saghir from rebels backed by Turkey on Sunday.",
                     "recaptured")
    assert (place.place.country_code, place.place.precision, place.unlisted) == ("SY", TOWN, False)


def test_a_nationality_does_not_rank_a_name_s_places(places_index):
    context = places_index.context([], "Russian jets struck the city again.")
    assert context.nationalities["RU"] == 1 and not context.countries  # plausibility only, never the ranking


@pytest.mark.parametrize("text, trigger, name, country", [
    # The model's entity stops at the first hyphen: "Mazar" alone is a village in Jordan.
    ("Taliban fighters took the stronghold of Mazar-e-Sharif in northern Afghanistan on Monday.", "took",
     "Mazār-e Sharīf", "AF"),
    # The model's entity ends after "Khe", whose folded key names another town.
    ("Two regiments made a forced march from the vicinity of Khe Sanh to the coast.", "march", "Khe Sanh", "VN"),
])
def test_learned_a_name_cut_short_by_the_model_is_read_whole(learned, text, trigger, name, country):
    place = place_of(learned, text, trigger)
    assert (place.place.name, place.place.country_code) == (name, country)


def test_continents_and_oceans_are_no_towns_of_their_names(places_index, learned):
    assert places_index.lookup("Asia") == places_index.lookup("the Pacific") == []  # not Asia, Philippines
    assert [p.name for p in places_index.lookup("Indian Ocean")] == ["Indian Ocean"]  # listed by hand: kept
    place = place_of(learned, "Two traders were found murdered on a Pacific island, police in Fiji said.", "murdered")
    assert place.place.country_code == "FJ"  # not Pacific, Missouri


def test_learned_a_name_before_its_parts_is_the_place(learned):
    # The model gives "Aleppo" no entity here; "districts" after it says it is a place's name.
    place = place_of(learned, "The army launched a new offensive that targeted the southern Aleppo districts on Monday.",
                     "targeted")
    assert (place.place.name, place.place.country_code) == ("Aleppo", "SY")


def test_a_part_of_a_town_written_in_lower_case_is_the_town(places_index, learned):
    assert places_index.resolve("west Baghdad").place.name == "Baghdad"
    assert places_index.lookup("Northern Alliance") == []  # capitalised, it begins a name of its own
    place = place_of(learned, "A car bomb exploded near a bus station in west Baghdad on Monday.", "exploded")
    assert (place.place.name, place.place.country_code) == ("Baghdad", "IQ")


def test_learned_a_title_beside_the_place_is_no_town(learned):
    # "Minister" is a small town's name in GeoNames' alternates; here it is a title, and Abuja the place.
    place = place_of(learned, "A fire engulfed the Abuja home of a former Minister of State for Education on Monday, "
                              "killing eight people.", "engulfed")
    assert (place.place.name, place.place.country_code) == ("Abuja", "NG")


def test_a_title_is_never_among_the_step_s_candidates(places_index):
    from annotator.eventtable.place_choice import index_cue, sentence_mentions
    from annotator.eventtable.records import load_parser
    from annotator.eventtable.where import mentions

    text = "Gunmen killed a former Minister of State for Education on Monday."
    doc = load_parser()(text)
    start = text.index("killed")
    found = sentence_mentions(doc, start, start + len("killed"), mentions(doc), index_cue(places_index))
    assert "Minister" not in [m.text for m in found]


@pytest.mark.parametrize("text, trigger, name", [
    # The model takes the first name of each list for an organisation: the list still names places.
    ("Jets struck the villages of Babinnis and Kafr Saghir north of Aleppo on Monday.", "struck", "Kafr Şaghīr"),
    ("Militiamen attacked villages between Tabit and El Fasher on Tuesday.", "attacked", "El Fasher"),
])
def test_a_list_of_places_whose_first_name_reads_as_a_group_is_still_places(learned, text, trigger, name):
    place = place_of(learned, text, trigger)
    assert place.place is not None and place.place.name == name


def test_a_conjunct_of_a_group_s_name_outside_a_place_slot_is_still_no_place(learned):
    # The refinement above is only for lists where places stand: a group's name keeps its conjuncts.
    place = place_of(learned, "The Islamic State of Iraq and Al-Sham shelled army positions on Monday.", "shelled")
    assert place is None or place.place is None or place.place.name != "Damascus"


@pytest.mark.parametrize("text, trigger", [
    ("Warplanes kept up their attacks on Aleppo for a fifth day on Sunday.", "attacks"),  # "a work of art"
    ("Rebels shelled Aleppo's western districts on Sunday.", "shelled"),  # "a person"
])
def test_learned_a_city_the_model_gave_an_odd_entity_type_is_still_a_candidate(learned, text, trigger):
    place = place_of(learned, text, trigger)
    assert (place.place.name, place.place.country_code) == ("Aleppo", "SY")


def test_learned_a_bracketed_date_does_not_cut_the_sentence_off_its_place(learned):
    # The parser starts a new sentence at "[": the place after it is still the event's sentence's.
    place = place_of(learned, "Four people were killed on Sunday [4 May] in a clash at a polling station in "
                              "Ranipur Town, Sindh.", "killed")
    assert place.place is not None and place.place.country_code == "PK"
    assert "learned" in place.note


def test_relation_cues_say_which_place_holds_another(places_index):
    from annotator.eventtable.place_choice import cues, index_cue, sentence_mentions
    from annotator.eventtable.records import load_parser
    from annotator.eventtable.where import mentions

    text = "Seven people were killed in the town of Rastan in central Syria on Sunday."
    doc = load_parser()(text)
    start = text.index("killed")
    resolve = index_cue(places_index)
    found = sentence_mentions(doc, start, start + len("killed"), mentions(doc), resolve)
    bags = dict(zip([m.text for m in found], cues(doc, start, start + len("killed"), found, resolve, relations=True)))
    assert bags["Syria"]["after_place=in"] == 1.0 and bags["Rastan"]["before_place=in"] == 1.0
    assert bags["Rastan"]["after_place=-"] == 1.0 and bags["Syria"]["coarsest=True"] == 1.0
    plain = cues(doc, start, start + len("killed"), found, resolve)
    assert not any(name.startswith(("after_place", "describes")) for bag in plain for name in bag)


def _one_event_training_set():
    # Two cues: "attached" marks the gold candidate of each event with two candidates; events whose
    # annotator marked no place have one unattached candidate.
    bags, labels, events = [], [], []
    for number in range(40):
        bags += [{"bias": 1.0, "attached": 1.0}, {"bias": 1.0, "far": 1.0}]
        labels += [True, False]
        events += [number, number]
    for number in range(40, 60):
        bags.append({"bias": 1.0, "far": 1.0})
        labels.append(False)
        events.append(number)
    return bags, labels, events


def test_a_softmax_chooser_shares_one_event_s_probability_with_no_place(tmp_path):
    bags, labels, events = _one_event_training_set()
    chooser = fit(bags, labels, events=events, about="invented")
    assert chooser.choice == "event" and chooser.weights["attached"] > chooser.weights.get("far", 0.0)
    shares = chooser.shares([{"bias": 1.0, "attached": 1.0}, {"bias": 1.0, "far": 1.0}])
    assert shares[0] > 0.5 > shares[1] and sum(shares) < 1.0  # the rest is "no place said"
    chooser.save(tmp_path / "w.json")
    again = PlaceChooser.read(tmp_path / "w.json")
    assert (again.choice, again.relations, again.weights) == ("event", False, chooser.weights)
    with pytest.raises(PlaceChoiceError, match="event's number"):
        fit(bags, labels, events=events[::-1])


def test_a_weights_file_with_an_unknown_way_of_choosing_is_refused(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"format": "conflict-annotator/place-choice", "threshold": 0.1, "weights": {},
                                "choice": "pairs"}), encoding="utf-8")
    with pytest.raises(PlaceChoiceError, match="w.json.*'choice'"):
        PlaceChooser.read(path)
    path.write_text(json.dumps({"format": "conflict-annotator/place-choice", "threshold": 0.1, "weights": {},
                                "relations": "yes"}), encoding="utf-8")
    with pytest.raises(PlaceChoiceError, match="'relations'"):
        PlaceChooser.read(path)


def test_learned_a_province_named_after_its_district_is_no_finer_town(learned):
    # "Pattani" is also a town, finer than the district; after "Kapho district," it names the province.
    place = place_of(learned, "Soldiers were patrolling a village road in Kapho district, Pattani when a bomb hit "
                              "their truck on Sunday.", "patrolling")
    assert (place.place.name, place.place.country_code) == ("Amphoe Kapho", "TH")


@pytest.mark.parametrize("text, trigger, name", [
    ("South of Baghdad, six people were killed when a car bomb went off in a market in the town of Suwayra.",
     "killed", "Aş Şuwayrah"),
    ("Bur Hakaba, about 180 km south of Mogadishu, is held by militia who attacked a convoy on Monday.",
     "attacked", "Buurhakaba"),
])
def test_learned_the_place_a_distance_is_measured_from_is_not_where(learned, text, trigger, name):
    place = place_of(learned, text, trigger)
    assert place.place is not None and place.place.name == name


def test_learned_the_eastern_part_of_a_city_is_still_the_city(learned):
    # "eastern of" and "outside of" say where, unlike "south of": the place stays the event's.
    place = place_of(learned, "Fighters attacked checkpoints in the eastern part of Damascus on Monday.", "attacked")
    assert (place.place.name, place.place.country_code) == ("Damascus", "SY")


@pytest.mark.parametrize("text, words, group", [
    # "Al-Sham" (an old name of Damascus) ends a group's name whose initials follow in brackets.
    ("Army units attacked the Islamic State of Iraq and Al-Sham (ISIS) fighters on Monday.", "Al-Sham", True),
    ("Army units attacked the “Islamic State of Iraq and Al-Sham” (ISIS) on Monday.", "Al-Sham", True),
    ("Rebels attacked a town in the Democratic Republic of Congo (DRC) on Monday.", "Democratic Republic of Congo",
     False),
    ("Herdsmen stormed villages in Logo Local Government Area (LGA) on Friday.", "Logo Local Government Area", False),
    ("Rebels attacked a town in Kivu (east) on Monday.", "Kivu", False),
])
def test_a_name_its_initials_follow_is_a_group_s_not_a_place(places_index, text, words, group):
    from annotator.eventtable.records import _before_initials, load_parser
    from annotator.eventtable.where import Mention

    doc = load_parser()(text)
    start = text.index(words)
    mention = Mention(start, start + len(words), words, doc.char_span(start, start + len(words)).root.i)
    assert _before_initials(doc, mention, places_index.country_of) is group


def test_learned_a_district_its_initials_follow_is_still_the_district(learned):
    place = place_of(learned, "Herdsmen stormed five villages in Logo Local Government Area (LGA) of Benue State on "
                              "Friday.", "stormed")
    assert (place.place.name, place.place.country_code, place.place.level) == ("Logo", "NG", 1)
