"""Peak memory and time of `annotator suggest` on one huge article (issue 17, item 10).

    nice python bench/huge_article.py [--megabytes 5] [--timeout 1800]

Writes one invented article of about --megabytes MB (bench/synthetic.py sentences, a paragraph break
every few sentences), imports it into a fresh project with `annotator import`, then runs
`annotator suggest` on it as a child process and reads the child's peak resident set size from
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` (what `/usr/bin/time -v` reports as "Maximum resident
set size"). Prints the peak, the wall time and the progress lines the child wrote to stderr (not a
terminal, so plain lines). Target: peak under 1.5 GB for a 5 MB article. A run stopped by --timeout
still reports the peak so far and the last progress line (how far it got).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import sentence  # noqa: E402


def huge_text(megabytes: float, seed: int = 0) -> str:
    rng = random.Random(seed)
    parts: list[str] = ["A very long report\n\n"]
    size = 0
    target = int(megabytes * 1_000_000)
    count = 0
    while size < target:
        piece, _ = sentence(rng)
        count += 1
        if count % 6 == 0:
            piece += "\n\n"
        parts.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "huge.txt"
        text_file.write_text(huge_text(args.megabytes), encoding="utf-8")
        project = Path(tmp) / "p.annotations"
        annotator = [sys.executable, "-m", "annotator"]
        subprocess.run([*annotator, "import", str(text_file), "--db", str(project)], check=True,
                       capture_output=True)
        started = time.monotonic()
        log = Path(tmp) / "suggest.err"
        with log.open("w") as err:
            child = subprocess.Popen([*annotator, "suggest", "--db", str(project)], stdout=subprocess.PIPE,
                                     stderr=err, text=True)
            try:
                out, _ = child.communicate(timeout=args.timeout)
                status = str(child.returncode)
            except subprocess.TimeoutExpired:
                child.kill()
                out, _ = child.communicate()
                status = f"stopped after --timeout {args.timeout:.0f} s"
        elapsed = time.monotonic() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest of the children
        print(f"article: {text_file.stat().st_size / 1e6:.1f} MB; suggest exit status {status}")
        print(f"peak RSS of a child: {peak_kib / 1024 / 1024:.2f} GB; suggest wall time {elapsed:.0f} s")
        print("stdout:", out.strip())
        lines = log.read_text().strip().splitlines()
        print(f"stderr ({len(lines)} lines), first and last:", *lines[:3], "...", *lines[-3:], sep="\n  ")

if __name__ == "__main__":
    main()
