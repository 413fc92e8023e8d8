"""Person names in enquiries, and the usual short forms of forenames.

Names are taken only where the writing says a name is there: "My name is ...", a title
("Mrs Andrews"), "SURNAME, Forename", the words before "dob", a name in brackets in a chat
message ("(N. Duncan)"), and the line after a closing ("Regards") or at the top of a
signature. Free-standing capitalised words are not taken: every sentence starts with one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lookup.keys import name_key
from lookup.text_parts import Source

# "My name is X Y" or "Name: X Y"; the rest of the line is parsed word by word.
_MY_NAME = re.compile(r"\b(?:my[ \t]+name[ \t]+is|name[ \t]*:)[ \t]+([^\n]{1,80})", re.IGNORECASE)

# A title and what follows it on the line ("Miss Ross dob ...", "Mr J. Hale").
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\b\.?[ \t]+[A-Z][^\n]{0,60}")

# "SIMPSON, Mark": an upper-case surname, a comma, then capitalised forenames.
_SURNAME_FIRST = re.compile(
    r"\b[A-Z][A-Z'\-]{1,30},[ \t]+[A-Z][a-z][A-Za-z'\-]{0,30}(?:[ \t]+[A-Z][a-z][A-Za-z'\-]{0,30})?"
)

# The cue after which a date of birth is written; the name usually comes just before it.
_DOB_CUE = re.compile(r"\b(?:dob|d\.o\.b\.?|date[ \t]+of[ \t]+birth)(?![A-Za-z])", re.IGNORECASE)

# A short bracketed phrase, as officers write the subject's name in chat.
_BRACKETED = re.compile(r"\(([^()\n]{2,60})\)")

# A closing line, after which the writer's name comes on the next line.
_CLOSING = re.compile(
    r"^[ \t]*(?:(?:kind|best|warm|many|with)[ \t]+)?(?:regards|thanks|thank[ \t]+you|cheers|"
    r"wishes|yours[ \t]+(?:sincerely|faithfully|truly)|sincerely|best)[ \t]*[,.!]?[ \t]*\n"
    r"[ \t]*([^\n]{1,60})",
    re.IGNORECASE | re.MULTILINE,
)

# One word of a name with what follows it: a comma, or a full stop ending an initial.
_WORD = re.compile(r"[ \t]*(?:(,)|([A-Za-z][A-Za-z'’\-]{0,30})(\.)?)")

_TITLES = {"mr": "Mr", "mrs": "Mrs", "ms": "Ms", "miss": "Miss", "mx": "Mx", "dr": "Dr"}

# Words that end a name or show that what looked like one is not.
_NOT_NAME_WORDS = """a about am an and any are as at be birth born by can car case check cheers could court
    date dear desk do dob email fine fixed for from good has have hello hi hope i if in is it
    kind licence many me morning my name need no not notice of offender on or our paid
    penalty please postcode re ref reg regarding regards sent sincerely sir madam so status
    still summons thank thanks that the their there this ticket to u up update urgent us
    vehicle was we what when where why with yes you your"""
_NOT_NAME = frozenset(_NOT_NAME_WORDS.split())

# A piece of text that could be one word of a name ("O'Brien", "Smith-Jones").
_NAME_PIECE = re.compile(r"[A-Za-z][A-Za-z'’\-]{0,30}")

_MAX_WORDS = 5


@dataclass(frozen=True, slots=True)
class NameMention:
    """A person's name; `surname` is "" when only a forename was given."""

    title: str | None
    forenames: tuple[str, ...]
    initials: str  # first letters of the forenames, including ones written as initials
    surname: str
    surname_key: str
    source: Source
    how: str  # "my_name_is", "title", "surname_first", "before_dob", "bracketed", "sign_off"


@dataclass(frozen=True, slots=True)
class _Parsed:
    title: str | None
    words: tuple[str, ...]  # full words in writing order
    initials: tuple[str, ...]  # initials written as such, in order
    surname_first: bool
    consumed: int  # characters of the chunk read


