"""scripts/train_conflict_model.py's training examples, on invented text (no shared data)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
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


def ruled_base():
    """A stand-in for the base model whose names are known in advance: a blank pipeline with an
    entity ruler (the trainer only reads its ``ents``)."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": "Amira Tollan"},
        {"label": "ORG", "pattern": [{"LOWER": "the"}, {"TEXT": "Northern"}, {"TEXT": "Guard"}]},
        {"label": "LOC", "pattern": [{"TEXT": "Velka"}, {"TEXT": "Valley"}]},
        {"label": "NORP", "pattern": "Ostrelian"},
        {"label": "DATE", "pattern": "Monday"},
        {"label": "PRODUCT", "pattern": "Quillpad"},
    ])
    return nlp


def write_jsonl(path: Path, records: list[dict]) -> None:
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_rehearsal_texts_never_read_reserved_sources_or_topics(tmp_path):
    write_jsonl(tmp_path / "event_location" / "dev.jsonl", [
        {"text": f"Open sentence {i} about Marovo.", "source": "AP"} for i in range(5)] + [
        {"text": f"Reserved sentence {i}.", "source": source}
        for i, source in enumerate(["RELABEL", "APW_RA", "AFP_RA", "Xinhua_RA", "Unknown_RA"])])
    write_jsonl(tmp_path / "ecbplus" / "dev.jsonl", [
        {"topic": 1, "doc_id": "1_1ecb", "text": "First line of an open article.\n\nIts second line."},
        {"topic": 3, "doc_id": "3_1ecb", "text": "A reserved article."},
        {"topic": 45, "doc_id": "45_1ecb", "text": "Another reserved article."}])
    config = {"seed": 0, "rehearsal_sentences": 50, "rehearsal_sentences_per_doc": 2,
              "rehearsal_ecbplus_articles": 10}
    texts = trainer.rehearsal_texts(config, data=tmp_path)
    lines = [line for text in texts for line in text]
    assert not any("eserved" in line for line in lines)
    assert sorted(line for line in lines if line.startswith("Open")) == [f"Open sentence {i} about Marovo." for i in range(5)]
    # five sentences two to a text, then the open article as its non-empty lines
    assert [len(text) for text in texts] == [2, 2, 1, 2]
    assert texts[-1] == ["First line of an open article.", "Its second line."]
    assert trainer.rehearsal_texts({"seed": 0}, data=tmp_path) == []


def test_silver_reference_keeps_the_base_model_names_trimmed_and_leaves_its_other_labels_missing():
    parts = ["Amira Tollan met the Northern Guard in Velka Valley on Monday .",
             "Ostrelian doctors brought a Quillpad ."]
    nlp = spacy.blank("en")
    doc = trainer.silver_reference(nlp, ruled_base(), parts, outside_known=True)
    assert doc.text == "\n".join(parts)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Amira Tollan", "PERSON"), ("Northern Guard", "ORG"), ("Velka Valley", "GPE"), ("Ostrelian", "NORP")]
    # the date and the product are the base model's but not ours to rehearse: no loss either way
    assert [t.text for t in doc if t.ent_iob_ == ""] == ["Monday", "Quillpad"]
    # "the" the base model put in the organisation is outside, as our guidelines have it
    assert [t.ent_iob_ for t in doc if t.text == "the"] == ["O"]
    names_only = trainer.silver_reference(nlp, ruled_base(), parts, outside_known=False)
    assert [(e.text, e.label_) for e in names_only.ents] == [(e.text, e.label_) for e in doc.ents]
    assert {t.ent_iob_ for t in names_only if t.ent_type_ == ""} == {""}


