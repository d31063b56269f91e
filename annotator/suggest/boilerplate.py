"""Lines that are page furniture, not reporting: "Read More: ...", "©2022 ...", "Follow us on Twitter".

Articles pasted from the web carry them; an annotator never labels inside them, so the suggester
suggests nothing there. Lines are found on the raw text, so offsets stay exact (CRLF and all).
"""

from __future__ import annotations

import re

# A line is furniture when it opens with one of these, or carries a copyright mark anywhere.
_OPENERS = re.compile(
    r"^[\W_]*(read more|read also|also read|related( stories| articles| coverage)?\s*:|see also|more on this|"
    r"recommended|advertisement|sponsored|follow us|follow @|like us on|sign up|subscribe|"
    r"share (this|on)|click here|tap here|watch:|listen:|image( source)?:|photo:|picture:|"
    r"copyright|all rights reserved|skip ad|photograph:|like (us|.{1,60}) on facebook|get (our|the) .*newsletter|download (our|the) app)",
    re.IGNORECASE,
)
_ANYWHERE = re.compile(r"©|\(c\)\s*\d{4}|all rights reserved|sign up for (our|the) .*newsletter", re.IGNORECASE)


def boilerplate_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges (start, end exclusive) of the furniture lines of ``text``."""
    ranges = []
    start = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        if content.strip() and (_OPENERS.match(content) or _ANYWHERE.search(content)):
            ranges.append((start, start + len(content)))
        start += len(line)
    return ranges


def inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when the span [start, end) touches a furniture line."""
    return any(start < line_end and line_start < end for line_start, line_end in ranges)
