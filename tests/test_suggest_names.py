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


def test_suggest_names_a_name_at_the_very_end_that_opens_a_longer_one_is_matched_alone(tmp_path):
    # "Sloviansk" is a name and opens "Sloviansk Raion": at the Doc's end the two-token slice is
    # ("Sloviansk",) and matched the one-token name as a Span past the end (IndexError).
    nlp = spacy.blank("en")
    matcher = NamesMatcher("names")
    matcher.add(tokenized_names(nlp, NAMES + [("Sloviansk", "LOCATION", "Sloviansk")], tmp_path / "names.json"))
    doc = matcher(nlp("Shelling was reported near Sloviansk"))
    assert [(span.text, span.end) for span in doc.spans["names"]] == [("Sloviansk", len(doc))]
