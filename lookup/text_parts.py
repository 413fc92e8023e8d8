"""Split an email or chat body into what the writer wrote now, quoted mail and sign-off.

An identifier the writer typed is evidence about them; one in a quoted earlier message may
be someone else's (a forwarded ticket, a neighbour's reply quoted back in French), and a
signature holds the writer's name but also disclaimers and phone numbers. The matcher
weighs each part differently, so extraction needs to know where every identifier came from.

HTML bodies (the batch input may be HTML) are split by structure first
(`lookup.html_quotes`): the quoted stretches come out as "> " lines, and the plain-text
rules below then read the writer's part like any other text.

The plain-text rules, in order:

- a *cut*: a divider line ("-----Original Message-----", "-----Message d'origine-----",
  "---------- Forwarded message ---------", "Begin forwarded message:", a row of
  underscores) or an Outlook-style header block in any language (three to six "Label:
  value" lines, the first label short, a value holding an e-mail address or a time of
  day, as "De : … / Envoyé : … / À : … / Objet :"). Everything from it on is quoted;
- a *reply header* ("On … wrote:" and its counterparts in Welsh, French, German, Spanish,
  Italian, Dutch, Polish, Portuguese and Romanian, also wrapped over two lines). When
  ">" lines follow it, the header and those lines are quoted and what comes after them is
  the writer's again (bottom posting, inline replies); with no ">" marks after it,
  everything from it on is quoted. A line that ends "… <a@b.example> wrote:" without the
  usual opening words counts only when ">" lines follow;
- any other ">" line is quoted, and so is the attribution line just above a ">" block
  ("26.06.2014, 14:41, "Alexander L" <abc@example.com>:");
- the signature starts at an RFC 3676 "-- " line or a mobile footer or disclaimer.

Cost: every pattern is anchored at a line start and every repeat is bounded (or
possessive, so it never gives back what it took), so each attempt at a position costs at
most a few hundred steps and a whole-text scan is linear in the length of the text. The
loops over matches walk forward only, and the header-block check stops after
`_MAX_BLOCK_CANDIDATES` look-alikes, so hostile bodies (a megabyte of "From: a" lines)
split as fast as prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lookup.html_quotes import DIVIDER, looks_like_html, quote_marked_text

Source = Literal["own", "quoted", "signature"]

# Language pairs of reply-header opening and verb, as mail programs localise "On <date>,
# <name> wrote:". Pairing them keeps an English sentence starting "In" or "Am" from
# being read with another language's verb.
_HEADER_PAIRS = (
    (r"On", r"wrote"),
    (r"Ar", r"ysgrifennodd"),
    (r"Le", r"a[ \t\xa0]+[ée]crit"),
    (r"Am", r"schrieb"),
    (r"El", r"escribi[óo]"),
    (r"Il", r"ha[ \t\xa0]+scritto"),
    (r"Op", r"(?:schreef|heeft[^\n]{1,200}?het[ \t]volgende[ \t]geschreven)"),
    (r"W[ \t\xa0]+dniu", r"(?:pisze|napisa[łl](?:\(a\)|a)?)"),
    (r"Em", r"escreveu"),
    (r"[ÎI]n", r"a[ \t\xa0]+scris"),
    (r"Den", r"skrev"),  # Swedish, Norwegian, Danish
)
# Any of the verbs, for attribution lines without the opening word ("Jane <j@x> wrote:").
_VERBS = "|".join([*(verb for _, verb in _HEADER_PAIRS), r"написал[аи]?", r"kirjoitti"])

# One line, or up to three when the mail program wrapped it (a long address on a line of
# its own); the verb may start a line.
_SPAN = r"(?:[^\n]{1,300}?|[^\n]{0,300}\n(?:[^\n]{0,300}\n)?[^\n]{0,300}?)"
# After the verb: the name, perhaps wrapped onto the next line, and the colon.
_TAIL = r"(?:\s[^\n]{0,200}?(?:\n[^\n]{0,200}?)?)?[ \t\xa0]*:[ \t]*$"
_REPLY_HEADER = re.compile(
    r"^[ \t]*(?:-{2,3}[ \t]*)?(?:"
    + "|".join(rf"{intro}[ \t\xa0]{_SPAN}(?<!\S){verb}" for intro, verb in _HEADER_PAIRS)
    + rf"){_TAIL}"
    + rf"|(?P<bare>^[ \t]*(?=[^\n]{{0,300}}?[@\d])[^\n]{{1,300}}?(?<!\S)(?:{_VERBS}){_TAIL})",
    re.MULTILINE | re.IGNORECASE,
)

_DIVIDER_LINE = re.compile(
    rf"^[ \t\xa0]*(?:{DIVIDER})[ \t\xa0]*$", re.MULTILINE | re.IGNORECASE | re.VERBOSE
)

# An Outlook-style header block: three to six "Label: value" lines; labels of up to
# three words ("Oddi wrth", "Date of birth"), bold marks as a text renderer writes them.
_LABEL = r"\*{0,2}[^\W\d_][^\W\d_'’.-]{0,19}(?:[ '’.-][^\W\d_]{1,19}){0,2}\*{0,2}[ \t\xa0]?:\*{0,2}"
_FIELD = rf"[ \t]*{_LABEL}(?:[ \t\xa0][^\n]{{0,400}}+)?"
_HEADER_BLOCK = re.compile(rf"^(?:{_FIELD}\n){{2,5}}{_FIELD}$", re.MULTILINE)
_FIELD_LINE = re.compile(rf"[ \t]*(?P<label>{_LABEL})(?P<value>[^\n]*)")
# Outlook writes the whole block on one line when a renderer drops its breaks.
_ONE_LINE_BLOCK = re.compile(
    r"^[ \t]*\*?From:\*?[ \t][^\n]{1,300}?[ \t]\*?(?:Sent|Date):\*?[ \t]",
    re.MULTILINE | re.IGNORECASE,
)
_EMAIL = re.compile(r"[^\s@<>()\[\]]{1,64}@[^\s@<>()\[\]]{1,255}\.[^\W\d_]{2,}")
_TIME_OF_DAY = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:.h][0-5]\d(?!\d)")
# Labels a writer uses to give their own details, never found in a mail header block:
# "Name: … / Email: … / Reference: …" is the writer's own text, not a quoted message.
_OWN_LABELS = frozenset(
    {
        *[
            "name",
            "surname",
            "forename",
            "forenames",
            "reference",
            "ref",
            "ticket",
            "notice",
            "case",
        ],
        *["registration", "reg", "vehicle", "plate", "dob", "birth", "postcode", "address"],
        *["phone", "tel", "telephone", "mobile", "email", "e-mail"],
        *("full name", "first name", "last name", "date of birth", "post code"),
    }
)
_FIRST_LABEL_MAX = 16
# Look-alike blocks checked before giving up (a form of 200 "Key: value" lines is not mail).
_MAX_BLOCK_CANDIDATES = 200
# Reply headers followed before the rest is taken as quoted.
_MAX_REPLY_HEADERS = 200

# Lines tried as reply headers before giving up (hostile bodies of "x:" lines).
_MAX_COLON_LINES = 5000
_LINE_ENDS_WITH_COLON = re.compile(r":[ \t]*$", re.MULTILINE)

# A run of ">" lines with the blank lines among them, from the end of a reply header.
_QUOTED_BLOCK = re.compile(r"\n?(?:[ \t]*\n)*+(?:[ \t]*>[^\n]*+\n?(?:[ \t]*\n)*+)++")
# An attribution line just above a ">" block: ends with ":" and names an address or a
# time, or (old Gmail) gives a date and an address in angle brackets with no colon.
_ATTRIBUTION = re.compile(
    r"[^\n]{0,300}?(?:@|\d[:.]\d\d)[^\n]{0,300}?:[ \t]*"
    r"|[^\n]{0,100}?\d[^\n]{0,200}?<[^<>@\s]{1,64}@[^<>\s]{1,255}>[ \t]*"
)
# The first line of an attribution wrapped in two ("… Postmaster <" / "a@b.example>:").
_WRAPPED_OPEN = re.compile(r"[^\n]{0,300}?(?:<|\(|\[mailto:)[ \t]*")

# The "-- " signature delimiter (RFC 3676): the signature starts on the next line.
_SIG_DELIMITER = re.compile(r"^--[ ]?$", re.MULTILINE)

# Footers and disclaimers that start a signature block on their own line.
_SIG_FOOTER = re.compile(
    r"""
    ^[ \t]*(?:
        Sent[ \t]from[ \t](?:my[ \t]\S|Mail[ \t]for|Outlook|Yahoo|AOL|Samsung)
      | Get[ \t]Outlook[ \t]for[ \t]
      | (?:Envoy[ée][ \t](?:de|depuis)|Enviado[ \t](?:desde|do|de)|Inviato[ \t]da
          |Verzonden[ \t]met|Verstuurd[ \t]vanaf|Wys[łl]ane[ \t]z|Trimis[ \t]de[ \t]pe
          |Anfonwyd[ \t]o)[ \t][^\n]{0,40}?(?:iPhone|iPad|Android|Samsung|Galaxy|Outlook|mobile)
      | Von[ \t]meinem[ \t][^\n]{0,40}?gesendet
      | (?:This|The[ \t]information[ \t]in[ \t]this)[ \t]e-?mail[^\n]{0,120}?(?:confidential|intended)
      | This[ \t]message[^\n]{0,120}?(?:confidential|intended)
      | CONFIDENTIAL(?:ITY)?[ \t]+NOTICE
      | DISCLAIMER\b
    )
    """,
    re.MULTILINE | re.IGNORECASE | re.VERBOSE,
)

# The ">" marks themselves, removed from quoted text so its identifiers read normally.
_QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class MessageParts:
    """A message body in three parts; each is stripped, and empty when absent."""

    own: str
    quoted: str
    signature: str


def split_message(text: str) -> MessageParts:
    """Split `text` into the writer's own words, quoted earlier mail and the sign-off."""
    body = text.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(body):
        body = quote_marked_text(body)
    current, quoted = _cut_at_quotes(body)
    own, signature = _cut_at_signature(current)
    own, inline_quotes = _take_quoted_lines(own)
    signature, sig_quotes = _take_quoted_lines(signature)
    quoted_parts = [
        inline_quotes,
        sig_quotes,
        _QUOTE_MARKS.sub("", quoted) if ">" in quoted else quoted,
    ]
    return MessageParts(
        own=own.strip(),
        quoted="\n".join(part for part in quoted_parts if part).strip(),
        signature=signature.strip(),
    )


