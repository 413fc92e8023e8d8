"""Extraction of references, marks, dates, postcodes, names and contacts from enquiry text."""

from __future__ import annotations

import csv
import json
import random
from datetime import date
from pathlib import Path

import pytest

from lookup.extract import MAX_PER_TYPE, Extracted, extract, fold_reference, forename_variants
from lookup.keys import reference_key
from tests.bounds import fastest

TODAY = date(2026, 11, 20)
DATA = Path(__file__).resolve().parents[1] / "data"
# These tests guard against super-linear blow-ups (a backtracking regex takes minutes on
# a megabyte), not for speed: that is measured by bench/, and on this machine a
# megabyte takes 3-150 ms. A second leaves room for a loaded CI machine.
BOUND_SECONDS = 1.0


def refs(text: str) -> list[str]:
    return [r.key for r in extract(text, today=TODAY).references]


def plates(text: str) -> list[str]:
    return [p.key for p in extract(text, today=TODAY).plates]


# --- references ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("SR-26-17-95-02-1", "SR261795021"),
        ("42cw2184524", "42CW2184524"),
        ("P42 807 7221", "P428077221"),
        ("rtc24199430", "RTC24199430"),
        ("CICA25541977", "CICA25541977"),
        ("4249150997", "4249150997"),
        ("25061342331", "25061342331"),
        ("DA72302079", "DA72302079"),
        ("42 91 91 57 44", "4291915744"),
        ("424/295/500/9", "4242955009"),
        ("42/TR/24/89/62/5", "42TR2489625"),
        ("DA 70 33 34 11", "DA70333411"),
        ("SR2 481 201 98", "SR248120198"),
        ("42 AF 63 59 92 6", "42AF6359926"),
        ("42OY 6100 123", "42OY6100123"),
    ],
)
def test_reference_forms(written: str, key: str) -> None:
    """References written with spaces, dashes, slashes or lower case come out as one key."""
    assert refs(f"What is happening with my ticket ref {written}? Thanks") == [key]


@pytest.mark.parametrize(
    ("written", "kinds"),
    [
        ("4249150997", ("fpn",)),
        ("SR259476606", ("cofp",)),
        ("P427358947", ("pnd",)),
        ("DA72302079", ("course_offer",)),
        ("RTC24199430", ("collision",)),
        ("CICA24008006", ("cica_claim",)),
        ("42CW2184524", ("summons", "postal_requisition", "court_case")),
    ],
)
def test_reference_kinds_follow_the_format(written: str, kinds: tuple[str, ...]) -> None:
    """Each reference lists the record kinds whose format it fits."""
    (found,) = extract(f"ref {written}").references
    assert found.kinds == kinds


def test_grouped_digits_are_not_joined_beyond_a_reference() -> None:
    """A reference followed by another number keeps its own digits only."""
    assert refs("ref 4247250185 12 people saw it") == ["4247250185"]


def test_words_before_a_reference_are_not_joined_to_it() -> None:
    """A word like "ref" before grouped digits is not read as part of the reference."""
    assert refs("ref 42 91 91 57 44") == ["4291915744"]


@pytest.mark.parametrize(
    "phone",
    ["07700 900694", "01632 960123", "+44 7700 900694", "+44 (0)1632 960 123", "020 7946 0018"],
)
def test_phone_numbers_are_never_references(phone: str) -> None:
    """Phone numbers are extracted as phones, never as references."""
    found = extract(f"Regards\nKarl Colin Watson\n{phone}")
    assert found.references == ()
    assert [p.digits[0] for p in found.phones] == ["0"]


def test_phone_beside_reference() -> None:
    """A phone number next to a reference leaves the reference whole and alone."""
    found = extract("ref 4249150997 or call 07700 900694")
    assert [r.key for r in found.references] == ["4249150997"]
    assert [p.digits for p in found.phones] == ["07700900694"]


@pytest.mark.parametrize(
    "when", ["17/10/2026", "17.10.2026", "2026-10-17", "31/02/2026", "23/12/62"]
)
def test_dates_are_not_references(when: str) -> None:
    """Numeric dates, even impossible ones, are never read as references."""
    assert refs(f"my case dated {when} please") == []


