"""Issue 15's new intents: how people ask them, what does not count, when a clerk
chooses, and the letter or holding reply each gets (issue 14: court steps are the
court's, letters to unverified writers disclose nothing)."""

from __future__ import annotations

import pytest

from responses.compose import HOLD_INTENTS, compose_reply
from responses.intents import (
    APPEAL,
    CAMERA_SITE_COMPLAINT,
    COLLISION_ADMIN,
    CONSEQUENCES,
    CONTEST,
    HOW_TO_PAY,
    IS_GENUINE,
    LICENCE_QUESTION,
    MITIGATION,
    MORE_TIME,
    NEW_INTENTS,
    NOT_RECEIVED,
    OTHER,
    PLEA_BY_POST,
    SEE_EVIDENCE,
    STATUS,
    STATUTORY_DECLARATION,
    VICTIM_REVIEW,
    IntentResult,
    detect_intents,
)
from responses.letter_check import check_letter
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from tests.responses.fixtures import TODAY, full

STORE = TemplateStore([PACKAGE_TEMPLATES])


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I want to plead guilty", PLEA_BY_POST),
        ("Where do I send the guilty plea form?", PLEA_BY_POST),
        ("I never knew about the case", STATUTORY_DECLARATION),
        ("how do i do a stat dec", STATUTORY_DECLARATION),
        ("I didn't receive the summons and was convicted", STATUTORY_DECLARATION),
        ("I want to appeal my conviction", APPEAL),
        ("How do I appeal against the sentence the magistrates gave me?", APPEAL),
        ("Can I see the photo of the car?", SEE_EVIDENCE),
        ("please send me the calibration certificate for the camera", SEE_EVIDENCE),
        ("I never received the notice", NOT_RECEIVED),
        ("I've lost the letter, can you send another?", NOT_RECEIVED),
        ("my driving licence was stolen with my wallet", LICENCE_QUESTION),
        ("My licence is with the DVLA at the moment", LICENCE_QUESTION),
        ("I have a Polish licence, is that a problem?", LICENCE_QUESTION),
        ("How many points will I get?", CONSEQUENCES),
        ("will this show on a DBS check?", CONSEQUENCES),
        ("I'm a new driver, will I lose my licence?", CONSEQUENCES),
        ("I'd like special reasons to be considered", MITIGATION),
        ("Losing my licence would cause exceptional hardship", MITIGATION),
        ("can I have more time to pay", MORE_TIME),
        ("Is it possible to extend the deadline?", MORE_TIME),
        ("I need the collision report for my insurers", COLLISION_ADMIN),
        ("Can I get the other driver's details?", COLLISION_ADMIN),
        ("I have dashcam footage of the crash, where do I send it?", COLLISION_ADMIN),
        ("is this letter genuine?", IS_GENUINE),
        ("Is this text really from the police?", IS_GENUINE),
        ("I want to ask for a review of the decision not to charge him", VICTIM_REVIEW),
        ("Victims' Right to Review request", VICTIM_REVIEW),
        ("The camera is hidden behind a tree", CAMERA_SITE_COMPLAINT),
        ("There are no signs warning of the camera on Mill Lane", CAMERA_SITE_COMPLAINT),
    ],
)
def test_each_new_intent_is_read(text: str, intent: str) -> None:
    """The common ways of asking each new question give that intent alone."""
    assert detect_intents(text).intents == (intent,)


@pytest.mark.parametrize(
    ("text", "not_this"),
    [
        ("I don't want to plead guilty", PLEA_BY_POST),
        ("I'm not appealing, I accept the court's decision", APPEAL),
        ("My friend appealed his conviction and got it overturned", APPEAL),
        ("My brother did a stat dec last year and it worked", STATUTORY_DECLARATION),
        ("A friend of mine never received his summons either", NOT_RECEIVED),
        ("My neighbour lost her licence over points", LICENCE_QUESTION),
        ("My friend was in an accident and never got the other driver's details", COLLISION_ADMIN),
        ("I don't need to see the photo, I know it was me. How do I pay?", SEE_EVIDENCE),
        ("I pleaded guilty by post last month and haven't heard anything since", PLEA_BY_POST),
    ],
)
def test_negated_done_and_others_stories_do_not_count(text: str, not_this: str) -> None:
    """Negation, a step already taken and someone else's story take the new cues away."""
    assert not_this not in detect_intents(text).intents


