"""Realistic sample enquiries from the public, written into a Maildir for demos and tests.

Each message reads like a real e-mail to a ticket office: a greeting, a question about
a ticket or case (its status, a payment, a licence, a course, a contest, a court date, a
change of address, a complaint), identifiers written the way people write them
(references with spaces or a wrong digit, plates in lower case, dates of birth as
23/12/62 or "23rd December 1962"), a sign-off and sometimes a phone signature or a quoted
earlier message. A few name no record at all and a few quote someone else's reference.

Everything is deterministic for a seed, each message depending only on (seed, index),
and a message already in the folder (same file key or same Message-ID) is not written
again, so running the demo twice leaves one copy of each.
"""

from __future__ import annotations

import datetime
import email.policy
import mailbox
import os
import pathlib
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import format_datetime, formataddr

from lookup.calendar_names import MONTHS

__all__ = [
    "DESK_ADDRESS",
    "MESSAGE_ID_DOMAIN",
    "DemoEnquiry",
    "demo_enquiries",
    "demo_message",
    "write_demo_inbox",
]

DESK_ADDRESS = "tickets@enquiry-desk.example"
MESSAGE_ID_DOMAIN = "demo.enquiry-desk.example"

# Enquiry scenarios.
ABOUT_RECORD = "record"
NO_RECORD = "no_record"
OTHER_REFERENCE = "other_reference"  # the writer quotes a reference that is not theirs
THIRD_PARTY = "third_party"  # a relative, insurer or employer writes about the subject


@dataclass(frozen=True, slots=True)
class DemoEnquiry:
    """One generated enquiry and its ground truth: `reference` and `kind` are the record
    it asks about ('' when it names none), `writer_reference` a record whose subject wrote
    it (different from `reference` when someone quotes another person's reference, '' for
    a stranger)."""

    index: int
    message_id: str
    sender_name: str
    sender_address: str
    subject: str
    body: str
    date: datetime.datetime
    scenario: str
    intent: str
    reference: str
    kind: str
    writer_reference: str


# ---------------------------------------------------------------------------------------
# Vocabulary.

# What people call each kind of record.
_THING: dict[str, tuple[str, ...]] = {
    "fpn": ("fixed penalty", "speeding ticket", "ticket", "penalty notice", "fixed penalty notice"),
    "cofp": (
        "speeding ticket",
        "speed camera letter",
        "notice of intended prosecution",
        "conditional offer",
        "camera ticket",
    ),
    "pnd": ("penalty notice", "fine", "penalty notice for disorder", "PND"),
    "course_offer": ("speed awareness course", "course offer", "course", "awareness course"),
    "hort1": ("producer", "HORT1", "request to produce my documents", "form to produce my licence"),
    "vdrs": ("vehicle defect notice", "defect form", "VDRS notice"),
    "summons": ("summons", "court summons", "court letter"),
    "postal_requisition": ("postal requisition", "court papers", "requisition"),
    "court_case": ("court case", "case", "prosecution"),
    "collision": ("accident report", "collision report", "accident", "RTC report"),
    "community_resolution": ("community resolution", "community resolution"),
    "conditional_caution": ("caution", "conditional caution"),
    "cica_claim": ("CICA claim", "criminal injuries claim", "compensation claim"),
    "drugs_warning": ("cannabis warning", "drugs warning"),
}
_GENERIC_THING = ("ticket", "letter", "case", "fine")

_PENALTY_KINDS = frozenset({"fpn", "cofp", "pnd"})
_COURT_KINDS = frozenset({"summons", "postal_requisition", "court_case"})
_VEHICLE_KINDS = frozenset(
    {"fpn", "cofp", "course_offer", "hort1", "vdrs", "summons", "postal_requisition", "collision"}
)

