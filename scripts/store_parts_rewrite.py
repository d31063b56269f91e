"""Rewrite (issue 18): calls on the old one-class Store become calls on the part they mean, and the
modules renamed for their names (annotator.model, annotator.projects) are imported by their new ones.

Kept in the repository as the record of the method -> part.verb map that ADR 0012 describes; run once
from the repository root (``python scripts/store_parts_rewrite.py``). Running it again changes
nothing, so a branch made before the parts can merge main and run it over its own new calls. It rewrites only receivers that
are a store (a name or attribute ending in ``store``, plus the few local store names the tests use),
so ``parser.add_argument`` and the Recorder's own verbs are left alone.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

# old Store method -> (part, verb). Methods not listed stay on Store (the whole file).
MAP: dict[str, tuple[str, str]] = {
    # annotators
    "ensure_annotator": ("annotators", "ensure"),
    "annotator_id": ("annotators", "id_of"),
    "annotator_names": ("annotators", "names"),
    "annotator_ids_by_name": ("annotators", "ids_by_name"),
    # articles
    "add_article": ("articles", "add"),
    "deferred_search": ("articles", "deferred_search"),
    "verify_search_index": ("articles", "verify_search_index"),
    "get_article": ("articles", "get"),
    "update_article_meta": ("articles", "update_meta"),
    "article_id_by_hash": ("articles", "id_by_hash"),
    "count_articles": ("articles", "count"),
    "article_ids": ("articles", "ids"),
    "missing_article_ids": ("articles", "missing"),
    "iter_articles": ("articles", "iter"),
    "article_lengths": ("articles", "lengths"),
    "article_texts": ("articles", "texts"),
    "_article_filter": ("articles", "_filter"),
    "count_articles_where": ("articles", "count_where"),
    "_count_in_states": ("articles", "_count_in_named_states"),
    "list_articles": ("articles", "list"),
    "next_article_id": ("articles", "next_id"),
    "count_articles_in_states": ("articles", "count_in_states"),
    "content_hashes_in_states": ("articles", "hashes_in_states"),
    "articles_in_states": ("articles", "in_states"),
    # spans
    "_spans": ("spans", "select"),
    "_article_length": ("spans", "_article_length"),
    "_check_offsets": ("spans", "_check_offsets"),
    "get_span": ("spans", "get"),
    "spans_for": ("spans", "for_article"),
    "_visible": ("spans", "_visible"),
    "own_spans": ("spans", "own"),
    "has_work": ("spans", "has_work"),
    "find_span": ("spans", "find"),
    "span_ids_in_region": ("spans", "ids_in_region"),
    "add_span": ("spans", "add"),
    "add_spans": ("spans", "add_many"),
    "add_span_rows": ("spans", "add_rows"),
    "update_span": ("spans", "update"),
    "delete_span": ("spans", "delete"),
    "restore_span": ("spans", "restore"),
    "spans_of_articles": ("spans", "of_articles"),
    "accepted_span_columns": ("spans", "accepted_columns"),
    "accepted_spans_with_differing_attributes": ("spans", "accepted_with_differing_attributes"),
    "labels_in_use": ("spans", "labels_in_use"),
    "spans_changed_since": ("spans", "changed_since"),
    "spans_by_ids": ("spans", "by_ids"),
    # suggestions
    "decide_suggestion": ("suggestions", "decide"),
    "decide_suggestion_only": ("suggestions", "decide_only"),
    "_decided_copy": ("suggestions", "_decided_copy"),
    "_copy_suggestion": ("suggestions", "_copy"),
    "shared_suggestions": ("suggestions", "shared"),
    "has_imported_suggestions": ("suggestions", "has_imported"),
    "delete_suggestions": ("suggestions", "delete"),
    "record_suggestion_run": ("suggestions", "record_run"),
    "suggested_article_ids": ("suggestions", "article_ids"),
    "decided_span_texts": ("suggestions", "decided_texts"),
    # arguments
    "add_argument": ("arguments", "add"),
    "delete_argument": ("arguments", "delete"),
    "get_argument": ("arguments", "get"),
    "find_argument": ("arguments", "find"),
    "arguments_of": ("arguments", "of_event"),
    "arguments_for": ("arguments", "for_article"),
    "arguments_of_articles": ("arguments", "of_articles"),
    "argument_columns": ("arguments", "columns"),
    # states
    "get_state": ("states", "get"),
    "set_state": ("states", "set"),
    "add_seconds": ("states", "add_seconds"),
    "_started": ("states", "mark_started"),
    "article_ids_in_state": ("states", "article_ids"),
    "done_by": ("states", "done_by"),
    # gold
    "add_gold_decision": ("gold", "add_decision"),
    "restore_gold_decision": ("gold", "restore_decision"),
    "delete_gold_decision": ("gold", "delete_decision"),
    "point_gold_span": ("gold", "point_span"),
    "point_gold_argument": ("gold", "point_argument"),
    "gold_decision_of_span": ("gold", "decision_of_span"),
    "gold_provenance": ("gold", "provenance"),
    "gold_regions": ("gold", "regions"),
    "_gold_snapshot": ("gold", "snapshot_of_span"),
    "_restore_gold_snapshot": ("gold", "restore_snapshot"),
    # events (the reviewer's decisions behind the event table)
    "event_override": ("events", "override"),
    "set_event_override": ("events", "set_override"),
    "event_overrides": ("events", "overrides"),
    "add_event_group": ("events", "add_group"),
    "remove_event_group": ("events", "remove_group"),
    "event_groups": ("events", "groups"),
    # learned versions
    "record_model_version": ("learned", "record"),
    "model_versions": ("learned", "versions"),
    "learning_material": ("learned", "material"),
    # uncertainty
    "unfinished_article_ids": ("uncertainty", "unfinished_ids"),
    "set_uncertainty": ("uncertainty", "set"),
    "uncertainty_of": ("uncertainty", "of"),
    "next_by_uncertainty": ("uncertainty", "next_id"),
    # log
    "_log": ("log", "write"),
    "log": ("log", "add"),
    "log_entries": ("log", "entries"),
    # stats
    "stats": ("stats", "counts"),
    # bulk
    "insert_rows": ("bulk", "insert"),
    "max_id": ("bulk", "max_id"),
    # team-hub sync
    "hub_prepare": ("sync", "prepare"),
    "hub_is_prepared": ("sync", "is_prepared"),
    "hub_id_map": ("sync", "id_map"),
    "hub_local_map": ("sync", "local_map"),
    "hub_remember": ("sync", "remember"),
    "hub_pushed": ("sync", "pushed"),
    "hub_mark_pushed": ("sync", "mark_pushed"),
    "_set_hub_value": ("sync", "_set_value"),
    "hub_assignments": ("sync", "assignments"),
    "hub_articles": ("sync", "articles"),
    "hub_suggestions": ("sync", "suggestions"),
    "hub_layer": ("sync", "layer"),
    "hub_actions_after": ("sync", "actions_after"),
    "hub_event_decisions": ("sync", "event_decisions"),
    "hub_model_versions": ("sync", "model_versions"),
    "hub_apply": ("sync", "apply"),
    "hub_article_hashes": ("sync", "article_hashes"),
}

# The module each part's class lives in (annotator/store/<module>.py).
PART_MODULE = {
    "annotators": "annotators", "articles": "articles", "spans": "spans", "suggestions": "suggestions",
    "arguments": "arguments", "states": "states", "gold": "gold", "events": "events", "learned": "learned",
    "uncertainty": "uncertainty", "log": "log", "stats": "stats", "bulk": "bulk", "sync": "sync",
}
# Modules renamed by issue 18 (names that misled): old dotted name -> new.
MODULES = {"annotator.model": "annotator.domain", "annotator.projects": "annotator.opening"}

# Methods that need a call to be recognised (the bare name is also a part's name).
CALL_ONLY = {"log", "stats"}

NAMES = "|".join(sorted((re.escape(n) for n in MAP), key=len, reverse=True))
# A store: a name or attribute path ending in "store" (store, self.store, window.store, rec.store, ...).
STORE_RECEIVER = r"(?<![\w.])((?:[A-Za-z_]\w*(?:\(\))?\.)*_?store)"
# Local names the tests and benches give a second store.
LOCAL_STORES = r"(?<![\w.])(mine|theirs|other|many|own|plain|bulk)"


def _outside(text: str, receiver: str) -> str:
    pattern = re.compile(receiver + r"\.(" + NAMES + r")\b(\s*\()?")

    def swap(m: re.Match) -> str:
        name, call = m.group(2), m.group(3) or ""
        if name in CALL_ONLY and not call:
            return m.group(0)
        part, verb = MAP[name]
        return f"{m.group(1)}.{part}.{verb}{call}"

    return pattern.sub(swap, text)


def _inside(text: str, part: str) -> str:
    """A part's own module: its definitions take the short verb, its calls name the sibling part."""
    own = {old: verb for old, (p, verb) in MAP.items() if p == part}

    def define(m: re.Match) -> str:
        return f"def {own[m.group(1)]}(" if m.group(1) in own else m.group(0)

    text = re.sub(r"def (\w+)\(", define, text)

    def call(m: re.Match) -> str:
        name = m.group(1)
        p, verb = MAP[name]
        if p == part:
            return f"self.{verb}"
        return f"self._store.{p}.{verb}"

    return re.sub(r"\bself\.(" + NAMES + r")\b(?=\s*\()", call, text)


def main() -> None:
    files = subprocess.run(["git", "ls-files", "*.py", "*.md"], capture_output=True, text=True, check=True).stdout.split()
    changed = 0
    for name in files:
        if name == "scripts/store_parts_rewrite.py" or name.startswith("docs/adr/"):
            continue  # this map itself; decisions keep the names they were taken with
        path = Path(name)
        text = path.read_text()
        if name.startswith("annotator/store/"):
            module = path.stem
            parts = [p for p, m in PART_MODULE.items() if m == module]
            new = _inside(text, parts[0]) if parts else text
        else:
            new = _outside(text, STORE_RECEIVER)
            for old_module, new_module in MODULES.items():
                new = re.sub(re.escape(old_module) + r"\b", new_module, new)
            if name.startswith(("tests/", "bench/")):
                new = _outside(new, LOCAL_STORES)
        if new != text:
            path.write_text(new)
            changed += 1
    print(f"rewrote {changed} files", file=sys.stderr)


if __name__ == "__main__":
    main()