def test_reference_inside_email_address_is_not_a_reference() -> None:
    """Digits in an email address are not a reference; the address is an email."""
    found = extract("write to sr259476606@example.com")
    assert found.references == ()
    assert [e.key for e in found.emails] == ["sr259476606@example.com"]


def test_ocr_folding_maps_look_alikes_to_digits() -> None:
    """fold_reference maps O, I, L, S, B and Z to 0, 1, 1, 5, 8 and 2."""
    assert fold_reference("DAO9385657") == "DA09385657"
    assert fold_reference("OILSBZ") == "011582"


@pytest.mark.parametrize(
    ("written", "record"),
    [
        ("DAO9385657", "DA09385657"),
        ("5R243862405", "SR243862405"),
        ("26054157B07", "26054157807"),
        ("42I83378423", "42IB3378423"),
        ("DA751966I5", "DA75196615"),
    ],
)
def test_ocr_confused_reference_folds_to_the_record(written: str, record: str) -> None:
    """A reference with look-alike characters has the same folded key as the record."""
    (found,) = extract(f"ref {written}").references
    assert found.key == written
    assert found.folded == fold_reference(reference_key(record))


def test_reference_only_in_quoted_text_is_quoted() -> None:
    """A reference that appears only in quoted mail has source "quoted"."""
    text = "Any update?\n\nOn Mon, 3 Nov 2026 at 10:02, Jane <jane@example.com> wrote:\n> ref SR259476606"
    found = extract(text)
    assert [(r.key, r.source) for r in found.references] == [("SR259476606", "quoted")]
    assert found.own_references == ()


def test_reference_in_own_and_quoted_text_counts_as_own() -> None:
    """A reference the writer repeats from quoted mail is reported once, as own."""
    text = "About 4247250185 again.\n\n-----Original Message-----\nFrom: Desk\nSent: today\nRe 4247250185 and SR259476606"
    found = extract(text)
    assert [(r.key, r.source) for r in found.references] == [
        ("4247250185", "own"),
        ("SR259476606", "quoted"),
    ]


def test_angle_quoted_reference_is_quoted() -> None:
    """A reference on a ">" line is quoted even when own text follows it."""
    found = extract("> my neighbour's ticket DA72302079\nmine is 4247250185")
    assert {(r.key, r.source) for r in found.references} == {
        ("DA72302079", "quoted"),
        ("4247250185", "own"),
    }


def test_reference_in_signature_has_signature_source() -> None:
    """A reference after the signature delimiter has source "signature"."""
    found = extract("Help please\n--\nCase officer ref 42CW2184524")
    assert [(r.key, r.source) for r in found.references] == [("42CW2184524", "signature")]


# --- registration marks -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "form"),
    [
        ("for vehicle OD81 IHI from May", "OD81IHI", "current"),
        ("on my car en36gmp?", "EN36GMP", "current"),
        ("car reg A123 BCD", "A123BCD", "prefix"),
        ("vehicle ABC 123D", "ABC123D", "suffix"),
        ("reg ABC 123", "ABC123", "dateless"),
        ("car 1234 AB", "1234AB", "dateless"),
        ("registration ABZ 1234", "ABZ1234", "northern_irish"),
        ("I drive ab12 cde", "AB12CDE", "current"),
    ],
)
def test_plate_formats(text: str, key: str, form: str) -> None:
    """Current, prefix, suffix, dateless and Northern Irish marks are found, any case."""
    (found,) = extract(text).plates
    assert (found.key, found.format) == (key, form)


@pytest.mark.parametrize(
    ("written", "corrected"),
    [
        ("XY79V0B", "XY79VOB"),
        ("1Q97RKM", "IQ97RKM"),
        ("QA6SGHC", "QA65GHC"),
        ("8V30QJE", "BV30QJE"),
    ],
)
def test_plate_look_alikes_put_right(written: str, corrected: str) -> None:
    """A current-format mark with look-alike characters is put right for its positions."""
    (found,) = extract(f"for vehicle {written}.").plates
    assert found.key == written
    assert found.corrected == corrected
    assert found.folded == fold_reference(corrected)


