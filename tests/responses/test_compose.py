"""The disclosure policy and routing of composed replies."""

from __future__ import annotations

import inspect
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from lookup.third_party import ThirdPartyKind
from lookup.vocabulary import KIND_STATUSES
from responses.case_facts import CaseFacts
from responses.compose import (
    IDENTIFIER_KINDS,
    ComposedReply,
    compose_candidates_reply,
    compose_officer_reply,
    compose_reply,
    compose_status_update,
)
from responses.errors import DisclosureError, TemplateRenderError
from responses.intents import INTENTS, OTHER, IntentResult, detect_intents
from responses.labels import KIND_LABELS, kind_label, status_label
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from tests.responses.fixtures import FATHER, FULL, SON, TODAY, full, shown_forms

STORE = TemplateStore([PACKAGE_TEMPLATES])
RECORDS = (
    FULL,
    FATHER,
    SON,
    full("drugs_warning", "recorded"),
    full("cica_claim", "request_received"),
    replace(full("course_offer", "booked"), reference="DA58970330", vrm="AR20 YZD"),
)
MESSAGES = (
    "What is the current status of my ticket 4249150997? My name is Emma Knowles.",
    "I have already paid, why am I still getting letters?",
    "How do I pay?",
    "I posted my driving licence ten days ago. Has it arrived?",
    "Can I do the speed awareness course instead of points?",
    "I want to contest this, I was not the driver. My wife was driving.",
    "When is my court date?",
    "I have moved house, please update my address.",
    "I want to make a formal complaint.",
    "This is a subject access request.",
    "Freedom of Information request: how many tickets were issued?",
    "Hello",
)
OFFERED: tuple[frozenset[str], ...] = (
    frozenset(),
    frozenset({"reference"}),
    frozenset({"surname", "dob"}),
    frozenset(IDENTIFIER_KINDS),
)


def _intent(name: str) -> IntentResult:
    if name == OTHER:
        return IntentResult((OTHER,), 0.0, True)
    return IntentResult((name,), 0.9, False)


def _text(reply: ComposedReply) -> str:
    return f"{reply.subject}\n{reply.body}"


def _past_greeting(reply: ComposedReply) -> str:
    """The reply without its "Dear ..." line: a verified writer's own name may be there."""
    body = reply.body.split("\n", 1)[1] if reply.body.startswith("Dear ") else reply.body
    return f"{reply.subject}\n{body}"


def _appears(form: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, re.IGNORECASE) is not None


def _forms_found(forms: dict[str, set[str]], text: str) -> list[str]:
    return [
        f"{name}={form!r}"
        for name, shown in forms.items()
        for form in shown
        if _appears(form, text)
    ]


def _leaks(facts: CaseFacts, text: str, *, labels: bool) -> list[str]:
    """Every form of a field of `facts` found in `text` (with its kind and status labels)."""
    found = _forms_found(shown_forms(facts), text)
    if labels:
        found += [
            f"label={label!r}"
            for label in (kind_label(facts.kind), status_label(facts.status))
            if _appears(label, text)
        ]
    return found


def _only_theirs(mine: CaseFacts, theirs: CaseFacts) -> dict[str, set[str]]:
    """The forms of `theirs` that are not part of a value of `mine` (a shared surname, the
    same kind, "Chidi" inside "Chidi Junior" are no leak)."""
    own = [form.lower() for forms in shown_forms(mine).values() for form in forms]
    return {
        name: {form for form in forms if not any(form.lower() in value for value in own)}
        for name, forms in shown_forms(theirs).items()
    }


def _unverified(message: str, offered: frozenset[str]) -> ComposedReply:
    return compose_reply(
        intents=detect_intents(message),
        facts=None,
        verified=False,
        offered=offered,
        today=TODAY,
        store=STORE,
        reply_by=date(2026, 11, 23),
    )


def test_unverified_reply_contains_no_field_of_any_record() -> None:
    """Whatever was asked and offered, the reply names no value, kind or status of a record."""
    for message in MESSAGES:
        for offered in OFFERED:
            text = _text(_unverified(message, offered))
            for facts in RECORDS:
                assert _leaks(facts, text, labels=True) == [], (message, offered)


@pytest.mark.parametrize("facts", RECORDS, ids=lambda f: f.kind)
def test_facts_for_an_unverified_writer_are_refused(facts: CaseFacts) -> None:
    """Handing over a record for an unverified writer is a caller's bug and raises."""
    with pytest.raises(DisclosureError):
        compose_reply(
            intents=detect_intents("What is the status?"),
            facts=facts,
            verified=False,
            offered=frozenset({"reference"}),
            today=TODAY,
            store=STORE,
        )