def test_headlines_map_their_three_labels_and_leave_the_rest_missing(tmp_path):
    first = "Ostrelian Startup Quillpad Hires Amira Tollan"
    second = "Northern Guard Opens 3 Offices in Velka"
    write_jsonl(tmp_path / trainer.HEADLINES, [
        {"text": first, "answer": "accept", "spans": [
            {"start": 18, "end": 26, "label": "PRODUCT"}, {"start": 33, "end": 45, "label": "PERSON"}]},
        {"text": "A headline nobody checked", "answer": "ignore", "spans": []},
        {"text": second, "answer": "accept", "spans": [
            {"start": 0, "end": 14, "label": "ORG"}, {"start": 34, "end": 39, "label": "LOCATION"}]}])
    references = trainer.headline_references(spacy.blank("en"), ruled_base(), {"headlines_per_doc": 5}, data=tmp_path)
    assert len(references) == 1
    doc = references[0]
    assert doc.text == first + "\n" + second
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Amira Tollan", "PERSON"), ("Northern Guard", "ORG"), ("Velka", "GPE")]
    # the product (not ours), the nationality only the base model saw, and the number are missing
    assert [t.text for t in doc if t.ent_iob_ == ""] == ["Ostrelian", "Quillpad", "3"]
    assert [t.ent_iob_ for t in doc if t.text in ("Startup", "Hires", "Opens", "Offices")] == ["O"] * 4


SOUP_TEXTS = [("Shelling hit Marovo on Monday .", [("Marovo", "GPE")]),
              ("Gunmen from the Red Lantern Society attacked Ostrel .", [("Red Lantern Society", "ORG"), ("Ostrel", "GPE")]),
              ("Amira Tollan said the town of Tenbury was quiet .", [("Amira Tollan", "PERSON"), ("Tenbury", "GPE")])]


def soup_examples(nlp):
    from spacy.training import Example

    examples = []
    for text, names in SOUP_TEXTS:
        doc = nlp.make_doc(text)
        ents = [doc.char_span(text.index(name), text.index(name) + len(name), label=label) for name, label in names]
        doc.set_ents(ents, default="outside")
        examples.append(Example(nlp.make_doc(text), doc))
    return examples


def small_ner(labels=("GPE", "ORG", "PERSON")):
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in labels:
        ner.add_label(label)
    return nlp


def seeds_of_one_start(seeds=(1, 2), steps=40):
    """Pipelines fine-tuned from one shared start with different seeds, as the recipe's seeds are."""
    spacy.util.fix_random_seed(0)
    start = small_ner()
    start.initialize(lambda: soup_examples(start))
    trained = []
    for seed in seeds:
        nlp = small_ner()
        nlp.initialize(lambda: soup_examples(nlp))
        nlp.get_pipe("ner").from_bytes(start.get_pipe("ner").to_bytes())
        spacy.util.fix_random_seed(seed)
        optimizer = nlp.resume_training()
        examples = soup_examples(nlp)
        for _ in range(steps):
            nlp.update(examples, sgd=optimizer, drop=0.2)
        trained.append(nlp)
    return trained


def test_a_soup_holds_the_mean_of_each_parameter_and_still_finds_the_names():
    first, second = seeds_of_one_start()
    before = [[{p: layer.get_param(p).copy() for p in layer.param_names} for layer in nlp.get_pipe("ner").model.walk()]
              for nlp in (first, second)]
    assert any((a[p] != b[p]).any() for a, b in zip(*before) for p in a), "the two seeds should differ"
    soup = trainer.average_weights([first, second], ["seed 1", "seed 2"])
    layers = list(soup.get_pipe("ner").model.walk())
    assert len(layers) == len(before[0])
    for layer, a, b in zip(layers, *before):
        for param in a:
            assert abs(layer.get_param(param) - (a[param] + b[param]) / 2).max() < 1e-6, (layer.name, param)
    for text, names in SOUP_TEXTS:
        assert [(e.text, e.label_) for e in soup(text).ents] == names


def test_components_whose_moves_differ_are_not_averaged():
    one, other = small_ner(("GPE", "ORG")), small_ner(("ORG", "GPE"))
    for nlp in (one, other):
        nlp.initialize()
    with pytest.raises(SystemExit, match="second/: its ner's moves differ"):
        trainer.average_weights([one, other], ["first/", "second/"])


