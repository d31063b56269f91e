"""A small invented project shared by the export tests (this module itself holds no tests)."""

from __future__ import annotations

from annotator.store import Store

SHELLING = (
    "Rebel fighters shelled the town of Korvath on Tuesday, killing three civilians.\r\n"
    "The regional governor, Anna Veltri, said the attack hit a water plant."
)
PROTEST = "Protesters \U0001F525 gathered in Delmar Square on Sunday to demand the release of detained reporters."
QUIET = "A quiet week passed in the northern districts, officials said."
UNFINISHED = "Drones struck a depot near Velin overnight, the army said."


def at(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``words`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def add(store: Store, article: int, text: str, words: str, label: str, layer: str = "entity",
        annotator: str | None = "maria", **kwargs) -> int:
    start, end = at(text, words)
    return store.spans.add(article, start, end, label, layer, annotator=annotator, **kwargs)


def build_project(store: Store) -> dict[str, int]:
    """Four articles for annotator maria (three done), a gold layer on one, suggestions left pending."""
    ids = {}
    ids["shelling"], _ = store.articles.add(SHELLING, title="Shelling in Korvath", source="Invented Wire",
                                            url="https://example.invalid/1", meta={"desk": "east"})
    ids["protest"], _ = store.articles.add(PROTEST, title="Square protest", source="Invented Daily")
    ids["quiet"], _ = store.articles.add(QUIET, source="Invented Wire")
    ids["unfinished"], _ = store.articles.add(UNFINISHED)

    a = ids["shelling"]
    actor = add(store, a, SHELLING, "Rebel fighters", "ARMED_GROUP")
    event = add(store, a, SHELLING, "shelled", "EXPLOSIONS_REMOTE_VIOLENCE", "event",
                attributes={"modality": "happened", "sub_event_type": "Shelling/artillery/missile attack",
                            "reported_by": "Anna Veltri"})
    place = add(store, a, SHELLING, "Korvath", "LOCATION")
    when = add(store, a, SHELLING, "Tuesday", "DATE")
    add(store, a, SHELLING, "three civilians", "QUANTITY")
    add(store, a, SHELLING, "Anna Veltri", "PERSON")
    store.arguments.add(event, actor, "ACTOR")
    store.arguments.add(event, place, "LOCATION")
    store.arguments.add(event, when, "TIME")
    wrong = add(store, a, SHELLING, "governor", "PERSON", annotator=None, origin="suggested", status="pending")
    store.suggestions.decide(wrong, "maria", "rejected")
    add(store, a, SHELLING, "water plant", "FACILITY", annotator=None, origin="suggested", status="pending")
    store.states.set(a, "maria", "done")

    p = ids["protest"]
    gathered = add(store, p, PROTEST, "gathered", "PROTESTS", "event", attributes={"modality": "happened"})
    square = add(store, p, PROTEST, "Delmar Square", "LOCATION")
    store.arguments.add(gathered, square, "LOCATION")
    add(store, p, PROTEST, "Protesters", "ARMED_GROUP", status="rejected")
    store.states.set(p, "maria", "done")

    store.states.set(ids["quiet"], "maria", "done")

    add(store, ids["unfinished"], UNFINISHED, "Velin", "LOCATION")
    store.states.set(ids["unfinished"], "maria", "in_progress")

    add(store, a, SHELLING, "Rebel fighters", "ARMED_GROUP", annotator="gold")
    add(store, a, SHELLING, "Korvath", "LOCATION", annotator="gold")
    store.states.set(a, "gold", "done")
    return ids
