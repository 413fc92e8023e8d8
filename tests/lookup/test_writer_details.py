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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("any update on darcie turtur?", (("Darcie",), "Turtur")),
        ("Update on John Smith 12/03/1980 please", (("John",), "Smith")),
        ("anything on j hale, ref SR236623336", ((), "Hale")),
        ("news on mary-jo o'brien?", (("Mary-Jo",), "O'Brien")),
        ("can you check on Webb Sam. Thanks", (("Webb",), "Sam")),
        ("check darcie turtur fp12345678", (("Darcie",), "Turtur")),
        ("status of Ravi Patel urgent", (("Ravi",), "Patel")),
        ("what's happening with siân wiśniewska", (("Siân",), "Wiśniewska")),
        ("any info on isobel van wijk?", (("Isobel", "Van"), "Wijk")),
        ("looking for darcie turtur", (("Darcie",), "Turtur")),
        ("do we have kayla badman", (("Kayla",), "Badman")),
    ],
)
def test_officers_cues_give_the_person_asked_about(
    text: str, expected: tuple[tuple[str, ...], str]
) -> None:
    """The words after an officer's cue are a name someone mentions, never the writer's."""
    assert names(text) == [(*expected, "mentioned")]


@pytest.mark.parametrize(
    "text",
    [
        "any update on my ticket?",
        "do we have anything on fp12345678?",
        "can you check if it has been paid",
        "I am looking for advice about the fine.",
        "please check the status of the ticket",
        "looking for sr236623336",
        "any update on 12/03/1980?",
    ],
)
def test_officers_cues_before_no_name_give_none(text: str) -> None:
    """A cue followed by a word that is no name, a reference or a date gives no name."""
    assert names(text) == []


def test_the_name_before_dob_is_read_once_and_the_same_way() -> None:
    """With "dob" after the name, the cue adds nothing: the before-dob rule reads it."""
    assert names("any update on waller dob 1/2/80") == [(("Waller",), "", "before_dob")]
    assert names("update on smith d.o.b 1/2/80") == [(("Smith",), "", "before_dob")]
    assert names("any update on darcie turtur dob 1/2/80") == [
        (("Darcie",), "Turtur", "before_dob")
    ]
