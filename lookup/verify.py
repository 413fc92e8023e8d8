"""The verification rule of contracts.md, section 2, in one pure function.

A member of the public may be told about a case only when the enquiry itself proves they
are its subject. Identifiers are of two sorts:

- personal, known to the subject and not to be read off a car, a door or an envelope: the
  record's reference written exactly in the writer's own words (spacing, case and
  separators aside), the date of birth exactly, and the sender address on file when the
  force's own mail server says the From domain passed DMARC;
- public, which a neighbour, a relative at the same address or anyone who saw the car may
  know: surname, forenames, postcode, address, vehicle registration, and a reference
  written with a typo or with look-alike characters.

Verified needs two identifiers that agree, at least one of them personal, and nothing
that blocks: a forename, date of birth or surname the writer gives as their own that
differs from the record, or words saying they write for or about someone else.

`lookup.score` finds which identifiers agree and what contradicts; this module only
applies the rule, so that each clause can be tested with literals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Identifier(StrEnum):
    """An identifier that agrees with the record, as the reasons name it."""

    REFERENCE = "reference"  # exact in the writer's own words (spacing and case aside)
    DATE_OF_BIRTH = "date of birth"
    SENDER_ADDRESS = "sender address on file (authenticated)"
    SURNAME = "surname"  # with a forename or initial that agrees, if one is given
    POSTCODE = "postcode"
    ADDRESS = "address"
    VEHICLE = "vehicle registration"
    REFERENCE_WITH_TYPO = "reference with a typo or look-alike characters"


PERSONAL: frozenset[Identifier] = frozenset(
    {Identifier.REFERENCE, Identifier.DATE_OF_BIRTH, Identifier.SENDER_ADDRESS}
)


class Block(StrEnum):
    """What stops verification whatever else agrees."""

    FORENAME_DIFFERS = "forename differs"
    DATE_OF_BIRTH_DIFFERS = "date of birth differs"
    SURNAME_DIFFERS = "a different surname given as the writer's own"
    NAME_DIFFERS = "the writer's own name is not the record's"  # one word: which name is unsaid
    THIRD_PARTY = "third party"


@dataclass(frozen=True, slots=True)
class Verification:
    verified: bool
    personal: tuple[Identifier, ...]  # agreeing identifiers that are personal
    public: tuple[Identifier, ...]  # agreeing identifiers that are public
    blocked: tuple[Block, ...]
    reasons: tuple[str, ...]  # one line each for personal, public and what decided


def is_personal(identifier: Identifier) -> bool:
    return identifier in PERSONAL


def verification(agreeing: Iterable[Identifier], blocks: Iterable[Block] = ()) -> Verification:
    """Apply section 2: two agreeing identifiers, one of them personal, nothing blocking."""
    found = tuple(dict.fromkeys(agreeing))
    personal = tuple(i for i in found if is_personal(i))
    public = tuple(i for i in found if not is_personal(i))
    blocked = tuple(dict.fromkeys(blocks))
    reasons = [
        "personal: " + (", ".join(personal) if personal else "none"),
        "public: " + (", ".join(public) if public else "none"),
    ]
    if blocked:
        reasons.append("not verified: blocked by " + ", ".join(blocked))
    elif not personal:
        reasons.append("not verified: no personal identifier agrees")
    elif len(found) < 2:
        reasons.append("not verified: only one identifier agrees")
    else:
        reasons.append("verified")
    verified = bool(personal) and len(found) >= 2 and not blocked
    return Verification(verified, personal, public, blocked, tuple(reasons))
