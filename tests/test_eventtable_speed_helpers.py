"""The event table's shortcuts for speed give what the plain calls give, on invented odd text."""

from __future__ import annotations

import pytest

from eventtable_fixtures import places_index  # noqa: F401 - a fixture

# Invented articles with and without a dateline: Cyrillic, emoji, Windows line ends, a dateline under a headline
ODD_ARTICLES = [
    ("КИЇВ, 24 червня - Війська обстріляли Харків. Загинули двоє людей.", "обстріляли"),
    ("Rebels 🔥 shelled Goma overnight 💥. Two people died... Officials said 🙏 nothing more!", "shelled"),
    ("Drone strike hits plant, officials say\r\n\r\nKHARKIV, Oct. 10 - A drone hit a power plant\r\nin the "
     "city. Nobody was hurt.\r\n\r\nThe U.N. said it would look into it.", "hit"),
    ("Clashes near the border\n\nMOPTI - Gunmen  attacked\ta market.\rTen people were wounded.", "attacked"),
    ("GOMA, Oct. 10 (Reuters) - M23 rebels raided a camp near Goma.", "raided"),
]


@pytest.mark.parametrize("text, trigger", ODD_ARTICLES, ids=["cyrillic", "emoji", "crlf", "headline", "reuters"])
def test_records_read_the_dateline_once_as_dateline_reads_it(places_index, text, trigger):
    """The dateline is read once an article: the source's dateline and each event's sentence (its date
    words blanked) are what reading it again for each event gave."""
    from annotator.eventtable.records import RecordBuilder, _without_dateline, sentence_bounds
    from annotator.suggest.lexicon import dateline, dateline_span
    from eventtable_fixtures import Annotated

    report = Annotated(60, text, published="2022-10-11", source="Invented Gazette")
    report.event(trigger, "BATTLES")
    builder = RecordBuilder(places=places_index)
    (record,) = builder.records(report.article, report.spans, report.links)
    assert record.source.dateline == (dateline(text) or "").casefold()
    start, end = sentence_bounds(builder.sentences(text), record_start := text.index(trigger),
                                 record_start + len(trigger))
    blanked = _without_dateline(text, start, end, dateline_span(text))
    assert len(blanked) == end - start and record.sentence == text[start:end].strip()
    found = dateline_span(text)
    if found is not None and start <= found[0] < end:
        assert not blanked[found[0] - start:found[1] - start].strip()  # the dateline's words blanked...
        assert record.date.start != "2022-10-10"  # ...so its day ("Oct. 10") never dates the event


def _varied_reports():
    """Invented reports that reach every branch of linking's affinity: named and unnamed actors, targets,
    counts far apart, a published date standing in, coarse and exact dates, untyped labels, one article's
    two events, shared datelines and names."""
    from eventtable_fixtures import Annotated

    reports = []
    one = Annotated(41, "KHARKIV, June 24 - Russian troops shelled Kharkiv on Friday, killing 12 people. "
                        "Wagner fighters attacked Izium last week.", published="2022-06-25", source="A")
    one.event("shelled", "EXPLOSIONS_REMOTE_VIOLENCE", actor=("Russian troops", "ARMED_GROUP"),
              location=("Kharkiv", "LOCATION"), fatalities=("12 people", "QUANTITY"))
    one.event("attacked", "BATTLES", actor=("Wagner fighters", "ARMED_GROUP"), location=("Izium", "LOCATION"))
    reports.append(one)
    two = Annotated(42, "KHARKIV, June 25 - Shelling hit Kharkiv, killing 1,500 people, officials said.",
                    published="2022-06-25", source="B")
    two.event("Shelling", "EXPLOSIONS_REMOTE_VIOLENCE", location=("Kharkiv", "LOCATION"),
              fatalities=("1,500 people", "QUANTITY"), target=("people", "QUANTITY"))
    reports.append(two)
    three = Annotated(43, "Boko Haram gunmen raided Maiduguri, killing two civilians. JNIM attacked Mopti "
                          "in February.", published="2022-03-02", source="C")
    three.event("raided", "VIOLENCE_AGAINST_CIVILIANS", actor=("Boko Haram", "ARMED_GROUP"),
                location=("Maiduguri", "LOCATION"), target=("two civilians", "QUANTITY"))
    three.event("attacked", "BATTLES", actor=("JNIM", "ARMED_GROUP"), location=("Mopti", "LOCATION"),
                time=("in February", "DATE"))
    reports.append(three)
    four = Annotated(44, "Gunmen raided Maiduguri overnight. A quake struck Mopti. The earthquake shook Gao.",
                     published="2022-03-03", source="D")
    four.event("raided", "VIOLENCE_AGAINST_CIVILIANS", actor=("Gunmen", "ARMED_GROUP"),
               location=("Maiduguri", "LOCATION"))
    four.event("quake", "quake", location=("Mopti", "LOCATION"))
    four.event("earthquake", "earthquake", location=("Gao", "LOCATION"))
    reports.append(four)
    five = Annotated(45, "Protesters marched in Mopti. Police arrested a trader in Mopti on 3 May 2022.",
                     published="2022-05-04", source="E")
    five.event("marched", "PROTESTS", actor=("Protesters", "PROTESTERS"), location=("Mopti", "LOCATION"))
    five.event("arrested", "arrest", actor=("Police", "ARMED_GROUP"), location=("Mopti", "LOCATION"))
    reports.append(five)
    # Reports that agree with the first one's shelling in several ways: an exact day and a dateline, a day
    # apart, a published date standing in, a week
    six = Annotated(46, "KHARKIV, June 24 - Russian forces shelled Kharkiv on 24 June 2022, killing 10 people.",
                    published="2022-06-24", source="F")
    six.event("shelled", "EXPLOSIONS_REMOTE_VIOLENCE", actor=("Russian forces", "ARMED_GROUP"),
              location=("Kharkiv", "LOCATION"), fatalities=("10 people", "QUANTITY"))
    reports.append(six)
    seven = Annotated(47, "Russian artillery pounded Kharkiv on 23 June 2022. Russian artillery bombarded "
                          "Kharkiv.", published="2022-06-25", source="G")
    seven.event("pounded", "EXPLOSIONS_REMOTE_VIOLENCE", actor=("Russian artillery", "ARMED_GROUP"),
                location=("Kharkiv", "LOCATION"))
    seven.event("bombarded", "EXPLOSIONS_REMOTE_VIOLENCE", actor=("Russian artillery", "ARMED_GROUP"),
                location=("Kharkiv", "LOCATION"))
    reports.append(seven)
    eight = Annotated(48, "Russian troops shelled Kharkiv last week.", published="2022-06-29", source="H")
    eight.event("shelled", "EXPLOSIONS_REMOTE_VIOLENCE", actor=("Russian troops", "ARMED_GROUP"),
                location=("Kharkiv", "LOCATION"))
    reports.append(eight)
    nine = Annotated(49, "The tremor shook Mopti, residents said.", published="2022-03-03", source="I")
    nine.event("tremor", "tremor", location=("Mopti", "LOCATION"))
    reports.append(nine)
    return reports