def test_verify_letter_asks_for_what_is_missing() -> None:
    """The letter asks for the identifiers not given; with all given, asks to check them."""
    none_given = _unverified("What is the status?", frozenset()).body
    for ask in ("reference number", "full name", "date of birth", "postcode", "registration"):
        assert ask in none_given
    some = _unverified("What is the status?", frozenset({"reference", "dob"})).body
    assert "reference number" not in some
    assert "date of birth" not in some
    assert "full name" in some
    assert "check the details you have already sent" in some
    every = _unverified("What is the status?", frozenset(IDENTIFIER_KINDS))
    assert "Please reply with:" not in every.body
    assert "exactly as they are printed" in every.body
    assert every.auto
    assert every.hold_reason is None
    assert every.route == "clerk"


def _verified(facts: CaseFacts, intents: IntentResult) -> ComposedReply:
    return compose_reply(
        intents=intents,
        facts=facts,
        verified=True,
        offered=frozenset({"reference", "surname"}),
        today=TODAY,
        store=STORE,
    )


@pytest.mark.parametrize(("mine", "theirs"), [(FATHER, SON), (SON, FATHER)], ids=["father", "son"])
def test_father_reply_never_holds_the_sons_record(mine: CaseFacts, theirs: CaseFacts) -> None:
    """Every reply about one of two relatives shows none of the other's values."""
    other = _only_theirs(mine, theirs)
    # The shared surname is no leak, nor "Chidi" inside "Chidi Junior"; the rest must not show.
    assert other["surname"] == set()
    assert other["forenames"] == (set() if mine is SON else {"Chidi Junior"})
    for intent in INTENTS:
        text = _text(_verified(mine, _intent(intent)))
        assert _forms_found(other, text) == [], intent
    officer = compose_officer_reply(mine, today=TODAY, store=STORE)
    assert _forms_found(other, officer) == []
    update = compose_status_update(mine, old_status="issued", today=TODAY, store=STORE)
    assert _forms_found(other, _text(update)) == []


@pytest.mark.parametrize(
    ("kind", "status"), sorted((k, s) for k, v in KIND_STATUSES.items() for s in v)
)
def test_letter_shows_only_the_given_record(kind: str, status: str) -> None:
    """For every pair and intent, only values of the record passed in reach the letter."""
    mine = full(kind, status)
    for intent in INTENTS:
        text = _text(_verified(mine, _intent(intent)))
        assert _forms_found(_only_theirs(mine, SON), text) == [], intent


@pytest.mark.parametrize("message", MESSAGES[8:11])
@pytest.mark.parametrize("facts", [FULL, SON, None], ids=["fpn", "summons", "no-record"])
def test_complaint_sar_and_foi_are_never_answered_automatically(
    message: str, facts: CaseFacts | None
) -> None:
    """A holding reply for a clerk, whatever the record, which says nothing about it."""
    reply = compose_reply(
        intents=detect_intents(message + " Also, what is the status of my case?"),
        facts=facts,
        verified=facts is not None,
        offered=frozenset({"reference", "surname"}),
        today=TODAY,
        store=STORE,
    )
    assert not reply.auto
    assert reply.hold_reason
    assert reply.route == "clerk"
    assert reply.template.startswith("public/hold")
    for record in RECORDS:
        assert _leaks(record, _past_greeting(reply), labels=True) == []


def test_foi_holding_reply_gives_the_statutory_date() -> None:
    """The FOI acknowledgement quotes twenty working days from today."""
    reply = _unverified("Freedom of Information request please", frozenset())
    assert "by 14 December 2026" in reply.body  # 20 working days after Monday 16 November


def test_unclear_intent_is_held_with_a_neutral_acknowledgement() -> None:
    """No guess and no record: a clerk completes the reply."""
    reply = _verified(FULL, detect_intents("Miss Lees dob 13th Oct 1992"))
    assert reply.hold_reason == "intent unclear"
    assert not reply.auto
    assert reply.template == "public/unclear.txt"
    assert _leaks(FULL, _past_greeting(reply), labels=True) == []


