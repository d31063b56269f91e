"""Counts of what a project holds, for ``annotator stats``."""

from __future__ import annotations

from collections import Counter
from typing import Any
from annotator.store.part import Part


class Stats(Part):
    def counts(self) -> dict[str, Any]:
        """Counts for ``annotator stats``; ``articles`` and ``spans`` are the two totals."""
        q = self._db.execute
        names = {annotator_id: name for name, annotator_id in self._store.annotators.ids_by_name().items()}
        # One pass over the covering index spans_by_label, in its order (no sorting), and every
        # grouping made from its rows: five GROUP BY scans of the spans took seconds on a million
        # articles (bench/million_articles.py).
        groups = q(
            "SELECT label, annotator_id, status, layer, origin, count(*) FROM spans INDEXED BY spans_by_label"
            " GROUP BY label, annotator_id, status, layer, origin"
        ).fetchall()
        by_layer: Counter = Counter()
        by_status: Counter = Counter()
        by_origin: Counter = Counter()
        by_label: Counter = Counter()
        by_annotator: Counter = Counter()
        for label, annotator_id, status, layer, origin, count in groups:
            by_layer[layer] += count
            by_status[status] += count
            by_origin[origin] += count
            by_label[layer, label, status] += count
            by_annotator[names.get(annotator_id) if annotator_id is not None else None, status] += count
        return {
            "articles": q("SELECT count(*) FROM articles").fetchone()[0],
            "spans": sum(by_layer.values()),
            "annotators": sorted(names.values()),
            "spans_by_layer": dict(sorted(by_layer.items())),
            "spans_by_status": dict(sorted(by_status.items())),
            "spans_by_origin": dict(sorted(by_origin.items())),
            "spans_by_label": [{"layer": layer, "label": label, "status": status, "count": count}
                               for (layer, label, status), count in sorted(by_label.items())],
            # Suggestions (no annotator) first, as SQL orders a NULL name.
            "spans_by_annotator": [{"annotator": name or "(suggestions)", "status": status, "count": count}
                                   for (name, status), count in sorted(by_annotator.items(),
                                                                       key=lambda item: (item[0][0] is not None,
                                                                                         item[0][0] or "", item[0][1]))],
            "article_states": list(self._db.query(
                "SELECT an.name AS annotator, st.state, count(*) AS count FROM article_states st"
                " JOIN annotators an ON an.id = st.annotator_id GROUP BY an.name, st.state"
                " ORDER BY an.name, st.state"
            )),
            "event_arguments": q("SELECT count(*) FROM arguments").fetchone()[0],
        }
