"""Small projects for the window tests. The articles are invented for these tests."""

from __future__ import annotations

from annotator.domain import Layer, Origin, Status
from annotator.store import Store

REPORT = (
    "Shelling damages water plant near Velyka Dolyna\r\n"
    "\r\n"
    "VELYKA DOLYNA, 14 March — Artillery fire struck the municipal water plant on the eastern edge of "
    "Velyka Dolyna early on Tuesday, cutting supply to about 12,000 residents, the regional governor "
    "Oksana Hrytsenko said.\r\n"
    "\r\n"
    "The 58th Brigade said its positions north of the town had repelled an assault by armed groups overnight, "
    "while the ministry of defence denied that any drones had been launched from the area. "
    "Engineers from the Red Cross plan to inspect the plant on Thursday.\r\n"
    "\r\n"
    "Two civilians were killed and five wounded, according to the town's hospital.\r\n"
)

TRICKY = "Київ 🇺🇦 said\tcafe\u0301 <b>bold</b> &amp; <img src=\"http://example.invalid/x.png\">\r\nend 😀 ok\rlast"

PLAIN = [
    ("Protest in the square", "Hundreds of teachers marched through Novi Brod on Monday demanding back pay."),
    ("Ceasefire talks", "Delegations from both sides met in Lakeport to discuss a local ceasefire."),
    ("Convoy attacked", "An aid convoy was ambushed on the road to Hillcrest; no one was hurt."),
]


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def add_suggestion(store: Store, article_id: int, text: str, needle: str, label: str, layer: Layer,
                   nth: int = 0, **attributes) -> int:
    start, end = find(text, needle, nth)
    return store.spans.add(article_id, start, end, label, layer, annotator=None, origin=Origin.SUGGESTED,
                           status=Status.PENDING, source="test-suggester 1.0", score=0.9, attributes=attributes)


def build_project(store: Store) -> dict[str, int]:
    """The report with suggestions (one event with arguments), the tricky text, three short articles."""
    report, _ = store.articles.add(REPORT, title="Shelling damages water plant near Velyka Dolyna",
                                   source="Invented Wire", published="2026-03-14")
    tricky, _ = store.articles.add(TRICKY, title="Tricky <b>characters</b>")
    ids = {"report": report, "tricky": tricky}
    for i, (title, text) in enumerate(PLAIN):
        ids[f"plain{i}"] = store.articles.add(text, title=title)[0]
    town = add_suggestion(store, report, REPORT, "Velyka Dolyna", "LOCATION", Layer.ENTITY, nth=1)
    plant = add_suggestion(store, report, REPORT, "municipal water plant", "FACILITY", Layer.ENTITY)
    add_suggestion(store, report, REPORT, "Oksana Hrytsenko", "PERSON", Layer.ENTITY)
    add_suggestion(store, report, REPORT, "Tuesday", "DATE", Layer.ENTITY)
    brigade = add_suggestion(store, report, REPORT, "58th Brigade", "ARMED_GROUP", Layer.ENTITY)
    add_suggestion(store, report, REPORT, "Red Cross", "ORG", Layer.ENTITY)
    fire = add_suggestion(store, report, REPORT, "Artillery fire struck", "EXPLOSIONS_REMOTE_VIOLENCE",
                          Layer.EVENT, modality="happened", sub_event_type="Shelling/artillery/missile attack")
    store.arguments.add(fire, plant, "TARGET")
    store.arguments.add(fire, town, "LOCATION")
    ids.update(town=town, plant=plant, brigade=brigade, fire=fire)
    return ids
