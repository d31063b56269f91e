"""How fast the review window opens on a big project, and how long until its queue is complete.

    QT_QPA_PLATFORM=offscreen python bench/review_bench.py --db PATH [--articles 10000]

PATH is a project made by ``bench/agreement_bench.py --db PATH`` (10,000 articles x 3 annotators by
default); if it does not exist it is built here first (that takes a while: do it once). Prints, from
the moment the window is asked for: when it is shown, when the first rows of the queue appear, when
the queue is complete and the worst article is on show, and the longest the event loop went without
answering meanwhile (a 10 ms timer's largest gap: what a user would feel as a freeze); then how long
a few review steps take (take a version, next disagreement, undo). Opening the first article puts
its agreed spans into gold, as the window always does; the steps are undone. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the project (built here if missing)")
    parser.add_argument("--articles", type=int, default=10_000, help="articles when building the project")
    args = parser.parse_args()
    if not args.db.exists():
        sys.path.insert(0, str(Path(__file__).parent))
        from agreement_bench import build

        started = time.perf_counter()
        build(args.db, args.articles, 8)
        print(f"built {args.articles} articles in {time.perf_counter() - started:.1f} s")

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.gui.review_window import ReviewWindow
    from annotator.store import Store

    app = QApplication([])
    marks: dict[str, float] = {}
    gaps = {"largest": 0.0, "last": 0.0}
    stalls: list[tuple[float, float]] = []

    def tick() -> None:
        now = time.perf_counter()
        gap = now - gaps["last"]
        gaps["largest"] = max(gaps["largest"], gap)
        if gap > 0.1:
            stalls.append((now - started - gap, gap))
        gaps["last"] = now

    with Store.open(args.db) as store:
        cpu = time.process_time()
        started = time.perf_counter()
        window = ReviewWindow(store, "reviewer")
        window.queue_model.rowsInserted.connect(
            lambda *_: marks.setdefault("first rows", time.perf_counter() - started))
        window.queueReady.connect(lambda: (marks.setdefault("complete", time.perf_counter() - started), app.quit()))
        window.resize(1366, 768)
        window.show()
        app.processEvents()  # the first paint
        marks["shown"] = time.perf_counter() - started
        timer = QTimer(interval=10)
        timer.timeout.connect(tick)
        gaps["last"] = time.perf_counter()
        timer.start()
        if not window.queue_complete:
            app.exec()
        timer.stop()
        cpu = time.process_time() - cpu
        steps = []
        # A few review steps on the worst article, each timed until the window shows its result;
        # the slots the keys 1, N, 2, Ctrl+Z, Ctrl+Z call (offscreen, the window never becomes the
        # active one that window shortcuts need).
        before = window.undo_stack.index()
        for step in (lambda: window.take_version(0), lambda: window.step_disagreement(1),
                     lambda: window.take_version(1), window.undo_stack.undo, window.undo_stack.undo):
            began = time.perf_counter()
            step()
            app.processEvents()
            steps.append((time.perf_counter() - began) * 1000)
        print(f"window shown after {marks['shown']:.2f} s")
        if "first rows" in marks:
            print(f"first rows of the queue after {marks['first rows']:.2f} s")
        print(f"queue complete ({len(window.queue)} articles), worst article on show after "
              f"{marks.get('complete', float('nan')):.2f} s")
        print(f"largest event-loop gap while the queue was built: {gaps['largest'] * 1000:.0f} ms")
        if stalls:
            print("gaps over 100 ms (from s, lasting ms): "
                  + ", ".join(f"{at:.2f}: {gap * 1000:.0f}" for at, gap in stalls))
        print("review steps (1, N, 2, Ctrl+Z, Ctrl+Z) on the worst article: "
              + ", ".join(f"{ms:.0f} ms" for ms in steps)
              + ("" if window.undo_stack.index() == before else " (not all undone)"))
        print(f"process CPU until the queue was complete: {cpu:.2f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