def find_names(text: str, source: Source, *, signature: bool = False) -> list[NameMention]:
    """Names in `text`, in the order of the rules above; duplicates are left in."""
    found: list[NameMention] = []
    for match in _MY_NAME.finditer(text):
        _add(found, _parse(match.group(1), lenient=True), source, "my_name_is")
    for match in _TITLED.finditer(text):
        _add(found, _parse(match.group(0), lenient=False), source, "title")
    for match in _SURNAME_FIRST.finditer(text):
        _add(found, _parse(match.group(0), lenient=False), source, "surname_first")
    for match in _DOB_CUE.finditer(text):
        _add(found, _before(text, match.start()), source, "before_dob", min_words=2)
    for match in _BRACKETED.finditer(text):
        parsed = _parse(match.group(1), lenient=False)
        if parsed is not None and parsed.consumed == len(match.group(1).rstrip()):
            _add(found, parsed, source, "bracketed", min_words=2)
    for match in _CLOSING.finditer(text):
        _add(found, _whole_line(match.group(1)), source, "sign_off", min_words=1)
    if signature:
        first_line = text.strip().split("\n", 1)[0] if text.strip() else ""
        _add(found, _whole_line(first_line), source, "sign_off", min_words=1)
    return found


def _add(
    found: list[NameMention],
    parsed: _Parsed | None,
    source: Source,
    how: str,
    min_words: int = 1,
) -> None:
    """Append the mention built from `parsed` if it has enough of a name."""
    if parsed is None:
        return
    pieces = len(parsed.words) + len(parsed.initials) + (parsed.title is not None)
    if pieces < min_words or not parsed.words:
        return
    found.append(_mention(parsed, source, how))


def _mention(parsed: _Parsed, source: Source, how: str) -> NameMention:
    words = [_tidy(word) for word in parsed.words]
    if parsed.surname_first:
        surname, forenames = words[0], tuple(words[1:])
    elif len(words) == 1 and parsed.title is None and not parsed.initials:
        surname, forenames = "", (words[0],)  # a forename alone, as in "Thanks\nBen"
    else:
        surname, forenames = words[-1], tuple(words[:-1])
    initials = "".join(parsed.initials) + "".join(f[0] for f in forenames)
    return NameMention(
        title=parsed.title,
        forenames=forenames,
        initials=initials.upper(),
        surname=surname,
        surname_key=name_key(surname),
        source=source,
        how=how,
    )


def _parse(chunk: str, *, lenient: bool) -> _Parsed | None:
    """Read a name from the start of `chunk`; `lenient` accepts lower-case words."""
    title: str | None = None
    words: list[str] = []
    initials: list[str] = []
    surname_first = False
    pos = 0
    while len(words) + len(initials) < _MAX_WORDS:
        match = _WORD.match(chunk, pos)
        if match is None:
            break
        comma, word, dot = match.groups()
        if comma:
            if len(words) == 1 and not initials and words[0].isupper() and not surname_first:
                surname_first = True
                pos = match.end()
                continue
            break
        lower = word.lower()
        if not words and not initials and title is None and lower in _TITLES:
            title, pos = _TITLES[lower], match.end()
            continue
        if len(word) == 1 and word.isalpha() and not surname_first and (dot or word.isupper()):
            initials.append(word.upper())
            pos = match.end()
            continue
        if lower in _NOT_NAME or not (lenient or word[0].isupper()) or len(word) < 2:
            break
        words.append(word)
        pos = match.end() - (1 if dot else 0)
        if dot:
            break  # a full stop after a whole word ends the sentence, and the name
    if surname_first and len(words) < 2:
        return None
    return _Parsed(title, tuple(words), tuple(initials), surname_first, pos)


