"""How fast the window opens a long article and applies one action on it.

Run by hand:  QT_QPA_PLATFORM=offscreen python bench/gui_bench.py [--chars 50000] [--spans 2000]
Prints milliseconds (median of several runs) for: opening the article (until the text and the
first screen's spans are painted, and until every span is read), accepting a suggestion, adding a
span with a label key, and undoing it. Each action figure includes the repaint of the text.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator import config  # noqa: E402
from annotator.model import Layer, Origin, Status  # noqa: E402
from annotator.store import Store  # noqa: E402

ENTITIES = [("Velyka Dolyna", "LOCATION"), ("the 58th Brigade", "ARMED_GROUP"), ("Oksana Hrytsenko", "PERSON"),
            ("the water plant", "FACILITY"), ("Tuesday", "DATE"), ("drones", "WEAPON"), ("12 people", "QUANTITY")]
EVENTS = [("shelled", "EXPLOSIONS_REMOTE_VIOLENCE"), ("clashed with", "BATTLES"), ("marched past", "PROTESTS")]


def long_article(chars: int, spans: int, seed: int = 7) -> tuple[str, list[tuple[int, int, str, Layer]]]:
    """Invented sentences with an entity, an event and another entity each, CRLF and emoji mixed in."""
    rng = random.Random(seed)
    text, found = "", []
    while len(text) < chars:
        (a, la), (verb, le), (b, lb) = rng.choice(ENTITIES), rng.choice(EVENTS), rng.choice(ENTITIES)
        for piece, label, layer in ((a, la, Layer.ENTITY), (" ", None, None), (verb, le, Layer.EVENT),
                                    (" ", None, None), (b, lb, Layer.ENTITY)):
            if label:
                found.append((len(text), len(text) + len(piece), label, layer))
            text += piece
        text += rng.choice([" on the outskirts, residents said. ", " 🇺🇦 according to officials.\r\n",
                            ", a spokesperson said in a statement. "])
    text = text[:chars]
    found = [s for s in found if s[1] <= len(text)]
    step = max(1, len(found) // spans)
    return text, found[::step][:spans]


def timed(action, app) -> float:
    start = time.perf_counter()
    action()
    app.processEvents()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=50_000)
    parser.add_argument("--spans", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as home:
        os.environ["ANNOTATOR_HOME"] = home
        path = Path(home) / "bench.sqlite"
        text, spans = long_article(args.chars, args.spans)
        with Store.open(path) as store:
            long_id, _ = store.add_article(text, title="Long article")
            short_id, _ = store.add_article("A short article to switch away to.", title="Short")
            # Half of the spans are pending suggestions, half already accepted by the annotator.
            for i, (start, end, label, layer) in enumerate(spans):
                mine = i % 2 == 0
                store.add_span(long_id, start, end, label, layer, annotator="bench" if mine else None,
                               origin=Origin.MANUAL if mine else Origin.SUGGESTED,
                               status=Status.ACCEPTED if mine else Status.PENDING, log=False)
        from annotator.gui.app import open_window

        window = open_window(path, config.Preferences(annotator="bench"))
        window.resize(1440, 900)
        window.show()
        QTest.qWaitForWindowActive(window)
        window.start()
        c, view = window.controller, window.view
        view.setFocus()
        app.processEvents()

        opens, completes, accepts, adds, undos = [], [], [], [], []
        for _ in range(args.runs):
            c.open_article(short_id)
            app.processEvents()
            # Open = text and the first screen's spans painted; complete = every span read too.
            start = time.perf_counter()
            c.open_article(long_id)
            view.viewport().repaint()
            opens.append((time.perf_counter() - start) * 1000)
            app.processEvents()
            completes.append((time.perf_counter() - start) * 1000)
            # Each action is timed from key press to repainted text.
            pending = [s for s in c.spans if s.is_suggestion]
            target = pending[len(pending) // 2]
            c.select(target.id)
            view.viewport().repaint()
            accepts.append(timed(lambda: (QTest.keyClick(view, Qt.Key_A), view.viewport().repaint()), app))
            middle = len(text) // 2
            view.select_offsets(middle, middle + 5)
            adds.append(timed(lambda: (QTest.keyClick(view, Qt.Key_Q), view.viewport().repaint()), app))
            undos.append(timed(lambda: (c.undo_stack.undo(), view.viewport().repaint()), app))
            c.undo_stack.undo()  # also undo the accept, so every run starts alike
        shown = len(c.spans)
        window.close()
        window.store.close()
    print(f"article: {len(text):,} characters, {shown:,} spans shown ({args.spans:,} stored), "
          f"median of {args.runs} runs")
    for name, values in (("open article (visible)", opens), ("open article (all spans)", completes),
                         ("accept (A)", accepts), ("add span (label key)", adds), ("undo", undos)):
        print(f"  {name:<26} {statistics.median(values):7.1f} ms   (max {max(values):.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
