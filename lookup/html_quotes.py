"""Split an HTML mail body into the writer's own part and the earlier messages it quotes.

Mail programs mark what they quote by structure, and the structure is a surer guide than
the header text above a quote, whose words are localised. Two kinds of mark are read:

- a *container* holds a quote: `<blockquote>` (Apple's `type="cite"` included), Gmail's
  `div.gmail_quote` and `gmail_attr`, Thunderbird's `div.moz-cite-prefix`, Yahoo's
  `yahoo_quoted`. Text after the container that is not inside another one is the
  writer's again (bottom posting, inline replies);
- a *divider* starts the earlier message and everything after it is quoted: Outlook's
  `#divRplyFwdMsg`, `#appendonsend`, `div.OutlookMessageHeader`, `#OLK_SRC_BODY_SECTION`,
  Hotmail's `hr#stopSpelling`, the `border-top` div in which Outlook desktop and OWA put
  the From/Sent header block, and a text line such as "-----Original Message-----".

Cost. `html.parser` in CPython 3.11 scans to the end of the input again for every
construct it finds unterminated (an unclosed "<!--", "</", "<![", a tag missing its
">"), which is quadratic on hostile input: 250,000 "<!--" took minutes. So the markup is
first made safe in one linear pass: comments, declarations and processing instructions
are dropped (an unterminated comment drops the rest, as a browser hides it), and every
"<" that does not begin a tag closed within a bounded distance becomes "&lt;". After
that every construct the parser meets ends nearby, and the cost is linear. Nothing here
raises: on any failure the whole body is returned as one unquoted segment of plain text,
and the plain-text rules still apply to it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = [
    "DIVIDER",
    "HtmlSegment",
    "join_marked",
    "looks_like_html",
    "mark_quoted",
    "quote_marked_text",
    "split_html",
]

# A divider line, shared with the plain-text rules (`lookup.text_parts`): a line of
# dashes around a few words ("-----Original Message-----", "-----Ursprüngliche
# Nachricht-----", "---------- Forwarded message ---------"), Outlook's underscore rule,
# or a mail program's "forwarded message follows" line in one of the languages we meet.
# Verbose syntax; possessive repeats, so a line of a million dashes fails at once.
DIVIDER = r"""
    -{3,}+[ \t]*+[^\W\d_][^\n]{0,80}?-{3,}+
  | _{8,}+
  | (?:Begin[ \t]forwarded[ \t]message
     | D[ée]but[ \t]du[ \t]message[ \t](?:r[ée]exp[ée]di[ée]|transf[ée]r[ée])
     | Anfang[ \t]der[ \t]weitergeleiteten[ \t](?:Nachricht|E-Mail)
     | Inizio[ \t]messaggio[ \t]inoltrato
     | (?:Comienzo|Inicio)[ \t]del[ \t]mensaje[ \t]reenviado
     | Begin[ \t]doorgestuurd[ \t]bericht
     | In[íi]cio[ \t]da[ \t]mensagem[ \t](?:reencaminhada|encaminhada)
     | Pocz[ąa]tek[ \t]przekazywanej[ \t]wiadomo[śs]ci
     | [ÎI]nceputul[ \t]mesajului[ \t](?:redirec[țţt]ionat|transmis)
     | Dechrau['’]r[ \t]neges[ \t]a[ \t]anfonwyd[ \t]ymlaen
    )[ \t\xa0]*:
"""

_DIVIDER_LINE = re.compile(
    rf"^[ \t\xa0]*(?:{DIVIDER})[ \t\xa0]*$", re.MULTILINE | re.IGNORECASE | re.VERBOSE
)

# Cheap test for HTML: one real tag of the kinds a mail body is made of.
_HTML_TAG = re.compile(
    r"<(?:!doctype|html|head|body|div|p|br|blockquote|table|span|font)\b[^<>]{0,500}>",
    re.IGNORECASE,
)

# Made-safe markup: a tag whose end is found within bounded distance (quoted attribute
# values may hold ">"), a declaration or processing instruction to drop, or a lone "<".
# The alternatives in the attribute part start with different characters, so the regex
# never backtracks among them; each attempt stops at the next "<" outside quotes.
_SAFE_TOKEN = re.compile(
    r"""
    (?P<tag></?[A-Za-z][^\s/<>\x00]{0,64}(?:[^<>"']|"[^"]{0,4000}"|'[^']{0,4000}'){0,8000}>)
  | (?P<decl><[!?][^<>]{0,4000}>)
  | <
    """,
    re.VERBOSE,
)

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tr",
        "ul",
    ]
)
# Elements whose text is not part of the message ("head" is not among them: an unclosed
# one would hide the whole body, and its other children hold no text).
_HIDDEN = frozenset(["script", "style", "title", "template"])
# Ids and classes that start the earlier message (all that follows is quoted).
_DIVIDER_IDS = frozenset({"divrplyfwdmsg", "appendonsend", "olk_src_body_section", "stopspelling"})
_DIVIDER_CLASSES = frozenset({"outlookmessageheader"})
# The first words inside a border-top div that make it Outlook's header block: a label
# and a colon ("From:", "De :", "Oddi wrth:").
_HEADER_LABEL = re.compile(
    r"\s*\*?[^\W\d_][^\W\d_ '’.-]{0,14}(?:[ '’.-][^\W\d_]{1,14}){0,2}\*?\s?:"
)
_SPACES = re.compile(r"[ \t\n\r\f\v\xa0]+")
_BLANK_RUN = re.compile(r"\n{3,}")
# How far down the stack an end tag looks for its start tag (stray end tags are ignored).
_END_TAG_REACH = 100


@dataclass(frozen=True, slots=True)
class HtmlSegment:
    """A stretch of the body, all of it quoted or all the writer's own.

    `markup` is the made-safe HTML of the stretch, for a renderer that wants to lay it out
    itself; `text` is its plain text as rendered here (block elements end lines).
    """

    quoted: bool
    markup: str
    text: str


def looks_like_html(text: str) -> bool:
    """Whether `text` holds HTML markup rather than plain text."""
    return "<" in text and _HTML_TAG.search(text) is not None


def split_html(markup: str) -> tuple[HtmlSegment, ...]:
    """The segments of `markup` in order, adjacent ones of the same kind merged."""
    try:
        safe = _make_safe(markup)
        splitter = _Splitter(safe)
        splitter.feed(safe)
        splitter.close()
        return splitter.segments()
    except Exception:  # never raise on hostile input; the text rules still apply
        stripped = html.unescape(re.sub(r"<[^<>]{0,4000}>", "\n", markup))
        text = _tidy(re.sub(r"[ \t\xa0]+", " ", stripped))
        return (HtmlSegment(quoted=False, markup=markup, text=text),)


def quote_marked_text(markup: str) -> str:
    """The text of `markup` with every quoted line marked "> ", as a plain-text reply."""
    return join_marked((segment.quoted, segment.text) for segment in split_html(markup))


def join_marked(parts: Iterable[tuple[bool, str]]) -> str:
    """Join (quoted, text) pairs into one text, the quoted lines prefixed "> "."""
    out: list[str] = []
    for quoted, text in parts:
        if not text:
            continue
        out.append(mark_quoted(text) if quoted else text)
    return "\n".join(out)


def mark_quoted(text: str) -> str:
    """`text` with each line prefixed "> " (blank lines ">"), as mail programs quote."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))


def _make_safe(markup: str) -> str:
    """`markup` without comments and declarations, every stray "<" escaped (see above)."""
    pieces: list[str] = []
    position = 0
    while True:
        start = markup.find("<!--", position)
        if start < 0:
            pieces.append(markup[position:])
            break
        pieces.append(markup[position:start])
        end = markup.find("-->", start + 4)
        if end < 0:
            break  # an unterminated comment hides the rest
        position = end + 3
    return _SAFE_TOKEN.sub(_safe_token, "".join(pieces))


def _safe_token(match: re.Match[str]) -> str:
    if match.group("tag") is not None:
        return match.group(0)
    if match.group("decl") is not None:
        return ""
    return "&lt;"


class _Splitter(HTMLParser):
    """Walks the made-safe markup once, cutting it into own and quoted stretches."""

    def __init__(self, safe: str) -> None:
        super().__init__(convert_charrefs=True)
        self._safe = safe
        # Offsets of line starts, to turn the parser's (line, column) into an offset.
        self._line_starts = [0]
        self._line_starts.extend(m.end() for m in re.finditer("\n", safe))
        # Open elements: (tag, is a quote container, is hidden text, is a pending
        # border-top div). Pending: a border-top div that becomes a divider if its
        # first text is a header label.
        self._stack: list[tuple[str, bool, bool]] = []
        self._quote_depth = 0
        self._hidden_depth = 0
        self._pre_depth = 0
        self._rest_quoted = False
        self._pending: tuple[int, int] | None = None  # (offset, stack depth)
        self._pending_text: list[str] = []
        # Segments as [quoted, start offset, text pieces].
        self._parts: list[tuple[bool, int, list[str]]] = [(False, 0, [])]

    # -- the parser's callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        offset = self._offset()
        values = {name: (value or "") for name, value in attrs[:64]}
        element_id = values.get("id", "").strip().lower()
        classes = values.get("class", "").lower().split()
        if tag in _VOID:
            if element_id in _DIVIDER_IDS:
                self._start_rest(offset)
            if tag in ("br", "hr"):
                self._emit("\n")
            return
        if element_id in _DIVIDER_IDS or _DIVIDER_CLASSES.intersection(classes):
            self._start_rest(offset)
        elif (
            tag == "div"
            and self._pending is None
            and not self._rest_quoted
            and _is_border_top(values.get("style", ""))
        ):
            self._pending = (offset, len(self._stack))
        is_quote = _is_quote_container(tag, element_id, classes)
        hidden = tag in _HIDDEN
        if is_quote:
            self._quote_depth += 1
            self._switch(offset)
        if hidden:
            self._hidden_depth += 1
        if tag == "pre":
            self._pre_depth += 1
        self._stack.append((tag, is_quote, hidden))
        if tag in _BLOCK:
            self._emit("\n")
        elif tag == "td":
            self._emit(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            if tag == "br":
                self._emit("\n")  # "</br>" is read as "<br>" by browsers
            return
        reach = max(0, len(self._stack) - _END_TAG_REACH)
        for index in range(len(self._stack) - 1, reach - 1, -1):
            if self._stack[index][0] == tag:
                break
        else:
            return  # a stray end tag closes nothing
        while len(self._stack) > index:
            name, is_quote, hidden = self._stack.pop()
            self._quote_depth -= is_quote
            self._hidden_depth -= hidden
            self._pre_depth -= name == "pre"
        if self._pending is not None and len(self._stack) <= self._pending[1]:
            self._resolve_pending(confirmed=False)
        if tag in _BLOCK:
            self._emit("\n")
        end = self._safe.find(">", self._offset()) + 1
        self._switch(end if end > 0 else len(self._safe))

    def handle_data(self, data: str) -> None:
        if self._hidden_depth > 0 or not data:
            return
        if self._pending is not None and data.strip():
            self._resolve_pending(confirmed=_HEADER_LABEL.match(data) is not None)
        if not self._quoted():
            divider = _DIVIDER_LINE.search(data)
            if divider is not None:
                offset = self._offset()
                # The divider's offset in the markup is exact only when no entity was
                # decoded before it; otherwise the stretch starts at the text node.
                head = data[: divider.start()]
                if self._safe.startswith(head, offset):
                    self._emit(head if self._pre_depth else _SPACES.sub(" ", head))
                    self._start_rest(offset + len(head))
                    data = data[divider.start() :]
                else:
                    self._start_rest(offset)
        self._emit(data if self._pre_depth else _SPACES.sub(" ", data))

    # -- state

    def _quoted(self) -> bool:
        return self._rest_quoted or self._quote_depth > 0

    def _offset(self) -> int:
        line, column = self.getpos()
        starts = self._line_starts
        return (starts[line - 1] if line - 1 < len(starts) else len(self._safe)) + column

    def _emit(self, text: str) -> None:
        if self._pending is not None:
            self._pending_text.append(text)
        else:
            self._parts[-1][2].append(text)

    def _switch(self, offset: int) -> None:
        """Start a new segment at `offset` if the quoted state has changed."""
        quoted = self._quoted()
        if self._pending is not None:
            return  # decided when the pending border-top div is resolved
        if self._parts[-1][0] != quoted:
            self._parts.append((quoted, offset, []))

    def _start_rest(self, offset: int) -> None:
        """Everything from `offset` on is the earlier message."""
        if self._pending is not None:
            self._resolve_pending(confirmed=False)
        if self._rest_quoted:
            return
        self._rest_quoted = True
        self._switch(offset)

    def _resolve_pending(self, *, confirmed: bool) -> None:
        assert self._pending is not None
        offset = self._pending[0]
        held = self._pending_text
        self._pending = None
        self._pending_text = []
        if confirmed:
            self._rest_quoted = True
        self._switch(offset)
        self._parts[-1][2].extend(held)

    def segments(self) -> tuple[HtmlSegment, ...]:
        if self._pending is not None:
            self._resolve_pending(confirmed=False)
        bounds = [start for _, start, _ in self._parts[1:]] + [len(self._safe)]
        out: list[HtmlSegment] = []
        for (quoted, start, pieces), end in zip(self._parts, bounds, strict=True):
            text = _tidy("".join(pieces))
            markup = self._safe[start:end]
            if out and out[-1].quoted == quoted:
                previous = out.pop()
                text = f"{previous.text}\n{text}".strip("\n")
                markup = previous.markup + markup
            if text or markup.strip():
                out.append(HtmlSegment(quoted=quoted, markup=markup, text=text))
        return tuple(out)


def _is_quote_container(tag: str, element_id: str, classes: list[str]) -> bool:
    if tag == "blockquote":
        return True
    if element_id.startswith("yahoo_quoted"):
        return True
    for name in classes[:16]:
        if name.startswith("gmail_quote") or name == "gmail_attr":
            return True
        if name == "moz-cite-prefix" or "yahoo_quoted" in name:
            return True
    return False


def _is_border_top(style: str) -> bool:
    """Whether a div's style draws the top rule Outlook puts above the earlier message."""
    flat = _SPACES.sub("", style.lower())
    if "border-top:solid" in flat or "border-top-style:solid" in flat:
        return True
    return "border-top:" in flat and "solid" in flat and "border:none" in flat


def _tidy(text: str) -> str:
    """Rendered text with each line trimmed and runs of blank lines cut to one."""
    lines = [line.strip(" ") for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")
