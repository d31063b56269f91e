"""A small invented project with three annotators (ana, ben, cho), shared by the agreement, merge and
review tests. Every expected figure in those tests is worked out by hand from this layout.

Article 1, done by ana, ben, cho: "Militia fighters attacked Dorvan market on Tuesday."
    tokens: Militia(0) fighters(1) attacked(2) Dorvan(3) market(4) on(5) Tuesday(6) .(7)
    ana: ARMED_GROUP "Militia fighters", LOCATION "Dorvan market", DATE "Tuesday";
         event VIOLENCE_AGAINST_CIVILIANS "attacked" (modality happened),
         arguments ACTOR -> Militia fighters, TARGET -> Dorvan market
    ben: ARMED_GROUP "Militia" (boundary), LOCATION "Dorvan market", DATE "Tuesday";
         event VIOLENCE_AGAINST_CIVILIANS "attacked" (modality planned: attribute),
         arguments ACTOR -> Militia, TARGET -> Dorvan market
    cho: ARMED_GROUP "Militia fighters", FACILITY "Dorvan market" (label), no DATE (missing);
         event BATTLES "attacked" (label), arguments ACTOR -> Militia fighters,
         LOCATION -> Dorvan market (event role)
Article 2, done by ana and ben (cho is in progress, so cho's span there does not count):
    "Two soldiers were killed near Sela." tokens: Two soldiers were killed near Sela . (7)
    ana, ben: LOCATION "Sela", event BATTLES "killed", argument LOCATION -> Sela (full agreement)
Article 3, done by ben and cho: "Police arrested Omar Haddad in Teluk." (7 tokens)
    ben: ORG "Police", PERSON "Omar Haddad", LOCATION "Teluk"; cho: PERSON "Omar Haddad", LOCATION "Teluk"
Article 4, done by ana only: "Shelling resumed overnight." (not compared)
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.domain import Layer
from annotator.store import Store

TEXT_1 = "Militia fighters attacked Dorvan market on Tuesday."
TEXT_2 = "Two soldiers were killed near Sela."
TEXT_3 = "Police arrested Omar Haddad in Teluk."
TEXT_4 = "Shelling resumed overnight."


@dataclass
class ThreeAnnotators:
    article_1: int
    article_2: int
    article_3: int
    article_4: int


def _span(store: Store, article_id: int, text: str, words: str, label: str, annotator: str,
          layer: Layer = Layer.ENTITY, **attributes) -> int:
    start = text.index(words)
    return store.spans.add(article_id, start, start + len(words), label, layer, annotator=annotator,
                           attributes=attributes or None)


def build_three_annotators(store: Store) -> ThreeAnnotators:
    a1, _ = store.articles.add(TEXT_1, title="Market attack in Dorvan")
    a2, _ = store.articles.add(TEXT_2, title="Soldiers killed near Sela")
    a3, _ = store.articles.add(TEXT_3, title="Arrest in Teluk")
    a4, _ = store.articles.add(TEXT_4, title="Overnight shelling")

    event = Layer.EVENT
    for name, group, place_label, date, event_label, modality, place_role in (
        ("ana", "Militia fighters", "LOCATION", True, "VIOLENCE_AGAINST_CIVILIANS", "happened", "TARGET"),
        ("ben", "Militia", "LOCATION", True, "VIOLENCE_AGAINST_CIVILIANS", "planned", "TARGET"),
        ("cho", "Militia fighters", "FACILITY", False, "BATTLES", "happened", "LOCATION"),
    ):
        actor = _span(store, a1, TEXT_1, group, "ARMED_GROUP", name)
        place = _span(store, a1, TEXT_1, "Dorvan market", place_label, name)
        if date:
            _span(store, a1, TEXT_1, "Tuesday", "DATE", name)
        attack = _span(store, a1, TEXT_1, "attacked", event_label, name, event, modality=modality)
        store.arguments.add(attack, actor, "ACTOR")
        store.arguments.add(attack, place, place_role)
        store.states.set(a1, name, "done")

    for name in ("ana", "ben"):
        sela = _span(store, a2, TEXT_2, "Sela", "LOCATION", name)
        killed = _span(store, a2, TEXT_2, "killed", "BATTLES", name, event, modality="happened")
        store.arguments.add(killed, sela, "LOCATION")
        store.states.set(a2, name, "done")
    _span(store, a2, TEXT_2, "soldiers", "PERSON", "cho")
    store.states.set(a2, "cho", "in_progress")

    _span(store, a3, TEXT_3, "Police", "ORG", "ben")
    for name in ("ben", "cho"):
        _span(store, a3, TEXT_3, "Omar Haddad", "PERSON", name)
        _span(store, a3, TEXT_3, "Teluk", "LOCATION", name)
        store.states.set(a3, name, "done")

    _span(store, a4, TEXT_4, "Shelling", "EXPLOSIONS_REMOTE_VIOLENCE", "ana", event)
    store.states.set(a4, "ana", "done")
    return ThreeAnnotators(a1, a2, a3, a4)


def test_agreement_fixture_has_partial_overlap_of_articles():
    store = Store.memory()
    ids = build_three_annotators(store)
    done = {
        article: sorted(name for name in ("ana", "ben", "cho")
                        if str(store.states.get(article, name)[0]) == "done")
        for article in (ids.article_1, ids.article_2, ids.article_3, ids.article_4)
    }
    assert done == {
        ids.article_1: ["ana", "ben", "cho"],
        ids.article_2: ["ana", "ben"],
        ids.article_3: ["ben", "cho"],
        ids.article_4: ["ana"],
    }
