"""The verification rule of contracts.md, section 2, clause by clause, on literals only.

Each test builds one record and one enquiry text and asks `compare` and `lookup.verify`
whether the writer is verified; no database is involved.
"""

from __future__ import annotations

from datetime import date

import pytest

from lookup.channels import Audience
from lookup.decide import decide
from lookup.evidence_from_text import evidence_from_text
from lookup.keys import email_key, fold_key, name_key, plate_key, postcode_key, reference_key
from lookup.records import RecordView
from lookup.score import Comparison, compare
from lookup.verify import Block, Identifier, verification

TODAY = date(2026, 12, 7)


def record(
    reference: str = "3462166202",
    *,
    surname: str = "Thornbury",
    forenames: str = "William James",
    dob: date | None = date(1961, 3, 14),
    postcode: str = "NN1 5AB",
    vrm: str = "AB12CDE",
    email: str | None = "w.thornbury@example.org",
    record_id: int = 1,
) -> RecordView:
    key = reference_key(reference)
    return RecordView(
        id=record_id,
        kind="fpn",
        reference=reference,
        ref_key=key,
        ref_fold=fold_key(key),
        status="awaiting_payment",
        surname_key=name_key(surname),
        forenames=forenames,
        dob=dob,
        postcode_key=postcode_key(postcode),
        vrm_key=plate_key(vrm),
        vrm_fold=fold_key(plate_key(vrm)),
        email_key=email_key(email) if email else None,
        offence_date=None,
    )


def compared(
    text: str,
    rec: RecordView | None = None,
    *,
    sender: str | None = None,
    authenticated: bool = False,
    subject: str = "",
) -> Comparison:
    evidence = evidence_from_text(
        text, sender=sender, subject=subject, today=TODAY, sender_authenticated=authenticated
    )
    return compare(evidence, rec or record(), {})


def verified(text: str, rec: RecordView | None = None, **kwargs: object) -> bool:
    return compared(text, rec, **kwargs).verification.verified  # type: ignore[arg-type]


# --- the rule itself ----------------------------------------------------------------


def test_two_identifiers_one_personal_verify() -> None:
    """A personal and a public identifier that agree, nothing blocking: verified."""
    result = verification([Identifier.REFERENCE, Identifier.SURNAME])
    assert result.verified
    assert result.personal == (Identifier.REFERENCE,)
    assert result.public == (Identifier.SURNAME,)
    assert result.reasons[-1] == "verified"


@pytest.mark.parametrize(
    "pair",
    [
        (Identifier.VEHICLE, Identifier.POSTCODE),
        (Identifier.VEHICLE, Identifier.SURNAME),
        (Identifier.SURNAME, Identifier.POSTCODE),
        (Identifier.SURNAME, Identifier.ADDRESS, Identifier.POSTCODE, Identifier.VEHICLE),
        (Identifier.REFERENCE_WITH_TYPO, Identifier.SURNAME),
    ],
)
def test_public_identifiers_alone_never_verify(pair: tuple[Identifier, ...]) -> None:
    """However many public identifiers agree, none of them personal: not verified."""
    result = verification(pair)
    assert not result.verified
    assert result.reasons[-1] == "not verified: no personal identifier agrees"


def test_one_personal_identifier_alone_is_not_enough() -> None:
    """A reference by itself is one identifier: two are needed."""
    result = verification([Identifier.REFERENCE])
    assert not result.verified
    assert result.reasons[-1] == "not verified: only one identifier agrees"


def test_two_personal_identifiers_verify() -> None:
    """Reference and date of birth together verify without any public identifier."""
    assert verification([Identifier.REFERENCE, Identifier.DATE_OF_BIRTH]).verified


@pytest.mark.parametrize("block", list(Block))
def test_any_block_stops_verification(block: Block) -> None:
    """Every kind of block wins over any number of agreeing identifiers."""
    result = verification(
        [Identifier.REFERENCE, Identifier.DATE_OF_BIRTH, Identifier.SURNAME], [block]
    )
    assert not result.verified
    assert result.blocked == (block,)
    assert result.reasons[-1] == f"not verified: blocked by {block}"


# --- personal identifiers, read from text -------------------------------------------


def test_exact_reference_and_surname_verify() -> None:
    """The reference in the writer's own words plus their surname."""
    comparison = compared("Hello, what is the status of 3462166202? Mr W Thornbury")
    assert comparison.verification.verified
    assert Identifier.REFERENCE in comparison.verification.personal


def test_reference_with_look_alike_characters_is_public() -> None:
    """ "5" for S and "O" for 0: it finds the record, but proves no more than a typo."""
    rec = record("SR250316043")
    comparison = compared("my camera notice 5R25O316043, Mr Thornbury", rec)
    assert comparison.agreeing == (Identifier.REFERENCE_WITH_TYPO, Identifier.SURNAME)
    assert not comparison.verification.verified
    assert verified("my camera notice sr 250 316 043, Mr Thornbury", rec)