@pytest.mark.parametrize(
    "facts",
    [
        replace(FULL, status="suspended_pending_review"),
        replace(FULL, status=None),
        replace(FULL, kind="parking_ticket", status="paid"),
        replace(FULL, status="../../../etc/passwd"),
    ],
    ids=["unknown-status", "no-status", "unknown-kind", "hostile-status"],
)
def test_unknown_status_renders_generic_letter_and_holds(facts: CaseFacts) -> None:
    """A status or kind outside the vocabulary renders a safe letter held for a clerk."""
    for intent in INTENTS:
        reply = _verified(facts, _intent(intent))
        assert reply.body
    status_reply = _verified(facts, _intent("status"))
    assert "is being dealt with" in status_reply.body
    assert status_reply.hold_reason is not None
    assert facts.status is None or "vocabulary" in status_reply.hold_reason
    assert not status_reply.auto
    update = compose_status_update(facts, old_status="awaiting_payment", today=TODAY, store=STORE)
    assert not update.auto
    assert update.hold_reason
    assert compose_officer_reply(facts, today=TODAY, store=STORE)


def test_clerk_override_for_a_new_status_is_used_without_hold(tmp_path: Path) -> None:
    """A template written for a status new to the vocabulary replaces the generic text."""
    folder = tmp_path / "state" / "fpn"
    folder.mkdir(parents=True)
    (folder / "suspended.txt").write_text("Enforcement is suspended while we review it.")
    store = TemplateStore.with_overrides(tmp_path)
    reply = compose_reply(
        intents=_intent("status"),
        facts=replace(FULL, status="suspended"),
        verified=True,
        offered=frozenset({"reference", "surname"}),
        today=TODAY,
        store=store,
    )
    assert "Enforcement is suspended" in reply.body
    assert reply.auto


@pytest.mark.parametrize(
    ("intent", "facts", "auto"),
    [
        ("status", FULL, True),
        ("already_paid", full("fpn", "paid"), True),
        ("how_to_pay", FULL, True),
        ("court_date", SON, True),
        ("documents_sent", full("fpn", "awaiting_licence"), True),
        ("documents_sent", full("fpn", "paid"), False),
        ("wants_course", full("course_offer", "offered"), True),
        ("wants_course", full("summons", "issued"), False),
        ("contest", FULL, False),
        ("nominate_driver", full("cofp", "awaiting_driver_nomination"), False),
        ("change_of_address", FULL, False),
    ],
)
def test_auto_only_when_the_letter_is_a_complete_answer(
    intent: str, facts: CaseFacts, auto: bool
) -> None:
    """Letters that promise an action on the record wait for a clerk, saying why."""
    reply = _verified(facts, _intent(intent))
    assert reply.auto is auto
    assert (reply.hold_reason is None) is auto
    assert reply.route == "clerk"


def test_several_intents_make_one_letter() -> None:
    """Each intent gets its paragraph, and the record's state is given once."""
    reply = _verified(
        full("fpn", "paid"),
        detect_intents("I have already paid. Also I moved house, please update my address."),
    )
    assert set(reply.parts[:2]) == {"public/already_paid.txt", "public/change_of_address.txt"}
    assert reply.body.count("This matter is closed") == 1
    assert "Where your case stands now:" in reply.body
    assert reply.hold_reason == "change of address: a clerk must update the record"


def test_subject_comes_from_the_template() -> None:
    """The record's letter names its reference in the subject; the verify letter does not."""
    assert _verified(FULL, _intent("status")).subject == "Your fixed penalty notice 4249150997"
    assert _unverified("status?", frozenset()).subject == "Your enquiry to the Ticket Office"


def test_candidates_list_shows_kind_reference_and_status_only() -> None:
    """Several records fit: officers see no names, plates, dates or amounts."""
    text = compose_candidates_reply([FATHER, SON], store=STORE)
    assert FATHER.reference in text
    assert SON.reference in text
    assert "awaiting payment" in text
    assert "hearing listed" in text
    for facts in (FATHER, SON):
        listed = CaseFacts(kind=facts.kind, reference=facts.reference, status=facts.status)
        assert _forms_found(_only_theirs(listed, facts), text) == []
    many = compose_candidates_reply([FATHER] * 12, store=STORE, limit=5)
    assert many.count(FATHER.reference) == 5
    assert "7 more" in many
    assert "No record matches" in compose_candidates_reply([], store=STORE)


def test_officer_reply_is_a_few_lines() -> None:
    """Kind, status, key dates, court and officer in the case, without greeting."""
    text = compose_officer_reply(SON, today=TODAY, store=STORE)
    lines = text.splitlines()
    assert lines[0] == "Summons 42NH7712026: hearing listed since 14 October 2026"
    assert "Court: Kettering Magistrates' Court, hearing Tuesday 12 January 2027" in lines
    assert "Officer in the case: 9032" in lines
    assert len(lines) <= 8
    assert "Dear" not in text


def test_status_update_names_old_and_new_status() -> None:
    """The update letter says what the status was and what it is now."""
    reply = compose_status_update(SON, old_status="served", today=TODAY, store=STORE)
    assert "it was served and is now hearing listed" in reply.body
    assert reply.subject == "Update on your summons 42NH7712026"
    assert reply.auto
    assert reply.template == "update/letter.txt"


