"""Comparing one enquiry's evidence with one candidate record.

Each identifier is compared at a level (exact, look-alike characters, one edit, close,
differs), in the manner of record-linkage comparison levels. Levels carry weights: a
reference or a sender address on file says far more than a common surname, and a
surname says more the rarer it is. Only exact agreements of independent identifiers
count towards verification, each as personal or public (contracts.md, section 2, applied
in `lookup.verify`); a contradiction (another date of birth, another forename, another
surname given as the writer's own, a third party) rules verification out, so a father is
never verified for his son's record however much else (surname, address, car) they share.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from lookup.diminutives import forenames_agree
from lookup.evidence import Evidence, NameSeen
from lookup.keys import fold_key, name_code, name_key
from lookup.records import RecordView
from lookup.verify import Block, Identifier, Verification, verification

# Weight of a hint that tells one person's records apart; equal to the decision margin.
TIE_BREAK = 3.0


@dataclass(frozen=True, slots=True)
class Comparison:
    """How one record fares against an enquiry."""

    record: RecordView
    weight: float
    agreeing: tuple[Identifier, ...]  # identifiers that agree (verification counts these)
    blocks: tuple[Block, ...]  # what rules verification out, whatever agrees
    reasons: tuple[str, ...]
    named: bool = False  # the writer's own text gives this record's reference exactly

    @property
    def contradicted(self) -> bool:
        return bool(self.blocks)

    @property
    def verification(self) -> Verification:
        return verification(self.agreeing, self.blocks)


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
    evidence: Evidence,
    record: RecordView,
    surname_frequency: dict[str, int],
    *,
    officer: bool = False,
) -> Comparison:
    """`officer`: an authorised officer in chat, for whom names and dates of birth are
    compared at finer levels (`officer_names`, `officer_dob`). They change weights and
    reasons only, never which identifiers agree or what blocks: the public's verification
    is the same whoever asks."""
    weight = 0.0
    agreeing: list[Identifier] = []
    blocks: list[Block] = []
    reasons: list[str] = []

    ref_weight, ref_reason, ref_counts = _reference(evidence, record)
    if ref_reason:
        weight += ref_weight
        reasons.append(ref_reason)
        if ref_counts is not None:
            agreeing.append(ref_counts)

    # `evidence.sender` is set only for mail whose From domain passed DMARC at a trusted
    # server (see `Evidence`): a forged From line never reaches this comparison.
    if record.email_key and evidence.sender == record.email_key:
        weight += 5.0
        agreeing.append(Identifier.SENDER_ADDRESS)
        reasons.append("sender address on file (authenticated)")

    if record.vrm_key and evidence.plates:
        plate_weight, plate_reason, exact = _plate(evidence.plates, record)
        weight += plate_weight
        reasons.append(plate_reason)
        if exact:
            agreeing.append(Identifier.VEHICLE)

    if evidence.names:
        names = _names(evidence, record, surname_frequency)
        agreeing.extend(names.agreeing)
        blocks.extend(names.blocks)
        if officer:
            name_weight, name_reasons = officer_names(evidence.names, record, surname_frequency)
            weight += name_weight
            reasons.extend(name_reasons)
        else:
            weight += names.weight
            reasons.extend(names.reasons)

    if officer and record.dob and evidence.dobs:
        dob_weight, dob_reason = officer_dob(evidence.dobs, record.dob)
        weight += dob_weight
        reasons.append(dob_reason)
        if dob_weight == DOB_EXACT:
            agreeing.append(Identifier.DATE_OF_BIRTH)
        else:
            blocks.append(Block.DATE_OF_BIRTH_DIFFERS)
    elif record.dob and evidence.dobs:
        if record.dob in evidence.dobs:
            weight += 4.0
            agreeing.append(Identifier.DATE_OF_BIRTH)
            reasons.append("date of birth agrees")
        else:
            # A date of birth one digit off is a relative's as often as a typo (1965
            # against 1995): it points the way a little, but it blocks verification.
            close = any(_dates_close(record.dob, d) for d in evidence.dobs)
            weight += -1.0 if close else -6.0
            blocks.append(Block.DATE_OF_BIRTH_DIFFERS)
            reasons.append(
                "date of birth differs (within a transposition)"
                if close
                else "date of birth differs"
            )

    if record.postcode_key and evidence.postcodes:
        if record.postcode_key in evidence.postcodes:
            weight += 3.0
            agreeing.append(Identifier.POSTCODE)
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

    if evidence.third_party is not None:
        blocks.append(Block.THIRD_PARTY)

    named = ref_counts is Identifier.REFERENCE
    return Comparison(
        record, weight, tuple(agreeing), tuple(dict.fromkeys(blocks)), tuple(reasons), named
    )


# Officers' comparison levels for names and dates of birth, in the manner of
# Fellegi-Sunter (and Splink): each level's weight is log2(m/u), how much more often the
# level is seen between a record and a question about it (m) than between a record and
# a question about someone else (u), on the decision's scale (`_SCALE`: an exact date of
# birth is 4.0, as for the public). m and u were counted on FEBRL 1-3 (development data;
# the fourth set is kept apart): m over each original and its duplicates, u over 300,000
# random pairs of originals (see bench/name_dob.py). Their log2(m/u) are in the comments.
# An exact surname's u is its frequency instead (`officer_surname_weight`). Day and month
# swapped and the other century do not occur in FEBRL; theirs are set by hand.
_SCALE = 4.0 / 12.43
DOB_EXACT = 4.0  # m 0.898, u 0.00016: 12.43
_DOB_LEVELS = (
    ("date of birth with day and month swapped", 2.5),
    ("date of birth in the other century (two-digit year)", 2.5),
    ("date of birth one digit or two neighbours off", 1.0),  # m 0.008, u 0.0009: 3.08
)
_DOB_DIFFERS = -1.45  # m 0.043, u 0.96: -4.49
_SURNAME_PART = 2.05  # m 0.016, u 0.0002: 6.40
# m 0.160, u 0.0009: 7.41 among FEBRL's names, but a Soundex code is shared far more
# among a million records with the common names (Tomson, Thomson, Thompson...), where
# FEBRL 1-3 at that size put it right only 52 times in 60 with a forename that differs.
_SURNAME_NEAR = 2.1
_SURNAME_DIFFERS = -0.95  # m 0.129, u 0.97: -2.91
_FORENAME_AGREES = 2.35  # m 0.682, u 0.0044: 7.28
_FORENAME_NEAR = 1.6  # m 0.121, u 0.0038: 4.99
_FORENAME_DIFFERS = -0.85  # m 0.155, u 0.94: -2.60
_FORENAME_MIDDLE, _INITIAL = 1.0, 0.5  # not in FEBRL: by hand
# The population an exact surname's frequency is taken against: u = frequency / this.
_POPULATION = 1_000_000
_SURNAME_MOST = 6.0
_COMMON = 1000  # storage.record_lookup.FREQUENCY_CAP


def officer_surname_weight(frequency: int) -> float:
    """log2(m/u) of an exact surname with u its frequency in a million records, scaled:
    one in a million is 6.2 (capped at `_SURNAME_MOST`), a hundred 3.9, and from a
    thousand (where counting stops) as low as a common name's."""
    if frequency >= _COMMON:  # counted no further (storage's cap): as common as any
        return 1.5
    bits = math.log2(0.67 * _POPULATION / max(frequency, 1))
    return max(1.5, min(_SURNAME_MOST, bits * _SCALE))


