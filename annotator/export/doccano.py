"""doccano JSONL in its relation-extraction form, which holds entities, events and arguments alike.

``{"text", "entities": [{"id", "start_offset", "end_offset", "label"}], "relations": [{"id", "from_id",
"to_id", "type"}], "article_id"}``: events are entities with their event label, each argument a
relation from the event to its argument typed with the role. doccano has no place for attributes
(modality, sub-event type): they are not in this format.
"""

from __future__ import annotations

import json

from annotator.selection import ArticleExport


class DoccanoIds:
    """Entity and relation ids unique in one file, as doccano's own exports have them."""

    def __init__(self):
        self.entity = 0
        self.relation = 0


def record_for(item: ArticleExport, ids: DoccanoIds) -> dict:
    entities = []
    entity_ids: dict[int, int] = {}
    for span in sorted(item.spans, key=lambda s: (s.start_char, s.end_char, str(s.layer), s.label, s.id)):
        ids.entity += 1
        entity_ids[span.id] = ids.entity
        entities.append({"id": ids.entity, "start_offset": span.start_char, "end_offset": span.end_char,
                         "label": span.label})
    relations = []
    for link in item.arguments:
        ids.relation += 1
        relations.append({"id": ids.relation, "from_id": entity_ids[link.event.id],
                          "to_id": entity_ids[link.filler.id], "type": link.role})
    return {"text": item.article.text, "entities": entities, "relations": relations,
            "article_id": item.article.id}


def dumps(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8", "surrogatepass")