def _cut_at_quotes(body: str) -> tuple[str, str]:
    """The writer's text (bottom-posted and inline parts included) and the quoted text."""
    cut = _first_cut(body)
    own: list[str] = []
    quoted: list[str] = []
    position = 0
    followed = 0
    for header in _reply_headers(body, cut):
        if header.start() < position:
            continue  # inside a ">" block already taken
        block = _QUOTED_BLOCK.match(body, header.end())
        if block is None or ">" not in body[header.end() : block.end()]:
            if header.group("bare") is not None:
                continue  # "… <a@b> wrote:" with no ">" after it: an ordinary sentence
            cut = header.start()  # unmarked quote (Outlook, Apple Mail): the rest is quoted
            break
        followed += 1
        if followed > _MAX_REPLY_HEADERS:
            cut = header.start()
            break
        own.append(body[position : header.start()])
        quoted.append(body[header.start() : block.end()])
        position = block.end()
    own.append(body[position:cut])
    quoted.append(body[cut:])
    return "".join(own), "\n".join(part for part in quoted if part)


def _reply_headers(body: str, end: int) -> Iterator[re.Match[str]]:
    """Reply headers before `end`, in order.

    A header ends its line with ":", so only such lines are tried (the header regex is
    the costliest here, and few lines of prose end with a colon), each at its own start
    and, for a wrapped header, at the start of the line before.
    """
    for tried, colon in enumerate(_LINE_ENDS_WITH_COLON.finditer(body, 0, end)):
        if tried >= _MAX_COLON_LINES:
            return
        line_start = body.rfind("\n", 0, colon.start()) + 1
        header = None
        start = line_start
        # A header wrapped from the lines before comes first (two at most).
        for _ in range(2):
            if start == 0:
                break
            start = body.rfind("\n", 0, start - 1) + 1
            found = _REPLY_HEADER.match(body, start)
            if found is not None and found.end() >= line_start:
                header = found
        if header is None:
            header = _REPLY_HEADER.match(body, line_start)
        if header is not None:
            yield header


