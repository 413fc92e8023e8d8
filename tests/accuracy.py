"""Scoring a matcher's decisions against labelled truth, as shared/sample/README.md says.

- wrong verification: verified against a record outside `acceptable` (must be zero);
- answerable emails verified: of the emails marked answerable, the share verified
  against an acceptable record (at least 95%);
- wrong match: a record named that is outside `acceptable` (at most 0.5%).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Accuracy:
    total: int = 0
    wrong_verified: list[str] = field(default_factory=list)
    wrong_matched: list[str] = field(default_factory=list)
    answerable: int = 0
    answerable_verified: int = 0
    missed: list[str] = field(default_factory=list)

    @property
    def verified_share(self) -> float:
        return self.answerable_verified / self.answerable if self.answerable else 1.0

    @property
    def wrong_match_share(self) -> float:
        return len(self.wrong_matched) / self.total if self.total else 0.0


def score(decisions: dict[str, dict[str, Any]], truths: list[dict[str, Any]]) -> Accuracy:
    result = Accuracy()
    for truth in truths:
        decision = decisions[truth["id"]]
        acceptable = set(truth["acceptable"])
        result.total += 1
        named = decision["reference"]
        if named is not None and named not in acceptable:
            result.wrong_matched.append(truth["id"])
            if decision["verified"]:
                result.wrong_verified.append(truth["id"])
        if truth["channel"] == "email" and truth["answerable"]:
            result.answerable += 1
            if decision["verified"] and named in acceptable:
                result.answerable_verified += 1
            else:
                result.missed.append(truth["id"])
    return result