# Which questions fit which kinds ("*": any kind), and their relative frequency.
_INTENTS: tuple[tuple[str, frozenset[str], int], ...] = (
    ("status", frozenset({"*"}), 30),
    ("already_paid", frozenset({"fpn", "cofp", "pnd", "course_offer"}), 12),
    ("how_to_pay", frozenset({"fpn", "cofp", "pnd", "course_offer"}), 8),
    ("licence", frozenset({"fpn", "cofp", "hort1"}), 8),
    ("course", frozenset({"fpn", "cofp", "course_offer", "collision"}), 9),
    ("contest", frozenset({"fpn", "cofp", "pnd", "summons", "postal_requisition"}), 8),
    ("nominate_driver", frozenset({"cofp"}), 6),
    ("court_date", frozenset({"summons", "postal_requisition", "court_case", "fpn", "pnd"}), 10),
    ("change_address", frozenset({"*"}), 6),
    ("complaint", frozenset({"*"}), 4),
    ("collision_report", frozenset({"collision"}), 12),
    ("cica", frozenset({"cica_claim"}), 12),
    ("disclosure", frozenset({"community_resolution", "conditional_caution", "drugs_warning"}), 10),
    ("documents", frozenset({"hort1", "vdrs"}), 12),
)

_SUBJECTS: dict[str, tuple[str, ...]] = {
    "status": (
        "Ticket query",
        "Enquiry",
        "Update please",
        "Query",
        "URGENT",
        "Where are we with this",
    ),
    "already_paid": (
        "Already paid!!",
        "Payment",
        "Paid - still getting letters",
        "Reminder letter",
    ),
    "how_to_pay": ("How to pay", "Payment query", "Paying the fine", "Payment link not working"),
    "licence": ("Driving licence", "Licence sent", "My licence", "Licence"),
    "course": ("Speed awareness course", "Course booking", "Course", "Booking the course"),
    "contest": ("Appeal", "Not the driver", "Dispute", "I want to contest this"),
    "nominate_driver": ("Driver details", "Not me driving", "Nominating the driver"),
    "court_date": ("Court date", "Hearing date?", "Court", "When is court"),
    "change_address": ("Change of address", "New address", "Moved house"),
    "complaint": ("Complaint", "Formal complaint", "Very unhappy", "Complaint - no reply"),
    "collision_report": ("Accident report for insurers", "Collision report", "Insurance claim"),
    "cica": ("CICA", "Criminal injuries claim", "Compensation claim information"),
    "disclosure": ("Job application", "DBS question", "Question about my record"),
    "documents": ("Producing my documents", "Documents", "Defect fixed"),
    "general": ("Enquiry", "Question", "Help please", "Letter I received", "Speeding"),
}

_GREETINGS = (
    "Hi,",
    "Hello,",
    "Dear Sir/Madam,",
    "Good morning,",
    "Good afternoon,",
    "To whom it may concern,",
    "Hi there,",
    "",
)


# For writers and people named in enquiries when the record has no name to offer.
_FIRST_NAMES = (
    "Sarah",
    "James",
    "Karen",
    "Paul",
    "Emma",
    "Mark",
    "Lisa",
    "Daniel",
    "Joanne",
    "Gary",
    "Priya",
    "Tomasz",
    "Siobhan",
    "Imran",
    "Hannah",
    "Keith",
)
_LAST_NAMES = (
    "Walker",
    "Hughes",
    "Bennett",
    "Shah",
    "Okafor",
    "Dawson",
    "Fletcher",
    "Nowak",
    "Reid",
    "Pearce",
    "Lowe",
    "Gill",
)
_MAIL_DOMAINS = ("gmail.example", "hotmail.example", "yahoo.example", "outlook.example")
_NEW_STREETS = (
    "Kingsthorpe Grove",
    "Abington Park Crescent",
    "Billing Road",
    "Headlands",
    "Rockingham Road",
    "Broadway",
    "Station Approach",
    "Welford Road",
)
_NEW_TOWNS = (
    ("Northampton", "NN3"),
    ("Kettering", "NN16"),
    ("Corby", "NN17"),
    ("Wellingborough", "NN8"),
    ("Daventry", "NN11"),
    ("Milton Keynes", "MK9"),
)


# ---------------------------------------------------------------------------------------
# How people write identifiers.