def _before(text: str, end: int) -> _Parsed | None:
    """The name written just before position `end` ("graeme kelly dob ...")."""
    start = max(0, end - 60)
    line = text[start:end].rsplit("\n", 1)[-1].rstrip(" \t,:")
    if not line or not (line[-1].isalpha()):
        return None
    pieces = line.split()
    taken: list[str] = []
    for piece in reversed(pieces):
        bare = piece.rstrip(".")
        if not _NAME_PIECE.fullmatch(bare):
            break
        if bare.lower() in _NOT_NAME or len(taken) == _MAX_WORDS:
            break
        taken.append(piece)
        if bare.lower() in _TITLES:
            break
    if not taken:
        return None
    return _parse(" ".join(reversed(taken)), lenient=True)


def _whole_line(line: str) -> _Parsed | None:
    """A name that is the whole of a sign-off line, capitalised, or None."""
    clean = line.strip().rstrip(",.")
    if not clean or len(clean.split()) > 4:
        return None
    parsed = _parse(clean, lenient=False)
    if parsed is None or parsed.consumed < len(clean):
        return None
    return parsed


def _tidy(word: str) -> str:
    """ "hugh" and "SIMPSON" as "Hugh" and "Simpson"; mixed case ("McDonald") kept."""
    if not (word.islower() or word.isupper()):
        return word
    return re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize(), word)


# Forenames and their common short forms; each group is one person's possible names.
_NICKNAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("robert", "bob", "bobby", "rob", "robbie", "bert"),
    ("william", "bill", "billy", "will", "willie", "liam"),
    ("elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby", "lisa"),
    ("katherine", "catherine", "kathryn", "kate", "kath", "kathy", "katie", "cathy", "kat"),
    ("james", "jim", "jimmy", "jamie"),
    ("michael", "mike", "mick", "mickey"),
    ("david", "dave", "davie"),
    ("stephen", "steven", "steve", "stevie"),
    ("thomas", "tom", "tommy"),
    ("susan", "sue", "susie", "suzanne"),
    ("christopher", "chris", "kit"),
    ("christine", "chris", "chrissie", "christina"),
    ("samuel", "sam", "sammy"),
    ("samantha", "sam", "sammy"),
    ("alexander", "alex", "alec", "sandy"),
    ("alexandra", "alex", "alexa", "sandra", "sandy"),
    ("andrew", "andy", "drew"),
    ("anthony", "tony"),
    ("benjamin", "ben", "benny"),
    ("charles", "charlie", "chas", "chuck"),
    ("daniel", "dan", "danny"),
    ("edward", "ed", "eddie", "ted", "ned"),
    ("frederick", "fred", "freddie"),
    ("gregory", "greg"),
    ("jennifer", "jenny", "jen"),
    ("jonathan", "jon", "jonny"),
    ("john", "jack", "johnny"),
    ("joseph", "joe", "joey"),
    ("joshua", "josh"),
    ("kenneth", "ken", "kenny"),
    ("margaret", "maggie", "meg", "peggy", "marge"),
    ("matthew", "matt"),
    ("nicholas", "nick", "nicky"),
    ("nicola", "nicky", "nikki"),
    ("patrick", "pat", "paddy"),
    ("patricia", "pat", "patty", "trish"),
    ("peter", "pete"),
    ("philip", "phillip", "phil"),
    ("rebecca", "becky", "becca"),
    ("richard", "rich", "rick", "dick", "richie"),
    ("ronald", "ron", "ronnie"),
    ("timothy", "tim", "timmy"),
    ("victoria", "vicky", "vicki", "tori"),
    ("deborah", "debbie", "deb", "debra"),
    ("jacqueline", "jackie"),
    ("abigail", "abbie", "abby"),
    ("gareth", "gaz"),
    ("graham", "graeme"),
)

_VARIANTS: dict[str, frozenset[str]] = {}
for _group in _NICKNAME_GROUPS:
    for _name in _group:
        _VARIANTS[_name] = _VARIANTS.get(_name, frozenset()) | frozenset(_group)


def forename_variants(name: str) -> frozenset[str]:
    """The name and its usual long and short forms, as name keys ("Bob" -> bob, robert...)."""
    key = name_key(name)
    if not key:
        return frozenset()
    return _VARIANTS.get(key, frozenset()) | {key}
