"""Keeping attachment files: named by their SHA-256, under a size limit.

Files are stored as `<folder>/<first two hex digits>/<hash>`, never under the name the
sender gave (which could hold `../` or a device name), and the same file sent twice is
kept once. A file over the limit is only described (name, type, size, hash).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from lookup.enquiry import Attachment
from mail.errors import MailError

_STORED = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}")


class AttachmentKeeper(Protocol):
    """What the parser needs: describe an attachment and keep its bytes if it may."""

    def keep(self, filename: str, content_type: str, data: bytes) -> Attachment: ...


class DescribeOnly:
    """Keeps nothing: records every attachment by name, type, size and hash only."""

    def keep(self, filename: str, content_type: str, data: bytes) -> Attachment:
        return Attachment(
            filename=filename,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )


class AttachmentStore:
    """Keeps attachments of at most `max_bytes` under `folder` (created when needed)."""

    def __init__(self, folder: Path, *, max_bytes: int) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes

    def keep(self, filename: str, content_type: str, data: bytes) -> Attachment:
        digest = hashlib.sha256(data).hexdigest()
        stored: str | None = None
        if len(data) <= self.max_bytes:
            stored = f"{digest[:2]}/{digest}"
            self._write(self.folder / stored, data)
        return Attachment(
            filename=filename,
            content_type=content_type,
            size=len(data),
            sha256=digest,
            stored_path=stored,
        )

    def discard(self, stored_paths: Iterable[str]) -> int:
        """Delete kept files by their stored paths (a retention purge's leftovers); returns
        how many were removed. Only `<2 hex>/<sha256>` names under the folder are touched."""
        removed = 0
        for stored in stored_paths:
            if not _STORED.fullmatch(stored):
                continue
            try:
                (self.folder / stored).unlink()
            except FileNotFoundError:
                continue
            removed += 1
        return removed

    @staticmethod
    def _write(target: Path, data: bytes) -> None:
        if target.exists():
            return  # same hash, same bytes: already kept
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Write beside the target and rename: a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise MailError(
                f"cannot keep an attachment in {target.parent}: {exc.strerror}"
            ) from exc