_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def _ordinal(day: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st."""
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{_SUFFIXES.get(day % 10, 'th')}"


def _parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _written_dob(dob: datetime.date, rng: random.Random) -> str:
    """A date of birth as people type it: 23/12/62, 23rd December 1962, 1962-12-23 ..."""
    forms = (
        f"{dob.day:02d}/{dob.month:02d}/{dob.year % 100:02d}",
        f"{dob.day}/{dob.month}/{dob.year % 100:02d}",
        f"{dob.day:02d}/{dob.month:02d}/{dob.year}",
        f"{dob.day:02d}.{dob.month:02d}.{dob.year}",
        f"{_ordinal(dob.day)} {MONTHS[dob.month - 1]} {dob.year}",
        f"{dob.day} {MONTHS[dob.month - 1][:3]} {dob.year}",
        f"{dob.day} {MONTHS[dob.month - 1]} {dob.year}",
        dob.isoformat(),
    )
    return rng.choice(forms)


def _written_day(day: datetime.date, rng: random.Random) -> str:
    """An offence date in a sentence: "29 September", "the 3rd of May", "29/09/2026"."""
    forms = (
        f"{day.day} {MONTHS[day.month - 1]}",
        f"the {_ordinal(day.day)} of {MONTHS[day.month - 1]}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{_ordinal(day.day)} {MONTHS[day.month - 1][:3]}",
    )
    return rng.choice(forms)


def _written_plate(vrm: str, rng: random.Random) -> str:
    """A registration as typed: "AB12 CDE", "ab12cde", "ab12 cde" ..."""
    compact = vrm.replace(" ", "").upper()
    # Current plates split after four characters; older ones people rarely split right.
    spaced = f"{compact[:4]} {compact[4:]}" if len(compact) == 7 else compact
    return rng.choice((compact, spaced, spaced.lower(), compact.lower(), spaced))


def _written_postcode(postcode: str, rng: random.Random) -> str:
    compact = postcode.replace(" ", "")
    return rng.choice((postcode, postcode, postcode.lower(), compact, compact.lower()))


_LOOKALIKE = {"0": "O", "1": "I", "5": "S", "8": "B", "O": "0", "S": "5", "I": "1", "B": "8"}


def _written_reference(reference: str, rng: random.Random) -> str:
    """A reference as typed: mostly exact, sometimes lower case, grouped or split by a
    dash, and sometimes mistyped (a wrong, dropped, swapped or look-alike character)."""
    roll = rng.random()
    digits = [i for i, ch in enumerate(reference) if ch.isdigit()]
    if roll < 0.55 or not digits:
        return reference
    if roll < 0.63:
        return reference.lower()
    if roll < 0.73:  # grouped in threes or fours, as printed on some letters
        size = rng.choice((3, 4))
        return " ".join(reference[i : i + size] for i in range(0, len(reference), size))
    if roll < 0.78:
        cut = rng.randint(2, len(reference) - 3)
        return f"{reference[:cut]}-{reference[cut:]}"
    if roll < 0.85:  # one wrong digit
        at = rng.choice(digits)
        wrong = rng.choice([d for d in "0123456789" if d != reference[at]])
        return reference[:at] + wrong + reference[at + 1 :]
    if roll < 0.91:  # one dropped character
        at = rng.randrange(len(reference))
        return reference[:at] + reference[at + 1 :]
    if roll < 0.95:  # two neighbours swapped
        pairs = [i for i in digits if i + 1 in digits and reference[i] != reference[i + 1]]
        if pairs:
            at = rng.choice(pairs)
            swapped = reference[at + 1] + reference[at]
            return reference[:at] + swapped + reference[at + 2 :]
        return reference
    # A look-alike character: 0/O, 1/I, 5/S, 8/B.
    spots = [i for i, ch in enumerate(reference) if ch in _LOOKALIKE]
    if not spots:
        return reference
    at = rng.choice(spots)
    return reference[:at] + _LOOKALIKE[reference[at]] + reference[at + 1 :]


def _ref_phrase(written: str, rng: random.Random) -> str:
    return rng.choice(
        (
            f" ref {written}",
            f" ({written})",
            f" reference {written}",
            f" ref no. {written}",
            f" number {written}",
            f" {written}",
        )
    )


# ---------------------------------------------------------------------------------------
# Composing one enquiry.


@dataclass(frozen=True, slots=True)
class _Writer:
    """Who the message is from: the record's subject, or a stranger."""

    forenames: str
    surname: str
    address: str

    @property
    def first(self) -> str:
        return self.forenames.split(" ", 1)[0] if self.forenames else ""

    @property
    def full(self) -> str:
        return f"{self.forenames} {self.surname}".strip()

    @property
    def usual(self) -> str:
        return f"{self.first} {self.surname}".strip()


def _field(record: Mapping[str, str], name: str) -> str:
    value = record.get(name)
    return value.strip() if isinstance(value, str) else ""


def _anchor(records: Sequence[Mapping[str, str]]) -> datetime.date:
    """The day the demo inbox is "now": the latest status date in the records (an export
    is as fresh as its newest change), so the output depends only on the inputs."""
    latest = max((_field(r, "status_date") for r in records), default="")
    return _parse_date(latest) or datetime.date(2026, 1, 5)


def _mail_address(first: str, last: str, rng: random.Random) -> str:
    first = "".join(ch for ch in first.lower() if ch.isalpha()) or "info"
    last = "".join(ch for ch in last.lower() if ch.isalpha())
    local = rng.choice(
        (f"{first}.{last}", f"{first}{last}{rng.randint(1, 99)}", f"{first[0]}{last}", first)
    )
    return f"{local}@{rng.choice(_MAIL_DOMAINS)}"


def _display_name(writer: _Writer, rng: random.Random) -> str:
    full = writer.usual or "Customer"
    return rng.choice(
        (full, full, full.lower(), f"{writer.surname.upper()} {writer.first}".strip(), full)
    )


def _sign_off(writer: _Writer, rng: random.Random) -> str:
    phone = f"07700 900{rng.randint(0, 999):03d}"
    name, first = writer.usual, writer.first or writer.usual
    return rng.choice(
        (
            f"Thanks\n{first}",
            f"Kind regards,\n{name}",
            f"Regards\n{writer.full}\n{phone}",
            f"--\n{name}",
            f"Many thanks\n{name}\n\nSent from my iPhone",
            f"{first}\n\nSent from my iPhone",
            f"Cheers\n{first}\n\nGet Outlook for Android",
            f"Thank you\n{writer.full}",
            f"--\n{name}\nThis email and any attachments are confidential.",
        )
    )


def _roughen(text: str, rng: random.Random) -> str:
    """The slips of hurried typing, sometimes."""
    roll = rng.random()
    if roll < 0.05:
        return text.lower()
    if roll < 0.12:
        return text.replace("'", "")
    if roll < 0.16:
        return text.replace(" you ", " u ").replace(" your ", " ur ")
    if roll < 0.22:
        return text.replace("received", "recieved").replace("licence", "license")
    if roll < 0.25:
        return text.replace("?", "??").replace(". ", ".  ")
    return text


def _question(
    intent: str, thing: str, ref_part: str, when: str, record: Mapping[str, str], rng: random.Random
) -> str:
    """The heart of the message: what the writer wants, in one of a few phrasings."""
    amount = _field(record, "amount") or "100"
    options: tuple[str, ...]
    if intent == "status":
        options = (
            f"What is the current status of my {thing}{ref_part}{when}?",
            f"Can you tell me where things are with my {thing}{ref_part}?",
            f"could you let me know whats happening with my {thing}{ref_part}",
            f"I haven't heard anything about my {thing}{ref_part}{when} for weeks. "
            "Is it still open?",
            f"Please can you update me on the {thing}{ref_part}{when}.",
        )
    elif intent == "already_paid":
        options = (
            f"I have already paid for my {thing}{ref_part}{when}, why am I still getting letters?",
            f"I paid the £{amount} online for the {thing}{ref_part} but today I received "
            "a reminder. Please confirm you have the payment.",
            f"I paid this{ref_part} over the phone last month and have the receipt. "
            "Why has a final demand arrived?",
        )
    elif intent == "how_to_pay":
        options = (
            f"How do I pay my {thing}{ref_part}? The link in the letter doesn't work.",
            f"Can I pay the £{amount} for my {thing}{ref_part} in instalments? "
            "Money is tight this month.",
            f"What is the easiest way to pay the {thing}{ref_part}{when}? "
            "I don't have a card reader.",
        )
    elif intent == "licence":
        options = (
            f"I posted my driving licence for my {thing}{ref_part}{when} ten days ago. "
            "Has it arrived?",
            f"Please confirm you have received my licence in relation to the {thing}{ref_part}.",
            f"Please find attached a copy of my licence for the {thing}{ref_part}.",
            f"I sent my licence recorded delivery for my {thing}{ref_part}. "
            "When will I get it back?",
        )
    elif intent == "course":
        options = (
            f"I'd like to do the speed awareness course instead of points for my "
            f"{thing}{ref_part}{when}.",
            f"How do I book the course offered for my {thing}{ref_part}? The link has expired.",
            f"I missed my course date for the {thing}{ref_part} because I was ill. Can I rebook?",
        )
    elif intent == "contest":
        options = (
            f"I want to contest the {thing}{ref_part}{when}, I was not the driver.",
            f"I wish to request a court hearing for my {thing}{ref_part}.",
            f"I dispute the {thing}{ref_part}. The signs were covered by a hedge and I have "
            "photos.",
        )
    elif intent == "nominate_driver":
        options = (
            f"I was not driving when the {thing}{ref_part}{when} happened, it was my son. "
            "How do I give you his details?",
            f"My car was lent to a friend on the day of the {thing}{ref_part}. "
            "Who do I name as the driver?",
        )
    elif intent == "court_date":
        options = (
            f"When is my court date for my {thing}{ref_part}{when}?",
            f"Has a hearing been listed for the {thing}{ref_part}?",
            f"I can't make the court date for my {thing}{ref_part} as I'm away. Can it be moved?",
        )
    elif intent == "change_address":
        street = rng.choice(_NEW_STREETS)
        town, district = rng.choice(_NEW_TOWNS)
        new = f"{rng.randint(1, 120)} {street}, {town} {district} {rng.randint(1, 9)}" + "".join(
            rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2)
        )
        options = (
            f"I have moved house, please update my address for the {thing}{ref_part}. "
            f"My new address is {new}.",
            f"Please send any letters about my {thing}{ref_part} to my new address: {new}.",
        )
    elif intent == "complaint":
        options = (
            f"I am very unhappy with how my {thing}{ref_part} has been handled. I have phoned "
            "three times and nobody calls back. I want to make a formal complaint.",
            f"This is the third time I have written about the {thing}{ref_part}{when} and "
            "I have had no reply. This is not acceptable.",
        )
    elif intent == "collision_report":
        options = (
            f"My insurance company needs a copy of the {thing}{ref_part}{when}. How do I get it?",
            f"Is the abstract for the {thing}{ref_part} ready yet? My insurer keeps chasing me.",
        )
    elif intent == "cica":
        options = (
            f"The CICA have asked me to contact you about my {thing}{ref_part}. "
            "Have you sent them the information?",
            f"Can you confirm the police report has gone to the CICA for my {thing}{ref_part}?",
        )
    elif intent == "disclosure":
        options = (
            f"Do I have to declare the {thing}{ref_part}{when} on a job application?",
            f"Will the {thing}{ref_part} show up on a DBS check?",
        )
    else:  # documents
        options = (
            f"I produced my documents at the front counter for the {thing}{ref_part}{when}. "
            "Can you confirm it is closed?",
            f"The defect on my car is fixed for the {thing}{ref_part}. Where do I send the form?",
        )
    return rng.choice(options)


