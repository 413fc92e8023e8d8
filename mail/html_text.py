"""HTML mail bodies as plain text, keeping line and list structure for the matcher."""

from __future__ import annotations

import html
import re

from inscriptis import get_text  # type: ignore[import-untyped]

_TAG = re.compile(r"<[^>]{0,2000}>")
_BLOCK_END = re.compile(r"</?(?:p|div|br|li|tr|h[1-6]|blockquote)\b[^>]{0,2000}>", re.IGNORECASE)
_SCRIPT_STYLE = re.compile(r"<(script|style)\b.{0,1000000}?</\1\s*>", re.IGNORECASE | re.DOTALL)


def html_to_text(markup: str) -> str:
    """The readable text of `markup`; never raises, however broken the HTML."""
    try:
        text = get_text(markup)
    except Exception:  # inscriptis/lxml on hostile input: fall back to stripping tags
        text = _strip_tags(markup)
    return str(text)


def _strip_tags(markup: str) -> str:
    without_code = _SCRIPT_STYLE.sub(" ", markup)
    with_breaks = _BLOCK_END.sub("\n", without_code)
    return html.unescape(_TAG.sub("", with_breaks))