@pytest.mark.parametrize(
    "text",
    [
        "Hello, I would like to know what is happening please",
        "my ticket ref SR259476606 and DA72302079",
        "My postcode is SG32 9AA",
        "ABC 123 is what I was told",  # dateless shape without a vehicle word
        "the car was on the A14 at 5pm on the 2nd",
        "my car reg is in the letter. Ref A12 was given",
    ],
)
def test_no_false_plates(text: str) -> None:
    """Words, references, postcodes, roads, times and cue-less short tokens are not marks."""
    assert plates(text) == []


def test_postcode_with_vehicle_word_is_a_plate_and_with_postcode_word_a_postcode() -> None:
    """A string that could be either goes to the nearer cue's type."""
    as_plate = extract("car reg kt150ux")
    as_code = extract("my postcode is kt150ux")
    assert ([p.key for p in as_plate.plates], as_plate.postcodes) == (["KT150UX"], ())
    assert (as_code.plates, [p.key for p in as_code.postcodes]) == ((), ["KT150UX"])


# --- dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "dob 23/12/62",
        "DOB: 23/12/1962",
        "d.o.b 23.12.1962",
        "Date of birth 23-12-1962",
        "born 1962-12-23",
        "date of birth 23rd December 1962",
        "DOB 23 Dec 1962",
        "Date of birth December 23, 1962",
        "date of birth is 23 december 1962",
    ],
)
def test_date_of_birth_forms(text: str) -> None:
    """Every written form of a date of birth near a cue reads as the same date."""
    found = extract(text, today=TODAY)
    assert [d.value for d in found.dates_of_birth] == [date(1962, 12, 23)]
    assert found.dates == ()


@pytest.mark.parametrize(
    ("written", "value"),
    [("8/7/08", date(2008, 7, 8)), ("1/1/20", date(1920, 1, 1)), ("3/11/02", date(2002, 11, 3))],
)
def test_two_digit_birth_years_make_the_person_at_least_ten(written: str, value: date) -> None:
    """Two-digit years of birth go to the century in which the person is ten or older."""
    assert [d.value for d in extract(f"dob {written}", today=TODAY).dates_of_birth] == [value]


@pytest.mark.parametrize("text", ["dob 31/02/1990", "dob 12/13/1990", "dob 1/1/2030"])
def test_impossible_or_future_birth_dates_are_ignored(text: str) -> None:
    """A date of birth that does not exist or lies in the future is dropped."""
    assert extract(text, today=TODAY).dates_of_birth == ()


def test_date_of_birth_after_name() -> None:
    """ "for Miss Ross dob 2 February 2001" gives the DOB and the name."""
    found = extract("need court date for Miss Ross dob 2 February 2001", today=TODAY)
    assert [d.value for d in found.dates_of_birth] == [date(2001, 2, 2)]
    assert [(n.title, n.surname) for n in found.names] == [("Miss", "Ross")]


def test_other_dates_with_year_and_cue() -> None:
    """A date that is not a date of birth is kept with the word before it."""
    (found,) = extract("my case dated 17/10/2026", today=TODAY).dates
    assert (found.value, found.cue) == (date(2026, 10, 17), "dated")


def test_date_without_year_is_resolved_against_today() -> None:
    """ "from 29 September" takes the latest year not after `today`; without it, none."""
    (with_today,) = extract("ticket from 29 September", today=TODAY).dates
    (without,) = extract("ticket from 29 December").dates
    assert (with_today.year, with_today.value) == (2026, date(2026, 9, 29))
    assert (without.day, without.month, without.year, without.value) == (29, 12, None, None)
    (last_year,) = extract("ticket from 29 December", today=TODAY).dates
    assert last_year.value == date(2025, 12, 29)