def _identifiers(record: Mapping[str, str], writer: _Writer, rng: random.Random) -> list[str]:
    """The extra details people add (or not): name, date of birth, postcode."""
    parts: list[str] = []
    if rng.random() < 0.35 and writer.usual:
        parts.append(
            rng.choice(
                (
                    f"My name is {writer.usual}.",
                    f"My name is {writer.surname.upper()}, {writer.first}.",
                    f"Name: {writer.full}.",
                )
            )
        )
    dob = _parse_date(_field(record, "dob"))
    if dob is not None and rng.random() < 0.4:
        written = _written_dob(dob, rng)
        parts.append(
            rng.choice((f"Date of birth {written}.", f"DOB {written}.", f"Born {written}."))
        )
    postcode = _field(record, "postcode")
    if postcode and rng.random() < 0.35:
        parts.append(f"My postcode is {_written_postcode(postcode, rng)}.")
    return parts


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _stamp(when: datetime.datetime) -> str:
    """A mail client's attribution date, "Tue, 3 Mar 2026 at 10:14" (English whatever the
    locale, so the output is the same everywhere)."""
    month = MONTHS[when.month - 1][:3]
    return f"{_WEEKDAYS[when.weekday()]}, {when.day} {month} {when.year} at {when:%H:%M}"


