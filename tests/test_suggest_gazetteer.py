import pytest

from annotator.suggest import GazetteerError, load_gazetteer
from annotator.suggest.gazetteer import gazetteer_dir


@pytest.fixture(scope="module")
def curated():
    return load_gazetteer(geonames=False)


@pytest.mark.parametrize(
    "spellings, canonical",
    [
        (["Severodonetsk", "Sievierodonetsk", "Syeverodonetsk"], "Sievierodonetsk"),
        (["Lugansk", "Luhansk"], "Luhansk"),
        (["Kiev", "Kyiv"], "Kyiv"),
        (["Kharkov", "Kharkiv"], "Kharkiv"),
        (["Nikolaev", "Mykolaiv"], "Mykolaiv"),
        (["Artemivsk", "Artemovsk", "Bakhmut"], "Bakhmut"),
        (["Sergiy Gaiday", "Serhiy Haiday", "Serhii Haidai", "Gaiday"], "Serhiy Haidai"),
        (["Deir el-Zour", "Deir ez-Zor"], "Deir ez-Zor"),
    ],
)
def test_suggest_gazetteer_transliterations_share_one_canonical_name(curated, spellings, canonical):
    assert {curated.canonical(s) for s in spellings} == {canonical}


def test_suggest_gazetteer_a_cyrillic_spelling_is_the_curated_place_it_reads_as(curated):
    # Russian and Ukrainian spellings of one town in one week's reports: one place
    assert curated.canonical("Северодонецк") == curated.canonical("Сєвєродонецьк") == "Sievierodonetsk"
    assert curated.canonical("Харьков") == "Kharkiv"
    assert curated.canonical("Пример") is None  # a word no curated place reads as


def test_suggest_gazetteer_normalise_folds_case_accents_and_spelling(curated):
    assert curated.normalise("the  KIEV") == curated.normalise("Kyïv") == "kyiv"
    assert curated.normalise("Lugansk People's Militia") == curated.normalise("Lugansk Peoples Militia") == "lugansk peoples militia"


def test_suggest_gazetteer_geonames_adds_cities_with_their_variants():
    gazetteer = load_gazetteer()
    assert gazetteer.canonical("Zhitomir") == gazetteer.canonical("Zhytomyr") == "Zhytomyr"
    assert gazetteer.canonical("Kyiv") == "Kyiv"  # the curated spelling wins over geonames


def test_suggest_gazetteer_a_curated_spelling_wins_over_a_geonames_one_that_folds_alike():
    from annotator.suggest.gazetteer import Gazetteer

    # geonames files "Slov'iansk" under another town; folded, it is the curated "Sloviansk"
    gazetteer = Gazetteer(places={"Sloviansk": "Sloviansk", "Slov'iansk": "Nikopol", "Nikopol": "Nikopol"},
                          from_geonames=frozenset({"Slov'iansk", "Nikopol"}))
    assert gazetteer.canonical("SLOVIANSK") == gazetteer.canonical("Slov'iansk") == "Sloviansk"
    assert gazetteer.canonical("Nikopol") == "Nikopol"


def test_suggest_gazetteer_broken_file_names_the_file(tmp_path):
    for source in gazetteer_dir().glob("*.json"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "people.json").write_text('{"format": "conflict-annotator/gazetteer-people",\n "people": [}', encoding="utf-8")
    with pytest.raises(GazetteerError) as error:
        load_gazetteer(tmp_path, geonames=False)
    assert "people.json" in str(error.value) and "line 2" in str(error.value)
