"""Blocking by reference: every reference one edit from a written one is reachable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lookup.evidence import Evidence, ReferenceSeen, blocking_keys
from lookup.keys import head_block_keys, reference_blocks
from lookup.score import within_one_edit

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
folded = st.text(alphabet=ALNUM, min_size=10, max_size=16)


@st.composite
def one_edit(draw: st.DrawFn, fold: str) -> str:
    """`fold` with one character wrong, dropped or added, or two neighbours swapped."""
    at = draw(st.integers(0, len(fold) - 1))
    match draw(st.sampled_from(["wrong", "dropped", "added", "swapped"])):
        case "wrong":
            return fold[:at] + draw(st.sampled_from(ALNUM)) + fold[at + 1 :]
        case "dropped":
            return fold[:at] + fold[at + 1 :]
        case "added":
            return fold[:at] + draw(st.sampled_from(ALNUM)) + fold[at:]
        case _:
            at = min(at, len(fold) - 2)
            return fold[:at] + fold[at + 1] + fold[at] + fold[at + 2 :]


@settings(max_examples=500)
@given(st.data(), folded)
def test_every_one_edit_neighbour_meets_a_key(data: st.DataObject, written: str) -> None:
    """A stored reference one edit from the written one shares a key the look-up probes
    (storage.record_lookup): an exact or swapped form, the trailing block, or the leading
    block together with the prefix or the end of head_block_keys."""
    stored = data.draw(one_edit(written))
    assert within_one_edit(written, stored)
    keys = blocking_keys(Evidence(references=(ReferenceSeen(written, written, False),)))
    (head, prefix, end), *_ = keys.ref_heads
    stored_head, stored_tail = reference_blocks(stored)
    assert (
        stored in keys.ref_folds
        or stored_tail in keys.ref_tails
        or (stored_head == head and (stored.startswith(prefix) or stored.endswith(end)))
    )


def test_few_exact_look_ups_for_a_long_reference() -> None:
    """Of the ten neighbour-swapped forms of an 11-character reference, only the one the
    blocks cannot reach is looked up exactly, with the reference itself."""
    keys = blocking_keys(Evidence(references=(ReferenceSeen("SR259476706", "5R259476706", False),)))
    assert keys.ref_folds == {"5R259476706", "5R259477606"}


def test_head_block_keys_reach_past_the_head() -> None:
    """Both keys carry more than the five shared characters of a crowded head."""
    prefix, end = head_block_keys("RTC2601234")
    assert (prefix, end) == ("RTC2601", "234")
    assert prefix.startswith(reference_blocks("RTC2601234")[0])
