"""The scheme file says what each event label means to the event table, so any scheme gets one."""

from annotator.eventtable.linking import propose
from annotator.eventtable.records import RecordBuilder
from annotator.schemes import scheme_by_name
from eventtable_fixtures import Annotated, places_index  # noqa: F401 - places_index is a fixture


def test_eventtable_scheme_ace2005_labels_get_their_types_and_families(places_index):
    builder = RecordBuilder(places=places_index, scheme=scheme_by_name("ace2005"))
    one = Annotated(90, "Gunmen attacked a market in Kirkuk on 2 May 2024.", published="2024-05-03")
    one.event("attacked", "CONFLICT_ATTACK")
    other = Annotated(91, "Two people died in Kirkuk on 2 May 2024 when gunmen opened fire.", published="2024-05-03")
    other.event("died", "LIFE_DIE")
    records = [r for item in (one, other) for r in builder.records(item.article, item.spans, item.links)]
    assert [(r.event_type, r.disorder_type) for r in records] == [("Attack", "Conflict"), ("Die", "Conflict")]
    # One family: an attack and the deaths it caused, one day, one town, are proposed as one event.
    (group,) = propose(records).groups
    assert len(group.members) == 2


def test_eventtable_scheme_conflict_labels_are_acled_types(places_index):
    builder = RecordBuilder(places=places_index, scheme=scheme_by_name("conflict"))
    report = Annotated(92, "Protesters marched in Lagos on Monday.", published="2024-05-08")
    report.event("marched", "PROTESTS")
    (record,) = builder.records(report.article, report.spans, report.links)
    assert (record.event_type, record.disorder_type) == ("Protests", "Demonstrations")