def test_the_soup_folder_loads_like_a_component_and_says_what_it_is(tmp_path, monkeypatch):
    """--soup end to end: invented development articles stand in for the real data."""
    first, second = seeds_of_one_start()
    base = small_ner()
    base.initialize(lambda: soup_examples(base))
    base.to_disk(tmp_path / "base")
    folders = []
    for seed, nlp in zip((1, 2), (first, second)):
        nlp.meta["training"] = {"held_out": "CENTCOM", "seed": seed}
        nlp.to_disk(tmp_path / f"seed{seed}")
        folders.append(tmp_path / f"seed{seed}")
    articles = [{"id": f"invented-{i}", "text": text, "ignore": [],
                 "spans": [{"layer": "entity", "label": "LOCATION" if label == "GPE" else label,
                            "start": text.index(name), "end": text.index(name) + len(name)} for name, label in names]}
                for i, (text, names) in enumerate(SOUP_TEXTS)]
    monkeypatch.setattr(trainer, "articles_for", lambda hold_out: (articles, []) if hold_out == "CENTCOM" else ([], []))
    config = {"base_model": str(tmp_path / "base"), "version": "9.9.9", "dev_percent": 100}
    summary = trainer.soup(folders, tmp_path / "soup", config, log=lambda line: None)

    soup = spacy.load(tmp_path / "soup")
    assert soup.meta["version"] == "9.9.9"
    assert soup.meta["training"]["held_out"] == "CENTCOM"
    assert [t["seed"] for t in soup.meta["training"]["soup_of"]] == [1, 2]
    assert summary["development_f1"] == 1.0 and len(summary["seed_development_f1"]) == 2
    for text, names in SOUP_TEXTS:
        assert [(e.text, e.label_) for e in soup(text).ents] == names
    expected = trainer.average_weights([spacy.load(folder) for folder in folders], ["1", "2"])
    for written, averaged in zip(soup.get_pipe("ner").model.walk(), expected.get_pipe("ner").model.walk()):
        for param in written.param_names:
            assert abs(written.get_param(param) - averaged.get_param(param)).max() < 1e-6


def test_components_trained_on_different_data_are_not_averaged(tmp_path):
    first, second = seeds_of_one_start(steps=1)
    for held_out, nlp in (("CENTCOM", first), ("UK_Government", second)):
        nlp.meta["training"] = {"held_out": held_out}
        nlp.to_disk(tmp_path / held_out)
    with pytest.raises(SystemExit, match="different data"):
        trainer.soup([tmp_path / "CENTCOM", tmp_path / "UK_Government"], tmp_path / "soup", {}, log=lambda line: None)


ECB_ARTICLE = ("Rescuers reach Marovo after quake\n"
               "Teams arrived in the Port of Tenbury on Tuesday, said Governor Lina Osk of the Red Lantern Society.\n"
               "A Marovo hospital took in 40 people, and police said Tenbury's port was open.\n"
               "Police said he was safe.\n"
               "Nobody marked this line about Ostrel.")
PROPER_NOUNS = {"Marovo", "Port", "Tenbury", "Governor", "Lina", "Osk", "Red", "Lantern", "Society", "Ostrel"}


def ecb_entities(*mentions: tuple[str, str, int]) -> list[dict]:
    """ECB+-style mentions: (text, type, which occurrence of the text)."""
    entities = []
    for text, kind, occurrence in mentions:
        start = -1
        for _ in range(occurrence + 1):
            start = ECB_ARTICLE.index(text, start + 1)
        entities.append({"start": start, "end": start + len(text), "text": text, "type": kind})
    return entities


def tagged_article():
    """The article as a tagger would read it: the names' words proper nouns, the rest common."""
    doc = spacy.blank("en").make_doc(ECB_ARTICLE)
    for token in doc:
        token.pos_ = "PROPN" if token.text in PROPER_NOUNS else "NOUN"
    return doc