def officer_dob(given: tuple[date, ...], dob: date) -> tuple[float, str]:
    """The best level at which any date of birth given fits the record's."""
    if dob in given:
        return DOB_EXACT, "date of birth agrees"
    best: tuple[float, str] = (_DOB_DIFFERS, "date of birth differs")
    for said in given:
        swapped = (said.year, said.month, said.day) == (dob.year, dob.day, dob.month)
        century = (said.month, said.day) == (dob.month, dob.day) and abs(
            said.year - dob.year
        ) == 100
        near = OSA.distance(said.strftime("%Y%m%d"), dob.strftime("%Y%m%d"), score_cutoff=1) <= 1
        for (reason, level), fits in zip(_DOB_LEVELS, (swapped, century, near), strict=True):
            if fits and level > best[0]:
                best = (level, reason)
    return best


def officer_names(
    names: tuple[NameSeen, ...], record: RecordView, frequency: dict[str, int]
) -> tuple[float, tuple[str, ...]]:
    """The best fit of any name given, read as written and with forename and surname
    swapped: the surname's level and the first forename's level, added."""
    surname = record.surname_key or ""
    forenames = [key for key in (name_key(p) for p in (record.forenames or "").split()) if key]
    best: tuple[float, tuple[str, ...]] | None = None
    for name in names:
        given_forenames = list(name.forenames)
        readings: list[tuple[str, list[str], str]] = []
        if name.surname_key:
            readings.append((name.surname_key, given_forenames, ""))
            if given_forenames:
                swapped = [name.surname_key, *given_forenames[1:]]
                readings.append((given_forenames[0], swapped, " (forename and surname swapped)"))
        elif len(given_forenames) == 1:
            # One word: a surname with no forename, or a forename with no surname.
            readings.append((given_forenames[0], [], ""))
            readings.append(("", given_forenames, ""))
        for given_surname, given_first, note in readings:
            s_weight, s_reason = _surname_level(given_surname, surname, frequency)
            f_weight, f_reason = _forename_level_officer(given_first, name, forenames, note)
            total = s_weight + f_weight
            reasons = tuple(r for r in (s_reason, f_reason) if r)
            if note and reasons:
                reasons = (*reasons[:-1], reasons[-1] + note)
            if best is None or total > best[0]:
                best = (total, reasons)
    return best if best is not None else (0.0, ())


