"""scripts/train_conflict_model.py's training examples, on invented text (no shared data)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import spacy

_spec = importlib.util.spec_from_file_location(
    "train_conflict_model", Path(__file__).resolve().parents[1] / "scripts" / "train_conflict_model.py")
trainer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trainer)

TEXT = ("Shelling hit Marovo on Monday , officials in Tenbury said .\n"
        "Gunmen attacked a convoy near Ostrel , and 12 people died .\n"
        "The Red Lantern Society sent doctors to Marovo .")


def reference():
    doc = spacy.blank("en").make_doc(TEXT)

    def words(text, label=None):
        start = TEXT.index(text)
        return doc.char_span(start, start + len(text), label=label or "")

    ents = [words("Marovo", "GPE"), words("Tenbury", "GPE"), words("Ostrel", "GPE"),
            words("Red Lantern Society", "ORG")]
    doc.set_ents(ents, missing=[words("12")], default="outside")
    return doc


def test_whole_article_when_chunking_is_off():
    doc = reference()
    assert trainer.chunks(doc, 0) == [doc]


def test_pieces_end_at_paragraph_breaks_and_keep_entities_and_missing_tokens():
    doc = reference()
    pieces = trainer.chunks(doc, 5)
    assert len(pieces) == 3
    assert [p.text.rstrip("\n") for p in pieces] == TEXT.split("\n")
    assert [(e.text, e.label_) for p in pieces for e in p.ents] == [
        ("Marovo", "GPE"), ("Tenbury", "GPE"), ("Ostrel", "GPE"), ("Red Lantern Society", "ORG")]
    # "12" stays missing (no loss either way), every other token of the second piece is known
    second = pieces[1]
    assert [t.text for t in second if t.ent_iob_ == ""] == ["12"]
    # a piece shorter than the size runs on to the next break
    assert len(trainer.chunks(doc, 15)) == 2