def _first_cut(body: str) -> int:
    """Where the earliest divider or header block starts (the text's length if none)."""
    starts = [len(body)]
    divider = _DIVIDER_LINE.search(body)
    if divider is not None:
        starts.append(divider.start())
    one_line = _ONE_LINE_BLOCK.search(body, 0, min(starts))
    if one_line is not None:
        starts.append(one_line.start())
    for seen, block in enumerate(_HEADER_BLOCK.finditer(body, 0, min(starts))):
        if seen >= _MAX_BLOCK_CANDIDATES:
            break
        if _is_header_block(block.group(0)):
            starts.append(block.start())
            break
    return min(starts)


def _is_header_block(block: str) -> bool:
    """Whether "Label: value" lines have the shape of a quoted message's header block."""
    fields = [_FIELD_LINE.match(line) for line in block.split("\n")]
    labels = [_label(field.group("label")) if field else "" for field in fields]
    values = [field.group("value") if field else "" for field in fields]
    if len(labels[0]) > _FIRST_LABEL_MAX or any(label in _OWN_LABELS for label in labels):
        return False
    return any(_EMAIL.search(value) or _TIME_OF_DAY.search(value) for value in values)


def _label(raw: str) -> str:
    return " ".join(raw.strip("*: \t\xa0").replace("*", "").lower().split())