def test_date_of_birth_exact_is_personal() -> None:
    """Surname and exact date of birth verify without a reference."""
    assert verified("Any news on my ticket? William Thornbury, dob 14/03/1961")


def test_authenticated_sender_address_on_file_is_personal() -> None:
    """The address on file counts when the force's mail server authenticated it."""
    comparison = compared(
        "Has my ticket been paid?\n\nWilliam Thornbury",
        sender="W.Thornbury@example.org",
        authenticated=True,
    )
    assert comparison.verification.verified
    assert comparison.verification.personal == (Identifier.SENDER_ADDRESS,)


def test_unauthenticated_sender_address_proves_nothing() -> None:
    """A From line anyone can forge is not an identifier at all."""
    comparison = compared(
        "Has my ticket been paid? William Thornbury, car AB12 CDE",
        sender="w.thornbury@example.org",
    )
    assert not comparison.verification.verified
    assert Identifier.SENDER_ADDRESS not in comparison.agreeing


# --- public identifiers -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "What is happening with the ticket for car AB12 CDE? postcode NN1 5AB",
        "Ticket for AB12CDE please. Regards, William Thornbury",
        "My name is William Thornbury, postcode NN1 5AB, any update on my fine?",
    ],
)
def test_neighbour_with_car_and_door_details_is_not_verified(text: str) -> None:
    """Plate, postcode, surname and forename are public: together they never verify."""
    comparison = compared(text)
    assert not comparison.verification.verified
    assert comparison.verification.personal == ()


def test_made_up_reference_one_digit_away_is_public() -> None:
    """A reference one edit from the record's, with the surname: a guess, not proof."""
    comparison = compared("Ticket 3462166203, Mr Thornbury. What's the status?")
    assert Identifier.REFERENCE_WITH_TYPO in comparison.agreeing
    assert not comparison.verification.verified


# --- contradictions -----------------------------------------------------------------


@pytest.mark.parametrize("forename", ["Liam", "Jamie", "Jack", "Sandra"])
def test_names_given_in_their_own_right_contradict(forename: str) -> None:
    """Liam is not William, Jamie not James, Jack not John, Sandra not Alexandra."""
    full = {"Liam": "William", "Jamie": "James", "Jack": "John", "Sandra": "Alexandra"}[forename]
    rec = record(forenames=full)
    comparison = compared(
        f"my name is {forename} Thornbury, ticket 3462166202, dob 14/03/1961", rec
    )
    assert Block.FORENAME_DIFFERS in comparison.blocks
    assert not comparison.verification.verified


def test_lisa_does_not_agree_with_elizabeth() -> None:
    """Lisa is a name of its own, not a short form of Elizabeth."""
    rec = record(forenames="Elizabeth")
    assert not verified("My name is Lisa Thornbury, ref 3462166202.", rec)


@pytest.mark.parametrize("short", ["Bill", "Will"])
def test_true_diminutives_agree(short: str) -> None:
    """Bill and Will are William: the forename agrees and nothing blocks."""
    comparison = compared(f"ref 3462166202, my name is {short} Thornbury")
    assert "forename agrees" in comparison.reasons
    assert comparison.blocks == ()
    assert comparison.verification.verified


def test_a_forename_alone_is_not_an_identifier() -> None:
    """ "Thanks, William" with the reference: the reference is the only identifier."""
    comparison = compared("What is the status of 3462166202?\n\nThanks\nWilliam")
    assert comparison.agreeing == (Identifier.REFERENCE,)
    assert not comparison.verification.verified


def test_liam_with_fathers_car_and_postcode_is_not_verified() -> None:
    """The household case of the issue: the son's own name contradicts the father's record."""
    comparison = compared(
        "my name is Liam Thornbury, car AB12 CDE, postcode NN1 5AB, what is the status?"
    )
    assert not comparison.verification.verified
    assert Block.FORENAME_DIFFERS in comparison.blocks


@pytest.mark.parametrize("dob", ["14/03/1991", "14/03/1966", "15/03/1961", "14/08/1961"])
def test_date_of_birth_differing_in_any_digit_blocks(dob: str) -> None:
    """One digit off is a relative as often as a typo: it blocks."""
    comparison = compared(f"ticket 3462166202, William Thornbury, date of birth {dob}")
    assert Block.DATE_OF_BIRTH_DIFFERS in comparison.blocks
    assert not comparison.verification.verified


def test_relative_date_of_birth_1965_against_1995() -> None:
    """The issue's example: a relative's date of birth one digit from the subject's."""
    rec = record(dob=date(1995, 6, 2))
    assert not verified("ref 3462166202, William Thornbury dob 02/06/1965", rec)


def test_a_different_surname_given_as_own_blocks() -> None:
    """A victim quoting the reference of the case against someone else is not its subject."""
    rec = record(surname="Hunter", forenames="Damien", postcode="NN1 5AB")
    comparison = compared(
        "My name is Jean Parker, postcode NN1 5AB. Reference 3462166202. When is the trial?",
        rec,
    )
    assert Block.SURNAME_DIFFERS in comparison.blocks
    assert not comparison.verification.verified


