"""Cutting the input of a bulk run into chunks, one Dask task each, and reading a chunk back.

spaCy's maintainers' advice for corpora of millions of texts: split the input into files, run
``nlp.pipe`` over each as one task, write one output per input part. A chunk is that part:
- a stretch of a JSON lines file (``chunk_size`` records, found by byte offsets, so a task reads
  only its own stretch of a file of any size);
- a whole file the readers cannot split (CSV, a JSON array, a gzipped file);
- several small files (``.txt``, ``.html``: one article each), up to ``chunk_size`` of them.

A chunk's name is stable for the same input (its files, byte range, sizes and modification
times), so a second run finds the shards of the first and skips them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from annotator.importers import collect_files
from annotator.importers.readers import HTML_SUFFIXES, JSON_SUFFIXES, TEXT_SUFFIXES, read_json_lines, read_path
from annotator.importers.records import InputError

DEFAULT_CHUNK_SIZE = 1000  # articles per task: a few seconds to a minute of work, a few MB of shard
_LINE_SUFFIXES = {".jsonl", ".ndjson", ".jsonlines"}


@dataclass(frozen=True)
class Chunk:
    """One task's input.

    :param name: stable across runs for the same input; the shard is ``<name>.jsonl.gz``
    :param paths: the files it reads (several only for one-article files)
    :param start: first byte of its stretch of a JSON lines file (``None``: whole files)
    :param end: byte after its stretch
    :param first_line: the line number ``start`` is on (for error messages)
    :param records: how many records the planner counted (0 when it did not read the file)
    """

    name: str
    paths: tuple[str, ...]
    start: int | None = None
    end: int | None = None
    first_line: int = 1
    records: int = 0

    def describe(self) -> str:
        if self.start is not None:
            return f"{self.paths[0]} lines {self.first_line}-{self.first_line + self.records - 1}"
        if len(self.paths) == 1:
            return self.paths[0]
        return f"{self.paths[0]} and {len(self.paths) - 1} more files"


def plan_chunks(inputs: list[str | Path], chunk_size: int = DEFAULT_CHUNK_SIZE) -> list[Chunk]:
    """The chunks of ``inputs`` (files and folders, as ``annotator import`` takes them), in order.

    :raises InputError: a path that does not exist
    """
    chunks: list[Chunk] = []
    singles: list[Path] = []

    def flush_singles() -> None:
        if singles:
            chunks.append(_named(len(chunks), tuple(str(p) for p in singles), None, None, 1, len(singles)))
            singles.clear()

    for path in collect_files(inputs):
        suffix = path.suffix.lower()
        if suffix in TEXT_SUFFIXES | HTML_SUFFIXES:
            singles.append(path)
            if len(singles) >= chunk_size:
                flush_singles()
            continue
        flush_singles()
        if suffix in _LINE_SUFFIXES or (suffix in JSON_SUFFIXES and _starts_with_object_line(path)):
            for start, end, first_line, records in _line_stretches(path, chunk_size):
                chunks.append(_named(len(chunks), (str(path),), start, end, first_line, records))
        else:
            chunks.append(_named(len(chunks), (str(path),), None, None, 1, 0))
    flush_singles()
    return chunks


def _named(index: int, paths: tuple[str, ...], start, end, first_line: int, records: int) -> Chunk:
    identity = [[str(Path(p).resolve()), Path(p).stat().st_size, Path(p).stat().st_mtime_ns] for p in paths]
    digest = hashlib.sha1(json.dumps([identity, start, end]).encode()).hexdigest()[:10]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(paths[0]).name.split(".")[0])[:40] or "input"
    return Chunk(f"{index:05d}-{stem}-{digest}", paths, start, end, first_line, records)


def _starts_with_object_line(path: Path) -> bool:
    """A .json file written as JSON lines: its first non-blank line is a whole object."""
    with path.open("rb") as handle:
        for raw in handle:
            if raw.strip():
                try:
                    return isinstance(json.loads(raw.decode("utf-8-sig")), dict)
                except (UnicodeDecodeError, json.JSONDecodeError):
                    return False
    return False


def _line_stretches(path: Path, chunk_size: int) -> Iterator[tuple[int, int, int, int]]:
    """(start byte, end byte, first line number, records) of consecutive stretches of ``chunk_size``
    non-blank lines. Reads the file once, line by line: memory stays flat whatever its size."""
    start = position = 0
    first_line = 1
    records = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if records == 0 and not raw.strip():
                start = position + len(raw)  # blank lines before a stretch belong to no record
                first_line = number + 1
            elif raw.strip():
                records += 1
            position += len(raw)
            if records >= chunk_size:
                yield start, position, first_line, records
                start, first_line, records = position, number + 1, 0
    if records:
        yield start, position, first_line, records


def read_chunk(chunk: Chunk, *, encoding: str | None = None, text_column: str | None = None
               ) -> Iterator["tuple[object, str]"]:
    """(record or InputError, where) for every record of the chunk, in order; ``where`` is
    ``file:line`` of the record. A file that cannot be read at all is one InputError."""
    if chunk.start is not None:
        path = Path(chunk.paths[0])
        with path.open("rb") as handle:
            handle.seek(chunk.start)
            data = handle.read(chunk.end - chunk.start)
        try:
            text = data.decode(encoding or "utf-8")
        except (UnicodeDecodeError, LookupError) as exc:
            yield InputError(str(path), chunk.first_line, f"cannot decode this stretch: {exc}"), str(path)
            return
        if chunk.start == 0:
            text = text.lstrip("\ufeff")
        for item, _size in read_json_lines(path, text.split("\n"), first_number=chunk.first_line):
            yield item, f"{path}:{getattr(item, 'line', '?')}"
        return
    for name in chunk.paths:
        path = Path(name)
        try:
            for item, _size in read_path(path, encoding=encoding, text_column=text_column):
                yield item, f"{path}:{getattr(item, 'line', '?')}"
        except InputError as exc:
            yield exc, str(path)
        except OSError as exc:
            yield InputError(str(path), None, f"cannot read: {exc.strerror or exc}"), str(path)