def test_not_guilty_and_guilty_stay_apart() -> None:
    """ "Not guilty" is a contest, "guilty" a plea by post; undecided, a clerk chooses."""
    assert detect_intents("I plead not guilty").intents == (CONTEST,)
    assert detect_intents("I'm not contesting it, I'll plead guilty by post").intents == (
        PLEA_BY_POST,
    )
    undecided = detect_intents("I'm not sure whether to plead guilty or fight it in court")
    assert undecided.intents == (OTHER,)
    assert set(undecided.candidates) == {CONTEST, PLEA_BY_POST}


def test_appeal_after_conviction_is_not_a_contest() -> None:
    """Appealing a conviction is its own intent, not a request for a hearing on a ticket;
    a plain "I want to appeal" about a ticket stays a contest."""
    result = detect_intents("I was convicted last Tuesday and I want to appeal to the Crown Court")
    assert result.intents == (APPEAL,)
    assert detect_intents("I want to appeal").intents == (CONTEST,)


def test_more_time_is_not_how_to_pay() -> None:
    """Asking for more time to pay is not asking how to pay, unless both are asked."""
    assert detect_intents("can I have more time to pay").intents == (MORE_TIME,)
    both = detect_intents("Could I have an extra two weeks to pay, and can I pay by card?")
    assert set(both.intents) == {MORE_TIME, HOW_TO_PAY}


def test_statutory_declaration_outranks_not_received() -> None:
    """Never having had the summons and being convicted is a declaration, not a new copy."""
    result = detect_intents("didnt get the summons n now im convicted, help")
    assert result.intents == (STATUTORY_DECLARATION,)


def test_still_waiting_after_a_declaration_is_status() -> None:
    """A declaration already made and a wait for news is a status query."""
    assert STATUS in detect_intents("I appealed to the Crown Court in May, any news?").intents


@pytest.mark.parametrize(
    "text",
    [
        "I made a stat dec last month, any news?",
        "I made a statutory declaration at court in October. Has it gone through?",
        "I swore a statutory declaration two weeks ago, what happens next?",
        "I appealed in May. Any news?",
        "Hi, I lodged my appeal back in early May. Any update?",
    ],
)
def test_a_step_taken_then_a_question_is_status(text: str) -> None:
    """A declaration or appeal the writer has made, and a question after it, asks where
    it stands: no new application is read into it."""
    result = detect_intents(text)
    assert result.intents == (STATUS,), result


def test_the_month_may_is_not_a_wish() -> None:
    """ "In May" dates a step; "may I" still asks."""
    assert CONTEST not in detect_intents("I appealed in May and heard nothing since").intents
    assert MORE_TIME in detect_intents("May I have a bit more time to pay, please?").intents
    assert HOW_TO_PAY in detect_intents("May I pay by card over the phone?").intents
    assert IS_GENUINE in detect_intents("This may be a scam, is it really from you?").intents


def test_advice_to_the_writer_about_their_own_step_counts() -> None:
    """ "Someone told me to do a stat dec" is the writer's next step; "someone told me I
    could appeal, is that true?" stays someone else's claim."""
    told = detect_intents('Someone told me to do a "stat dec" because I never got the court letter')
    assert told.intents[0] == STATUTORY_DECLARATION
    office = detect_intents("The court office told me to make a statutory declaration. Where?")
    assert office.intents == (STATUTORY_DECLARATION,)
    assert detect_intents("someone told me I could appeal, is that true?").unclear


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("licence got nicked with my bag, how am i meant to send it??", LICENCE_QUESTION),
        ("Do I need to send my licence with the payment or just the form?", LICENCE_QUESTION),
        ("do i have to post my actual licence to you or is a copy ok", LICENCE_QUESTION),
        ("I hold a driving licence from Nigeria. What happens with the ticket?", LICENCE_QUESTION),
        ("My licence is currently with the DVLA for renewal. What do I do?", LICENCE_QUESTION),
        ("my licence is from outside the UK, how does that work?", LICENCE_QUESTION),
        ("My licence is out of date. Does that matter for the penalty?", LICENCE_QUESTION),
        ("I need my car for work, if I'm banned I lose my job.", MITIGATION),
        ("pls dont ban me i need my car 4 work", MITIGATION),
        ("I was taking my wife to hospital, she was in labour.", MITIGATION),
        ("I'd like to explain why I was driving that fast.", MITIGATION),
        ("I want the court to know I was rushing my son to A&E.", MITIGATION),
        ("Losing my licence would mean losing my job, there are no buses.", MITIGATION),
        ("Can you confirm that the attached notice actually came from your office?", IS_GENUINE),
        ("Someone emailed me saying I have an unpaid fine. Is that one of yours?", IS_GENUINE),
        ("I'm not sure this notice is real, the logo looks odd.", IS_GENUINE),
        ("I want to check if this letter is from you before I pay anything.", IS_GENUINE),
        ("Did you send me a text about a fine? I don't want to be scammed.", IS_GENUINE),
    ],
)
def test_weak_intents_on_real_phrasing(text: str, intent: str) -> None:
    """Licence questions, mitigation and "is this genuine?" as people write them."""
    result = detect_intents(text)
    assert result.intents == (intent,), result


