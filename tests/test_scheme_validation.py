import json

import pytest

from annotator.cli import main
from annotator.schemes import SchemeError, load_scheme, scheme_by_name
from annotator.store import Store


def valid_scheme() -> dict:
    return {
        "format": "conflict-annotator/scheme",
        "version": 1,
        "name": "tiny",
        "title": "Tiny",
        "entity_labels": [{"name": "PERSON", "key": "p", "color": "#112233"},
                          {"name": "LOCATION", "key": "l", "color": "#445566"}],
        "event_labels": [{"name": "BATTLES", "key": "b", "color": "#778899", "subtypes": ["Armed clash"]}],
        "roles": [{"name": "ACTOR", "key": "1"}],
        "attributes": [{"name": "modality", "type": "choice", "values": ["happened", "planned"], "default": "happened"}],
    }


def write_scheme(write, content) -> str:
    return write("tiny.json", content if isinstance(content, str) else json.dumps(content))


def test_scheme_valid_file_loads(write):
    scheme = load_scheme(write_scheme(write, valid_scheme()))
    assert scheme.label("BATTLES").subtypes == ("Armed clash",)


def test_scheme_not_json_names_file_and_line(write):
    path = write_scheme(write, '{\n  "name": "tiny",\n  oops\n}')
    with pytest.raises(SchemeError) as error:
        load_scheme(path)
    assert str(path) in str(error.value) and "line 3" in str(error.value) and "not valid JSON" in str(error.value)


def test_scheme_missing_field_is_named(write):
    raw = valid_scheme()
    del raw["roles"]
    path = write_scheme(write, raw)
    with pytest.raises(SchemeError) as error:
        load_scheme(path)
    assert str(path) in str(error.value) and "'roles' is a required property" in str(error.value)


def test_scheme_bad_colour_names_where(write):
    raw = valid_scheme()
    raw["entity_labels"][1]["color"] = "green"
    path = write_scheme(write, raw)
    with pytest.raises(SchemeError) as error:
        load_scheme(path)
    assert str(path) in str(error.value) and "entity_labels/1/color" in str(error.value) and "'green'" in str(error.value)


def test_scheme_duplicate_key_is_refused(write):
    raw = valid_scheme()
    raw["entity_labels"][1]["key"] = "p"
    path = write_scheme(write, raw)
    with pytest.raises(SchemeError) as error:
        load_scheme(path)
    assert str(path) in str(error.value) and "label key 'p' is used twice" in str(error.value)


def test_scheme_unknown_attribute_type_is_named(write):
    raw = valid_scheme()
    raw["attributes"][0]["type"] = "slider"
    path = write_scheme(write, raw)
    with pytest.raises(SchemeError) as error:
        load_scheme(path)
    assert str(path) in str(error.value) and "attributes/0/type" in str(error.value) and "'slider'" in str(error.value)


def test_scheme_command_shows_current_and_available(tmp_path, capsys):
    Store.open(tmp_path / "p.sqlite").close()  # an existing project: only import makes new ones
    assert main(["scheme", "--db", str(tmp_path / "p.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "project scheme: conflict" in out and "ace2005" in out and "* conflict" in out


def test_scheme_switch_refuses_missing_labels_unless_forced(tmp_path, capsys):
    db = tmp_path / "p.sqlite"
    with Store.open(db) as store:
        with store.transaction():
            article, _ = store.articles.add("Troops clashed near Kharkiv.")
        store.spans.add(article, 7, 14, "BATTLES", "event", annotator="ann")
        store.spans.add(article, 20, 27, "LOCATION", "entity", annotator="ann")
    assert main(["scheme", "--db", str(db), "ace2005"]) == 2
    err = capsys.readouterr().err
    assert "BATTLES (1 spans)" in err and "--force" in err and "LOCATION" not in err
    with Store.open(db) as store:
        assert store.get_setting("scheme", "conflict") == "conflict"
    assert main(["scheme", "--db", str(db), "ace2005", "--force"]) == 0
    with Store.open(db) as store:
        assert store.get_setting("scheme") == "ace2005"
        assert [s.label for s in store.spans.for_article(article)] == ["BATTLES", "LOCATION"]  # kept, not dropped


def test_scheme_switch_to_unknown_scheme_lists_available(tmp_path, capsys):
    Store.open(tmp_path / "p.sqlite").close()
    assert main(["scheme", "--db", str(tmp_path / "p.sqlite"), "acled9"]) == 2
    assert "no scheme named 'acled9'" in capsys.readouterr().err


@pytest.mark.parametrize("name, attack", [("conflict", "BATTLES"), ("ace2005", "CONFLICT_ATTACK")])
def test_scheme_bundled_schemes_are_usable_in_the_window(name, attack):
    import re

    from annotator.domain import Layer

    scheme = scheme_by_name(name)
    assert scheme.label(attack).layer is Layer.EVENT
    assert {label.name for label in scheme.entity_labels} >= {"PERSON", "LOCATION", "DATE"}
    # One key press gives one label: no two labels share a key, and each key is one character.
    keys = [label.key for label in scheme.labels]
    assert len(keys) == len(set(keys)) and all(len(key) == 1 for key in keys)
    # Each label is drawn in a colour of its own.
    colours = [label.color for label in scheme.labels]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c, re.IGNORECASE) for c in colours) and len(set(colours)) == len(colours)
    assert {role.name for role in scheme.roles} >= {"ACTOR", "TARGET", "LOCATION", "TIME"}


def test_scheme_checked_once_then_remembered_until_its_text_changes(write, monkeypatch):
    import annotator.schemes as schemes

    path = write_scheme(write, valid_scheme())
    load_scheme(path)  # checked against the JSON Schema, and remembered in the cache

    def no_validator():
        raise AssertionError("checked again")

    monkeypatch.setattr(schemes, "_validator", no_validator)
    assert load_scheme(path).label("BATTLES").subtypes == ("Armed clash",)
    monkeypatch.undo()
    broken = valid_scheme()
    broken["entity_labels"][0]["color"] = "red"
    path = write_scheme(write, broken)
    for _ in range(2):  # a scheme that fails is never remembered: its problem is told every time
        with pytest.raises(SchemeError, match="color"):
            load_scheme(path)