def test_the_leak_check_finds_values_that_are_there() -> None:
    """A control for the tests above: a verified letter does show its own record's values."""
    text = _text(_verified(FULL, _intent("status")))
    found = _leaks(FULL, text, labels=True)
    assert "reference='4249150997'" in found
    assert "amount_pence='£100.00'" in found
    assert "due_date='30 November 2026'" in found
    assert "label='fixed penalty notice'" in found


# -- third parties -----------------------------------------------------------------------

# A sentence of each kind's own paragraph, and of the consent paragraph.
KIND_PARAGRAPHS: dict[ThirdPartyKind, tuple[str, ...]] = {
    ThirdPartyKind.RELATIVE: ("family members often write to help",),
    ThirdPartyKind.EMPLOYER: ("View or share your driving licence information", "DVLA"),
    ThirdPartyKind.INSURER: ("insurers obtain police collision reports",),
    ThirdPartyKind.SOLICITOR: (
        "solicitors obtain police collision reports",
        "Part 8 of the Criminal Procedure Rules",
        "Criminal Procedure and Investigations Act 1996",
    ),
    ThirdPartyKind.VICTIM: ("Code of Practice for Victims of Crime", "Witness Care Unit"),
    ThirdPartyKind.REPRESENTATIVE: ("writing on someone else's behalf",),
}
CONSENT = "written consent, signed and dated by them"
THIRD_PARTY_MESSAGES = (
    "I am writing about my son's ticket 4249150997, what is the status?",
    "Our fleet driver got a speeding ticket, YC30NZE. How many points?",
    "We act for the insurer of YC30NZE. Please send the collision report.",
    "We represent Mr Okonkwo, 42NH7712026. Please send the case papers.",
    "I was the victim. When is the court date for the man who did it?",
    "I want to make a formal complaint on behalf of my mother.",
    "Hello",
)


def _third_party(
    kind: ThirdPartyKind, message: str = "What is the status?", store: TemplateStore = STORE
) -> ComposedReply:
    return compose_reply(
        intents=detect_intents(message),
        facts=None,
        verified=False,
        offered=frozenset(IDENTIFIER_KINDS),
        today=TODAY,
        store=store,
        reply_by=date(2026, 11, 23),
        third_party=kind,
    )


@pytest.mark.parametrize("kind", list(ThirdPartyKind))
def test_third_party_letter_names_no_record(kind: ThirdPartyKind) -> None:
    """Whatever was asked, the letter shows no value, kind or status of any record."""
    for message in THIRD_PARTY_MESSAGES:
        text = _text(_third_party(kind, message))
        for facts in RECORDS:
            assert _leaks(facts, text, labels=True) == [], message
        # No kind of record is named either (the insurer's and solicitor's paragraphs speak
        # of "collision reports" in general, the same words to every writer).
        assert [k for k in KIND_LABELS.values() if _appears(k, text)] == [], message
        assert "your case" not in text.lower()
        assert "Dear Sir or Madam," in text


@pytest.mark.parametrize("kind", list(ThirdPartyKind))
def test_third_party_letter_is_held_for_a_clerk(kind: ThirdPartyKind) -> None:
    """Routed to a clerk, never complete as it stands, the reason naming the kind."""
    reply = _third_party(kind)
    assert reply.route == "clerk"
    assert not reply.auto
    assert reply.hold_reason == f"third party ({kind}): a clerk must decide what may be disclosed"
    assert reply.template == "public/third_party.txt"
    assert reply.parts == ("public/third_party.txt",)
    assert reply.subject == "Your enquiry to the Ticket Office"


def test_third_party_letter_takes_precedence_and_keeps_the_other_reasons() -> None:
    """A complaint or an unclear message from a third party still gets the third-party
    letter; a request a clerk must answer is added to the reason."""
    complaint = _third_party(ThirdPartyKind.RELATIVE, "I want to make a formal complaint.")
    assert complaint.template == "public/third_party.txt"
    assert complaint.hold_reason == (
        "third party (relative): a clerk must decide what may be disclosed;"
        " complaint: a clerk must answer it"
    )
    unclear = _third_party(ThirdPartyKind.INSURER, "Hello")
    assert unclear.template == "public/third_party.txt"
    assert unclear.hold_reason == "third party (insurer): a clerk must decide what may be disclosed"


