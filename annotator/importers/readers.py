"""Read files into ``ArticleRecord``s: plain text, JSON lines (or a JSON array), CSV.

Each reader yields ``(record_or_error, bytes_consumed)`` so the caller can stream large files, show
progress, and decide whether one bad record fails the whole file or is skipped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Iterator

from annotator.importers import formats
from annotator.importers.records import MAX_TEXT_CHARS, ArticleRecord, InputError

JSON_SUFFIXES = {".jsonl", ".json", ".ndjson", ".jsonlines"}
TEXT_SUFFIXES = {".txt", ".text"}
CSV_SUFFIXES = {".csv", ".tsv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}  # saved web pages: annotator.importers.web
GZIP_SUFFIX = ".gz"  # gzipped JSON lines (.jsonl.gz: the shards of `annotator bulk suggest`)
SUPPORTED = JSON_SUFFIXES | TEXT_SUFFIXES | CSV_SUFFIXES | HTML_SUFFIXES | {GZIP_SUFFIX}
# What a blank line of JSON lines may hold: the "\r" of CRLF line ends stays on a line split at "\n".
_BLANK = " \t\r\n\ufeff"

Item = tuple["ArticleRecord | InputError", int]

# The longest line of JSON lines read: room for a text of MAX_TEXT_CHARS written with \u escapes.
# A longer line is refused as it is read, in pieces, never held whole.
MAX_LINE_BYTES = 6 * MAX_TEXT_CHARS + 1_000_000
# Files of the formats read whole (CSV, a JSON array, plain text) are refused above this size.
MAX_WHOLE_FILE_BYTES = 2_000_000_000


def decode(path: Path, data: bytes, encoding: str | None) -> str:
    """Bytes to text, exactly: no newline translation. UTF-8 (a BOM is dropped) unless told otherwise.

    :raises InputError: naming the line and byte where decoding failed
    """
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError as exc:
            raise InputError(str(path), None, f"unknown encoding {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError(str(path), line, f"not valid {encoding} at byte {exc.start}") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            str(path), line,
            f"not valid UTF-8 at byte {exc.start} (byte {data[exc.start]:#04x}); the encoding is unknown: "
            "convert the file to UTF-8 or name its encoding with --encoding (e.g. cp1251, latin-1)",
        ) from exc


def read_path(path: Path, *, encoding: str | None = None, text_column: str | None = None) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(str(path), None, f"cannot import {suffix or 'files without a suffix'}; "
                         f"supported: {', '.join(sorted(SUPPORTED))}")
    if suffix == GZIP_SUFFIX:
        yield from _read_gzipped_lines(path, encoding)
        return
    if suffix in HTML_SUFFIXES:
        from annotator.importers.web import read_html

        yield from read_html(path, path.read_bytes())
        return
    if suffix in JSON_SUFFIXES and _is_json_lines(path, encoding):
        # Large exports are JSON lines: stream them so memory stays flat whatever the file size.
        yield from _stream_lines(path, encoding)
        return
    size = path.stat().st_size
    limit = 4 * MAX_TEXT_CHARS if suffix in TEXT_SUFFIXES else MAX_WHOLE_FILE_BYTES
    if size > limit:
        what = ("an article" if suffix in TEXT_SUFFIXES else "a file in this format; split it, or convert it "
                "to JSON lines, which are read line by line")
        raise InputError(str(path), None, f"{size:,} bytes, more than the {limit:,} this importer takes for {what}")
    data = path.read_bytes()
    wide = _is_wide(data, encoding)
    if suffix not in JSON_SUFFIXES and not wide:
        _refuse_nul(path, data.find(b"\x00"))  # before decoding: its error would blame the encoding
    text = decode(path, data, encoding)
    if suffix not in JSON_SUFFIXES and wide and "\x00" in text:
        _refuse_nul(path, len(text[: text.index("\x00")].encode(encoding or "utf-16")))
    if suffix in TEXT_SUFFIXES:
        yield read_text(path, text), len(data)
    elif suffix in JSON_SUFFIXES:
        yield from read_json_stream(path, text)
    else:
        yield from read_csv(path, text, text_column, delimiter="\t" if suffix == ".tsv" else ",")


def _is_wide(data: bytes, encoding: str | None) -> bool:
    """UTF-16 or UTF-32, where NUL bytes are part of ordinary characters."""
    named = (encoding or "").lower().replace("_", "-").replace("utf16", "utf-16").replace("utf32", "utf-32")
    return data.startswith((b"\xff\xfe", b"\xfe\xff")) or named.startswith(("utf-16", "utf-32"))


def _refuse_nul(path: Path, offset: int) -> None:
    """Text never holds a NUL character; a file that does is a renamed binary (an image, a PDF, a
    word-processor file), and importing it would make an article of garbage."""
    if offset >= 0:
        raise InputError(str(path), None, f"not text: a NUL byte at byte {offset} (a binary file renamed to "
                         f"{path.suffix}?); import the text itself, saved as plain text")


def _is_json_lines(path: Path, encoding: str | None) -> bool:
    """True when the first non-blank line is a whole JSON object (not an array, not pretty-printed)."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (encoding or "utf-8").lower().replace("_", "-") \
                in {"utf-16", "utf-16-le", "utf-16-be", "utf-32"}:
            return False
        handle.seek(0)
        while raw := handle.readline(MAX_LINE_BYTES + 1):
            if len(raw) > MAX_LINE_BYTES:
                # Too long to look at whole: the line reader refuses it by its line number.
                return raw.lstrip(b"\xef\xbb\xbf \t").startswith(b"{")
            if raw.strip(b" \t\r\n"):
                try:
                    line = raw.decode(encoding or "utf-8-sig")
                except (UnicodeDecodeError, LookupError):
                    return False  # let the whole-file reader report it with its line
                return line.lstrip("\ufeff \t").startswith("{") and _parses(line)
    return False


