"""The suggester's shortcuts give what the long way gave: sentence starts from one walk, trigger
matches found once for two readers, feature hashes kept between words."""

from __future__ import annotations

import zlib

import spacy

from annotator.suggest.events import load_triggers
from annotator.suggest.events import learned
from annotator.suggest.events.classify import sentence_starts
from annotator.suggest.events.triggers import TriggerSet, matches

TEXT = ("Militants attacked a checkpoint near Dorvan on Monday. Two soldiers were killed and three wounded.\n\n"
        "The army said it launched a counter-attack. Protesters marched in the capital; police fired tear gas.")


def blank_doc():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp(TEXT)


def test_suggest_shortcuts_sentence_starts_are_each_tokens_sentence():
    doc = blank_doc()
    starts = sentence_starts(doc)
    assert starts == [token.sent.start for token in doc]
    assert len(set(starts)) == len(list(doc.sents)) > 2


def test_suggest_shortcuts_rule_hits_from_matches_found_before_are_the_same():
    doc = blank_doc()
    triggers = TriggerSet.of(load_triggers())
    found = list(matches(doc, triggers))
    assert found  # attacked, killed, wounded, counter-attack, marched ...
    assert learned.rule_hits(doc, triggers, found) == learned.rule_hits(doc, triggers)
    consequence = [t.text for t in doc if triggers.is_consequence(t)]
    assert "killed" in consequence and "attacked" not in consequence


def test_suggest_shortcuts_kept_feature_hashes_are_the_hashes(monkeypatch):
    features = ["bias", "w=attacked", "l=attack", "w=attacked", "n-1=militants", "w=Північ"]
    expected = [zlib.crc32(f.encode("utf-8")) & ((1 << 12) - 1) for f in features]
    assert learned.hashed(features, 12).tolist() == expected
    assert learned.hashed(features, 12).tolist() == expected  # from the kept ones
    monkeypatch.setattr(learned, "_HASHES_KEPT", 2)
    assert learned.hashed(features, 12).tolist() == expected  # after the bound emptied them
    assert learned.hashed(features, 16).tolist() == [zlib.crc32(f.encode("utf-8")) & 0xFFFF for f in features]
