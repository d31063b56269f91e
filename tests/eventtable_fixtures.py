"""Invented articles and their annotations for the event table tests (no real article text)."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.domain import Article, ArticleState, Layer, Origin, Span, Status
from annotator.store import Store

ENTITY, EVENT = Layer.ENTITY, Layer.EVENT


@dataclass(frozen=True)
class Link:
    event: Span
    filler: Span
    role: str


class Annotated:
    """An article being annotated: spans found by their words, ids handed out in order."""

    _next_id = 1000

    def __init__(self, article_id: int, text: str, *, source="", url="", published=None, title=""):
        self.article = Article(id=article_id, text=text, source=source, url=url, published=published, title=title)
        self.spans: list[Span] = []
        self.links: list[Link] = []

    def span(self, words: str, label: str, layer=ENTITY, occurrence: int = 0, **attributes) -> Span:
        start = -1
        for _ in range(occurrence + 1):
            start = self.article.text.index(words, start + 1)
        Annotated._next_id += 1
        made = Span(id=Annotated._next_id, article_id=self.article.id, start_char=start, end_char=start + len(words),
                    label=label, layer=layer, origin=Origin.MANUAL, status=Status.ACCEPTED, annotator="gold",
                    attributes=attributes)
        self.spans.append(made)
        return made

    def event(self, words: str, label: str, occurrence: int = 0, **arguments) -> Span:
        """An event span; keyword arguments ROLE=(words, label) or a list of them become its arguments."""
        attributes = {k: arguments.pop(k) for k in ("modality", "sub_event_type", "reported_by") if k in arguments}
        made = self.span(words, label, EVENT, occurrence, **attributes)
        for role, fillers in arguments.items():
            for filler_words, filler_label in ([fillers] if isinstance(fillers, tuple) else fillers):
                filler = next((s for s in self.spans if self.article.text[s.start_char:s.end_char] == filler_words
                               and s.label == filler_label), None) or self.span(filler_words, filler_label)
                self.links.append(Link(made, filler, role.upper()))
        return made


def withdrawal_pair() -> tuple[Annotated, Annotated]:
    """Two invented reports, two outlets, two spellings, one withdrawal on one Friday (2022-06-24)."""
    first = Annotated(
        1,
        "Ukrainian troops are pulling out of Severodonetsk, the regional governor said on Friday. "
        "He said the garrison had orders to leave after weeks of bombardment left most homes in ruins.",
        source="Northern Ledger", url="https://ledger.example/a1", published="2022-06-24",
    )
    first.span("Severodonetsk", "LOCATION")
    first.event("pulling out", "STRATEGIC_DEVELOPMENTS", sub_event_type="Non-violent transfer of territory",
                reported_by="the regional governor",
                actor=("Ukrainian troops", "ARMED_GROUP"), location=("Severodonetsk", "LOCATION"))
    second = Annotated(
        2,
        "Kyiv's forces began a withdrawal from Sievierodonetsk on Friday, a local official told reporters. "
        "Russian artillery kept shelling nearby Lysychansk.",
        source="Coastal Wire", url="https://wire.example/b7", published="2022-06-25",
    )
    second.event("withdrawal", "STRATEGIC_DEVELOPMENTS", sub_event_type="Non-violent transfer of territory",
                 actor=("Kyiv's forces", "ARMED_GROUP"), location=("Sievierodonetsk", "LOCATION"),
                 time=("on Friday", "DATE"))
    second.span("Lysychansk", "LOCATION")
    second.event("shelling", "EXPLOSIONS_REMOTE_VIOLENCE", sub_event_type="Shelling/artillery/missile attack",
                 actor=("Russian artillery", "ARMED_GROUP"), location=("Lysychansk", "LOCATION"))
    return first, second


def store_pair(store: Store, annotator: str = "ana") -> dict[str, int]:
    """The invented two-outlet pair, annotated by ``annotator`` and marked done."""
    ids: dict[str, int] = {}
    for annotated in withdrawal_pair():
        a = annotated.article
        article_id, _ = store.articles.add(a.text, title=a.title, source=a.source, url=a.url, published=a.published)
        new_ids = {}
        for span in annotated.spans:
            new_ids[span.id] = store.spans.add(article_id, span.start_char, span.end_char, span.label, span.layer,
                                               annotator=annotator, attributes=span.attributes)
            if span.layer is Layer.EVENT:
                ids[f"{a.source}:{a.text[span.start_char:span.end_char]}"] = new_ids[span.id]
        for link in annotated.links:
            store.arguments.add(new_ids[link.event.id], new_ids[link.filler.id], link.role)
        store.states.set(article_id, annotator, ArticleState.DONE)
        ids[a.source] = article_id
    return ids



import pytest  # noqa: E402


@pytest.fixture(scope="session")
def places_index(tmp_path_factory):
    """One GeoNames index for the whole session, cached beside pytest's temporary folders (which
    outlive a run: the 9 s build happens once per machine, not per test)."""
    from annotator.eventtable.places import load_index

    folder = tmp_path_factory.getbasetemp().parent / "conflict-annotator-geonames"
    folder.mkdir(parents=True, exist_ok=True)
    return load_index(folder)


@pytest.fixture(scope="session")
def builder(places_index):
    """The event records' builder over the session's place index."""
    from annotator.eventtable.records import RecordBuilder

    return RecordBuilder(places=places_index)


def record_of_sentence(builder, article_id: int, text: str, trigger: str, label: str, published: str | None = "2024-05-10",
                       **arguments):
    """The one record of an invented article holding ``text``, with one event on ``trigger`` and its
    ``arguments`` (role=(words, label))."""
    report = Annotated(article_id, text, published=published)
    report.event(trigger, label, **arguments)
    (record,) = builder.records(report.article, report.spans, report.links)
    return record
