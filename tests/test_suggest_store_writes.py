"""Writing a suggester run's spans, links and refreshed attributes: many rows per statement, the same
rows as one at a time (a second run keeps what is there, follows its own undecided rows, leaves
decided ones alone)."""

from __future__ import annotations

import pytest

from annotator.domain import Layer, Origin, Status
from annotator.schemes import DEFAULT_SCHEME
from annotator.store import Store
from annotator.suggest import SuggestSummary, load_gazetteer, load_suggester
from annotator.suggest.runner import Placed, store_suggestions

TEXT = "Rebels shelled Marivka on Monday; two civilians were killed near the bridge."


@pytest.fixture(scope="module")
def rules_only():
    return load_suggester("/nonexistent/pipeline", gazetteer=load_gazetteer(geonames=False))


def offsets(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def run(store, article_id, suggester, *, place_canonical="Marivka", extra_event=True):
    placed = Placed()
    placed.entities = [
        (0, *offsets("Rebels"), "ARMED_GROUP", {}, 0.9),
        (1, *offsets("Marivka"), "LOCATION", {"canonical": "Marivka (old)"}, None),
        # the same span found twice in one run: one row, with the later finding's attributes
        (2, *offsets("Marivka"), "LOCATION", {"canonical": place_canonical}, None),
    ]
    placed.events = [(*offsets("shelled"), "EXPLOSIONS_REMOTE_VIOLENCE", "", {"modality": "happened"}, 0.8,
                      [("ACTOR", 0), ("LOCATION", 2), ("NOT_A_ROLE", 1)])]
    if extra_event:
        placed.events.append((*offsets("killed"), "VIOLENCE_AGAINST_CIVILIANS", "", {"modality": "happened"}, None,
                              [("LOCATION", 1)]))
    summary = SuggestSummary(source=suggester.source)
    store_suggestions(store, article_id, placed, suggester, store.project_scheme(DEFAULT_SCHEME), summary)
    return summary


def shared(store, article_id):
    return {(s.text_in(TEXT), s.label): s for s in store.spans.for_article(article_id) if s.annotator is None}


def test_suggest_store_writes_one_row_per_span_with_its_links(rules_only):
    store = Store.memory()
    article_id, _ = store.articles.add(TEXT)
    summary = run(store, article_id, rules_only)
    spans = shared(store, article_id)
    assert set(spans) == {("Rebels", "ARMED_GROUP"), ("Marivka", "LOCATION"),
                          ("shelled", "EXPLOSIONS_REMOTE_VIOLENCE"), ("killed", "VIOLENCE_AGAINST_CIVILIANS")}
    assert (summary.added, summary.kept, summary.arguments) == (4, 1, 3)
    place = spans[("Marivka", "LOCATION")]
    assert place.attributes == {"canonical": "Marivka"} and place.status is Status.PENDING
    assert place.origin is Origin.SUGGESTED and place.source == rules_only.source
    assert spans[("Rebels", "ARMED_GROUP")].score == pytest.approx(0.9)
    shelled = spans[("shelled", "EXPLOSIONS_REMOTE_VIOLENCE")]
    links = {(a.role, a.filler_id) for a in store.arguments.of_event(shelled.id)}
    assert links == {("ACTOR", spans[("Rebels", "ARMED_GROUP")].id), ("LOCATION", place.id)}
    assert {(a.role, a.filler_id) for a in store.arguments.of_event(spans[("killed", "VIOLENCE_AGAINST_CIVILIANS")].id)} \
        == {("LOCATION", place.id)}


def test_suggest_store_writes_second_run_follows_own_rows_and_spares_decided_ones(rules_only):
    store = Store.memory()
    article_id, _ = store.articles.add(TEXT)
    run(store, article_id, rules_only)
    before = shared(store, article_id)
    store.suggestions.decide(before[("Rebels", "ARMED_GROUP")].id, "ana", Status.ACCEPTED)

    summary = run(store, article_id, rules_only, place_canonical="Marivka (new)", extra_event=False)
    after = shared(store, article_id)
    assert (summary.added, summary.kept, summary.removed) == (0, 4, 1)
    assert ("killed", "VIOLENCE_AGAINST_CIVILIANS") not in after  # no longer suggested, nobody decided it
    assert {k: s.id for k, s in after.items()} == {k: s.id for k, s in before.items() if k in after}
    assert after[("Marivka", "LOCATION")].attributes == {"canonical": "Marivka (new)"}
    shelled = after[("shelled", "EXPLOSIONS_REMOTE_VIOLENCE")]
    assert len(store.arguments.of_event(shelled.id)) == 2  # linked again, not twice


def test_suggest_store_writes_store_methods_write_what_they_are_given():
    store = Store.memory()
    article_id, _ = store.articles.add(TEXT)
    event, place = store.spans.add_rows(article_id, [(*offsets("shelled"), "BATTLES", Layer.EVENT, {}, "s@1", None),
                                                    (*offsets("Marivka"), "LOCATION", Layer.ENTITY, {}, "s@1", None)],
                                       annotator=None, origin=Origin.SUGGESTED, status=Status.PENDING)
    store.arguments.add_many([(event, place, "LOCATION"), (event, place, "LOCATION")])
    store.suggestions.refresh_attributes([(place, {"canonical": "Marivka"})])
    assert [(a.role, a.filler_id) for a in store.arguments.of_event(event)] == [("LOCATION", place)]
    assert store.spans.get(place).attributes == {"canonical": "Marivka"}
    assert store.spans.get(event).attributes == {}