def _affinity_piece_by_piece(a, b):
    """Linking's affinity as it read before each record's evidence was read once: from the functions that
    state each rule (the ones ``explain`` reads too)."""
    from annotator.eventtable.linking import (
        UNTYPED_FAMILY, _counts, _dates, _places, actors_compatible, family, words_related,
    )

    if family(a) != family(b) or a.counted != b.counted or a.background != b.background:
        return None
    if not actors_compatible(a, b) or not _counts(a, b):
        return None
    on_words = words_related(a, b)
    if a.disorder_type == UNTYPED_FAMILY and a.event_type != b.event_type and not on_words:
        return None
    on_dates, on_places = _dates(a, b), _places(a, b)
    if on_dates is None or on_places is None:
        return None
    score = on_dates + on_places
    score += 1.0 if a.event_type == b.event_type else on_words
    if a.article_id == b.article_id:
        score += 1.5
    else:
        if a.source.dateline and a.source.dateline == b.source.dateline:
            score += 0.5
        shared = len(a.source.names & b.source.names)
        score += 1.5 if shared >= 4 else 1.0 if shared >= 2 else 0.0
    return score


def test_affinity_from_evidence_read_once_gives_what_each_rule_gives(places_index):
    from annotator.eventtable.linking import _affinity, _Evidence, affinity
    from annotator.eventtable.records import RecordBuilder

    builder = RecordBuilder(places=places_index)
    records = [r for item in _varied_reports() for r in builder.records(item.article, item.spans, item.links)]
    assert len(records) == 15
    evidence = [_Evidence(r) for r in records]
    values = set()
    for i, a in enumerate(records):
        for j, b in enumerate(records):
            expected = _affinity_piece_by_piece(a, b)
            assert affinity(a, b) == expected, (a.trigger, b.trigger)
            assert _affinity(evidence[i], evidence[j], a, b) == expected, (a.trigger, b.trigger)
            if i != j:
                values.add(expected)
    assert None in values and len(values - {None}) >= 5  # contradictions and several strengths of evidence met


def test_grouping_leaves_the_cycle_collector_as_it_found_it(places_index):
    import gc

    from annotator.eventtable.linking import _no_cycle_collection, propose
    from annotator.eventtable.records import RecordBuilder

    builder = RecordBuilder(places=places_index)
    records = [r for item in _varied_reports() for r in builder.records(item.article, item.spans, item.links)]
    was = gc.isenabled()
    try:
        gc.enable()
        grouped = propose(records)
        assert gc.isenabled()
        assert sum(len(g.members) for g in grouped.groups) == len(records)
        gc.disable()
        assert propose(records) == grouped  # the same groups
        assert not gc.isenabled()  # a caller's choice to keep it off is kept
        gc.enable()
        with pytest.raises(RuntimeError):
            with _no_cycle_collection():
                assert not gc.isenabled()
                raise RuntimeError("clustering failed")
        assert gc.isenabled()  # back on after a failure too
    finally:
        (gc.enable if was else gc.disable)()
