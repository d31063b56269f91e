"""``annotator sync``: exchange work with the team hub (docs/team.md)."""

from __future__ import annotations

from annotator import config
from annotator.commands._common import CommandError, add_db_argument, db_path_of


def add_hub_argument(parser) -> None:
    parser.add_argument("--hub", metavar="URL", default=None,
                        help="the hub's PostgreSQL URL (default: the project's own, else $ANNOTATOR_HUB); a password"
                        " in it is moved into the libpq password file, never into the project")


def need_psycopg() -> None:
    """A clear word instead of a traceback when the hub extra is not installed."""
    import importlib.util

    if importlib.util.find_spec("psycopg") is None:
        raise CommandError("the team hub needs psycopg: pip install 'conflict-annotator[hub]'"
                           " (or pip install 'psycopg[binary]')")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="push your work to the team hub and pull new articles, suggestions and assignments",
        description="Pushes what you did since the last sync and pulls what is new for you (for a reviewer:"
        " every annotator's work). Safe to interrupt and to repeat. A --db file that does not exist yet is"
        " made from the hub.",
    )
    add_db_argument(parser)
    add_hub_argument(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    need_psycopg()
    from annotator.hub.connect import HubUnreachable, redact, remember_password
    from annotator.hub.sync import sync
    from annotator.store import Store

    path = db_path_of(args)
    new_file = not path.exists()
    if new_file and not config.resolve_hub_url(args.hub):
        raise CommandError(f"no project at {path}, and no hub to make it from: give --hub URL")
    store = Store.open(path, create=new_file)
    try:
        url = config.resolve_hub_url(args.hub, store.sync.url())
        if not url:
            raise CommandError(f"{path} has no team hub: give --hub URL (or set ANNOTATOR_HUB)")
        url = remember_password(url)
        report = sync(store, url)
    except HubUnreachable as exc:
        _forget_new_file(store, path, new_file)
        raise CommandError(f"{exc}; {'nothing was made' if new_file else f'your work is safe in {path}'}:"
                           " sync again when the hub answers") from exc
    except BaseException:
        _forget_new_file(store, path, new_file)
        raise
    store.close()
    print(f"{path}: {'made from' if new_file else 'synced with'} {redact(url)}")
    print("\n".join(report.lines()))
    return 0


def _forget_new_file(store, path, new_file: bool) -> None:
    """A file this sync was to make, left empty by a failure, is removed: no empty project behind."""
    empty = new_file and store.articles.count() == 0
    store.close()
    if empty:
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
