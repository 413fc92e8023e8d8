"""A partner's mail read as a proposed change to a record: a course provider's completion
or non-attendance, a court's result, withdrawal or adjournment.

The product never changes a record (records come from the systems of record by import):
the proposal is shown to a clerk, who applies it there. So the rules lean to silence: a
question, a hedge ("once completed", "will be"), a negation that is not one of the known
phrases, or two reports that disagree give no proposal, and a status outside the record
kind's vocabulary (records contract, section 1) is never proposed.

`supported_by` holds the words of the mail that the proposal rests on, each a short
matched phrase ("completed the course", "adjourned to"); `outcome` is the court's own
sentence and may name the person, so neither is for a log. `ProposedChange.status` is
safe to log.

Cost: the text is cut to `MAX_CHARS` and every pattern's repeats are bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lookup.extract_dates import find_dates
from lookup.vocabulary import KIND_STATUSES

__all__ = [
    "MAX_CHARS",
    "PartnerKind",
    "ProposedChange",
    "partner_kind",
    "proposed_change",
]

MAX_CHARS = 8_000
# The longest outcome kept, in characters: a sentence or two of a court's result.
_OUTCOME_CHARS = 240


class PartnerKind(StrEnum):
    COURT = "court"
    COURSE_PROVIDER = "course_provider"
    OTHER = "other"


# Partners are configured as name=domain (PARTNER_DOMAINS); the name says what they are.
_COURT_NAME = re.compile(r"\b(?:hmcts|courts?|magistrates'?|tribunal)\b", re.IGNORECASE)
_COURSE_NAME = re.compile(
    r"\b(?:course|courses|ndors|ukroed|awareness|driver\s{1,3}(?:training|education))\b",
    re.IGNORECASE,
)


def partner_kind(name: str) -> PartnerKind:
    """What a configured partner is, from its name: "HMCTS Leeds" and "Leeds Magistrates'
    Court" are courts; "NDORS", "UKROEd" or "TTC Courses" are course providers."""
    if _COURT_NAME.search(name):
        return PartnerKind.COURT
    if _COURSE_NAME.search(name):
        return PartnerKind.COURSE_PROVIDER
    return PartnerKind.OTHER


@dataclass(frozen=True, slots=True)
class ProposedChange:
    """A change a partner's mail reports for one record, for a clerk to apply at source."""

    kind: str
    reference: str | None
    old_status: str | None
    status: str
    outcome: str | None = None
    hearing_date: date | None = None
    supported_by: tuple[str, ...] = ()

    def changes(self) -> dict[str, str]:
        """The record's fields as they would become, in the import contract's columns."""
        fields = {"status": self.status}
        if self.outcome is not None:
            fields["outcome"] = self.outcome
        if self.hearing_date is not None:
            fields["hearing_date"] = self.hearing_date.isoformat()
        return fields

    def as_json(self) -> dict[str, str | list[str] | dict[str, str] | None]:
        """For the draft's saved decision ("proposed_change")."""
        return {
            "kind": self.kind,
            "reference": self.reference,
            "old_status": self.old_status,
            "status": self.status,
            "outcome": self.outcome,
            "hearing_date": self.hearing_date.isoformat() if self.hearing_date else None,
            "changes": self.changes(),
            "supported_by": list(self.supported_by),
        }


# A sentence ends at . ! ? before a space, or at a line break ("14.12.2026" stays whole);
# a sentence ending "?" asks, it does not report.
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]+|\n")
# Words that make a sentence a plan, a condition or a doubt rather than a report.
_HEDGE = re.compile(
    r"\b(?:if|once|when|whether|will|would|should|could|might|expected|expects?"
    r"|due\s{1,3}to|yet|scheduled|intends?|awaiting|pending|unsure|unclear|confirm\s{1,3}if)\b",
    re.IGNORECASE,
)

_COURSE_NOT_DONE = re.compile(
    r"\b(?:did\s{1,3}not|didn't|has\s{1,3}not|hasn't|have\s{1,3}not|haven't|had\s{1,3}not"
    r"|failed\s{1,3}to|was\s{1,3}unable\s{1,3}to|did\s{1,3}not\s{1,3}successfully)"
    r"\s{1,3}(?:attend|complete|completed|finish|finished|turn\s{1,3}up)\b"
    r"|\b(?:non[-\s]?attendance|no[-\s]show|not\s{1,3}completed|failed\s{1,3}the\s{1,3}course"
    r"|removed\s{1,3}from\s{1,3}the\s{1,3}course)\b",
    re.IGNORECASE,
)
_COURSE_WORD = re.compile(
    r"\b(?:course|workshop|scheme|programme|training|session)\b", re.IGNORECASE
)
_COURSE_DONE = re.compile(
    r"\b(?:(?:has|have|had|was|were)\s{1,3})?(?:successfully\s{1,3})?"
    r"(?:attended\s{1,3}and\s{1,3})?completed\b(?:\s{1,3}(?:the|their|his|her)"
    r"(?:\s{1,3}[\w'-]{1,20}){0,4}?\s{1,3}course\b)?"
    r"|\bcourse\s{1,3}(?:was\s{1,3})?(?:successfully\s{1,3})?completed\b"
    r"|\bcompletion\s{1,3}(?:confirmed|certificate)\b",
    re.IGNORECASE,
)