def _lines_within_limit(path: Path, handle) -> Iterator[tuple[int, bytes | InputError]]:
    """(line number, the line's bytes) for each line, or an InputError for a line longer than
    :data:`MAX_LINE_BYTES`, which is skipped in pieces rather than read whole."""
    number = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) <= MAX_LINE_BYTES or raw.endswith(b"\n"):
            yield number, raw
            continue
        length = len(raw)
        while not raw.endswith(b"\n"):
            raw = handle.readline(1 << 20)
            if not raw:
                break
            length += len(raw)
        yield number, InputError(str(path), number, f"a line of {length:,} bytes, more than the "
                                 f"{MAX_LINE_BYTES:,} this importer reads (one article's text may have up to "
                                 f"{MAX_TEXT_CHARS:,} characters)")


def _stream_lines(path: Path, encoding: str | None) -> Iterator[Item]:
    with path.open("rb") as handle:
        for number, raw in _lines_within_limit(path, handle):
            if isinstance(raw, InputError):
                yield raw, 0
                continue
            try:
                line = raw.decode(encoding or "utf-8")
            except UnicodeDecodeError as exc:
                yield InputError(str(path), number, f"not valid {encoding or 'UTF-8'} at column {exc.start + 1}; "
                                 "name the file's encoding with --encoding"), len(raw)
                continue
            if number == 1:
                line = line.lstrip("\ufeff")
            yield from _read_lines(path, [line], first_number=number, size=len(raw))


def _read_gzipped_lines(path: Path, encoding: str | None) -> Iterator[Item]:
    import gzip
    import zlib

    if Path(path.stem).suffix.lower() not in JSON_SUFFIXES:
        raise InputError(str(path), None, "of gzipped files only JSON lines (.jsonl.gz) can be imported")
    try:
        with path.open("rb") as compressed, gzip.GzipFile(fileobj=compressed, mode="rb") as handle:
            read = 0
            for number, raw in enumerate(handle, start=1):
                # Progress in compressed bytes, the unit of the file size the caller's bar counts to.
                size, read = compressed.tell() - read, compressed.tell()
                try:
                    line = raw.decode(encoding or "utf-8")
                except UnicodeDecodeError as exc:
                    yield InputError(str(path), number, f"not valid {encoding or 'UTF-8'} at column {exc.start + 1}"), size
                    continue
                yield from _read_lines(path, [line.lstrip("\ufeff") if number == 1 else line], first_number=number,
                                       size=size)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        # A shard cut short (a killed run writes to a temporary name, so only a copy gone wrong).
        raise InputError(str(path), None, f"not a complete gzip file: {exc}") from exc


def read_json_lines(path: Path, lines: list[str], first_number: int = 1) -> Iterator[Item]:
    """JSON lines already split (a part of a large file), numbered from ``first_number``."""
    return _read_lines(path, lines, first_number=first_number)


TITLE_MAX = 150


