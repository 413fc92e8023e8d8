"""Comparing one enquiry's evidence with one candidate record.

Each identifier is compared at a level (exact, look-alike characters, one edit, close,
differs), in the manner of record-linkage comparison levels. Levels carry weights: a
reference or a sender address on file says far more than a common surname, and a
surname says more the rarer it is. Only exact agreements of independent identifiers
count towards verification (contracts.md, section 2); a contradiction (another date of
birth, another forename) rules verification out, so a father is never verified for his
son's record however much else (surname, address, car) they share.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from lookup.evidence import Evidence, NameSeen
from lookup.keys import fold_key, name_key
from lookup.records import RecordView

# Weight of a hint that tells one person's records apart; equal to the decision margin.
TIE_BREAK = 3.0


@dataclass(frozen=True, slots=True)
class Comparison:
    """How one record fares against an enquiry."""

    record: RecordView
    weight: float
    agreeing: tuple[str, ...]  # identifiers that agree exactly (verification counts these)
    contradicted: bool
    reasons: tuple[str, ...]
    named: bool = False  # the writer's own text gives this record's reference exactly


def within_one_edit(a: str, b: str) -> bool:
    """One character wrong, dropped, added, or two neighbours swapped."""
    return OSA.distance(a, b, score_cutoff=1) <= 1


def one_edit_matches(targets: Iterable[str], choices: Sequence[str]) -> set[int]:
    """Positions in `choices` within one edit of any target (compared in C, not Python:
    a reference block can hold hundreds of choices)."""
    found: set[int] = set()
    for target in targets:
        found.update(
            index
            for _, _, index in process.extract(
                target, choices, scorer=OSA.distance, score_cutoff=1, limit=None
            )
        )
    return found


def surname_weight(frequency: int) -> float:
    """Rarer surnames count for more: a name shared by thousands of records says little."""
    return max(1.0, min(4.0, 4.5 - math.log10(max(frequency, 1))))


def compare(
    evidence: Evidence, record: RecordView, surname_frequency: dict[str, int]
) -> Comparison:
    weight = 0.0
    agreeing: list[str] = []
    reasons: list[str] = []
    contradicted = False

    ref_weight, ref_reason, ref_counts = _reference(evidence, record)
    if ref_reason:
        weight += ref_weight
        reasons.append(ref_reason)
        if ref_counts:
            agreeing.append("reference")

    if record.email_key and evidence.sender == record.email_key:
        weight += 5.0
        agreeing.append("email")
        reasons.append("sender address on file")

    if record.vrm_key and evidence.plates:
        plate_weight, plate_reason, exact = _plate(evidence.plates, record)
        weight += plate_weight
        reasons.append(plate_reason)
        if exact:
            agreeing.append("vrm")

    if record.surname_key and evidence.names:
        name_weight, name_reasons, exact, against = _names(evidence, record, surname_frequency)
        weight += name_weight
        reasons.extend(name_reasons)
        contradicted |= against
        if exact:
            agreeing.append("surname")

    if record.dob and evidence.dobs:
        if record.dob in evidence.dobs:
            weight += 4.0
            agreeing.append("dob")
            reasons.append("date of birth agrees")
        elif any(_dates_close(record.dob, d) for d in evidence.dobs):
            weight += 1.0
            reasons.append("date of birth within a transposition")
        else:
            weight -= 6.0
            contradicted = True
            reasons.append("date of birth differs")

    if record.postcode_key and evidence.postcodes:
        if record.postcode_key in evidence.postcodes:
            weight += 3.0
            agreeing.append("postcode")
            reasons.append("postcode agrees")
        elif any(within_one_edit(record.postcode_key, p) for p in evidence.postcodes):
            weight += 1.0
            reasons.append("postcode one edit")
        else:
            weight -= 2.0
            reasons.append("postcode differs")

    # Neither of these is an identifier (they never verify); they tell one person's
    # records apart, so each is worth a full decision margin.
    if record.kind in evidence.kinds:
        weight += TIE_BREAK
        reasons.append("kind as described")
    if record.offence_date and any(_same_day(record.offence_date, d) for d in evidence.dates):
        weight += TIE_BREAK
        reasons.append("offence date agrees")

    named = ref_reason.startswith("reference exact") and ref_counts
    return Comparison(record, weight, tuple(agreeing), contradicted, tuple(reasons), named)


def _reference(evidence: Evidence, record: RecordView) -> tuple[float, str, bool]:
    best: tuple[float, str, bool] = (0.0, "", False)
    for seen in evidence.references:
        if seen.key == record.ref_key:
            level = (10.0, "reference exact", True)
        elif seen.fold == record.ref_fold:
            level = (9.0, "reference exact but for look-alike characters", True)
        elif within_one_edit(seen.fold, record.ref_fold):
            # Counts as the reference (section 2) only because the decision also needs a
            # clear lead over every other record and no contradicting identifier.
            level = (6.0, "reference one edit", True)
        else:
            continue
        if seen.quoted:
            # A reference quoted from an earlier message may be someone else's: it may
            # point the way, but it never verifies.
            level = (2.0, level[1] + " (only in quoted text)", False)
        if level[0] > best[0]:
            best = level
    return best


def _plate(plates: tuple[str, ...], record: RecordView) -> tuple[float, str, bool]:
    assert record.vrm_key is not None
    assert record.vrm_fold is not None
    if record.vrm_key in plates:
        return 5.0, "plate exact", True
    if record.vrm_fold in {fold_key(p) for p in plates}:
        return 4.5, "plate exact but for look-alike characters", True
    if any(within_one_edit(fold_key(p), record.vrm_fold) for p in plates):
        return 2.5, "plate one edit", False
    return -1.0, "plate differs", False


def _names(
    evidence: Evidence, record: RecordView, frequency: dict[str, int]
) -> tuple[float, list[str], bool, bool]:
    """Weight, reasons, whether the surname agrees exactly, whether a forename contradicts."""
    surname = record.surname_key or ""
    forenames = [name_key(part) for part in (record.forenames or "").split()]
    best_weight, reasons, exact, against = -1.0, ["surname differs"], False, False
    for name in evidence.names:
        if name.surname_key == surname:
            weight, level, is_exact = (
                surname_weight(frequency.get(surname, 1)),
                "surname agrees",
                True,
            )
        elif _swapped(name, surname, forenames):
            weight, level, is_exact = 1.5, "forename and surname swapped", False
        elif len(surname) > 3 and (
            within_one_edit(name.surname_key, surname)
            or JaroWinkler.similarity(name.surname_key, surname) >= 0.93
        ):
            weight, level, is_exact = 1.5, "surname one edit", False
        else:
            continue
        found = [level]
        clash = False
        if name.forename_keys or name.initials:
            if name.forename_keys & set(forenames):
                weight += 1.0
                found.append("forename agrees")
            elif forenames and {f[0] for f in forenames} & name.initials:
                weight += 0.5
                found.append("initial agrees")
            elif forenames:
                weight -= 4.0
                clash = True
                found.append("forename differs")
        if weight > best_weight:
            best_weight, reasons, exact, against = weight, found, is_exact and not clash, clash
    return best_weight, reasons, exact, against


def _swapped(name: NameSeen, surname: str, forenames: list[str]) -> bool:
    """ "SURNAME Forename" read the wrong way round."""
    return bool(forenames) and surname in name.forename_keys and name.surname_key in forenames


def _same_day(day: date, said: tuple[int, int, int | None]) -> bool:
    return (day.day, day.month) == said[:2] and said[2] in (None, day.year)


def _dates_close(a: date, b: date) -> bool:
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return True
    return OSA.distance(a.strftime("%Y%m%d"), b.strftime("%Y%m%d"), score_cutoff=1) <= 1
