"""How writers give their own name and date of birth: introductions, sign-offs, cues."""

from __future__ import annotations

from datetime import date

import pytest

from lookup.extract import extract

TODAY = date(2026, 12, 7)


def names(text: str) -> list[tuple[tuple[str, ...], str, str]]:
    return [(n.forenames, n.surname, n.how) for n in extract(text, today=TODAY).names]


def births(text: str) -> list[date]:
    return [d.value for d in extract(text, today=TODAY).dates_of_birth]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I am Elizabeth Southgate. I live in Leeds.", (("Elizabeth",), "Southgate")),
        ("Hi, I'm Declan Fenwick and I got a ticket.", (("Declan",), "Fenwick")),
        ("This is Moreira writing, AGAIN.", (("Moreira",), "")),
        ("hi need the status asap name Nettleton thx", (("Nettleton",), "")),
        ("Marion Ferreira here. born 18/4/1947.", (("Marion",), "Ferreira")),
        ("Fy enw i yw Pargeter / My name is Pargeter.", (("Pargeter",), "")),
    ],
)
def test_writers_introduce_themselves(text: str, expected: tuple[tuple[str, ...], str]) -> None:
    """ "I am ...", "this is ...", "... here" and the Welsh "Fy enw i yw" give the writer's name."""
    assert (*expected, "my_name_is") in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "I am writing about my ticket.",
        "This is urgent, please reply.",
        "I am not sure what to do.",
        "Please click here to pay.",
    ],
)
def test_ordinary_sentences_are_not_names(text: str) -> None:
    """The common sentences that start the same way as an introduction name no one."""
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please help.\n\nWith thanks and best wishes,\nDavid Nettleton", "Nettleton"),
        ("Please help.\n\nThank you very much\nRhian Visser", "Visser"),
        ("Sort it out.\n\nDisgusted,\nLiz Jenkins", "Jenkins"),
        ("Please help.\n\nDiolch / Thanks,\nPeggy Wiśniewska", "Wiśniewska"),
        ("Anyway, thanks for reading all this,\nClare Zielinski", "Zielinski"),
        ("could you tell me the status?\n\ncheers\njimmy prothero", "Prothero"),
        ("The reference is p348473356.\n\nLiz Jenkins", "Jenkins"),
        ("asap ref SR236623336 ta\nWill Thornbury", "Thornbury"),
    ],
)
def test_sign_offs_in_many_forms(text: str, expected: str) -> None:
    """The name after any closing line, or alone on the last line, is the writer's."""
    assert expected in [surname for _, surname, how in names(text) if how == "sign_off"]


def test_a_town_on_the_last_line_is_not_a_name() -> None:
    """An address after the name: the town on the last line is not taken as the writer."""
    text = "Please reply.\n\nRegards\nJohn Smith\n12 High Street\nMilton Keynes"
    assert [surname for _, surname, _ in names(text)] == ["Smith"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I was born on the 17th July 1964.", date(1964, 7, 17)),
        ("My birth date is 22/01/1970.", date(1970, 1, 22)),
        ("I was born on the 2001-09-08.", date(2001, 9, 8)),
        ("Birthdate: 3 July 1953", date(1953, 7, 3)),
    ],
)
def test_date_of_birth_cues(text: str, expected: date) -> None:
    """ "born on the", "birth date is" and "birthdate" mark a date of birth."""
    assert births(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Has it been paid?\n\nAnne Graham\n12/03/1958", date(1958, 3, 12)),
        ("Has it been paid?\n\nRegards, Anne Graham, 12/03/1958", date(1958, 3, 12)),
        ("Status please.\n\nyvonne lewandowski\naugust 25 1998", date(1998, 8, 25)),
        ("ref 123.\n\ncheers\nregards, mirela farrant, 22/01/1943", date(1943, 1, 22)),
        ("Any news?\n\nYours sincerely,\nSiân Sandilands\nAugust 21st, 1981", date(1981, 8, 21)),
    ],
)
def test_a_date_after_the_name_at_the_end_is_the_writers_birth(text: str, expected: date) -> None:
    """An unlabelled date after the writer's name on the last lines is their date of birth."""
    assert births(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Has it been paid?\n\nThanks, Anne\n01/12/2026",  # the day of writing
        "I paid on 12/03/1998 and heard nothing since.",  # a date in a sentence
        "Anne Graham\n12/03/1958\nPlease reply soon.",  # not the last thing written
    ],
)
def test_other_dates_are_not_taken_for_a_birth(text: str) -> None:
    """Recent dates, dates inside sentences and dates before more text are not births."""
    assert births(text) == []