def _letter(intent: str, *, verified: bool) -> tuple[str, str | None, bool, str]:
    facts = full("summons", "result_recorded") if verified else None
    reply = compose_reply(
        intents=IntentResult((intent,), 0.9, False),
        facts=facts,
        verified=verified,
        offered=frozenset({"reference"}),
        today=TODAY,
        store=STORE,
    )
    return reply.body, reply.hold_reason, reply.auto, reply.template


@pytest.mark.parametrize("verified", [True, False])
@pytest.mark.parametrize("intent", NEW_INTENTS)
def test_every_new_intent_is_held_with_its_reason(intent: str, verified: bool) -> None:
    """Each new intent gets a holding reply or a court-step letter, held for a clerk with
    a reason naming it, and never describing a record, verified or not."""
    assert intent in HOLD_INTENTS
    body, reason, auto, _ = _letter(intent, verified=verified)
    assert not auto
    assert reason is not None
    assert intent.split("_")[0] in reason.lower().replace(" ", "_") or intent in reason
    facts = full("summons", "result_recorded")
    for value in (facts.reference, facts.court, facts.outcome, facts.offence):
        assert value is None or value not in body
    assert check_letter(body, None, None, intents=(intent,)) == ()


def test_court_step_letters_state_the_sourced_periods() -> None:
    """The declaration letter says 21 days from finding out (MCA 1980 s.14), the appeal
    letter 15 business days (CrimPR r.34.2), the plea letter no period at all (s.12)."""
    declaration, *_ = _letter(STATUTORY_DECLARATION, verified=False)
    assert "within 21 days of the date you found out" in declaration
    assert "section 14 of the Magistrates' Courts Act 1980" in declaration
    appeal, *_ = _letter(APPEAL, verified=False)
    assert "not more than 15 business days after the sentence" in appeal
    assert "Crown Court" in appeal
    plea, *_ = _letter(PLEA_BY_POST, verified=False)
    assert "follow the instructions in those papers" in plea
    assert "The court then decides" in plea
    assert " days" not in plea


def test_is_genuine_tells_how_to_check_and_confirms_nothing() -> None:
    """The reply to "is this genuine?" gives the way to check through published contact
    details and the reference, and never says the letter or a case is ours."""
    body, reason, auto, template = _letter(IS_GENUINE, verified=False)
    assert template == "public/hold/is_genuine.txt"
    assert "published on our official website" in body
    assert "reference number" in body
    assert "is genuine" not in body.lower().replace("whether it is genuine", "")
    assert not auto
    assert reason is not None
    assert "confirming nothing" in reason


def test_check_refuses_court_steps_taken_and_unsourced_periods() -> None:
    """A court-step letter that takes the step or states an unsourced period is held;
    an unverified writer asking if a letter is genuine is never told it is."""
    assert check_letter("We will record your guilty plea.", None, None, intents=(PLEA_BY_POST,))
    assert check_letter("Send it within 14 days.", None, None, intents=(STATUTORY_DECLARATION,))
    assert check_letter("Appeal within 21 days.", None, None, intents=(APPEAL,))
    assert check_letter("Reply within 7 days.", None, None, intents=(PLEA_BY_POST,))
    assert not check_letter(
        "It must reach the court within 21 days.", None, None, intents=(STATUTORY_DECLARATION,)
    )
    assert check_letter("This letter is genuine.", None, None, intents=(IS_GENUINE,))
    assert check_letter("We did send you this.", None, None, intents=(IS_GENUINE,))