def _desk_quote(reference: str, when: datetime.datetime) -> str:
    """The desk's earlier reply, quoted under the writer's answer."""
    stamp = _stamp(when)
    lines = (
        "Thank you for your email.",
        "",
        "To help us find your record please reply with your reference number, your date "
        "of birth and your postcode.",
        "",
        *([f"Our reference: {reference}"] if reference else []),
        "Enquiry Desk",
    )
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"On {stamp}, Enquiry Desk <{DESK_ADDRESS}> wrote:\n{quoted}"


def _own_quote(earlier: str, name: str, address: str, when: datetime.datetime) -> str:
    """The writer's own earlier message, quoted under a chaser."""
    stamp = _stamp(when)
    quoted = "\n".join(f"> {line}" if line else ">" for line in earlier.splitlines())
    return f"On {stamp}, {name} <{address}> wrote:\n{quoted}"


def _last_sunday(year: int, month: int) -> datetime.date:
    last = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() + 1) % 7)


def _is_summer_time(day: datetime.date) -> bool:
    """British Summer Time runs from the last Sunday of March to the last of October
    (the hour of the change is close enough for a demo)."""
    return _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)


def _message_date(
    anchor: datetime.date, record: Mapping[str, str] | None, rng: random.Random
) -> datetime.datetime:
    """Within the fortnight before the anchor day, in office-ish hours, UK local time,
    and never before the offence it asks about."""
    day = anchor - datetime.timedelta(days=rng.randint(0, 13))
    offence = _parse_date(_field(record, "offence_date")) if record is not None else None
    if offence is not None and day <= offence:
        day = min(offence + datetime.timedelta(days=rng.randint(1, 5)), anchor)
    offset = datetime.timedelta(hours=1 if _is_summer_time(day) else 0)
    return datetime.datetime(
        day.year,
        day.month,
        day.day,
        rng.choice((7, 8, 9, 10, 11, 12, 13, 14, 16, 19, 21, 22)),
        rng.randrange(60),
        rng.randrange(60),
        tzinfo=datetime.timezone(offset),
    )