def _surname_level(given: str, surname: str, frequency: dict[str, int]) -> tuple[float, str]:
    if not given or not surname:
        return 0.0, ""
    if given == surname:
        return officer_surname_weight(frequency.get(surname, 1)), "surname agrees"
    short, long = sorted((given, surname), key=len)
    if (
        len(short) >= 3
        and len(long) > len(short)
        and (long.startswith(short) or long.endswith(short))
    ):
        return _SURNAME_PART, "surname agrees with part of a double surname"
    if _near(given, surname):
        return _SURNAME_NEAR, "surname spelt differently (one edit, alike or sounds alike)"
    return _SURNAME_DIFFERS, "surname differs"


def _forename_level_officer(
    given: list[str], name: NameSeen, forenames: list[str], note: str
) -> tuple[float, str]:
    if not forenames:
        return 0.0, ""
    if not given:
        if not note and name.initials and not name.forenames:
            if forenames[0][0] in name.initials:
                return _INITIAL, "initial agrees"
            return _FORENAME_DIFFERS / 2, "initial differs"
        return 0.0, ""
    first = given[0]
    if forenames_agree(first, forenames[0]):
        return _FORENAME_AGREES, "forename agrees"
    if len(first) > 1 and _near(first, forenames[0]):
        return _FORENAME_NEAR, "forename spelt differently"
    if any(forenames_agree(g, kept) for g in given for kept in forenames[1:]):
        return _FORENAME_MIDDLE, "forename agrees with a middle name"
    if len(first) == 1:
        return (
            (_INITIAL, "initial agrees") if forenames[0][0] == first else (-1.0, "initial differs")
        )
    return _FORENAME_DIFFERS, "forename differs"


def _near(a: str, b: str) -> bool:
    """One edit, close by Jaro-Winkler, or the same phonetic code."""
    if min(len(a), len(b)) < 3:
        return False
    return (
        within_one_edit(a, b) or JaroWinkler.similarity(a, b) >= 0.9 or name_code(a) == name_code(b)
    )


def _reference(evidence: Evidence, record: RecordView) -> tuple[float, str, Identifier | None]:
    """Weight, reason and the identifier the best reference counts as (None: it does not)."""
    best: tuple[float, str, Identifier | None] = (0.0, "", None)
    for seen in evidence.references:
        level: tuple[float, str, Identifier | None]
        if seen.key == record.ref_key:
            level = (10.0, "reference exact", Identifier.REFERENCE)
        elif seen.fold == record.ref_fold:
            # Written with look-alikes (S for 5, O for 0): the writer may have read it off
            # someone else's letter as well as their own. Section 2 sets such slips aside,
            # but the labelled sample treats them as typos, and when in doubt the writer
            # is not verified: it is public, like a typo.
            level = (
                9.0,
                "reference exact but for look-alike characters",
                Identifier.REFERENCE_WITH_TYPO,
            )
        elif within_one_edit(seen.fold, record.ref_fold):
            # A typo'd reference is public (section 2): a made-up number one digit from
            # a real one would otherwise prove who the writer is.
            level = (6.0, "reference one edit", Identifier.REFERENCE_WITH_TYPO)
        else:
            continue
        if seen.quoted:
            # A reference quoted from an earlier message may be someone else's: it may
            # point the way, but it never verifies.
            level = (2.0, level[1] + " (only in quoted text)", None)
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


@dataclass(frozen=True, slots=True)
class _NameResult:
    weight: float
    reasons: tuple[str, ...]
    agreeing: tuple[Identifier, ...]
    blocks: tuple[Block, ...]


