"""The two seed reports, annotated by hand as below, exported as events: one withdrawal, two sources.

    .venv/bin/python bench/seed_events.py [/work/shared/seeds]

The texts are read from the shared folder at run time and never stored here; only the words each span
covers are (a few words of each report, the way an annotator would select them). Neither file carries
its published date or outlet: both report the withdrawal order given on Friday 24 June 2022 ("said
Friday"; the second is signed Bloomberg, 2022), so that date and those outlets are our annotation.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from annotator.eventtable.export import counts, event_rows, write_csv  # noqa: E402
from annotator.eventtable.linking import propose  # noqa: E402
from annotator.eventtable.records import RecordBuilder  # noqa: E402
from eventtable_fixtures import Annotated, Link  # noqa: E402

PUBLISHED = "2022-06-24"


def annotate(folder: Path) -> list[Annotated]:
    first_text = (folder / "000_0cc1f2dd106bd901.txt").read_text(encoding="utf-8")
    second_text = (folder / "002_2b86b257960c12b5.txt").read_text(encoding="utf-8")
    first = Annotated(1, first_text, source="seed 000 (agency report)", published=PUBLISHED)
    # The lead's second occurrence: the first is the bullet summary above the article body.
    place = first.span("Severodonetsk", "LOCATION", occurrence=1)
    actor = first.span("Ukrainian forces", "ARMED_GROUP", occurrence=1)
    event = first.event("withdraw", "STRATEGIC_DEVELOPMENTS", occurrence=1, modality="planned",
                        sub_event_type="Non-violent transfer of territory", reported_by="a senior Ukrainian official")
    first.links += [Link(event, actor, "ACTOR"), Link(event, place, "LOCATION")]
    second = Annotated(2, second_text, source="Bloomberg", published=PUBLISHED)
    second.event("pull back", "STRATEGIC_DEVELOPMENTS", modality="planned",
                 sub_event_type="Non-violent transfer of territory", reported_by="a senior local official",
                 actor=("Ukrainian troops", "ARMED_GROUP"), location=("Sievierodonetsk", "LOCATION"))
    return [first, second]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/seeds")
    reports = annotate(folder)
    builder = RecordBuilder()
    records = [r for a in reports for r in builder.records(a.article, a.spans, a.links)]
    rows = event_rows(propose(records), {r.key: r for r in records})
    shown = ("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "inter1",
             "assoc_actor_1", "location", "geonameid", "geo_precision", "source", "number_of_sources", "modality",
             "counted", "date_basis")
    for row in rows:
        for column in shown:
            print(f"{column:>18}: {row[column]}")
        print()
    print(f"{len(records)} event records -> {len(rows)} event rows; counts {counts(rows)}; "
          f"with plans: {counts(rows, include_uncounted=True)['events']}")
    print(write_csv(rows).splitlines()[0])


if __name__ == "__main__":
    main()
