"""Officers' name and date of birth levels: each ordinary corruption, as literals."""

from __future__ import annotations

from datetime import date

from lookup.decide import NAME_AT, OFFICER_NAME_AT
from lookup.evidence import Evidence, NameSeen, blocking_keys, close_dates, near_dates
from lookup.evidence_from_text import evidence_from_text
from lookup.keys import name_code
from lookup.records import RecordView
from lookup.score import compare, officer_surname_weight
from lookup.verify import Identifier

DOB = date(1985, 12, 3)


def _record(surname: str = "thompson", forenames: str = "Jonathan Paul") -> RecordView:
    return RecordView(
        1, "fpn", "FB1", "FB1", "FB1", "awaiting_payment", surname, forenames,
        DOB, None, None, None, None, None,
    )  # fmt: skip


def _weight(surname: str, forenames: tuple[str, ...], dob: date, record: RecordView) -> float:
    evidence = Evidence(names=(NameSeen(surname, forenames=forenames),), dobs=(dob,))
    return compare(evidence, record, {}, officer=True).weight


def test_phonetic_codes_fold_the_usual_spellings() -> None:
    """Thompson/Tomson/Thomson and Mcdonald/Macdonald share a code; Smith and Jones do not."""
    assert name_code("thompson") == name_code("tomson") == name_code("thomson")
    assert name_code("mcdonald") == name_code("macdonald")
    assert name_code("smith") != name_code("jones")


def test_near_dates_hold_swaps_digits_and_century() -> None:
    """Day and month swapped, one digit wrong, two digits transposed, the other century."""
    near = near_dates(DOB)
    assert {date(1985, 3, 12), date(1985, 12, 8), date(1958, 12, 3), date(2085, 12, 3)} <= near


def test_each_corruption_still_names_the_record_for_an_officer() -> None:
    """Every ordinary corruption, alone, keeps the weight at or above the naming line."""
    record = _record()
    cases = {
        "swapped": ("jonathan", ("thompson",), DOB),
        "phonetic surname": ("tomson", ("jonathan",), DOB),
        "surname typo": ("thompsen", ("jonathan",), DOB),
        "no forename": ("thompson", (), DOB),
        "middle name as forename": ("thompson", ("paul",), DOB),
        "day and month swapped": ("thompson", ("jonathan",), date(1985, 3, 12)),
        "one digit wrong": ("thompson", ("jonathan",), date(1985, 12, 8)),
        "two-digit year, other century": ("thompson", ("jonathan",), date(2085, 12, 3)),
    }
    for how, (surname, forenames, dob) in cases.items():
        assert _weight(surname, forenames, dob, record) >= NAME_AT, how


def test_part_of_a_double_surname_and_initials() -> None:
    """ "smith" for Smith-Jones with the forename, and an initial with the surname."""
    assert _weight("smith", ("mary",), DOB, _record("smithjones", "Mary")) >= NAME_AT
    evidence = Evidence(names=(NameSeen("thompson", initials=frozenset("j")),), dobs=(DOB,))
    assert compare(evidence, _record(), {}, officer=True).weight >= NAME_AT


def test_fuzzy_levels_add_no_identifier_and_a_near_dob_still_blocks() -> None:
    """A near date of birth or a phonetic surname never counts as an identifier: the
    public's verification is unchanged."""
    evidence = Evidence(
        names=(NameSeen("tomson", forenames=("jonathan",)),), dobs=(date(1985, 3, 12),)
    )
    officer = compare(evidence, _record(), {}, officer=True)
    public = compare(evidence, _record(), {})
    assert Identifier.DATE_OF_BIRTH not in officer.agreeing
    assert officer.agreeing == public.agreeing
    assert officer.blocks == public.blocks
    assert not public.verification.verified