def _names(evidence: Evidence, record: RecordView, frequency: dict[str, int]) -> _NameResult:
    """How the names in the enquiry fare against the record's.

    A name is one identifier, the surname: a forename that agrees adds weight but is not a
    second identifier (sisters share a surname and guess each other's forename), and a
    forename alone ("Thanks, Abdul") identifies no one.
        The weight and reasons are those of the best-fitting name; agreements and blocks are
        gathered from every name: a sign-off "Jean Parker" blocks a record of Hunter even when
        the writer also names Mr Hunter.
    """
    surname = record.surname_key or ""
    forenames = [name_key(part) for part in (record.forenames or "").split()]
    best: tuple[float, tuple[str, ...]] | None = None
    agreeing: set[Identifier] = set()
    blocks: set[Block] = set()
    for name in evidence.names:
        found: list[str]
        if not name.surname_key:
            one = _one_word_name(name, surname, forenames, frequency)
            if one is None:
                continue
            if isinstance(one, Block):
                blocks.add(one)
                continue
            weight, reason, agrees = one
            if agrees:
                agreeing.add(Identifier.SURNAME)
            if best is None or weight > best[0]:
                best = (weight, (reason,))
            continue
        if surname and name.surname_key == surname:
            weight, found, surname_fits = surname_weight(frequency.get(surname, 1)), [], True
            found.append("surname agrees")
        elif surname and _swapped(name, surname, forenames):
            weight, found, surname_fits = 1.5, ["forename and surname swapped"], True
        elif (
            surname
            and len(surname) > 3
            and (
                within_one_edit(name.surname_key, surname)
                or JaroWinkler.similarity(name.surname_key, surname) >= 0.93
            )
        ):
            weight, found, surname_fits = 1.5, ["surname one edit"], True
        else:
            if name.own and surname:
                blocks.add(Block.SURNAME_DIFFERS)
            if best is None or best[0] < -1.0:
                best = (-1.0, ("surname differs",))
            continue
        level = _forename_level(name, forenames)
        if level == "agrees":
            weight += 1.0
            found.append("forename agrees")
        elif level == "initial":
            weight += 0.5
            found.append("initial agrees")
        elif level == "middle":
            found.append("forename agrees with a middle name only")
        elif level == "differs":
            weight -= 4.0
            found.append("forename differs")
            if surname_fits:
                blocks.add(Block.FORENAME_DIFFERS)
        if not found:
            continue
        if name.surname_key == surname and level != "differs":
            agreeing.add(Identifier.SURNAME)
        if best is None or weight > best[0]:
            best = (weight, tuple(found))
    if best is None:
        return _NameResult(0.0, (), (), tuple(blocks))
    return _NameResult(best[0], best[1], tuple(agreeing), tuple(b for b in Block if b in blocks))


def _one_word_name(
    name: NameSeen, surname: str, forenames: list[str], frequency: dict[str, int]
) -> tuple[float, str, bool] | Block | None:
    """A name of one word given as the writer's own: "My name is Navarro", "Thanks, Ben".

    It may be a surname or a forename; it agrees if it is either of the record's (a
    surname counts as the identifier, a forename only adds weight), is neutral if it is a
    middle name, and blocks otherwise: a writer calling themselves Liam is not William.
    Returns (weight, reason, surname agrees), a block, or None when it says nothing.
    """
    if not name.own or len(name.forenames) != 1:
        return None
    word = name.forenames[0]
    if surname and word == surname:
        return surname_weight(frequency.get(surname, 1)), "surname agrees", True
    if not forenames:
        return None
    if forenames_agree(word, forenames[0]):
        return 1.0, "forename agrees", False
    if any(forenames_agree(word, kept) for kept in forenames[1:]):
        return 0.0, "forename agrees with a middle name only", False
    return Block.NAME_DIFFERS


def _forename_level(name: NameSeen, forenames: list[str]) -> str:
    """ "agrees", "initial", "middle", "differs", or "" when nothing can be compared.

    Only the first forename given is compared with the record's first forename (true
    diminutives agree); one that fits a middle name is neither agreement nor contradiction,
    since people go by their middle names, and so do their children.
    """
    if not forenames or not (name.forenames or name.initials):
        return ""
    if name.forenames:
        first = name.forenames[0]
        if forenames_agree(first, forenames[0]):
            return "agrees"
        if any(forenames_agree(given, kept) for given in name.forenames for kept in forenames[1:]):
            return "middle"
        return "differs"
    if forenames[0][0] in name.initials:
        return "initial"
    return "differs"


def _swapped(name: NameSeen, surname: str, forenames: list[str]) -> bool:
    """ "SURNAME Forename" read the wrong way round."""
    return bool(forenames) and surname in name.forename_keys and name.surname_key in forenames


def _same_day(day: date, said: tuple[int, int, int | None]) -> bool:
    return (day.day, day.month) == said[:2] and said[2] in (None, day.year)


def _dates_close(a: date, b: date) -> bool:
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return True
    return OSA.distance(a.strftime("%Y%m%d"), b.strftime("%Y%m%d"), score_cutoff=1) <= 1
