"""Normalised keys for identifiers, shared by the records store and the matcher.

The store indexes records by these keys and the matcher looks enquiries up by the same
functions, so a reference written "42ab-1234523" in an email meets "42AB1234523" in an
export. Keys are deliberately strict (case, spacing and punctuation only); typo
tolerance is the matcher's job, done on candidates found through these keys.
"""

from __future__ import annotations

import re
import unicodedata

from jellyfish import soundex

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_NOT_LETTER = re.compile(r"[^a-z]")


def reference_key(reference: str) -> str:
    """Upper case, letters and digits only: `"42ab-1234 523"` becomes `"42AB1234523"`."""
    return _NOT_ALNUM.sub("", reference.upper())


def plate_key(vrm: str) -> str:
    """A vehicle registration mark without spaces or punctuation, in upper case."""
    return _NOT_ALNUM.sub("", vrm.upper())


def postcode_key(postcode: str) -> str:
    """A UK postcode without spaces, in upper case (`"nn1 5ab"` becomes `"NN15AB"`)."""
    return _NOT_ALNUM.sub("", postcode.upper())


def name_key(name: str) -> str:
    """A name folded for comparison: accents removed, lower case, letters only.

    "O'Brien", "o brien" and "Ó Briain"-style accents compare equal to their plain
    spellings, and double-barrelled names lose the hyphen ("Smith-Jones" -> "smithjones").
    """
    if name.isascii():  # most names: no accents to take off, and a million per import
        return _NOT_LETTER.sub("", name.lower())
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_LETTER.sub("", plain)


def email_key(address: str) -> str:
    """An email address trimmed and in lower case.

    The local part is case-sensitive in RFC 5321 in theory, but no mail system the public
    uses treats it so, and a clerk would call two spellings the same person.
    """
    return address.strip().lower()


# Characters that scanners and hurried typists swap for digits, mapped to the digit:
# 0/O, 1/I/L, 5/S, 8/B, 2/Z. Both stored references and enquiry text are folded this
# way, so "SR25O7O97O16" written with letter O still meets the record.
_OCR_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"})

# Length of the leading and trailing blocks of a folded reference. A reference of ten
# or more characters with one character wrong or dropped keeps one block intact, so an
# index on each block finds it without scanning (pigeonhole blocking).
BLOCK = 5


def fold_key(key: str) -> str:
    """A normalised key with OCR look-alike letters mapped to their digits."""
    return key.translate(_OCR_FOLD)


def reference_blocks(folded: str) -> tuple[str, str]:
    """The leading and trailing blocks of a folded reference, for blocking."""
    return folded[:BLOCK], folded[-BLOCK:]


# Characters at the end of a folded reference that the (head, end) index carries.
END = 3


def head_block_keys(folded: str) -> tuple[str, str]:
    """Two narrower keys that together find the references that keep the leading block
    of `folded` and are one edit away from it: those starting with the returned prefix,
    and those ending with the returned end (and sharing the head).

    A leading block can be shared by tens of thousands of references (a kind's letters
    and a year), so reading the whole block is slow and cutting it short loses records.
    An edit at position len-3 or later leaves the prefix (all but the last three
    characters) whole; an edit that finishes before the last `END` characters leaves
    those whole. The one single edit that does neither, a swap of the fourth and third
    characters from the end, is looked up exactly (`blocks_miss`). Needs at least
    2 * BLOCK - 1 characters, as blocking does, so that the prefix holds the whole head.
    """
    return folded[: len(folded) - 3], folded[-END:]


def blocks_miss(folded: str, other: str) -> bool:
    """Whether the block look-ups for `folded` (its trailing block; its leading block
    narrowed by `head_block_keys`) would not reach `other`: such a near reference must
    be looked up exactly."""
    head, tail = reference_blocks(folded)
    if other[-BLOCK:] == tail:
        return False
    prefix, end = head_block_keys(folded)
    return not (other[:BLOCK] == head and (other.startswith(prefix) or other.endswith(end)))


# Spellings that sound alike but that Soundex codes apart, folded before coding: "Mc" is
# "Mac" (Mcdonald/Macdonald), "th" is "t" (Thompson/Tomson), "ph" is "f" (Philips/
# Filips), and the silent p of "mps" goes (Thompson/Thomson, Simpson/Simson).
_SOUND_FOLDS = (("th", "t"), ("ph", "f"), ("mps", "ms"))


def name_code(key: str) -> str:
    """A phonetic blocking key for a folded name (`name_key` form): American Soundex
    (Russell and Odell; the US National Archives' rules, as `jellyfish.soundex` codes
    them, a well-kept Rust implementation) of the name after the folds above.

    Soundex is coarse on purpose: it is only ever looked up together with a date of
    birth (or its near forms), which narrows it to a handful of records, and the scoring
    then compares the names themselves. "" for an empty name.
    """
    if not key:
        return ""
    if key.startswith("mc"):
        key = "mac" + key[2:]
    for spelt, said in _SOUND_FOLDS:
        key = key.replace(spelt, said)
    return soundex(key)
