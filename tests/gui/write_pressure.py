"""Run by test_concurrent_writers: another program writing the project file the window has open.

    python write_pressure.py hold PROJECT SECONDS   # holds the write lock (BEGIN IMMEDIATE) 0.4-1.5 s at a time
    python write_pressure.py import PROJECT SECONDS # `annotator import` of invented articles, again and again

Both print one JSON line at the end: how many rounds ran and how many failed (with the last error).
The articles are invented here, numbered so that every import adds new ones.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("convoy", "market", "bridge", "council", "river", "patrol", "clinic", "harbour", "depot", "village",
         "checkpoint", "school", "district", "station", "ferry", "orchard")


def hold(project: str, seconds: float) -> dict:
    """Take the write lock, write a row, keep the lock a while, commit; again until time is up."""
    rounds = failed = 0
    last = ""
    deadline = time.monotonic() + seconds
    rng = random.Random(7)
    while time.monotonic() < deadline:
        connection = sqlite3.connect(project, timeout=30, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO project(key, value) VALUES ('pressure', ?) ON CONFLICT(key) DO UPDATE "
                               "SET value = excluded.value", [str(rounds)])
            time.sleep(rng.uniform(0.4, 1.5))
            connection.execute("COMMIT")
            rounds += 1
        except sqlite3.Error as exc:
            failed, last = failed + 1, str(exc)
        finally:
            connection.close()
        time.sleep(rng.uniform(0.05, 0.3))
    return {"rounds": rounds, "failed": failed, "last_error": last}


def keep_importing(project: str, seconds: float) -> dict:
    rounds = failed = 0
    last = ""
    deadline = time.monotonic() + seconds
    annotator = Path(sys.executable).with_name("annotator")
    folder = Path(tempfile.mkdtemp(prefix="pressure-"))
    while time.monotonic() < deadline:
        batch = folder / f"batch{rounds + failed}.jsonl"
        with batch.open("w") as out:
            for n in range(400):
                words = " ".join(WORDS[(n * 7 + k) % len(WORDS)] for k in range(12))
                text = f"Report {rounds + failed}-{n}: the {words} were mentioned by residents on day {n}."
                out.write(json.dumps({"title": f"Pressure {rounds + failed}-{n}", "text": text}) + "\n")
        done = subprocess.run([str(annotator), "import", "--db", project, str(batch)], capture_output=True, text=True,
                              env={**os.environ, "ANNOTATOR_DB": project})
        if done.returncode == 0:
            rounds += 1
        else:
            failed, last = failed + 1, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "?"
    return {"rounds": rounds, "failed": failed, "last_error": last}


if __name__ == "__main__":
    mode, path, duration = sys.argv[1], sys.argv[2], float(sys.argv[3])
    result = hold(path, duration) if mode == "hold" else keep_importing(path, duration)
    print(json.dumps(result), flush=True)
