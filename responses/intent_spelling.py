"""Which words of a message may be typos: only those that are not English words.

Fuzzy matching against the cue words is what lets "recieved my lisence" read as sending
documents, but applied to every word it turns real words into cues ("case" into "chase",
"Charlene" into "challenge", "appealed" into "appalled"). A word found in an English
frequency dictionary is taken as written; only the rest may be corrected.

The dictionary is pyspellchecker's English word list, shipped inside the installed
package (about 0.1 s to load, once, on first use); nothing is fetched at run time.
"""

from __future__ import annotations

from functools import lru_cache

from spellchecker import SpellChecker

__all__ = ["is_english_word"]


@lru_cache(maxsize=1)
def _dictionary() -> SpellChecker:
    # distance=1 keeps construction cheap; only membership is used here.
    return SpellChecker(language="en", distance=1)


@lru_cache(maxsize=16384)
def is_english_word(word: str) -> bool:
    """True when `word` (lower case, letters only) is in the English word list."""
    return word in _dictionary()
