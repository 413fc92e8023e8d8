"""Turning the bytes of a mail part or header into text, whatever charset it claims.

Mail declares charsets that Python does not know (`x-unknown`, `unicode-1-1-utf-7`,
misspellings), declares ones that are wrong (UTF-8 labelled `us-ascii`), or names codecs
that are not text encodings at all (`base64`, `zlib`). None of that may stop the reader:
the declared charset is tried, then UTF-8, then Windows-1252 (what "Latin-1" mail almost
always is), and as a last resort UTF-8 with replacement characters.
"""

from __future__ import annotations

import codecs
import re

# Lone surrogates left by the parser's surrogateescape for 8-bit bytes in headers.
_SURROGATES = re.compile("[\udc80-\udcff]")


def text_codec(charset: str | None) -> str | None:
    """The Python codec for a declared `charset`, or None when it is not a text encoding."""
    if not charset:
        return None
    try:
        info = codecs.lookup(charset.strip().strip('"').lower())
    except (LookupError, ValueError):
        return None
    # bytes-to-bytes codecs (base64, zlib, rot13...) say so on their CodecInfo.
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def decode_bytes(data: bytes, charset: str | None) -> str:
    """`data` as text: the declared charset if it fits, else the usual suspects."""
    candidates = [text_codec(charset), "utf-8", "cp1252"]
    for codec in dict.fromkeys(name for name in candidates if name):
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def repair_8bit(value: str) -> str:
    """A header value with raw 8-bit bytes (kept as surrogates by the parser) as text."""
    if not _SURROGATES.search(value):
        return value
    return decode_bytes(value.encode("ascii", errors="surrogateescape"), None)
