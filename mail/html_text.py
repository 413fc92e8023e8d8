"""HTML mail bodies as plain text, keeping line and list structure for the matcher.

Quoted earlier messages (a `<blockquote>`, Gmail's `gmail_quote`, everything after
Outlook's `divRplyFwdMsg`, ...) are found by structure with `lookup.html_quotes` and
written as "> " lines, so that the plain-text rules of `lookup.text_parts` downstream
take them as quoted: a reference in someone else's quoted mail must never read as the
writer's own.
"""

from __future__ import annotations

import html
import re

from inscriptis import get_text  # type: ignore[import-untyped]

from lookup.html_quotes import join_marked, split_html

_TAG = re.compile(r"<[^>]{0,2000}>")
_BLOCK_END = re.compile(r"</?(?:p|div|br|li|tr|h[1-6]|blockquote)\b[^>]{0,2000}>", re.IGNORECASE)
_SCRIPT_STYLE = re.compile(r"<(script|style)\b.{0,1000000}?</\1\s*>", re.IGNORECASE | re.DOTALL)
# Own stretches rendered with inscriptis each; beyond this many (hostile markup that
# alternates quotes thousands of times) the splitter's own plain rendering is used.
_MAX_RENDERED = 20


def html_to_text(markup: str) -> str:
    """The readable text of `markup`, quoted parts as "> " lines; never raises."""
    segments = split_html(markup)
    if not any(segment.quoted for segment in segments):
        return _render(markup)
    own_count = sum(not segment.quoted for segment in segments)
    return join_marked(
        (
            segment.quoted,
            _render(segment.markup)
            if own_count <= _MAX_RENDERED and not segment.quoted
            else segment.text,
        )
        for segment in segments
    )


def _render(markup: str) -> str:
    try:
        text = get_text(markup)
    except Exception:  # inscriptis/lxml on hostile input: fall back to stripping tags
        text = _strip_tags(markup)
    return str(text).strip("\n")


def _strip_tags(markup: str) -> str:
    without_code = _SCRIPT_STYLE.sub(" ", markup)
    with_breaks = _BLOCK_END.sub("\n", without_code)
    return html.unescape(_TAG.sub("", with_breaks))
