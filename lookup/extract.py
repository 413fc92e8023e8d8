"""Identifiers in the free text of an enquiry, each with the part of the message it came from.

`extract` splits the body (`lookup.text_parts`), then in each part finds, in this order:
email addresses and web links, phone numbers, dates, record references, postcodes,
vehicle registration marks and names. Each thing found is masked out of the text before
the next search, so a phone number or a date can never be read as a reference and a
reference never as a registration mark.

Bounds: only the first `SCAN_LIMIT` characters of each part are searched, every regular
expression has bounded repeats, and at most `MAX_PER_TYPE` items of each type are kept,
the writer's own text first. A megabyte of junk extracts in milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from lookup.diminutives import forename_variants
from lookup.extract_dates import DateOfBirth, MentionedDate, date_spans, find_dates
from lookup.extract_names import NameMention, find_names
from lookup.keys import email_key, fold_key, postcode_key, reference_key
from lookup.plates import PlateMention, find_plates
from lookup.text_parts import MessageParts, Source, split_message

__all__ = [
    "BODY_LIMIT",
    "MAX_PER_TYPE",
    "SCAN_LIMIT",
    "DateOfBirth",
    "EmailMention",
    "Extracted",
    "MentionedDate",
    "NameMention",
    "PhoneMention",
    "PlateMention",
    "PostcodeMention",
    "ReferenceMention",
    "extract",
    "fold_reference",
    "forename_variants",
]

# Characters of the body that are split into parts, and of each part that are searched.
# Enquiries are a few hundred characters and long threads a few thousand; the limits keep a
# pathological body (a pasted log, a megabyte of junk) to a few tens of milliseconds.
BODY_LIMIT = 100_000
SCAN_LIMIT = 20_000

# Items of each type kept per enquiry.
MAX_PER_TYPE = 20

# Web links and email addresses: masked first, since both hold digit runs. The lookbehind
# stops a match from being tried at every character inside a long word.
_URL = re.compile(r"(?<![0-9A-Za-z])(?:https?://|www\.)[^\s<>\"]{1,2000}", re.IGNORECASE)
_EMAIL = re.compile(
    r"(?<![0-9A-Za-z._%+\-])[0-9A-Za-z._%+\-]{1,64}@[0-9A-Za-z\-]{1,63}(?:\.[0-9A-Za-z\-]{1,63}){1,8}"
)

# UK phone numbers: 0 or +44, then nine or ten more digits in any grouping. Found before
# references so that "07700 900694" is never read as an eleven-digit reference.
_PHONE = re.compile(
    r"(?<![0-9A-Za-z+])(?:\+44[ \-]?(?:\(0\)[ \-]?)?|\(?0)(?:[0-9][ \-)]{0,2}){8,10}[0-9](?![0-9])"
)

# A run of letters and digits: the pieces references are written in.
_TOKEN = re.compile(r"[0-9A-Za-z]+")

# What may separate the pieces of one reference ("SR-26-17", "42 91 91", "424/295/500/9").
_REFERENCE_GAP = re.compile(r"[ \t]{1,2}|[ \t]?[\-/–][ \t]?|\.")

# The most pieces one run of joined tokens is allowed before it is cut, so that a wall of
# digit groups costs no more than many short runs (a reference has at most 8 pieces).
_MAX_RUN = 64

# Letters-only pieces a reference may start with when written apart ("DA 70 33 34 11").
# "RT/C2/32/..." and "CI/CA..." split a prefix across pieces.
_REFERENCE_PREFIXES = frozenset({"SR", "DA", "P", "RT", "RTC", "CI", "CICA"})

# Record kinds by the shape of their folded reference (records import contract).
_KIND_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(shape))
    for kind, shape in (
        ("fpn", r"[0-9]{10}"),
        ("cofp", r"5R[0-9]{9}"),
        ("pnd", r"P[0-9]{9}"),
        ("course_offer", r"DA[0-9]{8}"),
        ("collision", r"RTC[0-9]{8}"),
        ("cica_claim", r"C1CA[0-9]{8}"),
        ("summons", r"[0-9]{2}[0-9A-Z]{2}[0-9]{7}"),
        ("postal_requisition", r"[0-9]{2}[0-9A-Z]{2}[0-9]{7}"),
        ("court_case", r"[0-9]{2}[0-9A-Z]{2}[0-9]{7}"),
        ("hort1", r"[0-9]{11}"),
        ("vdrs", r"[0-9]{11}"),
        ("community_resolution", r"[0-9]{11}"),
        ("conditional_caution", r"[0-9]{11}"),
    )
)

# Any of the shapes above, in one pattern for the hot loop of reference windows.
_ANY_KIND_SHAPE = re.compile("|".join(f"(?:{shape.pattern})" for _, shape in _KIND_SHAPES))

# A UK postcode: outward code A9, A99, AA9, AA99, A9A or AA9A, then the inward 9AA.
_POSTCODE = re.compile(
    r"(?<![0-9A-Za-z])[A-Za-z]{1,2}[0-9][0-9A-Za-z]?[ \t]?[0-9][A-Za-z]{2}(?![0-9A-Za-z])"
)

# Words that say a postcode or address follows; they win a postcode-or-mark tie.
_POSTCODE_CUE = re.compile(r"\b(?:post[ \t]?code|address|postal)\b", re.IGNORECASE)

# Words that say a vehicle mark follows; they win the tie when nearer than a postal cue.
_VEHICLE_CUE = re.compile(r"\b(?:car|vehicle|reg|registration|plates?|vrm)\b", re.IGNORECASE)

_CUE_REACH = 40


@dataclass(frozen=True, slots=True)
class ReferenceMention:
    """A record reference as written, its key and OCR-folded key, and the kinds it fits."""

    text: str
    key: str  # reference_key of the text
    folded: str  # fold_reference of the key
    kinds: tuple[str, ...]  # record kinds whose format the folded key fits; may be ()
    source: Source


@dataclass(frozen=True, slots=True)
class PostcodeMention:
    text: str
    key: str  # postcode_key
    source: Source


@dataclass(frozen=True, slots=True)
class EmailMention:
    text: str
    key: str  # email_key
    source: Source


@dataclass(frozen=True, slots=True)
class PhoneMention:
    text: str
    digits: str  # national form, "07700900694"
    source: Source


@dataclass(frozen=True, slots=True)
class Extracted:
    """Everything found in one enquiry; each tuple is in order, own text first."""

    parts: MessageParts
    references: tuple[ReferenceMention, ...]
    plates: tuple[PlateMention, ...]
    dates_of_birth: tuple[DateOfBirth, ...]
    dates: tuple[MentionedDate, ...]
    postcodes: tuple[PostcodeMention, ...]
    names: tuple[NameMention, ...]
    emails: tuple[EmailMention, ...]
    phones: tuple[PhoneMention, ...]

    @property
    def own_references(self) -> tuple[ReferenceMention, ...]:
        """References the writer typed in this message (not quoted, not in a signature)."""
        return tuple(r for r in self.references if r.source == "own")


@dataclass(slots=True)
class _Found:
    """What one part of the message holds."""

    references: list[ReferenceMention]
    plates: list[PlateMention]
    births: list[DateOfBirth]
    dates: list[MentionedDate]
    postcodes: list[PostcodeMention]
    names: list[NameMention]
    emails: list[EmailMention]
    phones: list[PhoneMention]


def fold_reference(key: str) -> str:
    """A reference key with OCR look-alikes (O, I, L, S, B, Z) mapped to digits."""
    return fold_key(key)


def extract(text: str, *, today: date | None = None) -> Extracted:
    """Identifiers in an enquiry body; `today` resolves dates written without a year."""
    parts = split_message(text[:BODY_LIMIT])
    sections: tuple[tuple[Source, str], ...] = (
        ("own", parts.own),
        ("signature", parts.signature),
        ("quoted", parts.quoted),
    )
    found = [_scan(part[:SCAN_LIMIT], source, today) for source, part in sections]
    return Extracted(
        parts=parts,
        references=_keep((f.references for f in found), lambda r: r.key),
        plates=_keep((f.plates for f in found), lambda p: p.key),
        dates_of_birth=_keep((f.births for f in found), lambda d: d.value),
        dates=_keep((f.dates for f in found), lambda d: (d.day, d.month, d.year)),
        postcodes=_keep((f.postcodes for f in found), lambda p: p.key),
        names=_keep((f.names for f in found), _name_identity),
        emails=_keep((f.emails for f in found), lambda e: e.key),
        phones=_keep((f.phones for f in found), lambda p: p.digits),
    )


_T = TypeVar("_T")


def _keep(groups: Iterable[Sequence[_T]], identity: Callable[[_T], object]) -> tuple[_T, ...]:
    """The first `MAX_PER_TYPE` distinct items, in part order (own first)."""
    seen: set[object] = set()
    kept: list[_T] = []
    for group in groups:
        for item in group:
            ident = identity(item)
            if ident in seen:
                continue
            seen.add(ident)
            kept.append(item)
            if len(kept) == MAX_PER_TYPE:
                return tuple(kept)
    return tuple(kept)


def _name_identity(name: NameMention) -> object:
    return (name.surname_key, name.forenames, name.initials, name.title)


def _scan(text: str, source: Source, today: date | None) -> _Found:
    """Find everything in one part, masking each kind of thing before the next search."""
    if not text.strip():
        return _Found([], [], [], [], [], [], [], [])
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)]
    masked = _mask(text, urls)
    emails = [m for m in _EMAIL.finditer(masked) if _plausible_email(m.group(0))]
    masked = _mask(masked, [(m.start(), m.end()) for m in emails])
    phone_matches = list(_PHONE.finditer(masked))
    phones = [p for p in (_phone(m, source) for m in phone_matches) if p is not None]
    # Every phone-shaped run is masked, valid or not: none is a reference (none starts 0).
    masked = _mask(masked, [(m.start(), m.end()) for m in phone_matches])
    births, dates = find_dates(masked, source, today)
    masked = _mask(masked, [(s.start, s.end) for s in date_spans(masked)])
    references, spans = _references(masked, source)
    masked = _mask(masked, spans)
    postcodes, plates = _postcodes_and_plates(masked, source)
    return _Found(
        references=references,
        plates=plates,
        births=births,
        dates=dates,
        postcodes=postcodes,
        names=find_names(text, source, signature=source == "signature"),
        emails=[EmailMention(m.group(0), email_key(m.group(0)), source) for m in emails],
        phones=phones,
    )


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with each span overwritten by "#", keeping every other offset."""
    if not spans:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in sorted(spans):
        start = max(start, last)
        if end <= start:
            continue
        pieces += [text[last:start], "#" * (end - start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _plausible_email(address: str) -> bool:
    """An address whose domain ends in a letters-only top-level domain."""
    return address.rsplit(".", 1)[-1].isalpha()


def _phone(match: re.Match[str], source: Source) -> PhoneMention | None:
    """A phone mention if the digits make a UK national number of 10 or 11 digits."""
    written = match.group(0)
    digits = "".join(ch for ch in written if ch.isdigit())
    if written.startswith("+44"):
        rest = digits[2:]
        digits = rest if "(0)" in written else "0" + rest
    if len(digits) not in (10, 11) or not digits.startswith("0"):
        return None
    return PhoneMention(written, digits, source)


def _references(
    masked: str, source: Source
) -> tuple[list[ReferenceMention], list[tuple[int, int]]]:
    """References in `masked` text and the spans they take."""
    tokens = [m for m in _TOKEN.finditer(masked) if len(m.group(0)) <= 13]
    found: list[ReferenceMention] = []
    spans: list[tuple[int, int]] = []
    for run in _runs(masked, tokens):
        if len(found) >= MAX_PER_TYPE:
            break
        for start, end in _choose_windows(run):
            written = masked[run[start].start() : run[end].end()]
            key = reference_key(written)
            folded = fold_reference(key)
            kinds = tuple(kind for kind, shape in _KIND_SHAPES if shape.fullmatch(folded))
            found.append(ReferenceMention(written, key, folded, kinds, source))
            spans.append((run[start].start(), run[end].end()))
    return found, spans


def _runs(text: str, tokens: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Tokens grouped into runs joined by reference separators, digit runs only."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for token in tokens:
        joined = current and _REFERENCE_GAP.fullmatch(text, current[-1].end(), token.start())
        if current and (not joined or len(current) == _MAX_RUN):
            runs.append(current)
            current = []
        current.append(token)
    runs.append(current)
    return [run for run in runs if any(ch.isdigit() for t in run for ch in t.group(0))]


def _choose_windows(run: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Non-overlapping token windows of `run` that read as references, best first."""
    windows = [w for start in range(len(run)) for w in _windows_from(run, start)]
    # A window in a record format beats a longer one that is not; then longer wins.
    windows.sort(key=lambda w: (-w[2], -(w[1] - w[0]), w[0]))
    used = [False] * len(run)
    taken: list[tuple[int, int]] = []
    for start, end, _ in windows:
        if not any(used[start : end + 1]):
            used[start : end + 1] = [True] * (end + 1 - start)
            taken.append((start, end))
    return sorted(taken)


def _windows_from(run: list[re.Match[str]], start: int) -> list[tuple[int, int, int]]:
    """(start, end, fits a kind) for each reference-shaped window beginning at `start`."""
    first = run[start].group(0)
    if first.isalpha() and first.upper() not in _REFERENCE_PREFIXES:
        return []
    windows: list[tuple[int, int, int]] = []
    joined = ""
    for end in range(start, min(len(run), start + 8)):
        piece = run[end].group(0).upper()
        # Letters inside a reference: only a court reference's two ("42 AF 63 59 92 6").
        if (
            end > start
            and piece.isalpha()
            and not (len(piece) <= 2 and joined.isdigit() and len(joined) <= 3)
        ):
            break
        joined += piece
        if len(joined) > 13:
            break
        if not piece.isalpha() and _reference_shaped(joined):
            fits = _ANY_KIND_SHAPE.fullmatch(fold_reference(joined)) is not None
            windows.append((start, end, int(fits)))
    return windows


def _reference_shaped(key: str) -> bool:
    """8 to 13 letters and digits with at least six digits: no word, date or mark is."""
    return 8 <= len(key) <= 13 and sum(ch.isdigit() for ch in key) >= 6


def _postcodes_and_plates(
    masked: str, source: Source
) -> tuple[list[PostcodeMention], list[PlateMention]]:
    """Postcodes and marks; where one string could be either, the nearer cue decides."""
    postcodes = [(m.start(), m.end(), m.group(0)) for m in _POSTCODE.finditer(masked)]
    plates = find_plates(masked, source)
    kept_codes: list[PostcodeMention] = []
    for start, end, written in postcodes:
        rivals = [p for p in plates if p.start < end and start < p.end]
        if rivals and _is_plate_not_postcode(masked, start):
            continue
        plates = [p for p in plates if p not in rivals]
        kept_codes.append(PostcodeMention(written, postcode_key(written), source))
    return kept_codes, plates


def _is_plate_not_postcode(text: str, start: int) -> bool:
    """Whether the words before `start` name a vehicle rather than an address."""
    before = text[max(0, start - _CUE_REACH) : start]
    vehicle = [m.start() for m in _VEHICLE_CUE.finditer(before)]
    postal = [m.start() for m in _POSTCODE_CUE.finditer(before)]
    return bool(vehicle) and (not postal or max(postal) < max(vehicle))
