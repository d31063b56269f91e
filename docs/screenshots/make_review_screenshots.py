"""Regenerate the review and agreement screenshots in this folder from the bundled invented samples.

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_review_screenshots.py [--texts DIR] [--out DIR]

Builds a throwaway project from the .txt files in DIR (default: resources/samples, written for the
project), has three invented annotators label them by a simple rule (capitalised names, a few event
verbs) with each one's own slips (a word dropped from a name, a different label, a span missed), and
photographs the review and agreement windows at 1366x768 and 1920x1080. Point --texts at other
texts to check how real text looks, but keep those pictures out of the repository.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
SIZES = ((1366, 768), (1920, 1080))
EVENT_WORDS = {
    "shelled": "EXPLOSIONS_REMOTE_VIOLENCE", "shelling": "EXPLOSIONS_REMOTE_VIOLENCE",
    "strike": "EXPLOSIONS_REMOTE_VIOLENCE", "missiles": "EXPLOSIONS_REMOTE_VIOLENCE",
    "artillery": "EXPLOSIONS_REMOTE_VIOLENCE", "clashed": "BATTLES", "fighting": "BATTLES",
    "abducted": "VIOLENCE_AGAINST_CIVILIANS", "killing": "VIOLENCE_AGAINST_CIVILIANS",
    "marched": "PROTESTS", "protest": "PROTESTS", "withdraw": "STRATEGIC_DEVELOPMENTS",
    "ceasefire": "STRATEGIC_DEVELOPMENTS",
}
SWAPS = {"LOCATION": "FACILITY", "ARMED_GROUP": "ORG", "PERSON": "ORG", "VIOLENCE_AGAINST_CIVILIANS": "BATTLES",
         "EXPLOSIONS_REMOTE_VIOLENCE": "BATTLES", "STRATEGIC_DEVELOPMENTS": "PROTESTS"}


def truth(text: str) -> tuple[list[tuple[int, int, str, str]], list[tuple[int, int, str]]]:
    """Spans a careful annotator might mark, by rule, and each event's nearest names as arguments."""
    spans = []
    for match in re.finditer(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*", text):
        words = match.group()
        if match.start() == 0 or text[match.start() - 2:match.start()] in (". ", "\n\n") and " " not in words:
            continue  # a sentence's first word is rarely a name
        label = ("ARMED_GROUP" if re.search(r"forces|army|Police|fighters", words, re.I)
                 else "PERSON" if len(words.split()) == 2 else "LOCATION")
        spans.append((match.start(), match.end(), label, "entity"))
    for match in re.finditer(r"\b(" + "|".join(EVENT_WORDS) + r")\b", text):
        spans.append((match.start(), match.end(), EVENT_WORDS[match.group()], "event"))
    arguments = []
    entities = [i for i, s in enumerate(spans) if s[3] == "entity"]
    for e, (start, _end, _label, layer) in enumerate(spans):
        if layer == "event" and entities:
            near = sorted(entities, key=lambda i: abs(spans[i][0] - start))[:2]
            arguments += [(e, near[0], "ACTOR"), *((e, i, "LOCATION") for i in near[1:])]
    return spans, arguments


def label_as(store, article_id: int, text: str, name: str, rng: random.Random) -> None:
    from annotator.domain import ArticleState

    spans, arguments = truth(text)
    made = {}
    for i, (start, end, label, layer) in enumerate(spans):
        roll = rng.random()
        if roll < 0.08:
            continue
        if roll < 0.16 and " " in text[start:end]:
            end = start + text[start:end].index(" ")
        elif roll < 0.28:
            label = SWAPS.get(label, label)
        attributes = {"modality": "happened" if rng.random() < 0.8 else "planned"} if layer == "event" else None
        made[i] = store.spans.add(article_id, start, end, label, layer, annotator=name, attributes=attributes)
    for event, filler, role in arguments:
        if event in made and filler in made:
            store.arguments.add(made[event], made[filler], role if rng.random() > 0.1 else "TARGET")
    store.states.set(article_id, name, ArticleState.DONE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=HERE.parents[1] / "resources" / "samples")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from annotator.gui.agreement_window import AgreementWindow
    from annotator.gui.review_window import ReviewWindow
    from annotator.store import Store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "screenshots.sqlite"
        with Store.open(path) as store:
            for number, file in enumerate(sorted(args.texts.glob("*.txt"))):
                text = file.read_text(encoding="utf-8")
                article_id, _ = store.articles.add(text, title=text.strip().splitlines()[0][:120])
                for name in ("ana", "ben", "cho")[: 3 if number % 2 == 0 else 2]:
                    label_as(store, article_id, text, name, random.Random(f"{file.name}:{name}"))

        def save(window, name: str, size: tuple[int, int]) -> None:
            window.resize(*size)
            app.processEvents()
            suffix = "" if size == SIZES[0] else f"_{size[0]}x{size[1]}"
            window.grab().save(str(args.out / f"{name}{suffix}.png"))

        with Store.open(path) as store:
            for size in SIZES:
                # Agreement first: the reviewer's gold edits below must not change its figures.
                agreement = AgreementWindow(store, "rita")
                agreement.show()
                QTest.qWaitForWindowExposed(agreement)
                while agreement.data is None:
                    app.processEvents()
                agreement.kind_choice.setCurrentIndex(1)  # event triggers: the longest labels
                save(agreement, "agreement_window", size)
                for tab, name in ((1, "agreement_pairs"), (2, "agreement_confusion"), (3, "agreement_articles")):
                    agreement.tabs.setCurrentIndex(tab)
                    save(agreement, name, size)
                agreement.close()
            for size in SIZES:
                review = ReviewWindow(store, "rita")
                review.show()
                QTest.qWaitForWindowExposed(review)
                while not review.queue_complete:
                    app.processEvents()
                save(review, "review_open_article", size)
                review.text_view.setFocus()
                for key in (Qt.Key_1, Qt.Key_2):  # take ana's version, then ben's
                    QTest.keyClick(review.text_view, key)
                review.gold_list.setCurrentRow(0)
                save(review, "review_reviewed_article", size)
                while review.undo_stack.canUndo():  # the next size starts from the same place
                    review.undo_stack.undo()
                review.close()

    return 0


if __name__ == "__main__":
    sys.exit(main())
