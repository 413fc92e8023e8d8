"""Reading records exports (CSV and JSON Lines) as a stream of raw rows.

Files can be gigabytes, so nothing is read whole: lines are taken one at a time in
binary, each decoded on its own, so a stray Latin-1 byte rejects one row instead of the
whole file, and an overlong line (a file with no line breaks at all) is cut off and
reported instead of eating memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lookup.vocabulary import RECORD_COLUMNS
from storage.errors import ImportFileError

REQUIRED_COLUMNS = ("kind", "reference")
_KNOWN = frozenset(RECORD_COLUMNS)

# No real record comes near this; a longer "line" means a broken or binary file.
MAX_LINE_BYTES = 1 << 20

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row as read: its first line number in the file and its text fields."""

    line: int
    fields: dict[str, str | None]


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that could not even be read as fields, with the reason."""

    line: int
    reason: str


ReadItem = RawRow | BadRow
Progress = Callable[[int], None]
# Called once with each column name the contract does not know, as soon as it is seen.
UnknownColumn = Callable[[str], None]


def detect_format(path: Path, head: bytes) -> str:
    """`csv` or `jsonl`, from the file name or, failing that, the first character."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".txt"):
        return "csv"
    return "jsonl" if head.lstrip(_UTF8_BOM).lstrip()[:1] == b"{" else "csv"


class _Lines:
    """Physical lines of a binary stream, decoded one by one, with their numbers.

    Keeps the number of the last line handed out and of bytes consumed, and remembers
    which lines were not UTF-8 or too long, so the CSV reader (which needs text and
    may join several lines into one row) can reject exactly the rows they belong to.
    """

    def __init__(self, stream: BinaryIO, progress: Progress | None) -> None:
        self._stream = stream
        self._progress = progress
        self.number = 0
        self.problems: dict[int, str] = {}
        self.missing_final_newline = False

    def __iter__(self) -> Iterator[str]:
        readline = self._stream.readline
        while True:
            raw = readline(MAX_LINE_BYTES)
            if not raw:
                return
            self.number += 1
            consumed = len(raw)
            if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
                consumed += self._skip_rest_of_line()
                self.problems[self.number] = f"line is longer than {MAX_LINE_BYTES} bytes"
                raw = b"\n"
            if self.number == 1 and raw.startswith(_UTF8_BOM):
                raw = raw[len(_UTF8_BOM) :]
            if not raw.endswith(b"\n"):
                self.missing_final_newline = True
            if self._progress is not None:
                self._progress(consumed)
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                self.problems[self.number] = (
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                    "save the export as UTF-8"
                )
                yield raw.decode("utf-8", errors="replace")

    def _skip_rest_of_line(self) -> int:
        skipped = 0
        while True:
            chunk = self._stream.readline(MAX_LINE_BYTES)
            skipped += len(chunk)
            if not chunk or chunk.endswith(b"\n"):
                return skipped


def read_rows(
    path: Path,
    stream: BinaryIO,
    progress: Progress | None = None,
    on_unknown: UnknownColumn | None = None,
) -> Iterator[ReadItem]:
    """Raw rows of a records file, in file order. Raises `ImportFileError` for a file
    that cannot be a records export at all (UTF-16, no `kind`/`reference` columns).

    A column the contract does not name is passed to `on_unknown` once: for CSV when the
    header is read, before any row (contracts.md, section 1); for JSON Lines, whose rows
    each carry their own keys, on the first row that has it. Its values are dropped here.
    """
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    if head.startswith(_UTF16_BOMS):
        raise ImportFileError(str(path), "the file is UTF-16; save the export as UTF-8")
    report = on_unknown or (lambda _column: None)
    if detect_format(path, head) == "jsonl":
        return _read_jsonl(stream, progress, report)
    return _read_csv(str(path), stream, progress, report)


def _read_csv(
    name: str, stream: BinaryIO, progress: Progress | None, on_unknown: UnknownColumn
) -> Iterator[ReadItem]:
    lines = _Lines(stream, progress)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(name, "the file is empty") from None
    except csv.Error as exc:
        raise ImportFileError(name, f"the header row is not valid CSV: {exc}") from exc
    if 1 in lines.problems:
        raise ImportFileError(name, f"the header row: {lines.problems[1]}")
    columns = [column.strip().lower() for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ImportFileError(
            name,
            f"missing required column(s): {', '.join(missing)} (header has: {', '.join(columns)})",
        )
    duplicated = sorted({column for column in columns if columns.count(column) > 1})
    if duplicated:
        raise ImportFileError(name, f"column(s) named twice in the header: {', '.join(duplicated)}")
    for column in columns:
        if column not in _KNOWN:
            on_unknown(column)
    return _csv_rows(reader, lines, columns)


def _csv_rows(reader: Iterator[list[str]], lines: _Lines, columns: list[str]) -> Iterator[ReadItem]:
    width = len(columns)
    keep = [index for index, column in enumerate(columns) if column in _KNOWN]
    known = [columns[index] for index in keep]
    while True:
        first_line = lines.number + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadRow(first_line, f"not valid CSV: {exc}")
            continue
        problem = next(
            (lines.problems[n] for n in range(first_line, lines.number + 1) if n in lines.problems),
            None,
        )
        if problem is not None:
            yield BadRow(first_line, problem)
        elif not values or values == [""]:
            continue  # a blank line: nothing to import, nothing wrong
        elif len(values) != width:
            truncated = lines.missing_final_newline and len(values) < width
            yield BadRow(
                first_line,
                f"has {len(values)} fields, the header has {width}"
                + (" (the last line looks truncated)" if truncated else ""),
            )
        else:
            yield RawRow(
                first_line, {column: values[i] for column, i in zip(known, keep, strict=True)}
            )


def _read_jsonl(
    stream: BinaryIO, progress: Progress | None, on_unknown: UnknownColumn
) -> Iterator[ReadItem]:
    lines = _Lines(stream, progress)
    reported: set[str] = set()
    for text in lines:
        number = lines.number
        if number in lines.problems:
            yield BadRow(number, lines.problems[number])
            continue
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            last = lines.missing_final_newline
            yield BadRow(
                number,
                f"not valid JSON ({exc.msg} at column {exc.colno})"
                + (" (the last line looks truncated)" if last else ""),
            )
            continue
        if not isinstance(obj, dict):
            yield BadRow(number, f"expected a JSON object, found {type(obj).__name__}")
            continue
        fields: dict[str, str | None] = {}
        bad_key = None
        for key, value in obj.items():
            column = key.strip().lower()
            if column not in _KNOWN:
                if column not in reported:
                    reported.add(column)
                    on_unknown(column)
            elif value is None or isinstance(value, str):
                fields[column] = value
            elif isinstance(value, int | float) and not isinstance(value, bool):
                # Exporters sometimes write numeric references and amounts as numbers.
                fields[column] = str(value)
            else:
                bad_key = key
                break
        if bad_key is not None:
            yield BadRow(number, f"field {bad_key!r} holds {type(obj[bad_key]).__name__}, not text")
        else:
            yield RawRow(number, fields)