def _person_key(record: Mapping[str, str]) -> tuple[str, str, str]:
    return (_field(record, "surname"), _field(record, "forenames"), _field(record, "dob"))


def _pick_intent(kind: str, rng: random.Random) -> str:
    fitting = [(name, w) for name, kinds, w in _INTENTS if "*" in kinds or kind in kinds]
    return rng.choices([n for n, _ in fitting], weights=[w for _, w in fitting])[0]


def _compose(
    index: int, seed: int, records: Sequence[Mapping[str, str]], anchor: datetime.date
) -> DemoEnquiry:
    # A stream per message: message N is the same whatever count was asked for.
    rng = random.Random(f"demo-inbox:{seed}:{index}")
    message_id = f"<demo-{seed}-{index:06d}@{MESSAGE_ID_DOMAIN}>"

    # A fixed rhythm guarantees the rare cases in small demos: every 17th names no
    # record, every 41st quotes a reference belonging to someone else, every 29th is from
    # a third party holding the subject's details.
    if not records or index % 17 == 7:
        scenario = NO_RECORD
    elif index % 41 == 19 and len(records) > 1:
        scenario = OTHER_REFERENCE
    elif index % 29 == 13:
        scenario = THIRD_PARTY
    else:
        scenario = ABOUT_RECORD

    record = records[rng.randrange(len(records))] if records else None
    if record is not None and scenario == THIRD_PARTY:
        return _third_party(index, message_id, record, anchor, rng)
    if record is not None and scenario != NO_RECORD:
        writer = _Writer(
            _field(record, "forenames") or rng.choice(_FIRST_NAMES),
            _field(record, "surname") or rng.choice(_LAST_NAMES),
            _field(record, "email"),
        )
    else:
        writer = _Writer(rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES), "")
    # Most people write from the address on file; some from a work or partner's account.
    if writer.address and rng.random() < 0.7:
        sender_address = writer.address
    else:
        sender_address = _mail_address(writer.first, writer.surname, rng)
    sender_name = _display_name(writer, rng)
    date = _message_date(anchor, record if scenario == ABOUT_RECORD else None, rng)
    greeting = rng.choice(_GREETINGS)
    sign_off = _sign_off(writer, rng)

    if scenario == NO_RECORD or record is None:
        body_text = rng.choice(
            (
                "I got a letter about a speeding ticket but I've lost it. How do I find out "
                "how much I owe?",
                "What are the opening times for producing documents at the front counter?",
                "My husband got a ticket last month and we can't find the paperwork. "
                "What should we do?",
                "Can you tell me if I have any outstanding fines? I am moving abroad.",
                "How long do points stay on my licence after a speed awareness course?",
            )
        )
        return DemoEnquiry(
            index=index,
            message_id=message_id,
            sender_name=sender_name,
            sender_address=sender_address,
            subject=rng.choice(_SUBJECTS["general"]),
            body=_body(greeting, _roughen(body_text, rng), [], sign_off),
            date=date,
            scenario=NO_RECORD,
            intent="general",
            reference="",
            kind="",
            writer_reference="",
        )

    subject_record = record
    if scenario == OTHER_REFERENCE:
        # The writer's own details, someone else's reference (a mix-up, or a fishing try).
        writer_id = _person_key(record)
        for _ in range(20):
            subject_record = records[rng.randrange(len(records))]
            if _person_key(subject_record) != writer_id:
                break
    kind = _field(subject_record, "kind")
    reference = _field(subject_record, "reference")
    intent = _pick_intent(kind, rng)
    thing = rng.choice(_THING.get(kind, _GENERIC_THING))

    mention_ref = scenario == OTHER_REFERENCE or rng.random() < 0.8
    ref_part = ""
    written_ref = ""
    if mention_ref and reference:
        written_ref = _written_reference(reference, rng)
        ref_part = _ref_phrase(written_ref, rng)
    vrm = _field(record, "vrm")
    if vrm and kind in _VEHICLE_KINDS and rng.random() < 0.4:
        plate = _written_plate(vrm, rng)
        ref_part += rng.choice(
            (f" for vehicle {plate}", f" (car reg {plate})", f" on my car {plate}", f" reg {plate}")
        )
    when = ""
    offence = _parse_date(_field(subject_record, "offence_date"))
    if offence is not None and rng.random() < 0.3:
        when = rng.choice((" from ", " dated ", " on ")) + _written_day(offence, rng)

    question = _roughen(_question(intent, thing, ref_part, when, subject_record, rng), rng)
    details = _identifiers(record, writer, rng)
    subject = rng.choice(_SUBJECTS.get(intent, _SUBJECTS["general"]))
    if written_ref and rng.random() < 0.25:
        subject = f"{subject} - {written_ref}"

    enquiry = DemoEnquiry(
        index=index,
        message_id=message_id,
        sender_name=sender_name,
        sender_address=sender_address,
        subject=subject,
        body=_body(greeting, question, details, sign_off),
        date=date,
        scenario=scenario,
        intent=intent,
        reference=reference,
        kind=kind,
        writer_reference=_field(record, "reference"),
    )
    roll = rng.random()
    if roll < 0.08:
        # A chaser: a short new line above their own earlier message.
        earlier = enquiry.date - datetime.timedelta(days=rng.randint(7, 20), hours=3)
        chaser = rng.choice(
            (
                "Any update on this please? Still waiting.",
                "Hello?? I sent this two weeks ago and have heard nothing.",
                "Just chasing this up.",
            )
        )
        body = (
            f"{chaser}\n\n{sign_off}\n\n"
            f"{_own_quote(enquiry.body, sender_name, sender_address, earlier)}"
        )
        return replace(enquiry, subject=f"Re: {subject}", body=body)
    if roll < 0.15:
        # An answer to the desk's request for details, quoting it.
        earlier = enquiry.date - datetime.timedelta(days=rng.randint(1, 6), hours=2)
        desk_ref = rng.choice(("", f"ENQ-{rng.randint(10000, 99999)}"))
        return replace(
            enquiry,
            subject=f"Re: Your enquiry {desk_ref}".strip(),
            body=f"{enquiry.body}\n\n{_desk_quote(desk_ref, earlier)}",
        )
    return enquiry


