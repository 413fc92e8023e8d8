"""Which kinds of record an enquiry talks about, from the words people use for them.

Not an identifier: it never verifies anyone. It breaks ties between one person's
several records ("my court date" is the court case, not the course offer).
"""

from __future__ import annotations

import re

# Phrase (a regular expression on lower-case text) -> the kinds it points to.
_PHRASES: tuple[tuple[str, frozenset[str]], ...] = (
    (r"fixed penalt|\bfpn\b", frozenset({"fpn"})),
    (r"penalty notice for disorder|\bpnd\b|disorder", frozenset({"pnd"})),
    (r"penalty notice", frozenset({"fpn", "pnd"})),
    (r"speeding ticket|speeding fine", frozenset({"fpn", "cofp"})),
    (
        r"speed camera|camera|intended prosecution|\bnip\b|conditional offer|nominat",
        frozenset({"cofp"}),
    ),
    (r"course|awareness", frozenset({"course_offer"})),
    (r"produce|producer|\bhort|documents", frozenset({"hort1"})),
    (r"defect|rectif|\bvdrs\b", frozenset({"vdrs"})),
    (r"summons", frozenset({"summons"})),
    (r"requisition", frozenset({"postal_requisition"})),
    (r"court case|my case|court file|prosecution file|\bcps\b", frozenset({"court_case"})),
    (r"collision|accident|\brtc\b|crash", frozenset({"collision"})),
    (r"community resolution", frozenset({"community_resolution"})),
    (r"caution", frozenset({"conditional_caution"})),
    (r"compensation|\bcica\b|criminal injur", frozenset({"cica_claim"})),
    (r"drugs? warning|cannabis warning", frozenset({"drugs_warning"})),
)
_COMPILED = tuple((re.compile(pattern), kinds) for pattern, kinds in _PHRASES)


def kind_hints(text: str) -> frozenset[str]:
    """The record kinds the words of `text` point to (often none)."""
    lowered = text.lower()
    found: set[str] = set()
    for pattern, kinds in _COMPILED:
        if pattern.search(lowered):
            found |= kinds
    return frozenset(found)
