"""WordNet relatives of the trigger rules' words: which words a rule does not know are kinds of what it
knows ("slaughter" is a kind of killing, "gunfire" of firing), for bench/trigger_variants.py's
``wordnet`` and ``wordnet_narrow`` variants (they lowered the held-out F1: not in the shipped model).

WordNet 3.0 (Princeton University; its licence allows use and redistribution with its notice) as the
Debian package ``wordnet-base`` lays it out in /usr/share/wordnet (``apt-get install wordnet-base``).
Its data files are read directly (a line per synset: words, then pointers): no other library needed.
"""

from __future__ import annotations

import os
from pathlib import Path

WORDNET = Path(os.environ.get("WORDNET_DIR", "/usr/share/wordnet"))
POS_FILES = {"n": "noun", "v": "verb"}
SENSES = 3  # only a word's commonest senses count: "fire" the dismissal is its fourth verb sense
DEPTH = 3  # hypernym steps up from a word's sense to a rule word's sense
HYPERNYM_POINTERS = {"@", "@i"}
DERIVED = "+"  # "slaughter" the noun and "slaughter" the verb


class WordNetMissing(FileNotFoundError):
    pass


def _synsets(pos: str) -> dict[str, tuple[list[str], list[tuple[str, str, str]]]]:
    """offset -> (words, [(pointer, offset, pos)])."""
    path = WORDNET / f"data.{POS_FILES[pos]}"
    found = {}
    with path.open(encoding="latin-1") as lines:
        for line in lines:
            if line.startswith("  "):
                continue  # the licence at the top
            fields = line.split(" | ")[0].split()
            offset, word_count = fields[0], int(fields[3], 16)
            words = [fields[4 + 2 * k].lower() for k in range(word_count)]
            at = 4 + 2 * word_count
            pointer_count = int(fields[at])
            pointers = [(fields[at + 1 + 4 * k], fields[at + 2 + 4 * k], fields[at + 3 + 4 * k])
                        for k in range(pointer_count)]
            found[offset] = (words, pointers)
    return found


def _senses(pos: str) -> dict[str, list[str]]:
    """lemma -> its synset offsets, commonest first."""
    found = {}
    with (WORDNET / f"index.{POS_FILES[pos]}").open(encoding="latin-1") as lines:
        for line in lines:
            if line.startswith("  "):
                continue
            fields = line.split()
            synset_count, pointer_count = int(fields[2]), int(fields[3])
            found[fields[0].lower()] = fields[4 + pointer_count + 2 :][:synset_count]
    return found


def rule_relatives(rule_words: dict[tuple[str, str], set[str]], senses_kept: int = SENSES,
                   depth: int = DEPTH) -> dict[str, list[str]]:
    """``rule_words``: (lemma, "n" or "v") -> the labels of the rules with that word.
    Returns "lemma|n" or "lemma|v" -> the sorted labels of the rule words that one of the lemma's commonest
    senses is (depth 0), or is a kind of (up to DEPTH hypernym steps), directly or through the other part of
    speech's form of it ("slaughter" the noun through "slaughter" the verb, a kind of "kill")."""
    if not (WORDNET / "data.noun").exists():
        raise WordNetMissing(f"{WORDNET}: no WordNet data (apt-get install wordnet-base, or set WORDNET_DIR)")
    synsets = {pos: _synsets(pos) for pos in POS_FILES}
    senses = {pos: _senses(pos) for pos in POS_FILES}
    anchors: dict[tuple[str, str], set[str]] = {}  # (pos, offset) of a rule word's sense -> labels
    for (lemma, pos), labels in rule_words.items():
        for offset in senses[pos].get(lemma.replace(" ", "_"), [])[:senses_kept]:
            anchors.setdefault((pos, offset), set()).update(labels)

    def reached(pos: str, offset: str) -> set[str]:
        labels, frontier = set(), [(pos, offset)]
        for _ in range(depth + 1):
            labels |= set().union(*(anchors.get(node, set()) for node in frontier))
            frontier = [(p, o) for node in frontier for kind, o, p in synsets[node[0]][node[1]][1]
                        if kind in HYPERNYM_POINTERS and p == node[0]]
        return labels

    table = {}
    for pos in POS_FILES:
        for lemma, offsets in senses[pos].items():
            labels = set()
            for offset in offsets[:senses_kept]:
                labels |= reached(pos, offset)
                for kind, other, other_pos in synsets[pos][offset][1]:
                    if kind == DERIVED and other_pos in POS_FILES and other_pos != pos:
                        labels |= reached(other_pos, other)
            if labels:
                table[f"{lemma.replace('_', ' ')}|{pos}"] = sorted(labels)
    return table


def rule_words_of(rules) -> dict[tuple[str, str], set[str]]:
    words: dict[tuple[str, str], set[str]] = {}
    for rule in rules:
        pos = {"NOUN": "n", "VERB": "v"}.get(rule.pos)
        if pos is None:
            continue
        for lemma in rule.lemmas:
            words.setdefault((lemma, pos), set()).add(rule.label)
    return words