def _third_party(
    index: int,
    message_id: str,
    record: Mapping[str, str],
    anchor: datetime.date,
    rng: random.Random,
) -> DemoEnquiry:
    """Someone who holds the subject's reference and date of birth but is not them: the
    desk must hold it for a clerk and disclose nothing (contracts.md, section 2)."""
    writer = _Writer(rng.choice(_FIRST_NAMES), _field(record, "surname") or "Smith", "")
    full = f"{_field(record, 'forenames')} {_field(record, 'surname')}".strip()
    kind = _field(record, "kind")
    reference = _field(record, "reference")
    thing = rng.choice(_THING.get(kind, _GENERIC_THING))
    dob = _parse_date(_field(record, "dob"))
    born = f" Date of birth {_written_dob(dob, rng)}." if dob is not None else ""
    written = _written_reference(reference, rng)
    question = rng.choice(
        (
            f"I am writing on behalf of my mother, {full}, about her {thing} {written}.{born} "
            "She is not good with email. Can you tell me what she owes?",
            f"We act for our client {full} in connection with the {thing} {written}.{born} "
            "Please let us have the current status.",
            f"Our policyholder {full} has passed us the {thing} {written}.{born} "
            "Please confirm the details of the offence.",
        )
    )
    sign_off = _sign_off(writer, rng)
    return DemoEnquiry(
        index=index,
        message_id=message_id,
        sender_name=f"{writer.first} {writer.surname}",
        sender_address=_mail_address(writer.first, writer.surname, rng),
        subject=rng.choice(_SUBJECTS["general"]),
        body=_body(rng.choice(_GREETINGS), question, [], sign_off),
        date=_message_date(anchor, record, rng),
        scenario=THIRD_PARTY,
        intent="status",
        reference=reference,
        kind=kind,
        writer_reference="",
    )


