"""``annotator hub``: the team lead's commands for the team hub (docs/team.md)."""

from __future__ import annotations

import json

from annotator import config
from annotator.commands._common import CommandError, add_db_argument, open_store
from annotator.commands.sync import add_hub_argument, need_psycopg


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "hub", help="set up the team hub, add annotators, assign articles, follow progress",
        description="The team lead's commands. --hub is the administrator's URL (or $ANNOTATOR_HUB).")
    actions = parser.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    init = actions.add_parser("init", help="create or upgrade the hub's tables and publish this project on it",
                              description="Creates the database if the server lacks it, applies the hub's"
                              " migrations, and publishes the project's articles, scheme, suggestions and learned"
                              " versions. Run it again to publish articles added since.")
    add_db_argument(init)
    add_hub_argument(init)
    init.set_defaults(func=run_init)

    add = actions.add_parser("add-annotator", help="create a member's PostgreSQL role; prints the URL they use",
                             description="Creates (or resets the password of) NAME's role. The last line printed is"
                             " the URL NAME connects with: hand it over privately.")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--reviewer", action="store_true", help="may read every layer and write gold")
    add_hub_argument(add)
    add.set_defaults(func=run_add)

    assign = actions.add_parser("assign", help="hand out articles so each is done by K annotators",
                                description="Expired leases on unfinished articles go back to the pool first.")
    assign.add_argument("--per-article", type=int, required=True, metavar="K")
    assign.add_argument("--lease", type=float, default=None, metavar="DAYS",
                        help="days an annotator has before an unfinished article goes back (default: no limit)")
    add_hub_argument(assign)
    assign.set_defaults(func=run_assign)

    status = actions.add_parser("status", help="progress per annotator and per article")
    status.add_argument("--json", action="store_true", help="print JSON instead of tables")
    add_hub_argument(status)
    status.set_defaults(func=run_status)


def _url(args) -> str:
    need_psycopg()
    from annotator.hub.connect import remember_password

    url = config.resolve_hub_url(args.hub)
    if not url:
        raise CommandError("no hub: give --hub URL (or set ANNOTATOR_HUB)")
    return remember_password(url)


def run_init(args) -> int:
    url = _url(args)
    from annotator.hub import admin
    from annotator.hub.connect import redact

    with open_store(args) as store:
        applied, counts = admin.init(url, store)
    print(f"hub at {redact(url)}: schema steps applied: {', '.join(applied) or 'none (up to date)'}")
    print(f"published {counts['articles']} articles, {counts['suggestions']} suggestions")
    return 0


def run_add(args) -> int:
    url = _url(args)
    from annotator.hub import admin

    member_url = admin.add_annotator(url, args.name, reviewer=args.reviewer)
    print(f"{args.name} added as {'a reviewer' if args.reviewer else 'an annotator'}; they run once:"
          f" annotator sync --db {args.name}.sqlite --hub URL")
    print(member_url)
    return 0


def run_assign(args) -> int:
    url = _url(args)
    from annotator.hub import admin

    report = admin.assign(url, args.per_article, args.lease)
    for title, name in report.returned:
        print(f"lease ran out: {title!r} taken back from {name}")
    print(f"handed out {report.handed_out} assignments"
          + (f"; {report.short} places left empty (too few annotators for {args.per_article} each)"
             if report.short else ""))
    return 0


def run_status(args) -> int:
    url = _url(args)
    from annotator.hub import admin

    status = admin.status(url)
    if args.json:
        print(json.dumps(status, default=str, indent=1))
        return 0
    print(f"{'annotator':<20} {'assigned':>8} {'done':>5} {'working':>7} {'expired':>7} {'spans':>6} {'hours':>6}"
          "  last action")
    for row in status["annotators"]:
        name = row["name"] + (" (reviewer)" if row["reviewer"] else "")
        print(f"{name:<20} {row['assigned']:>8} {row['done']:>5} {row['in_progress']:>7} {row['lease_expired']:>7}"
              f" {row['spans']:>6} {row['hours']:>6}  {row['last_action'] or '-'}")
    print()
    print(f"{'article':<42} {'assigned to':<30} {'done by':<30} gold")
    for row in status["articles"]:
        gold = "done" if row["gold_done"] else (f"{row['gold_reviewer']} reviewing" if row["gold_reviewer"] else "-")
        print(f"{row['title'][:42]:<42} {','.join(row['assigned'])[:30]:<30} {','.join(row['done_by'])[:30]:<30} {gold}")
    return 0
