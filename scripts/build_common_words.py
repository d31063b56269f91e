"""Write resources/gazetteer/common_words.json: one-word place names that are also everyday English words
("Luck", an old name of Lutsk; "Nice", "Split", "Mobile", "Bar", "Of"), which a capital letter at a
sentence's start or in a headline turns into a place the article never meant.

    .venv/bin/pip install wordfreq==3.1.1     # only to run this script: English word frequencies
    apt-get install -y wamerican              # /usr/share/dict/words: which words English writes in lower case
    .venv/bin/python scripts/build_common_words.py

A name is listed when its lower-case form is a word of the dictionary written in lower case (so "paris"
and "moscow", which the dictionary capitalises, are not, however often news names them) and that word is
frequent: a Zipf frequency of at least ZIPF (about one word in 100,000 of written English). Country names
are never listed (a country named so is meant). Nothing here is picked by hand: rerun to rebuild.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.eventtable.places import load_index

OUT = Path(__file__).resolve().parent.parent / "resources" / "gazetteer" / "common_words.json"
DICTIONARY = Path("/usr/share/dict/words")
ZIPF = 4.0
# The list is chosen by wordfreq's frequencies (data CC BY-SA 4.0, Robyn Speer) among GeoNames names (CC BY 4.0),
# so it is shared under CC BY-SA 4.0, apart from the project's MIT code.
LICENCE = ("CC BY-SA 4.0: selected with wordfreq's English word frequencies (https://github.com/rspeer/wordfreq, "
           "data CC BY-SA 4.0) among GeoNames place names (CC BY 4.0) and Debian's wamerican word list (SCOWL)")


def main() -> None:
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        raise SystemExit("pip install wordfreq==3.1.1 first (only this script needs it)") from None
    if not DICTIONARY.exists():
        raise SystemExit(f"{DICTIONARY} is missing: apt-get install -y wamerican (only this script needs it)")
    lower_case = {line.strip() for line in DICTIONARY.read_text(encoding="utf-8").splitlines()
                  if line.strip().isalpha() and line.strip().islower()}
    index = load_index()
    countries = set(index._country_by_key)
    words = sorted(key for key in index._by_key
                   if key in lower_case and key not in countries and zipf_frequency(key, "en") >= ZIPF)
    OUT.write_text(json.dumps({"about": __doc__.splitlines()[0], "licence": LICENCE, "zipf_at_least": ZIPF,
                               "words": words}, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