ECB_MENTIONS = ecb_entities(
    ("Marovo", "LOC_GEO", 0), ("in the Port of Tenbury", "LOC_GEO", 0), ("on Tuesday", "TIME_DATE", 0),
    ("Governor Lina Osk", "HUMAN_PART_PER", 0), ("the Red Lantern Society", "HUMAN_PART_ORG", 0),
    ("A Marovo hospital", "LOC_FAC", 0), ("40 people", "HUMAN_PART_PER", 0), ("police", "HUMAN_PART_ORG", 0),
    ("Tenbury's", "HUMAN_PART_GPE", 0), ("Police", "HUMAN_PART_ORG", 0), ("he", "HUMAN_PART_PER", 0),
    ("quake", "ACTION_OCCURRENCE", 0))


def test_ecbplus_mentions_become_names_only_when_they_are_proper_names():
    kept = trainer.ecbplus_name_spans(tagged_article(), ECB_MENTIONS)
    assert [(ECB_ARTICLE[start:end], label) for start, end, label in kept] == [
        ("Marovo", "GPE"), ("Port of Tenbury", "GPE"), ("Lina Osk", "PERSON"), ("Red Lantern Society", "ORG"),
        ("Tenbury", "GPE")]
    # a hospital in Marovo, the police, a pronoun, a date and an event are not names: none kept


def test_an_ecbplus_article_teaches_its_names_and_nothing_about_the_words_it_did_not_mark():
    doc = trainer.ecbplus_name_reference(spacy.blank("en"), tagged_article(), ECB_MENTIONS)
    # only the lines with a kept name, so the unmarked "Ostrel" line is not read at all
    assert doc.text == "\n".join(ECB_ARTICLE.split("\n")[:3])
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Marovo", "GPE"), ("Port of Tenbury", "GPE"), ("Lina Osk", "PERSON"), ("Red Lantern Society", "ORG"),
        ("Tenbury", "GPE")]
    # ECB+ marks only what its events need: every other token is missing, never outside
    assert {t.ent_iob_ for t in doc if t.ent_type_ == ""} == {""}
    assert trainer.ecbplus_name_reference(spacy.blank("en"), tagged_article(), ECB_MENTIONS[2:3]) is None


def test_ecbplus_names_skip_reserved_topics(tmp_path, monkeypatch):
    write_jsonl(tmp_path / "ecbplus" / "dev.jsonl", [
        {"topic": topic, "doc_id": f"{topic}_1ecb", "text": ECB_ARTICLE, "entities": ECB_MENTIONS}
        for topic in (1, 3, 12, 45, 2)])
    read = []

    def tagger(text):
        read.append(text)
        return tagged_article()

    references = trainer.ecbplus_name_references(spacy.blank("en"), tagger, {"ecbplus_names_articles": 0},
                                                 data=tmp_path)
    assert len(references) == 2 and len(read) == 2
    assert len(trainer.ecbplus_name_references(spacy.blank("en"), tagger, {"ecbplus_names_articles": 1},
                                               data=tmp_path)) == 1


def test_ecbplus_lowercase_words_can_be_negatives_where_the_base_model_sees_no_entity():
    tagged = tagged_article()
    tagged.ents = [tagged.char_span(ECB_ARTICLE.index("quake"), ECB_ARTICLE.index("quake") + 5, label="EVENT")]
    doc = trainer.ecbplus_name_reference(spacy.blank("en"), tagged, ECB_MENTIONS, lowercase_outside=True)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Marovo", "GPE"), ("Port of Tenbury", "GPE"), ("Lina Osk", "PERSON"), ("Red Lantern Society", "ORG"),
        ("Tenbury", "GPE")]
    assert [t.text for t in doc if t.ent_iob_ == "O"] == [
        "reach", "after", "arrived", "in", "on", "said", "hospital", "took", "in", "people", "police", "said", "port", "was",
        "open"]
    # capitalised words ECB+ left unmarked (the hospital's Marovo), numbers, name particles and what the base model calls an
    # entity ("quake") stay missing
    assert {t.text for t in doc if t.ent_iob_ == ""} == {
        "Rescuers", "quake", "\n", "Teams", "Marovo", "the", "Tuesday", ",", "Governor", "of", "A", "40", "and", "'s", "."}
