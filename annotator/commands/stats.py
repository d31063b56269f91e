"""``annotator stats``: what the project holds."""

from __future__ import annotations

import json

from annotator.commands._common import add_db_argument, open_store, say


def register(subparsers) -> None:
    parser = subparsers.add_parser("stats", help="count articles, spans and article states")
    add_db_argument(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    parser.set_defaults(func=run)


def run(args) -> int:
    with open_store(args) as store:
        stats = store.stats.counts()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    say(f"articles: {stats['articles']}")
    say(f"spans: {stats['spans']}  (event arguments: {stats['event_arguments']})")
    for key in ("spans_by_layer", "spans_by_status", "spans_by_origin"):
        parts = ", ".join(f"{k} {v}" for k, v in stats[key].items()) or "none"
        say(f"  by {key.removeprefix('spans_by_')}: {parts}")
    if stats["spans_by_label"]:
        say("spans by label:")
        width = max(len(r["label"]) for r in stats["spans_by_label"])
        for row in stats["spans_by_label"]:
            say(f"  {row['layer']:<6} {row['label']:<{width}}  {row['status']:<8} {row['count']:>7}")
    if stats["spans_by_annotator"]:
        say("spans by annotator:")
        for row in stats["spans_by_annotator"]:
            say(f"  {row['annotator']:<20} {row['status']:<8} {row['count']:>7}")
    if stats["article_states"]:
        say("article states:")
        for row in stats["article_states"]:
            say(f"  {row['annotator']:<20} {row['state']:<11} {row['count']:>7}")
    return 0
