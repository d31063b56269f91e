"""How fast the window opens a long article and applies one action on it.

Run by hand:  QT_QPA_PLATFORM=offscreen python bench/gui_bench.py [--chars 50000] [--spans 2000]
Prints the median and the maximum in milliseconds over the runs for: opening the article (until
the text and the first screen's spans are painted, and until every span is read), and each single
action: accept, reject, relabel, next span, add a span with a label key, undo, redo, and picking up
a suggestion another connection added. Each action figure includes the repaint of the text.
--profile N adds the top N lines of a cProfile of the timed part.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
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
from annotator.domain import Layer, Origin, Status  # noqa: E402
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


ACTIONS = ("accept (A)", "reject (X)", "relabel (label key)", "add span (label key)", "undo", "redo",
           "next span (Tab)", "external change (watcher)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=50_000)
    parser.add_argument("--spans", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sort", default="tottime", help="profile order: tottime or cumulative")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the N top lines of a cProfile of the timed part (by own time)")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as home:
        os.environ["ANNOTATOR_HOME"] = home
        path = Path(home) / "bench.sqlite"
        text, spans = long_article(args.chars, args.spans)
        with Store.open(path) as store:
            long_id, _ = store.articles.add(text, title="Long article")
            short_id, _ = store.articles.add("A short article to switch away to.", title="Short")
            # Half of the spans are pending suggestions, half already accepted by the annotator.
            for i, (start, end, label, layer) in enumerate(spans):
                mine = i % 2 == 0
                store.spans.add(long_id, start, end, label, layer, annotator="bench" if mine else None,
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
        other = Store.open(path)  # a second window's connection, for the watcher figure

        profiler = cProfile.Profile() if args.profile else None
        figures: dict[str, list[float]] = {name: [] for name in ("open article (visible)",
                                                                 "open article (all spans)", *ACTIONS)}

        def key(k):
            return lambda: (QTest.keyClick(view, k), view.viewport().repaint())

        def run(name, action):
            figures[name].append(timed(action, app))

        for i in range(args.runs):
            c.open_article(short_id)
            app.processEvents()
            if profiler:
                profiler.enable()
            # Open = text and the first screen's spans painted; complete = every span read too.
            start = time.perf_counter()
            c.open_article(long_id)
            view.viewport().repaint()
            figures["open article (visible)"].append((time.perf_counter() - start) * 1000)
            app.processEvents()
            figures["open article (all spans)"].append((time.perf_counter() - start) * 1000)
            # Each action is timed from key press to repainted text, on a suggestion mid-article.
            pending = [s for s in c.session.spans if s.is_suggestion]
            c.select(pending[len(pending) // 2].id)
            view.viewport().repaint()
            run("accept (A)", key(Qt.Key_A))
            run("reject (X)", key(Qt.Key_X))
            # The suggestion selected after X gets a label it does not have yet.
            run("relabel (label key)", key(Qt.Key_W if c.session.selected_span().label != "WEAPON" else Qt.Key_D))
            run("next span (Tab)", key(Qt.Key_Tab))
            middle = len(text) // 2 + 7 * i
            view.select_offsets(middle, middle + 5)
            run("add span (label key)", key(Qt.Key_Q))
            run("undo", lambda: (c.undo_stack.undo(), view.viewport().repaint()))
            run("redo", lambda: (c.undo_stack.redo(), view.viewport().repaint()))
            # Another connection adds a suggestion; the window's watcher picks it up.
            other.spans.add(long_id, 100 + i, 104 + i, "WEAPON", Layer.ENTITY, annotator=None,
                            origin=Origin.SUGGESTED, status=Status.PENDING, log=False)
            run("external change (watcher)", lambda: (c.check_external_changes(), view.viewport().repaint()))
            if profiler:
                profiler.disable()
            while c.undo_stack.canUndo():  # every run starts alike
                c.undo_stack.undo()
            app.processEvents()
        shown = len(c.session.spans)
        other.close()
        window.close()
        window.store.close()
    print(f"article: {len(text):,} characters, {shown:,} spans shown ({args.spans:,} stored), "
          f"{args.runs} runs; targets: open < 50 ms, each action median < 16 ms and max < 33 ms")
    for name, values in figures.items():
        print(f"  {name:<28} median {statistics.median(values):6.1f} ms   max {max(values):6.1f} ms")
    if profiler:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(args.sort).print_stats(args.profile)
        print(stream.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
