"""What the suggester and the event table both know, written once (annotator.suggest.lexicon): the two
sides read a dateline, a verb of saying and a denial the same way (invented text)."""

import pytest
import spacy

from annotator.domain import Modality
from annotator.suggest.entities import is_dateline
from annotator.suggest.events.attributes import modality_by_words
from annotator.suggest.lexicon import dateline, dateline_span, word_forms
from eventtable_fixtures import builder, places_index, record_of_sentence  # noqa: F401 - fixtures


@pytest.fixture(scope="module")
def tokenizer():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def tokens_of(doc, words, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(words, start + 1)
    span = doc.char_span(start, start + len(words))
    return span.start, span.end


@pytest.mark.parametrize("text, words, occurrence, a_dateline", [
    ("BAMAKO \u2014 Gunmen attacked a checkpoint near Mopti.", "BAMAKO", 0, True),
    ("Talks stall\r\n\r\nBAMAKO, June 4 - Protesters marched to the parliament.", "BAMAKO", 0, True),
    # a wire's dateline need not be in capitals: the event table always read this one as a dateline
    ("Kyiv, June 24 (Reuters) - Missiles struck an apartment block, Kyiv said.", "Kyiv", 0, True),
    ("Kyiv, June 24 (Reuters) - Missiles struck an apartment block, Kyiv said.", "Kyiv", 1, False),
    # the country after the dateline's town is part of it
    ("BAMAKO, Mali \u2014 Gunmen attacked a checkpoint near Mopti.", "Mali", 0, True),
    # a headline and its source, not a dateline
    ("Ukraine says troops pull back - officials\nKyiv residents queued for water.", "Ukraine", 0, False),
    # capitals opening a later paragraph are a name, not the dateline
    ("Gunmen attack checkpoint\n\nThe army said gunmen attacked a checkpoint near Mopti on Monday. Two soldiers "
     "died and four were hurt, a local official said. The road north was closed to traffic.\n\nMOPTI, the "
     "regional capital, said the attack killed two soldiers.", "MOPTI", 0, False),
])
def test_the_suggester_and_the_event_table_find_the_same_dateline(tokenizer, text, words, occurrence, a_dateline):
    doc = tokenizer(text)
    start, end = tokens_of(doc, words, occurrence)
    assert is_dateline(doc, start, end) == a_dateline  # the suggester: no actor, target or speaker
    found = dateline_span(text)  # the event table: where the reporter is, its date no event's
    assert (found is not None and found[0] <= doc[start].idx < found[1]) == a_dateline


def test_a_round_up_holds_a_dateline_for_each_report_and_is_set_at_the_first(tokenizer):
    text = ("KYIV, Oct. 12 - Drones struck a power plant overnight, officials said.\n\n"
            "KHARKIV, Oct. 12 - Shelling killed two people, the governor said.")
    doc = tokenizer(text)
    assert is_dateline(doc, *tokens_of(doc, "KYIV")) and is_dateline(doc, *tokens_of(doc, "KHARKIV"))
    assert dateline(text) == "KYIV"  # where the article is set


def test_word_forms_list_irregular_forms_beside_their_lemma():
    assert {"told", "telling", "tells"} <= word_forms({"tell"})
    assert {"denies", "denied", "denying"} <= word_forms({"deny"})
    assert {"accused", "accusing"} <= word_forms({"accuse"}) and {"admitted"} <= word_forms({"admit"})
    assert {"dismisses", "dismissed"} <= word_forms({"dismiss"})


@pytest.mark.parametrize("text, trigger", [
    # verbs of saying the suggester's "reported by" reads: a capital that writes or adds is its government too
    ("Kyiv added that its drones hit a fuel depot.", "hit"),
    ("Moscow wrote that its jets bombed a fuel depot.", "bombed"),
])
def test_a_capital_passing_an_account_on_is_not_where_it_happened(builder, text, trigger):
    record = record_of_sentence(builder, 73, text, trigger, "EXPLOSIONS_REMOTE_VIOLENCE")
    assert record.place is None or record.place.place is None


@pytest.mark.parametrize("text, trigger", [
    ("The ministry denied that troops shelled the village.", "shelled"),
    ("The ministry rejected that troops shelled the village.", "shelled"),
    ("The army refuted that its troops shelled the village.", "shelled"),
])
def test_without_a_parse_every_verb_of_denying_denies(tokenizer, text, trigger):
    # the words-only reading (no parser installed) knew "denied" but not "rejected" or "refuted"
    doc = tokenizer(text)
    assert modality_by_words(doc[tokens_of(doc, trigger)[0]]) == Modality.DENIED


def test_the_suggester_reads_an_everyday_word_as_the_event_table_does():
    """"Luck" is an old name of Lutsk in GeoNames. The tagger took this one for a name (NNP), so the
    suggester's own test (the tagger reads a common word) let the gazetteer call it a place; the event
    table's test (an everyday English word, with no place preposition before it) never did. Both now ask
    the event table's question."""
    from annotator.suggest import shared_suggester

    suggester = shared_suggester()
    assert label_at(suggester, "Mercy Corps said Luck was with the convoy.", "Luck") != "LOCATION"
    # after a place preposition, the town
    assert label_at(suggester, "Mercy Corps said troops entered Luck overnight.", "Luck") == "LOCATION"


def label_at(suggester, text, words):
    doc = suggester.nlp(text)
    start = text.index(words)
    for entity in suggester.analyse(doc).entities:
        span = doc[entity.start:entity.end]
        if (span.start_char, span.end_char) == (start, start + len(words)):
            return entity.label
    return None