_WITHDRAWN = re.compile(
    r"\b(?:withdrawn|discontinued|no\s{1,3}evidence\s{1,3}(?:was\s{1,3})?offered)\b",
    re.IGNORECASE,
)
_ADJOURNED = re.compile(r"\b(?:adjourned|relisted|re-listed)\b", re.IGNORECASE)
_RESULT = re.compile(
    r"\b(?:convicted|found\s{1,3}(?:not\s{1,3})?guilty|pleaded\s{1,3}guilty"
    r"|fined|sentenced|acquitted|dismissed|discharged|disqualified|penalty\s{1,3}points"
    r"|endorsed|community\s{1,3}order|result(?:ed)?\s{0,3}:|outcome\s{0,3}:)",
    re.IGNORECASE,
)
# "not" (or similar) just before a court's word makes it unsure: "has not been withdrawn".
_NEGATED = re.compile(
    r"(?:\b(?:not|never|no\s{1,3}longer|refused)\b|n't)[\w\s]{0,20}$", re.IGNORECASE
)
# Where the new hearing date is said: "adjourned to 14 December 2026", "next hearing: ...".
_NEXT_HEARING = re.compile(
    r"\b(?:adjourned|relisted|re-listed|next\s{1,3}hearing|new\s{1,3}hearing(?:\s{1,3}date)?"
    r"|listed)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s{0,8}(?:result|outcome)\s{0,3}:\s{0,3}", re.IGNORECASE)


def proposed_change(
    partner: PartnerKind,
    text: str,
    *,
    kind: str | None,
    reference: str | None = None,
    status: str | None = None,
) -> ProposedChange | None:
    """The status change `text` (the partner's own words) plainly reports for the record
    of `kind` (and its `status` now), or None when it reports none or is unsure."""
    sentences = _reports(text[:MAX_CHARS])
    if partner is PartnerKind.COURSE_PROVIDER:
        found = _course(sentences)
    elif partner is PartnerKind.COURT:
        found = _court(sentences, kind)
    else:
        return None
    if found is None or (kind is None and partner is PartnerKind.COURT):
        return None
    new_kind = kind or "course_offer"
    new_status, outcome, hearing, words = found
    if new_status not in KIND_STATUSES.get(new_kind, frozenset()) or new_status == status:
        return None
    return ProposedChange(new_kind, reference, status, new_status, outcome, hearing, words)


_Found = tuple[str, str | None, date | None, tuple[str, ...]]


def _reports(text: str) -> list[str]:
    """The sentences that report something: not questions, not plans or conditions."""
    out = []
    for part in _SENTENCE_END.split(text):
        sentence = part.strip()
        if sentence and not sentence.endswith("?") and not _HEDGE.search(sentence):
            out.append(sentence)
    return out


def _course(sentences: list[str]) -> _Found | None:
    # Only sentences about the course: "we have completed our checks" reports nothing.
    about = [s for s in sentences if _COURSE_WORD.search(s)]
    not_done = [m.group() for s in about for m in _COURSE_NOT_DONE.finditer(s)]
    rest = [_COURSE_NOT_DONE.sub(" ", s) for s in about]
    done = [
        m.group()
        for s in rest
        for m in _COURSE_DONE.finditer(s)
        if not _NEGATED.search(s[: m.start()])
    ]
    if bool(done) == bool(not_done):
        return None  # neither, or both: unsure
    if done:
        return ("completed", None, None, tuple(w.strip() for w in done))
    return ("not_completed", None, None, tuple(w.strip() for w in not_done))


def _court(sentences: list[str], kind: str | None) -> _Found | None:
    def hits(pattern: re.Pattern[str]) -> list[tuple[str, str]]:
        found = []
        for s in sentences:
            for m in pattern.finditer(s):
                if _NEGATED.search(s[: m.start()]):
                    raise _Unsure
                found.append((s, m.group()))
        return found

    try:
        withdrawn, adjourned, result = hits(_WITHDRAWN), hits(_ADJOURNED), hits(_RESULT)
    except _Unsure:
        return None
    if withdrawn:
        if adjourned or result:
            return None  # part withdrawn, part tried or put off: a clerk reads it
        return ("withdrawn", None, None, tuple(w for _, w in withdrawn))
    if adjourned:
        # "Convicted; adjourned for sentence to ..." is not concluded yet.
        return ("adjourned", None, _next_hearing(adjourned), tuple(w for _, w in adjourned))
    if result:
        done = "concluded" if kind == "court_case" else "result_recorded"
        return (done, _outcome(result), None, tuple(w for _, w in result))
    return None


class _Unsure(Exception):
    """A court's word is negated: nothing is proposed."""


def _next_hearing(adjourned: list[tuple[str, str]]) -> date | None:
    """The one full date given after "adjourned to", "next hearing"...; None when there
    is none or several disagree."""
    dates: set[date] = set()
    for sentence, _ in adjourned:
        cue = _NEXT_HEARING.search(sentence)
        if cue is None:
            continue
        _, mentioned = find_dates(sentence[cue.end() :], "own", None)
        dates.update(d.value for d in mentioned if d.value is not None and d.year is not None)
    return dates.pop() if len(dates) == 1 else None


def _outcome(result: list[tuple[str, str]]) -> str:
    """The court's own sentences of the result, in order, without repeats, bounded."""
    sentences = list(dict.fromkeys(_LABEL.sub("", s).strip() for s, _ in result))
    joined = " ".join(s for s in sentences if s)
    return joined if len(joined) <= _OUTCOME_CHARS else joined[: _OUTCOME_CHARS - 1] + "…"