@pytest.mark.parametrize("kind", list(ThirdPartyKind))
def test_each_kind_gets_its_own_paragraph(kind: ThirdPartyKind) -> None:
    """The kind's paragraph appears and no other kind's; all but victims are asked for the
    person's own enquiry or consent, and proof of identity."""
    body = _third_party(kind).body
    for other, phrases in KIND_PARAGRAPHS.items():
        for phrase in phrases:
            if other is kind:
                assert phrase in body, phrase
            elif phrase not in KIND_PARAGRAPHS[kind]:
                assert phrase not in body, (other, phrase)
    asks_consent = kind is not ThirdPartyKind.VICTIM
    assert (CONSENT in body) is asks_consent
    assert ("proof of your own identity" in body) is asks_consent
    assert body.endswith("Yours sincerely,\n\nThe Ticket Office\n")


@pytest.mark.parametrize("verified", [True, False])
def test_third_party_with_a_record_is_refused(verified: bool) -> None:
    """A third party is never verified as the subject: handing over a record raises."""
    with pytest.raises(DisclosureError):
        compose_reply(
            intents=detect_intents("What is the status?"),
            facts=FULL,
            verified=verified,
            offered=frozenset({"reference", "dob"}),
            today=TODAY,
            store=STORE,
            third_party=ThirdPartyKind.SOLICITOR,
        )


def test_override_of_the_third_party_letter_cannot_reach_a_record(tmp_path: Path) -> None:
    """The third-party template is given no record: naming one fails to render."""
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "third_party.txt").write_text("About {{ facts.reference }}.")
    store = TemplateStore.with_overrides(tmp_path)
    with pytest.raises(TemplateRenderError, match="facts"):
        _third_party(ThirdPartyKind.EMPLOYER, store=store)


# -- the salutation ----------------------------------------------------------------------


def test_verified_letter_is_addressed_with_the_name_on_the_record() -> None:
    """Full name from the record's forenames and surname, once, in the salutation only."""
    body = _verified(FULL, _intent("status")).body
    assert body.startswith("Dear Emma Louise Knowles,\n\n")
    assert body.count("Knowles") == 1
    spaced = replace(FULL, forenames="  William ", surname="Thornbury ")
    assert _verified(spaced, _intent("status")).body.startswith("Dear William Thornbury,\n\n")


@pytest.mark.parametrize(
    ("forenames", "surname"),
    [(None, "Thornbury"), ("William", None), (None, None), ("  ", "Thornbury")],
)
def test_verified_letter_without_a_full_name_says_sir_or_madam(
    forenames: str | None, surname: str | None
) -> None:
    """A surname alone would need a guessed title: "Sir or Madam" instead."""
    facts = replace(FULL, forenames=forenames, surname=surname)
    assert _verified(facts, _intent("status")).body.startswith("Dear Sir or Madam,\n\n")
    update = compose_status_update(facts, old_status="issued", today=TODAY, store=STORE)
    assert update.body.startswith("Dear Sir or Madam,\n\n")


def test_other_letters_say_sir_or_madam_even_when_a_name_is_given() -> None:
    """Unverified and third-party replies name nobody, however the writer signed."""
    signed = "\n\nRegards,\nEmma Knowles"
    replies = [
        _unverified("What is the status of my ticket?" + signed, frozenset({"surname"})),
        _unverified("I want to make a formal complaint." + signed, frozenset({"surname"})),
        _unverified("Miss Lees dob 13th Oct 1992", frozenset({"surname", "dob"})),
        _third_party(ThirdPartyKind.RELATIVE, "About my daughter's ticket." + signed),
    ]
    for reply in replies:
        assert reply.body.startswith("Dear Sir or Madam,\n\n"), reply.template
        assert "Knowles" not in reply.body
        assert "Emma" not in reply.body
    assert "writer_name" not in inspect.signature(compose_reply).parameters
    assert "writer_name" not in inspect.signature(compose_status_update).parameters


def test_status_update_is_addressed_with_the_name_on_the_record() -> None:
    """The update goes to the record's verified subject and names them."""
    body = compose_status_update(SON, old_status="served", today=TODAY, store=STORE).body
    assert body.startswith("Dear Chidi Junior Okonkwo,\n\n")
    assert body.count("Okonkwo") == 1


def test_holding_replies_to_a_verified_writer_use_the_records_name() -> None:
    """A verified writer's complaint or unclear message is still addressed by the name on
    the record, and the letter says nothing else of it."""
    for message in ("I want to make a formal complaint.", "Miss Lees dob 13th Oct 1992"):
        reply = _verified(FULL, detect_intents(message))
        assert reply.body.startswith(f"Dear {FULL.forenames} {FULL.surname},\n\n"), reply.template
        assert FULL.reference not in reply.body