def test_blocking_keys_carry_both_names_codes() -> None:
    """Each name word's code is looked up, so a swap or a missing surname still blocks."""
    keys = blocking_keys(Evidence(names=(NameSeen("tomson", forenames=("jon",)),), dobs=(DOB,)))
    assert {name_code("thompson"), name_code("jon")} <= keys.name_codes
    assert DOB in keys.near_dobs


def test_the_first_look_takes_only_the_slips_that_keep_every_digit() -> None:
    """The first look-up takes the date, its day-month swap and other century; the wide
    one adds one-digit slips and both names' codes either way round, whatever the date."""
    evidence = Evidence(names=(NameSeen("tomson", forenames=("jon",)),), dobs=(DOB,))
    first, wide = blocking_keys(evidence), blocking_keys(evidence, wide=True)
    assert (
        first.near_dobs
        == close_dates(DOB)
        == {DOB, date(1985, 3, 12), date(2085, 12, 3), date(1885, 12, 3)}
    )
    assert not first.name_pairs
    assert wide.near_dobs == near_dates(DOB)
    assert date(1985, 12, 8) in wide.near_dobs
    pair = (name_code("tomson"), name_code("jon"))
    assert wide.name_pairs == {pair, pair[::-1]}


def test_rare_surnames_count_for_more_and_counting_stops_at_common() -> None:
    """An exact surname's weight falls with its frequency (u = frequency in a million)."""
    weights = [officer_surname_weight(f) for f in (1, 10, 100, 999, 1000, 50_000)]
    assert weights == sorted(weights, reverse=True)
    assert weights[-1] == weights[-2] == 1.5


def test_both_names_with_a_far_date_of_birth_name_only_a_rare_person() -> None:
    """Forename and a one-in-a-million surname name the record for an officer though the
    date of birth is far off; a sound-alike surname with another forename does not."""
    far = date(1961, 8, 31)
    evidence = Evidence(names=(NameSeen("thompson", forenames=("jonathan",)),), dobs=(far,))
    assert compare(evidence, _record(), {"thompson": 1}, officer=True).weight >= OFFICER_NAME_AT
    assert compare(evidence, _record(), {"thompson": 1000}, officer=True).weight < OFFICER_NAME_AT
    assert _weight("tomson", ("edward",), DOB, _record()) < OFFICER_NAME_AT
    assert OFFICER_NAME_AT < NAME_AT


def test_a_name_asked_about_with_no_dob_is_looked_up_by_both_names_codes() -> None:
    """ "any update on darcie turtur?" gives a mentioned name, not the writer's own, and
    the wide look-up fetches it by (surname code, forename code) either way round."""
    evidence = evidence_from_text("any update on darcie turtur?", sender=None)
    assert evidence.names == (
        NameSeen(
            "turtur",
            forename_keys=frozenset({"darcie"}),
            initials=frozenset("d"),
            forenames=("darcie",),
        ),
    )
    assert not evidence.names[0].own
    assert not evidence.dobs
    first, wide = blocking_keys(evidence), blocking_keys(evidence, wide=True)
    assert not first.name_pairs
    assert not first.near_dobs
    pair = (name_code("turtur"), name_code("darcie"))
    assert wide.name_pairs == {pair, pair[::-1]}


def test_the_last_two_words_of_three_are_also_tried_as_one_surname() -> None:
    """ "isobel van wijk": the record's surname is "vanwijk", whose code the pair takes."""
    names = (NameSeen("wijk", forenames=("isobel", "van")),)
    pairs = blocking_keys(Evidence(names=names), wide=True).name_pairs
    assert (name_code("vanwijk"), name_code("isobel")) in pairs


def test_a_mentioned_name_that_differs_blocks_no_public_writer() -> None:
    """A different name after "looking for" is someone mentioned: nothing blocks."""
    evidence = evidence_from_text(
        "I am looking for Mary Jones, ref FB1, dob 03/12/1985", sender=None
    )
    assert [n.own for n in evidence.names] == [False]
    assert not compare(evidence, _record(), {}).blocks