def _cut_at_signature(current: str) -> tuple[str, str]:
    """The writer's text and the signature block after a delimiter or footer."""
    delimiter = _SIG_DELIMITER.search(current)
    footer = _SIG_FOOTER.search(current)
    if delimiter is not None and (footer is None or delimiter.start() <= footer.start()):
        return current[: delimiter.start()], current[delimiter.end() :]
    if footer is not None:
        return current[: footer.start()], current[footer.start() :]
    return current, ""


def _take_quoted_lines(part: str) -> tuple[str, str]:
    """`part` without its ">" lines, and those lines without their marks.

    Inline replies keep both sides. The attribution line just above a ">" block goes
    with it.
    """
    if ">" not in part:
        return part, ""
    kept: list[str] = []
    taken: list[str] = []
    in_block = False
    for line in part.split("\n"):
        if not line.lstrip(" \t").startswith(">"):
            kept.append(line)
            in_block = False
            continue
        if not in_block:
            _take_attribution(kept, taken)
            in_block = True
        taken.append(line.lstrip(" \t>"))
    return "\n".join(kept), "\n".join(taken)


def _take_attribution(kept: list[str], taken: list[str]) -> None:
    """Move an attribution line (and blank lines after it) from `kept` to `taken`."""
    index = len(kept) - 1
    while index >= 0 and not kept[index].strip() and len(kept) - index <= 2:
        index -= 1
    if index < 0:
        return
    line = kept[index].strip()
    if index > 0 and _WRAPPED_OPEN.fullmatch(kept[index - 1].strip()) is not None:
        joined = f"{kept[index - 1].strip()}{line}"
        if _ATTRIBUTION.fullmatch(joined) is not None:
            taken.extend(kept[index - 1 :])
            del kept[index - 1 :]
            return
    if _ATTRIBUTION.fullmatch(line) is not None:
        taken.extend(kept[index:])
        del kept[index:]
