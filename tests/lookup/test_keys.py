"""Normalised keys: the same identifier however it is written."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lookup.keys import email_key, name_key, plate_key, postcode_key, reference_key
from lookup.vocabulary import KIND_STATUSES, RECORD_COLUMNS, is_known_status
from tests.contract import CONTRACT_COLUMNS, CONTRACT_STATUSES


@pytest.mark.parametrize(
    "written", ["42AB1234523", "42ab-1234523", " 42 AB 1234 523 ", "42/ab/1234523"]
)
def test_reference_spellings_share_a_key(written: str) -> None:
    """Spaces, dashes, slashes and case do not change a reference's key."""
    assert reference_key(written) == "42AB1234523"


def test_plate_and_postcode_keys() -> None:
    """Plates and postcodes lose spacing and case."""
    assert plate_key("ig86 myy") == plate_key("IG86MYY") == "IG86MYY"
    assert postcode_key("nn1 5ab") == "NN15AB"


@pytest.mark.parametrize(
    ("a", "b"),
    [("O'Brien", "obrien"), ("Smith-Jones", "smith jones"), ("Zoë", "zoe"), ("MÜLLER", "muller")],
)
def test_name_keys_fold_punctuation_accents_and_case(a: str, b: str) -> None:
    """Names compare equal across punctuation, accents and case."""
    assert name_key(a) == name_key(b)


def test_different_names_keep_different_keys() -> None:
    """Folding does not merge names that differ in letters."""
    assert name_key("Miles") != name_key("Mills")


def test_email_key_folds_case_and_space() -> None:
    """An address typed with capitals or spaces matches the one on file."""
    assert email_key("  L.Miles@Example.ORG ") == "l.miles@example.org"


def test_vocabulary_is_the_contracts() -> None:
    """Columns, kinds and statuses are exactly those of the contract."""
    assert list(RECORD_COLUMNS) == CONTRACT_COLUMNS
    assert {kind: set(statuses) for kind, statuses in KIND_STATUSES.items()} == CONTRACT_STATUSES
    assert is_known_status("cofp", "awaiting_driver_nomination")
    assert not is_known_status("cofp", "awaiting_licence")
    assert not is_known_status("parking", "paid")


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_names_fold_as_the_general_rule_does(name: str) -> None:
    """The fast path for plain ASCII names gives what decomposing and dropping accents
    gives (the general rule, written out here as the oracle)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert name_key(name) == "".join(ch for ch in plain if "a" <= ch <= "z")
