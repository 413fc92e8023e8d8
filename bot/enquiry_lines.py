"""Reading enquiry files in the contract's JSON Lines format (contracts.md, sections 2, 3).

Shared by `enquiry-desk match` and `enquiry-desk draft`: each answers every non-blank
line, in order, so a bad line is answered with the reason instead of stopping the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.errors import ImportFileError


class BadLine(ValueError):
    """A line that is not an enquiry; the message says why, with its line number."""


def enquiry_lines(file: Path) -> Iterator[tuple[int, dict[str, Any] | BadLine]]:
    """(line number, the enquiry object or why it is not one) for each non-blank line."""
    try:
        handle = file.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ImportFileError(str(file), exc.strerror or str(exc)) from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield number, _parse(number, line)


def _parse(number: int, line: str) -> dict[str, Any] | BadLine:
    try:
        item = json.loads(line)
    except ValueError as exc:
        return BadLine(f"line {number}: {exc}")
    if not isinstance(item, dict):
        return BadLine(f"line {number}: not a JSON object")
    if not isinstance(item.get("text"), str):
        return BadLine(f"line {number}: no text")
    return item


def text_field(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    return value if isinstance(value, str) else None