def read_text(path: Path, text: str) -> ArticleRecord:
    """One file, one article, the text kept whole; the first line is its title if it looks like one:
    short, not ending like a sentence, and followed by more text."""
    first, _, rest = text.lstrip("\ufeff").partition("\n")
    first = first.strip()
    title = None
    if first and rest.strip() and len(first) <= TITLE_MAX and not re.search(r"[.,;:]$", first) \
            and not first.startswith(("-", "*", "•")):
        title = first
    return ArticleRecord(text=text, line=1, title=title, source=path.name)


def read_json_stream(path: Path, text: str) -> Iterator[Item]:
    """JSON lines; also a JSON array of objects (Label Studio's export) and objects pretty-printed over
    several lines one after another (doccano's relation example), with the line each value starts on."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(str(path), exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})") from exc
        except RecursionError as exc:
            raise InputError(str(path), 1, TOO_DEEP) from exc
        for index, value in enumerate(values, start=1):
            yield _convert(path, value, index, f"item {index}"), len(text) // max(len(values), 1)
        return
    lines = text.split("\n")
    first = next((l for l in lines if l.strip(_BLANK)), "")
    if _parses(first):
        yield from _read_lines(path, lines)
    else:
        yield from _read_concatenated(path, text)


# Python's parser gives up (RecursionError) on values nested about a thousand deep; no article needs
# more than a few levels, so such a file is refused with this reason rather than a traceback.
TOO_DEEP = "JSON nested too deeply to read (values inside values, about a thousand levels)"


def _parses(line: str) -> bool:
    try:
        json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return False
    return True


def _read_lines(path: Path, lines: list[str], first_number: int = 1, size: int | None = None) -> Iterator[Item]:
    """Proper JSON lines: one value a line, so an error names exactly the broken line."""
    for number, line in enumerate(lines, start=first_number):
        consumed = size if size is not None else len(line) + 1
        if not line.strip(_BLANK):
            continue
        try:
            value = json.loads(line.lstrip("\ufeff"))
        except json.JSONDecodeError as exc:
            yield InputError(str(path), number, f"not valid JSON: {exc.msg} (column {exc.colno})"), consumed
            continue
        except RecursionError:
            yield InputError(str(path), number, TOO_DEEP), consumed
            continue
        yield _convert(path, value, number, None), consumed


def _read_concatenated(path: Path, text: str) -> Iterator[Item]:
    decoder = json.JSONDecoder()
    position = 0
    line = 1
    length = len(text)
    while True:
        match = _WHITESPACE.match(text, position)
        line += text.count("\n", position, match.end())
        position = match.end()
        if position >= length:
            return
        start = position
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            # Values spread over several lines cannot be resynchronised reliably: stop at the first error.
            bad_line = text.count("\n", 0, exc.pos) + 1
            yield InputError(str(path), bad_line, f"not valid JSON: {exc.msg}"), length - start
            return
        except RecursionError:
            yield InputError(str(path), line, TOO_DEEP), length - start
            return
        yield _convert(path, value, line, None), end - start
        line += text.count("\n", start, end)
        position = end


_WHITESPACE = re.compile(r"[\s\ufeff]*")


def _convert(path: Path, value, line: int, where: str | None) -> "ArticleRecord | InputError":
    try:
        if not isinstance(value, dict):
            raise InputError(str(path), line, f"expected a JSON object, found {type(value).__name__}", where)
        return formats.convert_object(value, str(path), line)
    except InputError as exc:
        return exc


def read_csv(path: Path, text: str, text_column: str | None, delimiter: str) -> Iterator[Item]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        columns = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(str(path), 1, f"not valid CSV: {exc}") from exc
    column = text_column or ("text" if "text" in columns else None)
    if column is None or column not in columns:
        wanted = f"column {text_column!r} is not in the header" if text_column else "no 'text' column"
        raise InputError(str(path), 1, f"{wanted}; columns are: {', '.join(columns) or 'none'} "
                         "(choose one with --text-column)")
    previous_end = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield InputError(str(path), reader.line_num, f"not valid CSV: {exc}"), 0
            return
        line = previous_end + 1
        previous_end = reader.line_num
        if None in row:
            yield InputError(str(path), line, f"has {len(columns) + len(row[None])} fields, the header has {len(columns)}"), 0
            continue
        try:
            yield formats.convert_csv_row(row, column, str(path), line), sum(len(v or "") for v in row.values())
        except InputError as exc:
            yield exc, 0
