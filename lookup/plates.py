"""UK vehicle registration marks in free text.

Formats: current ("AB12 CDE"), prefix ("A123 BCD"), suffix ("ABC 123D"), dateless
("ABC 123", "1234 AB") and Northern Irish ("ABZ 1234"). People and scanners swap look-alike
characters, so a current-format mark is also read with 0/O, 1/I, 5/S, 8/B and 2/Z put
right for the position ("XY79V0B" is XY79 VOB).

Short letter-and-digit tokens are common in mail (postcodes, "A14", "P42"), so only a
current-format mark written exactly is taken on its own; every other shape, and any mark
that needed a character put right, must follow a vehicle word ("car", "reg", "vehicle").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lookup.keys import fold_key
from lookup.text_parts import Source

# A run of letters and digits: the pieces a mark is written in.
_TOKEN = re.compile(r"[0-9A-Za-z]+")

# Words that say a vehicle mark follows ("car reg df29 hkz", "for vehicle XY79V0B").
_VEHICLE_CUE = re.compile(
    r"\b(?:car|vehicle|reg|registration|plates?|vrm|van|motorbike|motorcycle|lorry|index)\b",
    re.IGNORECASE,
)

# The end of a sentence: a vehicle word in an earlier sentence does not count.
_SENTENCE_END = re.compile(r"[?!\n]|\.\s")

# How far before a mark its vehicle word may start.
_CUE_REACH = 40

# Marks kept from one text; more than this is not an enquiry about a vehicle.
_MAX_FOUND = 20

# Strict shapes, on a plate key (upper case, no spaces).
_CURRENT = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z]{3}")
_PREFIX = re.compile(r"[A-Z][0-9]{1,3}[A-Z]{3}")
_SUFFIX = re.compile(r"[A-Z]{3}[0-9]{1,3}[A-Z]")
_NORTHERN_IRISH = re.compile(r"[A-Z]{0,2}[IZ][A-Z]{0,2}[0-9]{1,4}")
_DATELESS = re.compile(r"[A-Z]{1,3}[0-9]{1,4}|[0-9]{1,4}[A-Z]{1,3}")

# Road numbers ("A14", "M1", "A1(M)"), times ("5pm") and ordinals ("2nd") look like
# dateless marks and are far more common in mail about driving; they are never marks.
_NOT_A_MARK = re.compile(r"[ABM][0-9]{1,4}M?|[0-9]{1,2}[AP]M|[0-9]{1,2}(?:ST|ND|RD|TH)")

# Look-alikes put right in the letter and digit positions of a current-format mark.
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"})
_TO_DIGIT = str.maketrans({"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2"})

# Short words that are never the letters of a mark written in two pieces ("reg 1234").
_NOT_MARK_WORDS = (
    "A AM AN AND AS AT BY CAR DOB DUE FOR FPN IN IS IT MY NIP NO OF ON OR PM PND REF REG "
    "THE TO UP VAN WAS WE"
)
_NOT_MARK_LETTERS = frozenset(_NOT_MARK_WORDS.split())


@dataclass(frozen=True, slots=True)
class PlateMention:
    """A registration mark: as written, its key, the key put right, and folded."""

    text: str
    key: str  # plate_key of the text
    corrected: str  # the key with look-alikes put right for its format
    folded: str  # fold_key of the key, comparable with folded record marks
    format: str  # "current", "prefix", "suffix", "northern_irish" or "dateless"
    source: Source
    start: int
    end: int


def find_plates(text: str, source: Source) -> list[PlateMention]:
    """Registration marks in `text` (which the caller has masked of references)."""
    tokens = [m for m in _TOKEN.finditer(text) if len(m.group(0)) <= 8]
    found: list[PlateMention] = []
    index = 0
    while index < len(tokens) and len(found) < _MAX_FOUND:
        mention, used = _plate_at(text, tokens, index, source)
        if mention is not None:
            found.append(mention)
        index += used
    return found


def _plate_at(
    text: str, tokens: list[re.Match[str]], index: int, source: Source
) -> tuple[PlateMention | None, int]:
    """The mark starting at token `index`, if any, and how many tokens it used."""
    first = tokens[index]
    if index + 1 < len(tokens):
        second = tokens[index + 1]
        if text[first.end() : second.start()] == " ":
            pair = _judge(text, first.start(), second.end(), len(first.group(0)), source)
            if pair is not None:
                return pair, 2
    return _judge(text, first.start(), first.end(), None, source), 1


def _judge(
    text: str, start: int, end: int, split: int | None, source: Source
) -> PlateMention | None:
    """A mark for text[start:end] if its shape and context allow one."""
    written = text[start:end]
    key = written.replace(" ", "").upper()  # plate_key, cheaply: tokens are alphanumeric
    if not 2 <= len(key) <= 8 or key.isalpha() or key.isdigit():
        return None
    shaped = _shape(key)
    if shaped is None:
        return None
    corrected, form = shaped
    if split is not None and not _natural_split(corrected, split, form):
        return None
    strict = form == "current" and corrected == key
    if not strict and not _VEHICLE_CUE.search(_same_sentence_before(text, start)):
        return None
    return PlateMention(written, key, corrected, fold_key(key), form, source, start, end)


def _same_sentence_before(text: str, start: int) -> str:
    """Up to `_CUE_REACH` characters before `start`, from the start of their sentence."""
    before = text[max(0, start - _CUE_REACH) : start]
    return _SENTENCE_END.split(before)[-1]


def _shape(key: str) -> tuple[str, str] | None:
    """The key put right and its format name, or None if it fits no format.

    A key that fits a format as written is taken so before any look-alike is put right:
    "A123BCD" is a prefix mark, not "AI23BCD".
    """
    if _CURRENT.fullmatch(key):
        return key, "current"
    if not _NOT_A_MARK.fullmatch(key):
        for pattern, form in (
            (_PREFIX, "prefix"),
            (_SUFFIX, "suffix"),
            (_NORTHERN_IRISH, "northern_irish"),
            (_DATELESS, "dateless"),
        ):
            if pattern.fullmatch(key):
                return key, form
    corrected = _current_corrected(key) if len(key) == 7 else None
    return None if corrected is None else (corrected, "current")


def _current_corrected(key: str) -> str | None:
    """A seven-character key read as a current-format mark, look-alikes put right."""
    corrected = (
        key[:2].translate(_TO_LETTER)
        + key[2:4].translate(_TO_DIGIT)
        + key[4:].translate(_TO_LETTER)
    )
    return corrected if _CURRENT.fullmatch(corrected) else None


def _natural_split(corrected: str, split: int, form: str) -> bool:
    """Whether a mark written in two pieces is split where that format is split."""
    if form == "current":
        return split == 4
    letters_first = corrected[:split]
    if letters_first.isalpha() and letters_first.upper() in _NOT_MARK_LETTERS:
        return False
    return corrected[split - 1].isdigit() != corrected[split].isdigit()
