"""The gazetteer's names matched by their tokens, and the tokenizing cached between runs."""

import json

import spacy

from annotator.suggest.names import NamesMatcher, tokenized_names

NAMES = [("Kramatorsk", "LOCATION", "Kramatorsk"), ("Sloviansk Raion", "LOCATION", "Sloviansk Raion"),
         ("Kata'ib Ridwan", "ARMED_GROUP", "Kata'ib Ridwan"), ("Ridwan", "PERSON", "Ridwan")]


def test_suggest_names_matches_every_name_by_its_tokens_overlaps_included(tmp_path):
    nlp = spacy.blank("en")
    matcher = NamesMatcher("names")
    matcher.add(tokenized_names(nlp, NAMES, tmp_path / "names.json"))
    doc = matcher(nlp("Shelling near Kramatorsk and Sloviansk Raion; Kata'ib Ridwan denied it."))
    found = {(span.text, span.label_, span.id_) for span in doc.spans["names"]}
    assert found == {("Kramatorsk", "LOCATION", "Kramatorsk"), ("Sloviansk Raion", "LOCATION", "Sloviansk Raion"),
                     ("Kata'ib Ridwan", "ARMED_GROUP", "Kata'ib Ridwan"), ("Ridwan", "PERSON", "Ridwan")}
    assert not matcher(nlp("kramatorsk in lower case is not the name as written")).spans["names"]


def test_suggest_names_tokenizes_once_then_reads_the_cache(tmp_path):
    nlp = spacy.blank("en")
    cache = tmp_path / "names.json"
    first = tokenized_names(nlp, NAMES, cache)
    stored = json.loads(cache.read_text(encoding="utf-8"))
    # Mark the cached tokens: a second run that read the cache returns the mark.
    stored["tokens"] = [["cached", *tokens] for tokens in stored["tokens"]]
    cache.write_text(json.dumps(stored), encoding="utf-8")
    again = tokenized_names(nlp, list(reversed(NAMES)), cache)
    assert again == [(["cached", *tokens], label, name) for tokens, label, name in reversed(first)]


def test_suggest_names_a_changed_list_or_a_broken_cache_is_tokenized_again(tmp_path):
    nlp = spacy.blank("en")
    cache = tmp_path / "names.json"
    tokenized_names(nlp, NAMES, cache)
    more = NAMES + [("Bakhmut", "LOCATION", "Bakhmut")]
    assert tokenized_names(nlp, more, cache)[-1] == (["Bakhmut"], "LOCATION", "Bakhmut")
    cache.write_text("{not json", encoding="utf-8")
    assert tokenized_names(nlp, NAMES, cache)[2] == (["Kata'ib", "Ridwan"], "ARMED_GROUP", "Kata'ib Ridwan")


WEAPONS = [(["artillery"], "WEAPON", "artillery"), (["artillery", "shells"], "WEAPON", "artillery shells"),
           (["Grad", "rockets"], "WEAPON", "Grad rockets"), (["drone"], "WEAPON", "drone")]


def test_suggest_names_weapon_terms_longest_first_and_at_the_very_end_of_a_text():
    from annotator.suggest.names import WeaponsMatcher

    nlp = spacy.blank("en")
    matcher = WeaponsMatcher("weapons")
    matcher.add(WEAPONS, {"russian"})
    doc = matcher(nlp("Russian artillery shells and grad rockets hit"))
    found = [(s.start, s.end, s.text) for s in doc.spans["weapons"]]
    # "Grad rockets" has a capital: matched as written only; the others in any case.
    assert found == [(1, 3, "artillery shells"), (0, 3, "Russian artillery shells"), (1, 2, "artillery"),
                     (0, 2, "Russian artillery")]
    # A text ending on a word that also opens a longer term: the text was refused (a span past its end).
    doc = matcher(nlp("Troops fired artillery"))
    assert [s.text for s in doc.spans["weapons"]] == ["artillery"]
    doc = matcher(nlp("a drone"))
    assert [s.text for s in doc.spans["weapons"]] == ["drone"]


def test_suggest_names_a_text_ending_on_a_name_that_opens_a_longer_one(tmp_path):
    nlp = spacy.blank("en")
    matcher = NamesMatcher("names")
    matcher.add(tokenized_names(nlp, NAMES + [("Sloviansk", "LOCATION", "Sloviansk")], tmp_path / "names.json"))
    doc = matcher(nlp("Shelling hit Sloviansk"))  # was refused: a span past the end of the text
    assert [(span.text, span.start, span.end) for span in doc.spans["names"]] == [("Sloviansk", 2, 3)]
