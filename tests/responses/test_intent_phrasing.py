"""Intents on the way people write (issue 15): real words kept, negation, tense, other
people's stories, court mentions, common phrasings, undecided writers, the labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from responses.intent_spelling import is_english_word
from responses.intents import (
    ALREADY_PAID,
    COMPLAINT,
    CONSEQUENCES,
    CONTEST,
    COURT_DATE,
    DOCUMENTS_SENT,
    FOI,
    HOW_TO_PAY,
    MITIGATION,
    MORE_TIME,
    NOMINATE_DRIVER,
    NOT_RECEIVED,
    OTHER,
    STATUS,
    WANTS_COURSE,
    IntentResult,
    detect_intents,
)

MESSAGES = Path(__file__).parents[1] / "data" / "intents" / "messages.jsonl"


def test_word_list_comes_with_the_package() -> None:
    """The English word list loads from the installed package: real words in, typos out."""
    assert is_english_word("case")
    assert is_english_word("charlene")
    assert not is_english_word("lisence")
    assert not is_english_word("contset")


@pytest.mark.parametrize(
    ("text", "not_this"),
    [
        ("Can you tell me which case this is about? Ref 4218812345", STATUS),  # not "chase"
        ("Charlene Smith here, ticket 4451882210", CONTEST),  # not "challenge"
        ("I complied with everything the notice said", COMPLAINT),  # not "complaint"
        ("I appealed in March", COMPLAINT),  # not "appalled"
        ("I contacted you last week about ref 4218812345", CONTEST),  # not "contested"
        ("I was playing football at the time", CONTEST),  # not "pleading"
    ],
)
def test_real_words_are_not_corrected_into_cues(text: str, not_this: str) -> None:
    """A word that is itself English is read as written, never as a nearby cue word."""
    assert not_this not in dict(detect_intents(text).scores)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I don't want to contest, I just want to pay", HOW_TO_PAY),
        ("I'm not contesting it. How do I pay?", HOW_TO_PAY),
        ("I won't be appealing. Can I pay by card over the phone?", HOW_TO_PAY),
    ],
)
def test_negated_requests_do_not_count(text: str, intent: str) -> None:
    """ "I don't want to contest" is not a contest; what the writer does want is found."""
    result = detect_intents(text)
    assert result.intents == (intent,)
    assert CONTEST not in dict(result.scores)


def test_not_going_to_court_is_neither_contest_nor_court_date() -> None:
    """ "I won't be going to court" asks for no hearing and no date."""
    result = detect_intents("I won't be going to court")
    assert result.unclear
    assert {CONTEST, COURT_DATE}.isdisjoint(result.intents)


@pytest.mark.parametrize(
    "text",
    [
        "I did a course last month",
        "I did a speed awareness course last month, why have I got a fine?",
        "I attended the course already",
    ],
)
def test_a_course_already_done_is_not_wanted(text: str) -> None:
    """A completed course is a fact, not a request to book one."""
    assert WANTS_COURSE not in detect_intents(text).intents


def test_an_appeal_already_made_is_a_status_query() -> None:
    """ "I appealed in April and still haven't heard" asks where it is, not to appeal."""
    assert detect_intents("I appealed in April and still haven't heard anything").intents == (
        STATUS,
    )


@pytest.mark.parametrize(
    "text",
    [
        "my friend contested hers and won",
        "My brother took his to court last year and lost",
        "someone told me I could appeal, is that true?",
    ],
)
def test_someone_elses_story_is_not_the_writers_request(text: str) -> None:
    """What a friend did, or said, is not what the writer asks."""
    result = detect_intents(text)
    assert CONTEST not in result.intents
    assert COURT_DATE not in result.intents


def test_foi_request_quoting_a_news_story() -> None:
    """A contested case in the story an FOI request quotes is neither a contest nor a complaint."""
    result = detect_intents(
        "I saw a news story about a man who contested a camera ticket and got it thrown out."
        " Under the FOI Act, how many tickets from that camera were issued last year?"
    )
    assert result.intents == (FOI,)
    assert {CONTEST, COMPLAINT}.isdisjoint(dict(result.scores))


@pytest.mark.parametrize(
    "text",
    [
        "I have a court hearing next month and I'm nervous",
        "Will this go to court if I do nothing?",
        "I don't fancy court",
        "I have been to court before for something else, does that matter?",
    ],
)
def test_a_mention_of_court_is_not_a_court_date_query(text: str) -> None:
    """Only asking when, where or which court is a court-date query."""
    assert COURT_DATE not in detect_intents(text).intents


def test_what_happens_if_i_dont_pay_is_not_status() -> None:
    """A question about consequences is not a status query: it is `consequences`."""
    result = detect_intents("What happens if I don't pay?")
    assert STATUS not in result.intents
    assert result.intents == (CONSEQUENCES,)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I wasn't driving, it was my son", NOMINATE_DRIVER),
        ("I still haven't heard anything", STATUS),
        ("how long does it take", STATUS),
        ("can I just pay", HOW_TO_PAY),
        ("how long do I have to pay", HOW_TO_PAY),
        ("where do I send my payment", HOW_TO_PAY),
        ("please find attached", DOCUMENTS_SENT),
        ("posted it today", DOCUMENTS_SENT),
        ("This ticket should be thrown out", CONTEST),
        ("I have been falsely accused", CONTEST),
        ("The notice was sent out of time", CONTEST),
        ("The officer was rude and unprofessional to me", COMPLAINT),
        ("I'd like to report the behaviour of the officers who stopped me", COMPLAINT),
        ("How many speeding tickets were issued on the A34 in 2025?", FOI),
        ("How much revenue did the cameras raise last year?", FOI),
        ("I don't fancy court, I'll take the course", WANTS_COURSE),
        ("I'll go with the course", WANTS_COURSE),
        ("Its PAID. Stop sending me letters", ALREADY_PAID),
    ],
)
def test_common_phrasings(text: str, intent: str) -> None:
    """The everyday ways of asking that the landed cues missed or misread."""
    result = detect_intents(text)
    assert not result.unclear
    assert result.intents[0] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I'm out of time to reply to the notice because I was abroad", MORE_TIME),
        ("The summons was out of time, it came eight months later", CONTEST),
        ("I am not paying this and I want it heard in court", CONTEST),
        ("hello he want to know is the case finish or not", STATUS),
        ("I did the course last week. Is that the end of it now?", STATUS),
        ("Is anyone dealing with my case?", STATUS),
        ("Has the penalty notice been cancelled like the officer said?", STATUS),
        ("You say you posted a summons. I never received it.", NOT_RECEIVED),
        ("twasnt me drivin it was ma cousin", NOMINATE_DRIVER),
        ("who do I make the cheque payable to", HOW_TO_PAY),
        ("I paid with my debit card on the phone line on Tuesday", ALREADY_PAID),
        ("If I ignore this will I end up in court?", CONSEQUENCES),
        ("Can I have a bit longer please, I am in hospital", MORE_TIME),
    ],
)
def test_fourth_build_phrasings(text: str, intent: str) -> None:
    """Phrasings from the fourth build's development part (2026-12-08)."""
    result = detect_intents(text)
    assert not result.unclear
    assert result.intents[0] == intent


