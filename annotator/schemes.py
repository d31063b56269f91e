"""Label schemes as data: ``resources/label_schemes/*.json``, validated against ``schemas/scheme.schema.json``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from annotator import config
from annotator.domain import Layer

if TYPE_CHECKING:
    import jsonschema

SCHEMA_FILE = "scheme.schema.json"
# Muted colours for labels a project took in from other tools' files (Scheme.with_labels).
_EXTRA_COLOURS = ("#b0b0b0", "#c7b39b", "#a9c1c9", "#c4a9c9", "#b5c9a9", "#c9c3a9")


class SchemeError(ValueError):
    """A scheme file is missing, not JSON, or breaks the scheme schema; the message says where."""


@dataclass(frozen=True)
class Label:
    name: str
    key: str
    color: str
    layer: Layer
    description: str = ""
    subtypes: tuple[str, ...] = ()
    event_table: dict[str, str] = field(default_factory=dict, compare=False)  # the label's meaning to the event table


@dataclass(frozen=True)
class Role:
    name: str
    key: str
    description: str = ""


@dataclass(frozen=True)
class Attribute:
    name: str
    type: str
    values: tuple[str, ...] = ()
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Scheme:
    name: str
    title: str
    labels: tuple[Label, ...]
    roles: tuple[Role, ...]
    attributes: tuple[Attribute, ...]
    description: str = ""
    path: Path | None = field(default=None, compare=False)

    @property
    def entity_labels(self) -> tuple[Label, ...]:
        return tuple(l for l in self.labels if l.layer is Layer.ENTITY)

    @property
    def event_labels(self) -> tuple[Label, ...]:
        return tuple(l for l in self.labels if l.layer is Layer.EVENT)

    def label(self, name: str) -> Label | None:
        return next((l for l in self.labels if l.name == name), None)

    def label_for_key(self, key: str) -> Label | None:
        return next((l for l in self.labels if l.key == key), None)

    def layer_of(self, label: str) -> Layer | None:
        found = self.label(label)
        return found.layer if found else None

    def label_names(self) -> set[str]:
        return {l.name for l in self.labels}

    def attribute(self, name: str) -> Attribute | None:
        return next((a for a in self.attributes if a.name == name), None)

    def default_attributes(self, label_name: str) -> dict[str, str]:
        """What a new span of this label starts with: an event gets each attribute's default
        (modality "happened"); an entity gets none."""
        if self.layer_of(label_name) is not Layer.EVENT:
            return {}
        return {a.name: a.default for a in self.attributes if a.default}

    def modality_of(self, attributes: dict) -> str | None:
        """An event's modality; one never set is the scheme's default (what the panel shows)."""
        modality = self.attribute("modality")
        if modality is None:
            return None
        value = attributes.get("modality")
        return value if value in modality.values else (modality.default or (modality.values or (None,))[0])

    def next_modality(self, current: str | None) -> str | None:
        """The value the modality key steps to from ``current`` (None: not set, so the default),
        the same in every window."""
        modality = self.attribute("modality")
        if modality is None or not modality.values:
            return None
        values = list(modality.values)
        shown = self.modality_of({"modality": current} if current else {})
        return values[(values.index(shown) + 1) % len(values)] if shown in values else values[0]

    def with_labels(self, extra: dict[str, Layer | str]) -> "Scheme":
        """This scheme plus labels a project took in from other tools' files (``extra``: name to
        layer), each a label of its own with no key and a colour of its own; labels the scheme
        already has are left as they are."""
        added = tuple(
            Label(name, "", _EXTRA_COLOURS[sum(name.encode("utf-8")) % len(_EXTRA_COLOURS)], Layer(layer),
                  "not in the scheme: came with imported or merged work")
            for name, layer in sorted(extra.items()) if self.label(name) is None
        )
        if not added:
            return self
        return Scheme(self.name, self.title, self.labels + added, self.roles, self.attributes,
                      self.description, self.path)

    def missing_labels(self, used: set[str]) -> set[str]:
        """Labels in use in a project that this scheme does not define (they are kept, never dropped)."""
        return set(used) - self.label_names()


def schemas_dir() -> Path:
    return config.schemas_dir()


@cache
def _validator() -> jsonschema.Draft202012Validator:
    # Imported here: jsonschema costs a tenth of a second, which commands that never read a scheme
    # (`annotator --version`, `stats`, `agreement`) should not pay.
    import jsonschema

    schema = json.loads((schemas_dir() / SCHEMA_FILE).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


VALID_SCHEMES_CACHE = "schemes-valid.json"


def _validity_key(text: str) -> str:
    """A scheme's text and the JSON Schema it is checked against, as one digest: either changed,
    the scheme is checked again."""
    schema = (schemas_dir() / SCHEMA_FILE).read_bytes()
    return hashlib.sha256(schema + b"\0" + text.encode("utf-8")).hexdigest()


def _remembered() -> list:
    """The keys of the scheme texts that passed the schema before (the user's cache); none when the
    cache is missing or unreadable."""
    try:
        return list(json.loads((config.cache_dir() / VALID_SCHEMES_CACHE).read_text(encoding="utf-8")).get("valid", []))
    except (OSError, ValueError, AttributeError, TypeError):
        return []


def _known_valid(text: str) -> bool:
    """Whether this very scheme text passed the schema before (the user's cache remembers it).

    Checking needs jsonschema, whose import and validator cost a twentieth of a second at every
    start of every command that reads the project's scheme (`annotator suggest`, the window); the
    bundled schemes are the same file run after run. A scheme that fails is never remembered, so
    its problems are reported every time."""
    try:
        return _validity_key(text) in _remembered()
    except OSError:
        return False


def _remember_valid(text: str) -> None:
    try:
        key, valid = _validity_key(text), _remembered()
        if key not in valid:
            valid = (valid + [key])[-50:]  # a bound: each edit of a scheme adds one
            config.write_atomically(config.cache_dir() / VALID_SCHEMES_CACHE, json.dumps({"valid": valid}).encode("utf-8"),
                                    sync=False)
    except OSError:
        pass  # a read-only cache folder: the scheme is checked again next time, nothing else


def load_scheme(path: str | Path) -> Scheme:
    """Read and validate a scheme file.

    :raises SchemeError: naming the file and, for schema violations, the JSON path of the problem
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text)
    except FileNotFoundError as exc:
        raise SchemeError(f"{path}: no such scheme file") from exc
    except json.JSONDecodeError as exc:
        raise SchemeError(f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}") from exc
    if not _known_valid(text):
        errors = sorted(_validator().iter_errors(raw), key=lambda e: list(e.absolute_path))
        if errors:
            first = errors[0]
            where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
            more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
            raise SchemeError(f"{path}: at {where}: {first.message}{more}")
        _remember_valid(text)
    labels = tuple(
        Label(l["name"], l["key"], l["color"], Layer.ENTITY, l.get("description", ""))
        for l in raw["entity_labels"]
    ) + tuple(
        Label(l["name"], l["key"], l["color"], Layer.EVENT, l.get("description", ""), tuple(l.get("subtypes", ())),
              dict(l.get("event_table", {})))
        for l in raw["event_labels"]
    )
    _check_unique(path, "label name", [l.name for l in labels])
    _check_unique(path, "label key", [l.key for l in labels])
    _check_unique(path, "role name", [r["name"] for r in raw["roles"]])
    _check_unique(path, "role key", [r["key"] for r in raw["roles"]])
    for attribute in raw["attributes"]:
        if attribute["type"] == "choice" and not attribute.get("values"):
            raise SchemeError(f"{path}: attribute {attribute['name']!r} is a choice but lists no values")
        if attribute.get("default") and attribute.get("values") and attribute["default"] not in attribute["values"]:
            raise SchemeError(f"{path}: attribute {attribute['name']!r}: default {attribute['default']!r} is not one of its values")
    return Scheme(
        name=raw["name"],
        title=raw["title"],
        description=raw.get("description", ""),
        labels=labels,
        roles=tuple(Role(r["name"], r["key"], r.get("description", "")) for r in raw["roles"]),
        attributes=tuple(
            Attribute(a["name"], a["type"], tuple(a.get("values", ())), a.get("default"), a.get("description", ""))
            for a in raw["attributes"]
        ),
        path=path,
    )


def _check_unique(path: Path, what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise SchemeError(f"{path}: {what} {value!r} is used twice")
        seen.add(value)


def available_schemes() -> dict[str, Path]:
    return {p.stem: p for p in sorted(config.schemes_dir().glob("*.json"))}


def scheme_by_name(name: str) -> Scheme:
    found = available_schemes().get(name)
    if found is None:
        raise SchemeError(f"no scheme named {name!r} (available: {', '.join(available_schemes())})")
    return load_scheme(found)


DEFAULT_SCHEME = "conflict"
