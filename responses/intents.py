"""What the writer wants: one or more intents, with a confidence, robust to typos.

Each intent has cue phrases with a weight (how strongly the phrase alone means the
intent). A phrase is a sequence of slots, each slot a set of alternative words
("book|booking|attend"); "~N" between slots lets up to N other words stand in between.
Words match exactly or, for longer words, within a small edit distance (transpositions
count once), so "recieved my lisence" still reads as sending documents. Short words
must match exactly: "update me" (a status query) and "update my address" must not merge.

An intent's score is the noisy-or of its matched cues' weights, lowered a little for
each typo corrected. The intents at or above `INCLUDE_AT` are returned, most confident
first; when the best score is below `CLEAR_AT` the message is unclear and the result
names no intent but "other", so that a clerk reads it without a guess.

Only the writer's own words count: quoted earlier mail and signatures are cut off with
`lookup.text_parts.split_message`, which is harmless when the caller already did so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from lookup.text_parts import split_message

__all__ = [
    "ALREADY_PAID",
    "CHANGE_OF_ADDRESS",
    "CLEAR_AT",
    "COMPLAINT",
    "CONTEST",
    "COURT_DATE",
    "DOCUMENTS_SENT",
    "FOI",
    "HOW_TO_PAY",
    "INCLUDE_AT",
    "INTENTS",
    "NOMINATE_DRIVER",
    "OTHER",
    "STATUS",
    "SUBJECT_ACCESS",
    "WANTS_COURSE",
    "IntentResult",
    "detect_intents",
]

STATUS = "status"
ALREADY_PAID = "already_paid"
HOW_TO_PAY = "how_to_pay"
DOCUMENTS_SENT = "documents_sent"
WANTS_COURSE = "wants_course"
CONTEST = "contest"
NOMINATE_DRIVER = "nominate_driver"
COURT_DATE = "court_date"
CHANGE_OF_ADDRESS = "change_of_address"
COMPLAINT = "complaint"
SUBJECT_ACCESS = "subject_access"
FOI = "foi"
OTHER = "other"

INTENTS: tuple[str, ...] = (
    STATUS,
    ALREADY_PAID,
    HOW_TO_PAY,
    DOCUMENTS_SENT,
    WANTS_COURSE,
    CONTEST,
    NOMINATE_DRIVER,
    COURT_DATE,
    CHANGE_OF_ADDRESS,
    COMPLAINT,
    SUBJECT_ACCESS,
    FOI,
    OTHER,
)

# An intent is listed from this score; the message is clear when the best reaches CLEAR_AT.
INCLUDE_AT = 0.5
CLEAR_AT = 0.6

# The subject line is a weaker witness than the body ("Re: Complaint" may be old).
SUBJECT_FACTOR = 0.85
# Each corrected typo costs this much of a cue's weight.
TYPO_PENALTY = 0.08
# Words of the own text read; intents are stated early, and the bound keeps a pasted
# wall of text cheap.
MAX_WORDS = 600

_DOCS = "licence|license|documents|document|paperwork|photocard|insurance|certificate|mot"
_SENT = "posted|sent|send|returned|mailed|submitted|enclosed|delivered|dropped"
_PAYABLE = "ticket|fine|penalty|notice|it|this|that|amount|charge|balance"
_PEOPLE = (
    "he|she|they|wife|husband|son|daughter|partner|friend|colleague|brother|sister|"
    "mother|mum|father|dad|someone|somebody|employee|boyfriend|girlfriend|driver"
)

_CUES: Mapping[str, tuple[tuple[str, float], ...]] = {
    STATUS: (
        ("current status", 0.9),
        ("status of|on|update", 0.85),
        ("what|whats ~2 status", 0.85),
        ("status", 0.6),
        ("where are we|things ~1 with|are", 0.85),
        ("where things are|stand", 0.85),
        ("where is|are my|the ~1 case|ticket|fine|notice|summons|claim|report|matter", 0.8),
        ("whats|what ~1 happening|happened", 0.85),
        ("any|an update|updates|news|progress", 0.85),
        ("update me|us", 0.85),
        ("not heard|had ~1 anything|back|nothing", 0.8),
        ("heard nothing", 0.8),
        ("still live|open|active|ongoing|valid|outstanding|pending", 0.8),
        ("progress of|on|with", 0.75),
        ("chase|chasing", 0.55),
        ("can|could someone|anyone|you check", 0.6),
        ("what stage", 0.8),
        ("latest on", 0.8),
        ("has|have anything ~1 happened", 0.8),
        ("is|are there ~1 anything ~1 outstanding", 0.7),
    ),
    ALREADY_PAID: (
        ("already paid|payed|settled|sent", 0.95),
        ("have|had|has paid|payed|settled", 0.85),
        ("i|we|they paid|payed|settled", 0.85),
        ("paid ~1 in full|online|twice|already|yesterday", 0.8),
        ("made|make ~1 payment|payments", 0.8),
        ("payment ~2 made|taken|sent|went|gone|debited|cleared|received", 0.8),
        ("taken from my ~1 account|card", 0.8),
        ("it is|its paid", 0.8),
        ("proof of payment", 0.7),
        ("receipt ~2 payment", 0.6),
        ("refund", 0.6),
        ("reminder letter|letters", 0.35),
        ("still getting|receiving ~1 letters|reminders", 0.4),
    ),
    HOW_TO_PAY: (
        ("how ~3 pay", 0.9),
        ("where ~3 pay", 0.85),
        ("can|may i|we pay", 0.8),
        ("want|like|wish|need|trying ~1 to pay", 0.75),
        ("pay ~2 " + _PAYABLE, 0.55),
        (
            "pay by|over|with|online|via ~1 card|phone|cheque|bank|transfer|online|post|website|instalments",
            0.75,
        ),
        ("payment options|methods|method|details|link|website|page|plan", 0.8),
        ("instalments|installments", 0.8),
        ("bank details", 0.75),
        ("cannot|cant|unable ~1 afford", 0.6),
        ("how much ~2 owe|pay|is it", 0.75),
    ),
    DOCUMENTS_SENT: (
        (_SENT + " ~3 " + _DOCS + "|form|forms", 0.85),
        ("received|receive|got|get ~3 my ~2 " + _DOCS, 0.85),
        ("has|have it|they arrived", 0.6),
        ("did it|they arrive", 0.6),
        (_DOCS + " ~2 back", 0.75),
        ("produce|produced|producing ~3 " + _DOCS, 0.85),
    ),
    WANTS_COURSE: (
        ("awareness course|courses|workshop", 0.9),
        (
            "book|booking|booked|attend|attending|do|take|taking|complete|rebook|reschedule"
            " ~3 course|workshop",
            0.9,
        ),
        ("instead of ~1 points|penalty|fine", 0.85),
        ("eligible|offered|offer ~1 me ~2 course", 0.85),
        ("course ~3 link|place|date|provider|booking", 0.7),
        ("course", 0.3),
    ),
    CONTEST: (
        ("contest|contesting|contested|dispute|disputing|disputed|challenge|challenging", 0.9),
        ("appeal|appealing", 0.85),
        ("not guilty", 0.9),
        ("plead|pleading", 0.7),
        ("request|requesting|requested|apply|demand|elect|opt ~3 hearing|trial", 0.9),
        ("want|wish|like|prefer|choose|elect ~1 to ~1 go|take|fight|have ~3 court|trial", 0.85),
        ("take ~2 to court", 0.85),
        ("day in court", 0.9),
        ("not|wasnt|never the driver|driving", 0.6),
        ("wasnt|not me ~1 driving", 0.6),
        ("wrong|incorrect|mistake|unfair|innocent", 0.35),
    ),
    NOMINATE_DRIVER: (
        ("nominate|nominating|nominated|nomination", 0.85),
        (_PEOPLE + " ~1 was|is driving", 0.85),
        ("driver was|is", 0.75),
        ("name|naming|identify|identifying|give|provide ~2 driver|drivers", 0.8),
        ("driver details|information|name", 0.8),
        ("who was driving", 0.65),
        ("transfer ~3 driver|name|points", 0.7),
        ("not|wasnt|never the driver|driving", 0.45),
        ("sold the|my|this ~1 car|vehicle", 0.6),
        ("hire|rental|company|lease car|vehicle", 0.4),
    ),
    COURT_DATE: (
        ("court date|dates", 0.9),
        ("hearing date", 0.9),
        ("date ~3 hearing|court|trial", 0.85),
        ("when ~3 hearing|court|trial", 0.85),
        ("hearing|case ~3 listed|scheduled|arranged|booked|set", 0.85),
        ("gone|going|go|sent|referred|been ~1 to court", 0.7),
        ("which|what court", 0.8),
        ("attend|appear ~1 court", 0.7),
        ("listed", 0.35),
    ),
    CHANGE_OF_ADDRESS: (
        ("change|changed|changing|update|updating|amend|correct ~2 address|addresses", 0.9),
        ("new address", 0.9),
        ("moved|moving ~1 house|home|address|flat|out|to|away", 0.85),
        ("address ~2 wrong|incorrect|old|changed|out", 0.8),
        ("no longer live|living|reside", 0.85),
        ("moved", 0.45),
    ),
    COMPLAINT: (
        ("complaint|complain|complaining|complained|complaints", 0.95),
        ("formal complaint", 1.0),
        ("professional standards", 0.9),
        ("poor|bad|terrible|awful service", 0.8),
        ("unhappy|disgusted|appalled|outraged|furious|unacceptable|disgraceful|rude|rudeness", 0.6),
        ("not happy", 0.6),
        ("speak|talk to ~2 manager|supervisor|senior", 0.7),
    ),
    SUBJECT_ACCESS: (
        ("subject access", 1.0),
        ("sar|dsar", 0.85),
        ("right of access", 0.9),
        ("article 15", 0.9),
        ("personal data|information", 0.6),
        ("data|information ~3 you hold|have|keep ~2 about|on me", 0.85),
        ("copy ~3 my ~1 data|records|file", 0.85),
        ("data protection", 0.6),
        ("gdpr", 0.7),
    ),
    FOI: (
        ("freedom of information", 1.0),
        ("foi|foia", 0.9),
        ("information act", 0.8),
        ("statistics|figures", 0.45),
        ("how many ~4 issued|tickets|fines|penalties|notices", 0.45),
    ),
}


@dataclass(frozen=True, slots=True)
class IntentResult:
    """The intents found, most confident first, and whether a clerk must read the message.

    When `unclear` is true, `intents` is `("other",)`: a low-scoring guess is kept only in
    `scores` (every intent with a score above zero, highest first) for a clerk to see.
    """

    intents: tuple[str, ...]
    confidence: float
    unclear: bool
    scores: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class _Cue:
    intent: str
    slots: tuple[frozenset[str], ...]
    gaps: tuple[int, ...]  # gaps[i] = words allowed between slot i and slot i + 1
    weight: float


def _parse(intent: str, phrase: str, weight: float) -> _Cue:
    slots: list[frozenset[str]] = []
    gaps: list[int] = []
    pending_gap = 0
    for item in phrase.split():
        if item.startswith("~"):
            pending_gap = int(item[1:])
            continue
        if slots:
            gaps.append(pending_gap)
        pending_gap = 0
        slots.append(frozenset(item.split("|")))
    return _Cue(intent, tuple(slots), tuple(gaps), weight)


_ALL_CUES: tuple[_Cue, ...] = tuple(
    _parse(intent, phrase, weight) for intent, cues in _CUES.items() for phrase, weight in cues
)
_VOCABULARY: tuple[str, ...] = tuple(
    sorted({word for cue in _ALL_CUES for slot in cue.slots for word in slot})
)

_APOSTROPHE = re.compile(r"['’‘`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _words(text: str) -> list[str]:
    folded = _APOSTROPHE.sub("", text.lower())
    return _NON_WORD.sub(" ", folded).split()[:MAX_WORDS]


def _allowed_edits(word: str) -> int:
    # Short words and abbreviations ("sar", "dsar", "foi") must be exact: one edit turns
    # "dear" into "dsar".
    if len(word) <= 4:
        return 0
    return 1 if len(word) <= 7 else 2


@lru_cache(maxsize=8192)
def _word_matches(token: str) -> tuple[tuple[str, int], ...]:
    """The cue words `token` may stand for, with the edits needed (0 = exact)."""
    found = process.extract(token, _VOCABULARY, scorer=OSA.distance, score_cutoff=2, limit=None)
    matches: list[tuple[str, int]] = []
    for word, edits, _ in found:
        if edits == 0:
            matches.append((word, 0))
        elif edits <= _allowed_edits(word) and len(token) > 3 and token[0] == word[0]:
            # A typo in the first letter is rare; allowing it merges "said" with "paid".
            matches.append((word, int(edits)))
    return tuple(matches)


def _cue_edits(cue: _Cue, at: Mapping[str, Mapping[int, int]]) -> int | None:
    """The fewest edits with which `cue` occurs in the text, or None if it does not."""

    def slot_positions(index: int) -> dict[int, int]:
        positions: dict[int, int] = {}
        for word in cue.slots[index]:
            for position, edits in at.get(word, {}).items():
                if edits < positions.get(position, edits + 1):
                    positions[position] = edits
        return positions

    per_slot = [slot_positions(i) for i in range(len(cue.slots))]
    if any(not positions for positions in per_slot):
        return None
    # Walk forward from each place the first slot occurs; the gaps are small, so the
    # search stays tiny however long the message.
    frontier = dict(per_slot[0])
    for index in range(1, len(cue.slots)):
        gap = cue.gaps[index - 1]
        following: dict[int, int] = {}
        for position, edits in frontier.items():
            for nxt in range(position + 1, position + gap + 2):
                extra = per_slot[index].get(nxt)
                if extra is not None and edits + extra < following.get(nxt, edits + extra + 1):
                    following[nxt] = edits + extra
        if not following:
            return None
        frontier = following
    return min(frontier.values())


def _scores(words: list[str], factor: float) -> dict[str, list[float]]:
    at: dict[str, dict[int, int]] = {}
    for position, token in enumerate(words):
        for word, edits in _word_matches(token):
            slot = at.setdefault(word, {})
            if edits < slot.get(position, edits + 1):
                slot[position] = edits
    weights: dict[str, list[float]] = {}
    for cue in _ALL_CUES:
        found = _cue_edits(cue, at)
        if found is None:
            continue
        weight = cue.weight * max(0.5, 1.0 - TYPO_PENALTY * found) * factor
        weights.setdefault(cue.intent, []).append(weight)
    return weights


def _noisy_or(weights: Iterable[float]) -> float:
    missing = 1.0
    for weight in weights:
        missing *= 1.0 - min(max(weight, 0.0), 1.0)
    return 1.0 - missing


def detect_intents(text: str, subject: str = "") -> IntentResult:
    """The intents of a message: `text` is the body (the writer's own words are used),
    `subject` the subject line, if any."""
    own = split_message(text).own
    found = _scores(_words(own), 1.0)
    for intent, weights in _scores(_words(subject), SUBJECT_FACTOR).items():
        found.setdefault(intent, []).extend(weights)
    order = {intent: index for index, intent in enumerate(INTENTS)}
    scored = sorted(
        ((intent, round(_noisy_or(weights), 3)) for intent, weights in found.items()),
        key=lambda item: (-item[1], order[item[0]]),
    )
    confidence = scored[0][1] if scored else 0.0
    if confidence < CLEAR_AT:
        return IntentResult((OTHER,), confidence, True, tuple(scored))
    listed = tuple(intent for intent, score in scored if score >= INCLUDE_AT)
    return IntentResult(listed, confidence, False, tuple(scored))
