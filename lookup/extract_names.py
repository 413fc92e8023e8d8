"""Person names in enquiries (short forms of forenames are in `lookup.diminutives`).

Names are taken only where the writing says a name is there: "My name is ...", "I am
...", "... here", a title ("Mrs Andrews"), "SURNAME, Forename", the words before "dob", a
name in brackets in a chat message ("(N. Duncan)"), the line after a closing ("Regards")
or at the top of a signature, and a name alone on the last line. Free-standing
capitalised words elsewhere are not taken: every sentence starts with one. Names may be in
any script's letters (Siân, Wiśniewska).

Officers also name the person they ask about after a cue of their own ("any update on
darcie turtur?", "check on j hale", "what's happening with Ferreira"): such names are
someone the writer mentions (how="mentioned"), never the writer's own, so they can
neither verify nor block a member of the public (`lookup.evidence_from_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lookup.keys import name_key
from lookup.text_parts import Source

# Letters of any script (Siân, Wiśniewska, Ó Briain), and what may join them in a name.
_L = r"[^\W\d_]"
_NAME_CHARS = r"(?:[^\W\d_]|['’\-])"

# "My name is X Y" or "Name: X Y"; the rest of the line is parsed word by word, lower-case
# words included ("my name is john smith").
_MY_NAME = re.compile(
    r"\b(?:my[ \t]+name[ \t]+is|my[ \t]+name'?s|name[ \t]*:|fy[ \t]+enw[ \t]+i[ \t]+yw)[ \t]+"
    r"([^\n]{1,80})",
    re.IGNORECASE,
)

# "I am X Y", "I'm X Y", "This is X writing", "name X": capitalised words only, since
# "I am writing" and "this is urgent" are far more common than a name.
_SELF_INTRO = re.compile(
    r"(?:\b(?:I[ \t]+am|I'?m|im|this[ \t]+is|it'?s)|\bname)[ \t]+(?=[^\W\d_])([^\n]{1,80})",
    re.IGNORECASE,
)

# "Marion Ferreira here", "farrant here": one to three words at the start of a sentence.
_NAME_HERE = re.compile(
    rf"(?:^|(?<=[.!?])[ \t]+|(?<=\n))[ \t]*({_L}{_NAME_CHARS}{{1,30}}(?:[ \t]+{_L}{_NAME_CHARS}{{1,30}}){{0,2}})"
    r"[ \t]+here\b",
    re.MULTILINE,
)

# A title and what follows it on the line ("Miss Ross dob ...", "Mr J. Hale").
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\b\.?[ \t]+[A-Z][^\n]{0,60}")

# "SIMPSON, Mark": an upper-case surname, a comma, then capitalised forenames.
_SURNAME_FIRST = re.compile(
    r"\b[A-Z][A-Z'\-]{1,30},[ \t]+[A-Z][a-z][A-Za-z'\-]{0,30}(?:[ \t]+[A-Z][a-z][A-Za-z'\-]{0,30})?"
)

# The cue after which a date of birth is written; the name usually comes just before it.
_DOB_CUE = re.compile(r"\b(?:dob|d\.o\.b\.?|date[ \t]+of[ \t]+birth)(?![A-Za-z])", re.IGNORECASE)

# Officers' words before the person they ask about; the name follows, in any case.
_ASKED_ABOUT = re.compile(
    r"\b(?:(?:any[ \t]+)?updates?[ \t]+(?:on|re|for)|anything[ \t]+(?:on|re)|news[ \t]+on"
    r"|check(?:[ \t]+(?:on|up[ \t]+on))?|status[ \t]+(?:of|on)"
    r"|what(?:'s|’s|s|[ \t]+is)[ \t]+happening[ \t]+with|info(?:rmation)?[ \t]+on"
    r"|looking[ \t]+for|do[ \t]+we[ \t]+have)[ \t]+",
    re.IGNORECASE,
)
# After such a cue, words that say no name follows ("check if", "do we have anything").
_NOT_ASKED_WORDS = """anything something nothing any info information news details record records file
    files history him her his hers its them they he she these those someone somebody anyone
    anybody whether again back all more into over out off against how who which whats
    further advice help way reply response answer confirmation clarification"""
_NOT_ASKED = frozenset(_NOT_ASKED_WORDS.split())
_ASKED_MAX = 4

# A short bracketed phrase, as officers write the subject's name in chat.
_BRACKETED = re.compile(r"\(([^()\n]{2,60})\)")

# Words of a closing line ("Kind regards,", "Diolch / Thanks,", "With thanks and best
# wishes,", "Anyway, thanks for reading all this,"), after which the next line is the
# writer's name.
_CLOSING_WORD = re.compile(
    r"\b(?:regards|rgds|thanks|thank[ \t]+you|thankyou|thx|cheers|ta|wishes|sincerely|"
    r"faithfully|truly|best|diolch|cofion|gywir|respectfully|disgusted)\b",
    re.IGNORECASE,
)
_CLOSING_WORDS_MAX = 7

# A closing written on the same line as the name ("Regards, Anne Graham").
_INLINE_CLOSING = re.compile(
    r"^(?:(?:kind|best|warm|many|with)[ \t]+)?(?:regards|thanks|thank[ \t]+you|cheers|wishes|"
    r"yours[ \t]+(?:sincerely|faithfully|truly)|sincerely)[ \t]*[,.!\-]?[ \t]+",
    re.IGNORECASE,
)

# A date at the end of a sign-off line ("Anne Graham, 12/03/1958"): the writer's own
# date of birth, which `lookup.extract_dates` reads; here it only has to be set aside.
_TRAILING_DATE = re.compile(
    r"[ \t,;\-]*(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}(?:st|nd|rd|th)?[ \t]+[A-Za-z]{3,9}\.?,?[ \t]+\d{4}"
    r"|[A-Za-z]{3,9}\.?[ \t]+\d{1,2}(?:st|nd|rd|th)?,?[ \t]+\d{4})[ \t.]*$"
)

# The end of a sentence or a closing, after which a line that is only a name is the
# writer's sign-off ("... is p348473356.\nLiz Jenkins", "Disgusted,\nLiz Jenkins", "asap
# ref SR236623336 ta\nWill Thornbury").
_SENTENCE_END = re.compile(r"(?:[.?!:),]|\b(?:ta|thx|thanks|cheers|regards))[ \t]*$", re.IGNORECASE)

# One word of a name with what follows it: a comma, or a full stop ending an initial.
_WORD = re.compile(rf"[ \t]*(?:(,)|({_L}{_NAME_CHARS}{{0,30}})(\.)?)")

_TITLES = {"mr": "Mr", "mrs": "Mrs", "ms": "Ms", "miss": "Miss", "mx": "Mx", "dr": "Dr"}

# Words that end a name or show that what looked like one is not.
_NOT_NAME_WORDS = """a about am an and any are as at be best birth born by can car case check cheers could court
    faithfully love rgds ta thx truly warm warmest wishes x xx yours im i'm writing here
    sorry afraid unable british english welsh scottish irish polish just also again now
    told asking enquiring emailing contacting disgusted anyway cofion diolch yn gywir
    date dear desk do dob email fine fixed for from good has have hello hi hope i if in is it
    kind licence many me morning my name need no not notice of offender on or our paid
    penalty please postcode re ref reg regarding regards sent sincerely sir madam so status
    still summons thank thanks that the their there this ticket to u up update urgent us
    vehicle was we what when where why with yes you your"""
_NOT_NAME = frozenset(_NOT_NAME_WORDS.split())

# A piece of text that could be one word of a name ("O'Brien", "Smith-Jones").
_NAME_PIECE = re.compile(rf"{_L}{_NAME_CHARS}{{0,30}}")

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
    # "my_name_is", "title", "surname_first", "before_dob", "bracketed", "sign_off" or
    # "mentioned" (after an officer's cue: someone the writer asks about)
    how: str


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
        # One word will do ("any update on waller dob ..."): surname or forename, which
        # only the comparison with a record can tell (lookup.score, officers' levels).
        _add(found, _before(text, match.start()), source, "before_dob", min_words=1)
    for match in _ASKED_ABOUT.finditer(text):
        _add(found, _asked_about(text, match.end()), source, "mentioned")
    for match in _BRACKETED.finditer(text):
        parsed = _parse(match.group(1), lenient=False)
        if parsed is not None and parsed.consumed == len(match.group(1).rstrip()):
            _add(found, parsed, source, "bracketed", min_words=2)
    for match in _SELF_INTRO.finditer(text):
        parsed = _parse(match.group(1), lenient=False)
        if parsed is not None and parsed.title is None:
            _add(found, parsed, source, "my_name_is")
    for match in _NAME_HERE.finditer(text):
        _add(found, _parse(match.group(1), lenient=True), source, "my_name_is")
    for line in _lines_after_closings(text):
        _add(found, _whole_line(line), source, "sign_off", min_words=1)
    if signature:
        first_line = text.strip().split("\n", 1)[0] if text.strip() else ""
        _add(found, _whole_line(first_line), source, "sign_off", min_words=1)
    _add(found, _last_lines_name(text), source, "sign_off", min_words=1)
    return found


def _lines_after_closings(text: str) -> list[str]:
    """The line after each closing line: where the writer signs their name."""
    lines = text.split("\n")
    after: list[str] = []
    for i, line in enumerate(lines[:-1]):
        words = line.split()
        if not words or len(words) > _CLOSING_WORDS_MAX or any(c.isdigit() for c in line):
            continue
        if _CLOSING_WORD.search(line) is None:
            continue
        following = next((later for later in lines[i + 1 : i + 3] if later.strip()), "")
        if following:
            after.append(following)
    return after


def _last_lines_name(text: str) -> _Parsed | None:
    """The writer's name on the last lines, with no "Regards" line above it.

    People end with "Anne Graham\n12/03/1958", "Regards, Anne Graham, 12/03/1958" or a
    bare "Anne Graham" after their last sentence. A name line followed by an address is
    not taken here (the last line is then a town, not a name), and a single word is taken
    only after a closing on the same line ("Thanks, Ben").
    """
    lines = [line.strip() for line in text[-600:].split("\n") if line.strip()]
    if not lines:
        return None
    last = lines[-1]
    undated = _TRAILING_DATE.sub("", last)
    had_date = undated != last
    candidate, previous = undated, lines[-2] if len(lines) > 1 else ""
    if not candidate.strip(" ,.") and had_date and previous:
        candidate, previous = previous, lines[-3] if len(lines) > 2 else ""
    closing = _INLINE_CLOSING.match(candidate)
    if closing is not None:
        candidate = candidate[closing.end() :]
    parsed = _whole_line(candidate)
    if parsed is None or not parsed.words:
        return None
    if closing is not None or had_date:
        return parsed
    if len(parsed.words) >= 2 and (
        _SENTENCE_END.search(previous) or _ends_with_reference(previous)
    ):
        return parsed
    return None


# A reference, alone or ending a line ("Ref: sr215357097"), before the name line.
_LINE_ENDS_WITH_NUMBER = re.compile(r"[0-9][0-9A-Za-z]{5,}[ \t.]*$")


def _ends_with_reference(line: str) -> bool:
    return _LINE_ENDS_WITH_NUMBER.search(line) is not None


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
        # An initial: "J. Hale", "J Hale", and in lower-case chat "j hale dob ...".
        single = dot or word.isupper() or lenient
        if len(word) == 1 and word.isalpha() and not surname_first and single:
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


# One word after an officer's cue, with what ends it: a space, punctuation, the line's
# end. A word running into digits ("fp123") is a reference, not a name.
_ASKED_WORD = re.compile(rf"({_L}{_NAME_CHARS}{{0,30}})(\.)?(?=[ \t]|[,;:!?)(\]\n]|\.|$)")


def _asked_about(text: str, start: int) -> _Parsed | None:
    """The name after an officer's cue ("any update on darcie turtur?"), one to four
    words, up to "dob" (the words before it are `_before`'s), punctuation, a date, a
    reference or a word that is no name.
    """
    line = text[start : start + 80].split("\n", 1)[0]
    taken: list[str] = []
    pos = 0
    while len(taken) < _ASKED_MAX:
        if _DOB_CUE.match(line, pos):
            return None  # the words before "dob" are read there, as without a cue
        match = _ASKED_WORD.match(line, pos)
        if match is None:
            break
        word, dot = match.groups()
        lower = word.lower()
        if lower in _NOT_NAME or lower in _NOT_ASKED:
            break
        taken.append(word + (dot or ""))
        pos = match.end()
        if dot and len(word) > 1:
            break  # a full stop after a whole word ends the sentence
        following = line[pos:]
        gap = len(following) - len(following.lstrip(" \t"))
        if not gap:
            break  # punctuation or the end of the line ends the name
        pos += gap
    if not taken or _DOB_CUE.match(line, pos):
        return None
    return _parse(" ".join(taken), lenient=True)


def _whole_line(line: str) -> _Parsed | None:
    """A name that is the whole of a sign-off line, capitalised, or None."""
    clean = line.strip().rstrip(",.")
    if not clean or len(clean.split()) > 4:
        return None
    # A writer who types in lower case signs in lower case too ("cheers\njimmy prothero").
    parsed = _parse(clean, lenient=clean.islower())
    if parsed is None or parsed.consumed < len(clean):
        return None
    return parsed


def _tidy(word: str) -> str:
    """ "hugh" and "SIMPSON" as "Hugh" and "Simpson"; mixed case ("McDonald") kept."""
    if not (word.islower() or word.isupper()):
        return word
    return re.sub(rf"{_L}+", lambda m: m.group(0).capitalize(), word)
