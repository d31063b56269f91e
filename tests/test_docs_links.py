"""A reader who follows a docs/... path named in the code or the documentation finds the file."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC_PATH = re.compile(r"\bdocs/[\w./-]+?\.md\b")


def test_docs_links_every_named_document_exists():
    sources = [*ROOT.joinpath("annotator").rglob("*.py"), *ROOT.joinpath("docs").rglob("*.md"), ROOT / "README.md"]
    missing = sorted({f"{path.relative_to(ROOT)}: {name}" for path in sources
                      for name in DOC_PATH.findall(path.read_text(encoding="utf-8"))
                      if not (ROOT / name).is_file()})
    assert missing == []
