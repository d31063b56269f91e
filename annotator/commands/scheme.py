"""``annotator scheme``: show the project's label scheme, list the others, switch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.commands._common import CommandError, add_db_argument, open_store

if TYPE_CHECKING:
    from annotator.store import Store


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "scheme",
        help="show or switch the project's label scheme",
        description="Without NAME: show the project's scheme and list the available ones. With NAME: "
        "switch to it. If spans use labels the new scheme lacks, they are listed and the switch is "
        "refused unless --force (the spans are kept either way, never dropped).",
    )
    add_db_argument(parser)
    parser.add_argument("name", nargs="?", metavar="NAME", help="scheme to switch to")
    parser.add_argument("--force", action="store_true", help="switch even if some labels in use are missing")
    parser.set_defaults(func=run)


def labels_in_use(store: Store) -> dict[str, int]:
    return store.spans.labels_in_use()


def run(args) -> int:
    from annotator.schemes import DEFAULT_SCHEME, SchemeError, scheme_by_name

    with open_store(args) as store:
        current = store.get_setting("scheme", DEFAULT_SCHEME) or DEFAULT_SCHEME
        if args.name is None:
            return _show(current)
        try:
            scheme = scheme_by_name(args.name)
        except SchemeError as exc:
            raise CommandError(str(exc)) from exc
        if scheme.name == current:
            print(f"the project already uses scheme {current!r}")
            return 0
        used = labels_in_use(store)
        missing = {label: count for label, count in used.items() if scheme.label(label) is None}
        if missing and not args.force:
            listing = ", ".join(f"{label} ({count} spans)" for label, count in sorted(missing.items()))
            raise CommandError(
                f"scheme {scheme.name!r} lacks labels this project uses: {listing}. "
                "Use --force to switch anyway (those spans are kept, shown with their old label)."
            )
        store.set_setting("scheme", scheme.name)
    print(f"scheme: {current} -> {scheme.name}")
    if missing:
        kept = ", ".join(f"{label} ({count})" for label, count in sorted(missing.items()))
        print(f"  kept spans whose labels {scheme.name!r} lacks: {kept}")
    return 0


def _show(current: str) -> int:
    from annotator.schemes import SchemeError, available_schemes, load_scheme

    print(f"project scheme: {current}")
    print("available:")
    for name, path in available_schemes().items():
        try:
            scheme = load_scheme(path)
            detail = (f"{scheme.title} ({len(scheme.entity_labels)} entity labels, "
                      f"{len(scheme.event_labels)} event labels)")
        except SchemeError as exc:
            detail = f"unusable: {exc}"
        print(f"  {'*' if name == current else ' '} {name:<12} {detail}")
    return 0
