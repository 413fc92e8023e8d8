"""The identifiers an enquiry offers, in the shape the matcher compares.

`extract` finds them in text; this module says which of them count and how they are
looked up, so blocking (which records to fetch) and scoring (how well each agrees) work
from one description of the enquiry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lookup.keys import (
    BLOCK,
    blocks_miss,
    fold_key,
    head_block_keys,
    name_code,
    reference_blocks,
)
from lookup.third_party import ThirdParty


@dataclass(frozen=True, slots=True)
class ReferenceSeen:
    key: str
    fold: str
    quoted: bool  # only in quoted earlier mail: someone else's, perhaps


@dataclass(frozen=True, slots=True)
class NameSeen:
    surname_key: str  # "" when only a forename was given ("Thanks, Ben")
    forename_keys: frozenset[str] = frozenset()  # every variant of each forename given
    initials: frozenset[str] = frozenset()
    # The forenames as written (name keys, in order), which must agree with the record's.
    forenames: tuple[str, ...] = ()
    # Given as the writer's own name ("my name is", the sign-off), not a name they
    # mention: only the writer's own name can contradict the record.
    own: bool = False


@dataclass(frozen=True, slots=True)
class Evidence:
    references: tuple[ReferenceSeen, ...] = ()
    plates: tuple[str, ...] = ()  # plate keys as written
    names: tuple[NameSeen, ...] = ()
    dobs: tuple[date, ...] = ()
    postcodes: tuple[str, ...] = ()
    # The sender's address (email_key form), only when the force's own mail server
    # says the From domain passed DMARC: an unauthenticated From line proves nothing.
    sender: str | None = None
    kinds: frozenset[str] = frozenset()  # kinds the wording points to (tie-breaker only)
    # Other dates mentioned ("dated 17/10/2026", "from 29 September"): (day, month, year).
    dates: tuple[tuple[int, int, int | None], ...] = ()
    # The writer says they write for or about someone else: never verified.
    third_party: ThirdParty | None = None

    @property
    def own_references(self) -> tuple[ReferenceSeen, ...]:
        return tuple(r for r in self.references if not r.quoted)


@dataclass(frozen=True, slots=True)
class BlockingKeys:
    """Indexed keys to fetch candidate records by; never a scan of every record."""

    ref_folds: frozenset[str] = frozenset()
    # (head, prefix, end) for each written reference: see `lookup.keys.head_block_keys`.
    ref_heads: frozenset[tuple[str, str, str]] = frozenset()
    ref_tails: frozenset[str] = frozenset()
    vrm_folds: frozenset[str] = frozenset()
    surname_dobs: frozenset[tuple[str, date]] = frozenset()
    dobs: frozenset[date] = frozenset()
    postcodes: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    surnames: frozenset[str] = frozenset()  # whose frequency the scoring needs
    # Phonetic codes of every name word given (`lookup.keys.name_code`), each looked up
    # as a record's surname code and as its forename code (a swap, a missing surname),
    # with the dates of birth given and their near forms (`near_dates`).
    name_codes: frozenset[str] = frozenset()
    near_dobs: frozenset[date] = frozenset()
    # (surname code, forename code) of each name, also read the other way round: looked
    # up whatever the date of birth (wrong beyond its near forms, or not given), capped.
    name_pairs: frozenset[tuple[str, str]] = frozenset()
    # The folded references the block look-ups are checked against (one edit away).
    near: frozenset[str] = field(default_factory=frozenset)


def blocking_keys(evidence: Evidence, *, wide: bool = False) -> BlockingKeys:
    """The keys to fetch candidates by. The name codes go with the dates of birth given
    and the slips that keep every digit (`close_dates`); `wide` adds the rest of the near
    forms (`near_dates`) and both names' codes with any date of birth, for a second look
    when the first names no one: some seventy dates a question are what make a slow one.
    """
    folds = {r.fold for r in evidence.references}
    heads, tails, exact = set(), set(), set(folds)
    for fold in folds:
        swaps = {_swap(fold, i) for i in range(len(fold) - 1)}
        if len(fold) >= 2 * BLOCK - 1:
            head, tail = reference_blocks(fold)
            heads.add((head, *head_block_keys(fold)))
            tails.add(tail)
            # A swap the blocks cannot reach is undone by an exact look-up instead.
            exact |= {swapped for swapped in swaps if blocks_miss(fold, swapped)}
        else:  # too short for blocks: every swap is looked up exactly
            exact |= swaps
    return BlockingKeys(
        ref_folds=frozenset(exact),
        ref_heads=frozenset(heads),
        ref_tails=frozenset(tails),
        vrm_folds=frozenset(fold_key(p) for p in evidence.plates),
        surname_dobs=frozenset(
            (name.surname_key, dob) for name in evidence.names for dob in evidence.dobs
        ),
        dobs=frozenset(evidence.dobs),
        postcodes=frozenset(evidence.postcodes),
        emails=frozenset({evidence.sender} if evidence.sender else ()),
        # Every name word, as officers' names are also read the other way round.
        surnames=frozenset(
            word for name in evidence.names for word in (name.surname_key, *name.forenames) if word
        ),
        name_codes=frozenset(
            code
            for name in evidence.names
            for word in (name.surname_key, *name.forenames)
            if (code := name_code(word))
        ),
        near_dobs=frozenset(
            near for dob in evidence.dobs for near in (near_dates if wide else close_dates)(dob)
        ),
        name_pairs=frozenset(_name_pairs(evidence.names)) if wide else frozenset(),
        near=frozenset(folds),
    )


def _name_pairs(names: tuple[NameSeen, ...]) -> set[tuple[str, str]]:
    pairs = set()
    for name in names:
        words = [w for w in (name.surname_key, *name.forenames[:1]) if w]
        if len(words) == 2:
            surname, forename = name_code(words[0]), name_code(words[1])
            pairs |= {(surname, forename), (forename, surname)}
        if name.surname_key and len(name.forenames) >= 2:
            # "isobel van wijk": the last two words may be one surname ("vanwijk"), whose
            # code is not the last word's; with no date of birth nothing else reaches it.
            joined = name_code(name.forenames[-1] + name.surname_key)
            pairs.add((joined, name_code(name.forenames[0])))
    return pairs


def close_dates(dob: date) -> frozenset[date]:
    """The date, with day and month swapped, and in the other century (a two-digit year):
    the slips that keep every digit."""
    digits = dob.strftime("%Y%m%d")
    found = {dob}
    for other in (
        _date(f"{digits[:4]}{digits[6:8]}{digits[4:6]}"),
        _date(f"{dob.year + 100:04d}{digits[4:]}"),
        _date(f"{dob.year - 100:04d}{digits[4:]}"),
    ):
        if other is not None:
            found.add(other)
    return frozenset(found)


def near_dates(dob: date) -> frozenset[date]:
    """The date and the dates a slip of writing makes of it: day and month swapped, one
    digit wrong, two neighbouring digits swapped, the other century of a two-digit year.
    Only real dates are kept (at most some seventy)."""
    digits = dob.strftime("%Y%m%d")
    texts = {digits}
    for i in range(8):
        texts.update(digits[:i] + d + digits[i + 1 :] for d in "0123456789")
        if i < 7:
            texts.add(_swap(digits, i))
    return close_dates(dob) | {d for text in texts if (d := _date(text)) is not None}


def _date(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _swap(text: str, i: int) -> str:
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