def test_someone_else_explaining_is_not_mitigation() -> None:
    """ "I want someone to explain" asks for an explanation; "I want to explain" offers one."""
    assert MITIGATION not in detect_intents("I just want someone to explain the speed").intents
    assert detect_intents("I would like the chance to explain my circumstances").intents[0] == (
        MITIGATION
    )


def test_asking_whether_it_is_paid_is_a_status_query() -> None:
    """ "Has it been paid?" asks; "it has been paid" says so."""
    assert detect_intents("Has my fine been paid? Car AB12 CDE.").intents == (STATUS,)
    assert detect_intents("My fine has been paid, stop writing.").intents == (ALREADY_PAID,)


def test_choosing_the_course_is_never_a_contest() -> None:
    """ "I'll take the course" after turning court down must not get the court letter."""
    for text in ("I don't fancy court, I'll take the course", "I'll go with the course"):
        assert CONTEST not in detect_intents(text).intents


@pytest.mark.parametrize(
    "text",
    [
        "should I contest or take the course?",
        "I want to contest but I might take the course instead",
        "I'm not sure whether to contest",
    ],
)
def test_undecided_between_letters_that_promise_differently(text: str) -> None:
    """Contest against the course: unclear, with the candidates named, never a guess."""
    result = detect_intents(text)
    assert result.unclear
    assert result.intents == (OTHER,)
    assert CONTEST in result.candidates


def test_clear_results_name_no_candidates() -> None:
    """Candidates are only for a clerk's choice; a clear result has none."""
    assert detect_intents("When is my court date?").candidates == ()
    assert IntentResult((OTHER,), 0.0, True).candidates == ()


def _messages(split: str) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in MESSAGES.read_text(encoding="utf-8").splitlines()]
    return [row for row in rows if row["split"] == split]


def test_labelled_set_is_large_and_split() -> None:
    """At least 1,000 messages, about a third held out."""
    dev, heldout = _messages("dev"), _messages("heldout")
    assert len(dev) + len(heldout) >= 1000
    assert 0.3 <= len(heldout) / (len(dev) + len(heldout)) <= 0.36


def test_dev_set_accuracy() -> None:
    """On the development part: exact set for 90 in 100, a wrong intent for at most 2 in
    100 (the held-out part is measured by bench/intents.py, never asserted on here). The
    bar was 93 on the first 630 messages; the second build added 13 intents whose cues
    overlap (a plea and a contest, an appeal and a declaration, points and a lost licence)."""
    rows = _messages("dev")
    exact = wrong = 0
    misses = []
    for row in rows:
        labels = [str(label) for label in row["intents"]]  # type: ignore[attr-defined]
        result = detect_intents(str(row["text"]), str(row["subject"]))
        if set(result.intents) == set(labels):
            exact += 1
        else:
            misses.append(f"{row['id']}: {labels} -> {result.intents}")
        if not result.unclear and labels[0] not in result.intents:
            wrong += 1
    assert exact / len(rows) >= 0.90, misses
    assert wrong / len(rows) <= 0.02, misses
