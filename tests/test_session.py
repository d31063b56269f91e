"""The annotation session without a window: time that counts, state that follows the work, Tab."""

from __future__ import annotations

from annotator.domain import ArticleState, Layer, Origin, Status
import annotator.session as session_module
from annotator.session import IDLE_SECONDS, AnnotationSession, Clock
from annotator.store import Store

TEXT = "Militia fighters shelled Dorvan on Tuesday; police arrested two men in Teluk."


class FakeTime:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_session_clock_stops_counting_when_idle_and_in_the_background():
    time = FakeTime()
    clock = Clock(now=time)
    clock.start()
    time.now += 30
    clock.activity()
    assert clock.seconds() == 30
    time.now += 3600  # the window sat untouched for an hour
    assert clock.seconds() == 30 + IDLE_SECONDS
    clock.activity()
    clock.pause()  # focus went to another window
    time.now += 500
    assert clock.seconds() == 30 + IDLE_SECONDS
    clock.resume()
    time.now += 10
    assert clock.take() == 30 + IDLE_SECONDS + 10
    assert clock.seconds() == 0


def test_session_viewing_is_not_working_but_a_decision_is():
    store = Store.memory()
    article, _ = store.articles.add(TEXT)
    session = AnnotationSession(store, "ana", clock=Clock(now=FakeTime()))
    session.open(article)
    session.clock.now.now += 12
    session.account_time()
    state, _note, seconds = store.states.get(article, "ana")
    assert (state, seconds) == (ArticleState.TODO, 12)
    store.spans.add(article, 0, 16, "ARMED_GROUP", "entity", annotator="ana")
    assert store.states.get(article, "ana")[0] is ArticleState.IN_PROGRESS
    store.states.set(article, "ana", ArticleState.DONE)
    store.spans.add(article, 25, 31, "LOCATION", "entity", annotator="ana")
    assert store.states.get(article, "ana")[0] is ArticleState.DONE  # more work does not reopen it


def test_session_tab_after_a_span_went_away_continues_from_where_it_was():
    store = Store.memory()
    article, _ = store.articles.add(TEXT)
    ids = [store.spans.add(article, start, end, label, Layer.ENTITY, annotator=None, origin=Origin.SUGGESTED,
                           status=Status.PENDING)
           for start, end, label in ((0, 16, "ARMED_GROUP"), (25, 31, "LOCATION"), (35, 42, "DATE"),
                                     (70, 75, "LOCATION"))]
    session = AnnotationSession(store, "ana")
    session.open(article)
    session.select(ids[1])
    store.suggestions.decide(ids[1], "ana", Status.REJECTED)
    session.reload()
    order = [s.id for s in session.spans]
    assert session.selected is None
    assert session.step(order, +1) == ids[2]  # not back to the first span of the article
    assert session.next_undecided((25, 31)) == ids[2]


def test_session_refresh_reads_only_what_another_connection_changed(tmp_path, monkeypatch):
    # No look-back, so "only what changed" is exact here (the window looks a little back, see session.LOOK_BACK_SECONDS).
    monkeypatch.setattr(session_module, "LOOK_BACK_SECONDS", 0.0)
    path = tmp_path / "p.sqlite"
    with Store.open(path) as store:
        article, _ = store.articles.add(TEXT)
        militia = store.spans.add(article, 0, 16, "ARMED_GROUP", Layer.ENTITY, annotator=None,
                                  origin=Origin.SUGGESTED, status=Status.PENDING)
        dorvan = store.spans.add(article, 25, 31, "LOCATION", Layer.ENTITY, annotator="ana")
    store = Store.open(path)
    other = Store.open(path)  # a second window on the same file
    try:
        session = AnnotationSession(store, "ana")
        session.open(article)
        assert session.refresh() == ([], [])  # nothing written since: nothing read
        teluk = other.spans.add(article, 71, 76, "LOCATION", Layer.ENTITY, annotator=None,
                                origin=Origin.SUGGESTED, status=Status.PENDING)
        other.spans.update(dorvan, "ana", label="PERSON")
        snapshot = other.spans.delete(militia, "ana")
        removed, fresh = session.refresh()
        assert sorted(removed) == sorted([dorvan, militia])
        assert sorted(s.id for s in fresh) == sorted([teluk, dorvan])
        assert session.spans_by_id[dorvan].label == "PERSON"
        # Undoing the delete there brings the span back with its old time stamp: still seen here.
        other.spans.restore(snapshot, "ana")
        _removed, fresh = session.refresh()
        # (A span written in the same millisecond as the last look may be read twice: harmless.)
        assert militia in [s.id for s in fresh]
        assert [s.id for s in session.spans] == [s.id for s in store.spans.for_article(article, "ana")]
    finally:
        store.close()
        other.close()


def test_session_announces_what_changed_to_whoever_listens():
    store = Store.memory()
    article, _ = store.articles.add(TEXT)
    militia = store.spans.add(article, 0, 16, "ARMED_GROUP", Layer.ENTITY, annotator="ana")
    session = AnnotationSession(store, "ana")
    heard = []
    session.events.article_opened.connect(lambda opened, spans: heard.append(("opened", opened.id, [s.id for s in spans])))
    session.events.spans_changed.connect(lambda removed, fresh: heard.append(("spans", removed, [s.id for s in fresh])))
    session.events.selection_changed.connect(lambda span: heard.append(("selected", span.id if span else None)))
    session.events.annotator_changed.connect(lambda name: heard.append(("annotator", name)))

    session.open(article)
    session.select(militia)
    dorvan = store.spans.add(article, 25, 31, "LOCATION", Layer.ENTITY, annotator="ana")
    session.reload(within=(25, 31))
    session.switch_annotator("ben")  # ben has no spans here: the article is shown again, empty

    assert heard == [("opened", article, [militia]), ("selected", None), ("selected", militia),
                     ("spans", [], [dorvan]),
                     ("annotator", "ben"), ("opened", article, []), ("selected", None)]
    assert session.annotator == "ben"


def test_session_says_nothing_when_nothing_changed():
    store = Store.memory()
    article, _ = store.articles.add(TEXT)
    session = AnnotationSession(store, "ana")
    session.open(article)
    heard = []
    session.events.spans_changed.connect(lambda *change: heard.append(change))
    session.reload()
    session.refresh()
    assert heard == []