def _body(greeting: str, question: str, details: list[str], sign_off: str) -> str:
    paragraph = " ".join([question, *details])
    return f"{greeting}\n\n{paragraph}\n\n{sign_off}" if greeting else f"{paragraph}\n\n{sign_off}"


# ---------------------------------------------------------------------------------------
# Public API.


def demo_enquiries(
    records: Sequence[Mapping[str, str]], *, count: int, seed: int = 0
) -> Iterator[DemoEnquiry]:
    """The enquiries `write_demo_inbox` would write, with their ground truth."""
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    anchor = _anchor(records)
    for index in range(count):
        yield _compose(index, seed, records, anchor)


def demo_message(enquiry: DemoEnquiry) -> EmailMessage:
    """The e-mail for one enquiry, as it would arrive in the shared mailbox."""
    message = EmailMessage(policy=email.policy.default)
    message["From"] = formataddr((enquiry.sender_name, enquiry.sender_address))
    message["To"] = DESK_ADDRESS
    message["Subject"] = enquiry.subject
    message["Date"] = format_datetime(enquiry.date)
    message["Message-ID"] = enquiry.message_id
    # 8bit keeps the stored file readable; every line is far below the 998-octet limit.
    message.set_content(enquiry.body, charset="utf-8", cte="8bit")
    return message


def _file_key(seed: int, index: int) -> str:
    # A Maildir name with no ':' or '/', fixed by (seed, index): the second run finds it.
    return f"enquiry-desk-demo.s{seed}.n{index:06d}"


def _existing_message_ids(box: mailbox.Maildir) -> set[str]:
    parser = BytesHeaderParser(policy=email.policy.default)
    found: set[str] = set()
    for key in box.iterkeys():
        with box.get_file(key) as handle:
            # Headers only: they sit at the top, well inside the first 64 KiB.
            message_id = parser.parsebytes(handle.read(65536)).get("Message-ID")
        if message_id:
            found.add(str(message_id).strip())
    return found


def write_demo_inbox(
    maildir: pathlib.Path, records: Sequence[Mapping[str, str]], *, count: int, seed: int = 0
) -> int:
    """Write `count` sample enquiries about `records` into the Maildir at `maildir`
    (created if missing) and return how many messages were written.

    Messages already there (same file key or same Message-ID, both fixed by seed and
    index) are skipped, so a second run writes nothing and a larger `count` adds only
    the new ones.
    """
    maildir = pathlib.Path(maildir)
    # Maildir creates only the last directory of the path; make the ones above it too.
    maildir.parent.mkdir(parents=True, exist_ok=True)
    box = mailbox.Maildir(maildir, create=True)
    present_keys = set(box.keys())
    present_ids = _existing_message_ids(box) if present_keys else set()
    written = 0
    for enquiry in demo_enquiries(records, count=count, seed=seed):
        key = _file_key(seed, enquiry.index)
        if key in present_keys or enquiry.message_id in present_ids:
            continue
        data = demo_message(enquiry).as_bytes()
        # Write into tmp/ and rename into new/, the Maildir way: a reader never sees
        # half a message.
        temporary = maildir / "tmp" / f"{key}.{os.getpid()}"
        temporary.write_bytes(data)
        os.replace(temporary, maildir / "new" / key)
        written += 1
    return written