# --- postcodes, emails, phones ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("cf30nd", "CF30ND"),
        ("sg329aa", "SG329AA"),
        ("NN6 2TX", "NN62TX"),
        ("EN3X 1UP", "EN3X1UP"),
        ("TR6N 5ES", "TR6N5ES"),
        ("SO7M 4ZA", "SO7M4ZA"),
        ("EH36 9GU", "EH369GU"),
        ("s41ld", "S41LD"),
        ("B2F 9JE", "B2F9JE"),
    ],
)
def test_postcodes(written: str, key: str) -> None:
    """UK postcodes of every outward shape are found in any case and spacing."""
    assert [p.key for p in extract(f"My postcode is {written}.").postcodes] == [key]


def test_emails_are_extracted_with_key() -> None:
    """Email addresses in the text are found and keyed in lower case."""
    found = extract("Reply to Jane.Doe+x@Example.co.uk please")
    assert [e.key for e in found.emails] == ["jane.doe+x@example.co.uk"]


# --- names --------------------------------------------------------------------------


def _names(text: str) -> list[tuple[str | None, tuple[str, ...], str, str, str]]:
    return [(n.title, n.forenames, n.initials, n.surname, n.how) for n in extract(text).names]


def test_my_name_is() -> None:
    """ "My name is Ben Smith." gives forename and surname."""
    assert _names("My name is Ben Smith. Date of birth unknown")[0] == (
        None,
        ("Ben",),
        "B",
        "Smith",
        "my_name_is",
    )


def test_lower_case_name_is_tidied() -> None:
    """A name written in lower case is capitalised, and its key is lower case."""
    (found,) = extract("My name is hugh ellis.").names
    assert (found.forenames, found.surname, found.surname_key) == (("Hugh",), "Ellis", "ellis")


def test_surname_first() -> None:
    """ "SIMPSON, Mark" reads as surname Simpson, forename Mark."""
    assert _names("My name is SIMPSON, Mark.")[0][1:4] == (("Mark",), "M", "Simpson")
    assert _names("need court date (YOUNG, Mohammed)")[0][1:4] == (("Mohammed",), "M", "Young")


def test_title_and_initials() -> None:
    """Titles and initials are kept: "Mrs Andrews", "Y. Bird", "Mr J. Hale"."""
    assert _names("My name is Mrs Andrews.")[0][:4] == ("Mrs", (), "", "Andrews")
    assert _names("My name is Y. Bird.")[0][:4] == (None, (), "Y", "Bird")
    assert _names("Please ask Mr J. Hale")[0][:4] == ("Mr", (), "J", "Hale")


def test_signature_name_after_delimiter() -> None:
    """The first line of a signature is the writer's name."""
    (found,) = extract(
        "Help\n--\nWendy Williamson\nThis email and any attachments are confidential."
    ).names
    assert (found.forenames, found.surname, found.source) == (("Wendy",), "Williamson", "signature")


def test_closing_name_in_own_text() -> None:
    """The line after "Regards" names the writer, with all forenames."""
    (found,) = extract("Status?\n\nRegards\nKarl Colin Watson\n07700 900694").names
    assert (found.forenames, found.initials, found.surname, found.source) == (
        ("Karl", "Colin"),
        "KC",
        "Watson",
        "own",
    )


def test_forename_only_sign_off() -> None:
    """A sign-off with one word is a forename with an empty surname."""
    (found,) = extract("Status?\n\nThanks\nPaula").names
    assert (found.forenames, found.surname, found.surname_key) == (("Paula",), "", "")


def test_name_before_dob_and_in_brackets() -> None:
    """Chat forms "graeme kelly dob ..." and "(N. Duncan)" give names."""
    assert _names("where are we with graeme kelly dob 2003-03-05")[0][1:4] == (
        ("Graeme",),
        "G",
        "Kelly",
    )
    assert _names("ref SR235166116 (N. Duncan)")[0][1:4] == ((), "N", "Duncan")


def test_no_names_from_ordinary_sentences() -> None:
    """Capitalised words, a lower-case "miss" and "(car reg ...)" are not names."""
    assert _names("We miss Ross. Hello Dear Sir, URGENT, Please help (car reg AB12 CDE)") == []


def test_forename_variants() -> None:
    """Nicknames and full forms map to each other; unknown names map to themselves."""
    assert {"bob", "robert"} <= forename_variants("Bob")
    assert "bill" in forename_variants("William")
    assert {"stephen", "steven"} <= forename_variants("Steve")
    assert {"christopher", "christine"} <= forename_variants("chris")
    assert forename_variants("Zebedee") == frozenset({"zebedee"})
    assert forename_variants("") == frozenset()