def test_sign_off_with_another_surname_blocks_even_when_the_subject_is_named() -> None:
    """ "About Mr Thornbury's ticket ... Regards, Jean Parker": the writer is Parker."""
    comparison = compared(
        "I am asking about Mr Thornbury's ticket 3462166202.\n\nRegards\nJean Parker"
    )
    assert Block.SURNAME_DIFFERS in comparison.blocks
    assert not comparison.verification.verified


def test_third_party_blocks() -> None:
    """Words saying the writer writes for someone else block verification."""
    comparison = compared(
        "I am writing on behalf of my father about ticket 3462166202, "
        "William Thornbury, dob 14/03/1961."
    )
    assert Block.THIRD_PARTY in comparison.blocks
    assert not comparison.verification.verified


# --- where the identifiers were written -----------------------------------------------


def test_quoted_reference_never_counts() -> None:
    """A reference only in quoted mail is someone's, maybe not the writer's."""
    text = (
        "Can you tell me what is happening? Regards, William Thornbury\n\n"
        "On Mon, 1 Dec 2026 at 10:00, Someone <a@example.org> wrote:\n"
        "> My ticket is 3462166202\n"
    )
    comparison = compared(text)
    assert Identifier.REFERENCE not in comparison.agreeing
    assert not comparison.verification.verified


def test_reference_in_a_reply_subject_is_quoted() -> None:
    """ "Re: ... 3462166202" copies the earlier message's subject: it does not count."""
    comparison = compared("Any news? William Thornbury", subject="Re: Your ticket 3462166202")
    assert Identifier.REFERENCE not in comparison.agreeing
    assert compared("Any news? William Thornbury", subject="Ticket 3462166202").named


def test_sign_off_identifiers_count() -> None:
    """ "Regards, Name, date" in the writer's own sign-off carries their date of birth."""
    assert verified("Please tell me the status.\n\nRegards, William Thornbury, 14/03/1961")


def test_name_and_date_of_birth_on_the_last_lines_count() -> None:
    """The issue's "Anne Graham\\n12/03/1958" ending, with no "Regards" or "DOB" label."""
    rec = record(surname="Graham", forenames="Anne", dob=date(1958, 3, 12))
    assert verified(
        "Hello, has my fine been paid? I sent it last week.\n\nAnne Graham\n12/03/1958", rec
    )


# --- the decision's reasons -----------------------------------------------------------


def test_reasons_say_personal_public_and_what_blocked() -> None:
    """The decision's reasons name the personal and public identifiers and the block."""
    evidence = evidence_from_text(
        "ticket 3462166202, my name is Liam Thornbury, postcode NN1 5AB",
        sender=None,
        today=TODAY,
    )
    decision = decide([compare(evidence, record(), {})], audience=Audience.PUBLIC)
    assert decision.reference == "3462166202"
    assert not decision.verified
    assert "personal: reference" in decision.reasons
    assert "public: postcode" in decision.reasons
    assert "not verified: blocked by forename differs" in decision.reasons


def test_third_party_decision_says_so() -> None:
    """A third party's decision is marked, with the reason, and never verified."""
    evidence = evidence_from_text(
        "We act for Mr William Thornbury, dob 14/03/1961, regarding ticket 3462166202.",
        sender=None,
        today=TODAY,
    )
    assert evidence.third_party is not None
    decision = decide(
        [compare(evidence, record(), {})],
        audience=Audience.PUBLIC,
        third_party=evidence.third_party,
    )
    assert decision.third_party is not None
    assert not decision.verified
    assert any(reason.startswith("third party: ") for reason in decision.reasons)


def test_officers_in_chat_need_only_an_unambiguous_record() -> None:
    """For chat (authorised officers) a named record is verified (section 2, last clause)."""
    evidence = evidence_from_text("status of 3462166202?", sender=None, today=TODAY)
    assert decide([compare(evidence, record(), {})], audience=Audience.OFFICER).verified
    assert not decide([compare(evidence, record(), {})], audience=Audience.PUBLIC).verified


def test_a_decision_naming_no_record_still_says_what_counted() -> None:
    """Two equal candidates: nothing is named, and the reasons still give personal and
    public identifiers and why nothing is verified."""
    father = record()
    twin = record("3462166299", forenames="William James", record_id=2)
    evidence = evidence_from_text(
        "Any news on my fine? My name is William Thornbury, postcode NN1 5AB",
        sender=None,
        today=TODAY,
    )
    decision = decide(
        [compare(evidence, father, {}), compare(evidence, twin, {})], audience=Audience.PUBLIC
    )
    assert decision.reference is None
    assert decision.reasons[-3:] == (
        "personal: none",
        "public: surname, postcode",
        "not verified: no one record named",
    )