# --- bounds -------------------------------------------------------------------------


def _timed(text: str) -> tuple[Extracted, float]:
    return fastest(lambda: extract(text))


def _junk(size: int) -> str:
    rng = random.Random(7)
    return "".join(rng.choice("abcdefghij klmnop\nQRST0123456789.,-/>@") for _ in range(size))


@pytest.mark.parametrize(
    "body",
    [
        _junk(1_000_000),
        "😀🚓 שלום עליכם مرحبا \u202e" * 40_000,
        "12 " * 333_333,
        "A" * 1_000_000,
        ("a" * 60 + "@") * 16_000,
        "> x\n" * 250_000,
        "12/12/2012 " * 90_000,
        "My name is Bob Smith, DOB 1/2/80. Mr Smith (Bob Jones) SMITH, Bob\n" * 15_000,
    ],
    ids=["junk", "emoji-rtl", "digit-groups", "one-word", "at-signs", "quoted", "dates", "names"],
)
def test_huge_bodies_extract_within_bound(body: str) -> None:
    """A megabyte of pathological text extracts without error in bounded time."""
    _, elapsed = _timed(body)
    assert elapsed < BOUND_SECONDS


def test_many_references_are_capped_own_first() -> None:
    """500 reference-like numbers extract quickly, capped, own text before quoted."""
    rng = random.Random(3)
    own = " ".join(f"SR2{rng.randint(10**7, 10**8 - 1)}" for _ in range(500))
    quoted = "\n".join(f"> DA{rng.randint(10**7, 10**8 - 1)}" for _ in range(500))
    found, elapsed = _timed(f"{own}\n{quoted}")
    assert elapsed < BOUND_SECONDS
    assert len(found.references) == MAX_PER_TYPE
    assert all(r.source == "own" for r in found.references)


# --- the sample enquiries -----------------------------------------------------------


def _sample() -> list[tuple[dict[str, str], dict[str, str]]]:
    with (DATA / "truth.jsonl").open(encoding="utf-8") as handle:
        truths = {row["id"]: row for row in map(json.loads, handle)}
    with (DATA / "enquiries.jsonl").open(encoding="utf-8") as handle:
        return [(row, truths[row["id"]]) for row in map(json.loads, handle)]


def test_sample_enquiries_yield_their_reference_as_own() -> None:
    """At least 90% of sample references written (up to look-alikes) in the text are found as own."""
    with (DATA / "records.csv").open(encoding="utf-8-sig", newline="") as handle:
        known = {fold_reference(reference_key(row["reference"])) for row in csv.DictReader(handle)}
    written = found = 0
    for enquiry, truth in _sample():
        if not truth["reference"]:
            continue
        target = fold_reference(reference_key(truth["reference"]))
        assert target in known
        if target not in fold_reference(reference_key(enquiry["text"])):
            continue  # a typo beyond look-alikes: the matcher's job, not extraction's
        written += 1
        extracted = extract(enquiry["text"])
        found += any(r.folded == target and r.source == "own" for r in extracted.references)
    assert written >= 100
    assert found / written >= 0.9


def test_sample_adversarial_references_in_quotes_are_not_own() -> None:
    """An adversarial reference that appears only in quoted text is never extracted as own."""
    for enquiry, truth in _sample():
        if not truth.get("adversarial"):
            continue
        target = fold_reference(reference_key(truth["adversarial"]))
        extracted = extract(enquiry["text"])
        own_text = fold_reference(reference_key(extracted.parts.own))
        if target in own_text:
            continue
        assert all(r.folded != target for r in extracted.own_references)


def test_every_sample_enquiry_extracts() -> None:
    """Every sample enquiry extracts without error, and sign-off phones are not references."""
    for enquiry, _ in _sample():
        extracted = extract(enquiry["text"])
        phone_digits = {p.digits for p in extracted.phones}
        assert not phone_digits & {r.key for r in extracted.references}
