"""Deterministic generator of realistic synthetic case and ticket records.

Rows follow the records import contract (section 1 of the shared contracts): every column,
every kind in realistic proportions, each kind's own reference format and status
vocabulary, coherent dates, repeat customers and look-alike relatives. Everything is
invented: names are drawn from lists, phone numbers are in Ofcom's drama ranges and
e-mail domains end in ``.example``, so no row describes or can reach a real person.

The generator is built for volume (a million rows in about five seconds on a small
two-core machine): one ``random.Random``, small power-of-two lookup tables instead of
weighted choices, ISO date strings precomputed by day index, and references from a keyed
permutation of a per-family counter, so uniqueness needs no memory of earlier rows and
memory stays flat (about 20 MB) whatever the count.
"""

from __future__ import annotations

import csv
import datetime
import json
import math
import operator
import pathlib
import random
import sys
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from lookup.vocabulary import RECORD_COLUMNS

__all__ = [
    "RECORD_COLUMNS",
    "generate_records",
    "write_records_csv",
    "write_records_jsonl",
]


# ---------------------------------------------------------------------------------------
# Value types describing the kinds.


@dataclass(frozen=True, slots=True)
class Offence:
    """One offence or disposal: its code, its description, and what a court may make of it."""

    code: str
    text: str
    court_results: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StatusSpec:
    """A status and the timing that makes it plausible.

    `min_days`..`max_days` is how long after the offence the status took effect;
    `max_age` is how long ago (before today) it may have done so: open states are recent,
    closed ones can be old. `hearing` is "future" for a listed case, "held" when the
    hearing was the status date itself, else "".
    """

    name: str
    weight: int
    min_days: int
    max_days: int
    max_age: int
    hearing: str = ""
    outcomes: tuple[str, ...] = ()
    # Take the outcome from the offence's court results rather than `outcomes`.
    court_result: bool = False


@dataclass(frozen=True, slots=True)
class KindSpec:
    """How one record kind looks: share of all rows, statuses, offences and reference."""

    kind: str
    weight: float  # percent of all rows
    statuses: tuple[StatusSpec, ...]
    offences: tuple[Offence, ...]
    ref: RefFormat
    amount: str = ""
    due_days: int = 0  # 0: no deadline
    vrm_share: float = 0.0  # fraction of rows that name a vehicle
    court: bool = False


@dataclass(frozen=True, slots=True)
class RefFormat:
    """How one family of references is written and numbered.

    Each reference holds a number from a keyed permutation of a counter over
    range(side * side). `template` is %-formatted with (yy, station, number, yy): yy is
    the offence year's last two digits and ``%.0s`` skips what a family does not show.
    URNs split their number into a two-letter station code (`stations`) and a five-digit
    serial. Kinds sharing a `group` (the three court kinds share URNs) share one counter,
    so their references never collide.
    """

    group: str
    template: str
    side: int  # side * side numbers; the template's digits must hold side * side - 1
    stations: bool = False

    @property
    def capacity(self) -> int:
        return self.side * self.side


_FPN_REF = RefFormat("fpn", "%.0s42%s%08d%.0s", 10_000)  # 4212345678
_COFP_REF = RefFormat("cofp", "%.0sSR2%s%08d%.0s", 10_000)  # SR212345678
_PND_REF = RefFormat("pnd", "%.0sP42%s%07d%.0s", 3_162)  # P421234567
_COURSE_REF = RefFormat("course_offer", "%.0sDA%s%08d%.0s", 10_000)  # DA12345678
_COLLISION_REF = RefFormat("collision", "RTC%s%s%06d%.0s", 1_000)  # RTC26123456
_CICA_REF = RefFormat("cica_claim", "CICA%s%s%06d%.0s", 1_000)  # CICA26123456
# Force code 42, station code, five-digit serial, year: 42AB1234526.
_URN_REF = RefFormat("urn", "%.0s42%s%05d%s", 8_221, stations=True)
_ELEVEN_REF = RefFormat("eleven", "%s%s%09d%.0s", 31_622)  # 26123456789
_URN_SERIALS = 100_000

_STATIONS = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


# ---------------------------------------------------------------------------------------
# The kinds. Timings in days; weights are relative within a kind.

_SP30 = Offence(
    "SP30",
    "Exceeding statutory speed limit on a public road",
    (
        "Fined 220, costs 90, surcharge 88, 3 points",
        "Fined 146, costs 90, surcharge 58, 4 points",
        "Guilty plea by post, fined 180, 3 points",
        "Fined 400, costs 110, surcharge 160, 6 points",
        "Disqualified 7 days, fined 350",
    ),
)
_TS10 = Offence(
    "TS10",
    "Failing to comply with a red traffic light",
    ("Fined 200, costs 90, surcharge 80, 3 points", "Fined 160, 3 points"),
)
_CU80 = Offence(
    "CU80",
    "Using a handheld mobile phone while driving",
    (
        "Fined 300, costs 90, surcharge 120, 6 points",
        "Fined 250, 6 points, totting up ban 6 months",
    ),
)
_CU10 = Offence(
    "CU10",
    "Using a vehicle with defective brakes",
    ("Fined 240, 3 points",),
)
_CU30 = Offence(
    "CU30",
    "Using a vehicle with a defective tyre",
    ("Fined 180, 3 points",),
)
_IN10 = Offence(
    "IN10",
    "Using a vehicle uninsured against third party risks",
    (
        "Fined 660, costs 90, surcharge 264, 6 points",
        "Fined 440, 8 points",
        "Disqualified 6 months, fined 500",
    ),
)
_LC20 = Offence(
    "LC20",
    "Driving otherwise than in accordance with a licence",
    ("Fined 150, 3 points", "Fined 220, costs 85, 4 points"),
)
_MS90 = Offence(
    "MS90",
    "Failing to give information of driver's identity as required",
    ("Fined 660, costs 90, 6 points", "Fined 1000, 6 points"),
)
_CD10 = Offence(
    "CD10",
    "Driving without due care and attention",
    ("Fined 400, costs 120, 5 points", "Fined 300, 3 points", "Dismissed"),
)
_DR10 = Offence(
    "DR10",
    "Driving with excess alcohol",
    (
        "Disqualified 12 months, fined 500, costs 85",
        "Disqualified 18 months, community order 12 months",
        "Disqualified 14 months, fined 650, drink drive course offered",
    ),
)
_LOCAL_COURT_RESULTS = (
    "Withdrawn",
    "Dismissed",
    "Adjourned sine die",
)

_PENALTY_STATUSES_FPN = (
    StatusSpec("awaiting_payment", 18, 1, 10, 25),
    StatusSpec("awaiting_licence", 12, 1, 14, 30),
    StatusSpec("paid", 25, 3, 28, 600),
    StatusSpec("course_offered", 12, 2, 20, 60),
    StatusSpec("request_for_hearing", 8, 5, 28, 120),
    StatusSpec("fine_registered", 10, 50, 90, 500, outcomes=("Fine registered: 150",)),
    StatusSpec("referred_to_court", 10, 29, 60, 400),
    StatusSpec("cancelled", 5, 3, 60, 600, outcomes=("Cancelled: driver details incorrect", "")),
)
_STATUSES_COFP = (
    StatusSpec("nip_sent", 14, 1, 14, 20),
    StatusSpec("awaiting_driver_nomination", 14, 1, 14, 28),
    StatusSpec("driver_nominated", 12, 7, 28, 30),
    StatusSpec("offer_issued", 14, 14, 35, 28),
    StatusSpec("paid", 20, 20, 60, 600),
    StatusSpec("course_offered", 12, 14, 40, 60),
    StatusSpec("referred_to_court", 10, 60, 120, 400),
    StatusSpec("cancelled", 4, 7, 60, 600, outcomes=("Cancelled: exemption applies", "")),
)
_STATUSES_PND = (
    StatusSpec("issued", 32, 1, 7, 21),
    StatusSpec("paid", 22, 3, 21, 600),
    StatusSpec("request_for_hearing", 18, 5, 21, 120),
    StatusSpec("fine_registered", 24, 50, 90, 500, outcomes=("Fine registered: 135",)),
    StatusSpec("cancelled", 4, 2, 30, 600),
)
_STATUSES_COURSE = (
    StatusSpec("offered", 25, 7, 21, 30),
    StatusSpec("booked", 25, 14, 60, 90),
    StatusSpec("completed", 26, 30, 120, 600, outcomes=("Course attended",)),
    StatusSpec("expired", 18, 60, 120, 500),
    StatusSpec("not_completed", 6, 60, 120, 500, outcomes=("Did not attend", "Left early")),
)
_STATUSES_HORT1 = (
    StatusSpec("issued", 40, 1, 3, 7),
    StatusSpec("documents_produced", 30, 1, 7, 600),
    StatusSpec("failed_to_produce", 30, 8, 20, 400),
)
_STATUSES_VDRS = (
    StatusSpec("issued", 30, 1, 3, 14),
    StatusSpec("rectified", 60, 2, 14, 600),
    StatusSpec("not_rectified", 10, 15, 30, 400),
)
_STATUSES_CHARGE = (
    StatusSpec("issued", 20, 20, 90, 40),
    StatusSpec("served", 20, 25, 100, 30),
    StatusSpec("hearing_listed", 22, 30, 120, 60, hearing="future"),
    StatusSpec("adjourned", 14, 40, 200, 60, hearing="future"),
    StatusSpec("result_recorded", 20, 40, 200, 450, hearing="held", court_result=True),
    StatusSpec("withdrawn", 4, 30, 150, 450, outcomes=("Withdrawn by the prosecution",)),
)
_STATUSES_COURT_CASE = (
    StatusSpec("in_preparation", 25, 1, 30, 60),
    StatusSpec("sent_to_cps", 15, 10, 45, 60),
    StatusSpec("listed", 25, 30, 120, 60, hearing="future"),
    StatusSpec("adjourned", 10, 40, 200, 60, hearing="future"),
    StatusSpec("concluded", 25, 40, 200, 450, hearing="held", court_result=True),
)
_STATUSES_COLLISION = (
    StatusSpec("reported", 20, 1, 3, 14),
    StatusSpec("under_review", 25, 5, 60, 90),
    StatusSpec(
        "decision_made",
        20,
        30,
        120,
        300,
        outcomes=("No further action", "Driver offered a course", "Prosecution authorised"),
    ),
    StatusSpec("abstract_available", 20, 30, 150, 400),
    StatusSpec("closed", 15, 60, 240, 450, outcomes=("Closed, no further action",)),
)
_STATUSES_DISPOSAL = (
    StatusSpec("conditions_set", 35, 1, 3, 60),
    StatusSpec("complied", 35, 14, 60, 600),
    StatusSpec("failed_to_comply", 22, 30, 90, 400),
    StatusSpec("prosecution", 8, 60, 120, 400, outcomes=("Referred for prosecution",)),
)
_STATUSES_CICA = (
    StatusSpec("request_received", 30, 30, 300, 60),
    StatusSpec("information_sent", 35, 40, 300, 300),
    StatusSpec("closed", 35, 60, 300, 400),
)
_STATUSES_DRUGS = (StatusSpec("recorded", 1, 1, 7, 600),)

_CASE_OFFENCES = (
    Offence(
        "",
        "Criminal damage",
        ("Guilty, fined 300, compensation 150", "Conditional discharge 12 months"),
    ),
    Offence(
        "",
        "Assault by beating",
        ("Guilty, community order 12 months", "Not guilty", "Restraining order, fined 200"),
    ),
    Offence(
        "", "Theft from a shop", ("Guilty, fined 120, compensation 45", "Conditional discharge")
    ),
    Offence(
        "",
        "Possession of a controlled drug (class B)",
        ("Guilty, fined 180", "Conditional discharge 6 months"),
    ),
    Offence("", "Public order offence (section 4)", ("Guilty, fined 250", "Not guilty")),
    _DR10,
)

KIND_SPECS: tuple[KindSpec, ...] = (
    KindSpec(
        "cofp",
        30.0,
        _STATUSES_COFP,
        (_SP30, _SP30, _SP30, _SP30, _TS10),
        _COFP_REF,
        amount="100",
        due_days=28,
        vrm_share=0.92,
    ),
    KindSpec(
        "course_offer",
        17.0,
        _STATUSES_COURSE,
        (
            Offence("SP30", "Speed awareness course offer"),
            Offence("SP30", "Speed awareness course offer"),
            Offence("SP50", "National motorway awareness course offer"),
            Offence("TS10", "What's Driving Us? course offer"),
            Offence("CD10", "Safe and considerate driving course offer"),
        ),
        _COURSE_REF,
        amount="95",
        due_days=28,
        vrm_share=0.85,
    ),
    KindSpec(
        "fpn",
        16.0,
        _PENALTY_STATUSES_FPN,
        (_SP30, _SP30, _CU80, _TS10, _CU10, _CU30),
        _FPN_REF,
        amount="100",
        due_days=28,
        vrm_share=0.85,
    ),
    KindSpec(
        "summons",
        8.0,
        _STATUSES_CHARGE,
        (_SP30, _IN10, _IN10, _LC20, _MS90, _CD10, _DR10),
        _URN_REF,
        vrm_share=0.8,
        court=True,
    ),
    KindSpec(
        "collision",
        6.5,
        _STATUSES_COLLISION,
        (
            Offence("", "Road traffic collision, damage only"),
            Offence("", "Road traffic collision, damage only"),
            Offence("", "Road traffic collision, slight injury"),
            Offence("", "Road traffic collision, serious injury"),
        ),
        _COLLISION_REF,
        vrm_share=0.85,
    ),
    KindSpec(
        "pnd",
        5.0,
        _STATUSES_PND,
        (
            Offence("PND", "Theft (retail) under 100 pounds"),
            Offence("PND", "Being drunk and disorderly in a public place"),
            Offence("PND", "Behaviour likely to cause harassment, alarm or distress"),
            Offence("PND", "Criminal damage under 300 pounds"),
            Offence("PND", "Throwing fireworks in a thoroughfare"),
        ),
        _PND_REF,
        amount="90",
        due_days=21,
    ),
    KindSpec(
        "postal_requisition",
        5.0,
        _STATUSES_CHARGE,
        (_SP30, _SP30, _IN10, _MS90, _LC20, _CU80),
        _URN_REF,
        vrm_share=0.8,
        court=True,
    ),
    KindSpec(
        "community_resolution",
        3.0,
        _STATUSES_DISPOSAL,
        (
            Offence("", "Community resolution: criminal damage"),
            Offence("", "Community resolution: theft"),
            Offence("", "Community resolution: common assault"),
        ),
        _ELEVEN_REF,
        due_days=56,
    ),
    KindSpec(
        "court_case",
        2.0,
        _STATUSES_COURT_CASE,
        _CASE_OFFENCES,
        _URN_REF,
        vrm_share=0.1,
        court=True,
    ),
    KindSpec(
        "conditional_caution",
        2.0,
        _STATUSES_DISPOSAL,
        (
            Offence("", "Conditional caution: theft"),
            Offence("", "Conditional caution: criminal damage"),
            Offence("", "Conditional caution: assault by beating"),
        ),
        _ELEVEN_REF,
        due_days=112,
    ),
    KindSpec(
        "cica_claim",
        2.0,
        _STATUSES_CICA,
        (Offence("", "Criminal Injuries Compensation Authority information request"),),
        _CICA_REF,
    ),
    KindSpec(
        "hort1",
        1.5,
        _STATUSES_HORT1,
        (Offence("", "Produce driving documents at a police station"),),
        _ELEVEN_REF,
        due_days=7,
        vrm_share=0.9,
    ),
    KindSpec(
        "vdrs",
        1.0,
        _STATUSES_VDRS,
        (
            Offence("", "Vehicle defect rectification: defective tyre"),
            Offence("", "Vehicle defect rectification: defective headlamp"),
            Offence("", "Vehicle defect rectification: defective brake light"),
            Offence("", "Vehicle defect rectification: excessive exhaust noise"),
        ),
        _ELEVEN_REF,
        due_days=14,
        vrm_share=1.0,
    ),
    KindSpec(
        "drugs_warning",
        1.0,
        _STATUSES_DRUGS,
        (
            Offence("", "Cannabis warning: possession of cannabis"),
            Offence("", "Khat warning: possession of khat"),
        ),
        _ELEVEN_REF,
    ),
)

# How far before today an offence can lie: every status's delay plus its age.
_LOOKBACK_DAYS = max(s.max_days + s.max_age for k in KIND_SPECS for s in k.statuses)
# Subjects are at least 17 at the oldest possible offence and at most 90 today.
_MIN_AGE_DAYS = math.ceil(17 * 365.25) + _LOOKBACK_DAYS + 1
_MAX_AGE_DAYS = 90 * 365
_MAX_HEARING_AHEAD = 150

# ---------------------------------------------------------------------------------------
# People, places and vehicles.


def _words(text: str) -> list[str]:
    return text.split()


_SURNAMES = _words(
    """
Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans
Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper
Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis
Parker James Bennett Young Phillips Richardson Mitchell Bailey Carter Cook Singh Shaw Bell
Collins Morgan Kelly Begum Miller Cox Hussain Marshall Simpson Price Anderson Adams Wilkinson
Ali Ahmed Foster Ellis Murphy Chapman Mason Gray Richards Webb Griffiths Hunt Palmer Campbell
Holmes Mills Rogers Barnes Knight Matthews Barker Powell Stevens Kaur Fisher Butler Dixon
Russell Harvey Pearson Graham Fletcher Lloyd Hart Reid Hamilton Gibson Walsh Burton Dawson Ford
Barrett Pritchard Holt Sutton Armstrong Owen Doyle Fox Lambert Quinn Hayes Lowe Sharp Gordon
Pickering Fenwick Ashworth Whitmore Bradshaw Hargreaves Lees Kirby Pollard Rahman Chowdhury
Mistry Shah Nguyen Nowak Kowalski Okafor Mensah McDonald MacLeod Osei Adeyemi Iqbal Akhtar
Sandhu Gill Bibi Warren Lawson Dunn Tucker Spencer Howard Stone Black Rees Day Wells Newman
Hudson Robertson Bishop Jenkins Perry Hopkins Riley Jordan Saunders Pearce Andrews Henderson
"""
)
# Names that test the matcher's folding of apostrophes, spaces and hyphens.
_SURNAMES += ["O'Brien", "O'Neill", "Da Silva", "Smith-Jones", "Clarke-Lewis", "Van der Berg"]

_FEMALE = _words(
    """
Olivia Amelia Isla Ava Emily Sophie Grace Lily Chloe Jessica Emma Sarah Laura Rebecca Hannah
Charlotte Lucy Katie Amy Rachel Claire Nicola Helen Karen Julie Susan Margaret Patricia Linda
Christine Janet Elaine Gillian Deborah Joanne Michelle Lisa Kelly Tracey Amanda Dawn Angela
Jacqueline Samantha Stacey Gemma Leanne Natalie Zoe Megan Holly Ellie Freya Poppy Evie Aisha
Fatima Priya Anjali Zainab Agnieszka Joanna Siobhan Niamh Bethany Jade Kirsty Hayley Jennifer
Elizabeth Mary Anne Barbara Pauline Sandra Carol Wendy Sheila Brenda Maureen Valerie Lorraine
Catherine Victoria Alison Fiona Heather Louise Kerry Danielle Abigail Molly Ruby Maisie Jasmine
Leah Amber
"""
)

_MALE = _words(
    """
Oliver George Harry Jack Jacob Noah Charlie Thomas Oscar William James Joshua Daniel Matthew
Ryan Luke Adam Callum Jordan Liam Connor Kieran Jamie Lewis Ben Samuel Joseph Alexander Michael
David Paul Mark Andrew Stephen Peter John Robert Richard Christopher Ian Gary Kevin Simon Darren
Lee Craig Neil Martin Anthony Graham Keith Colin Brian Alan Trevor Derek Roger Malcolm Dennis
Raymond Gordon Nigel Barry Terry Stuart Wayne Dean Scott Jason Carl Shaun Nathan Aaron Bradley
Kyle Reece Tyler Mohammed Muhammad Ahmed Ali Hassan Imran Arjun Rajesh Sanjay Tomasz Piotr
Marek Sean Declan Patrick Owen Rhys Gareth Dylan Ethan Mason Harvey Alfie Freddie Archie
"""
)

# (postcode area, highest district number, town, weight). Northamptonshire dominates, as it
# would for a force there; neighbours and the big cities supply visitors passing through.
_POSTCODE_AREAS: tuple[tuple[str, int, str, int], ...] = (
    ("NN", 18, "Northampton", 30),
    ("MK", 46, "Milton Keynes", 8),
    ("LE", 19, "Leicester", 6),
    ("PE", 38, "Peterborough", 5),
    ("CV", 37, "Coventry", 4),
    ("OX", 29, "Oxford", 3),
    ("LU", 7, "Luton", 3),
    ("B", 98, "Birmingham", 4),
    ("NG", 34, "Nottingham", 3),
    ("SG", 19, "Stevenage", 2),
    ("CB", 11, "Cambridge", 2),
    ("HP", 23, "High Wycombe", 2),
    ("DE", 75, "Derby", 2),
    ("M", 90, "Manchester", 2),
    ("L", 40, "Liverpool", 1),
    ("LS", 29, "Leeds", 2),
    ("S", 81, "Sheffield", 2),
    ("BS", 41, "Bristol", 1),
    ("CF", 83, "Cardiff", 1),
    ("G", 84, "Glasgow", 1),
    ("E", 18, "London", 3),
    ("N", 22, "London", 2),
    ("SE", 28, "London", 2),
    ("NW", 11, "London", 2),
    ("RM", 20, "Romford", 1),
    ("DN", 41, "Doncaster", 1),
)
# Districts with a letter (the central London ANA and AANA shapes).
_LETTERED_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("W1T", "London"),
    ("W1D", "London"),
    ("EC1A", "London"),
    ("EC2M", "London"),
    ("SW1A", "London"),
    ("SW1P", "London"),
    ("WC1E", "London"),
    ("WC2H", "London"),
    ("N1C", "London"),
    ("E1W", "London"),
)
_NN_TOWNS = (
    "Northampton",
    "Northampton",
    "Northampton",
    "Kettering",
    "Corby",
    "Wellingborough",
    "Daventry",
    "Towcester",
    "Rushden",
    "Brackley",
)
# The inward code's letters never include C, I, K, M, O or V.
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

_STREET_FIRST = _words(
    """
Church Station Mill Park Victoria Albert Harborough Kingsley Birchfield Wellington Abbey
Orchard Manor Queens Kings Windsor Grange Highfield Meadow Chester Beech Elm Oak Ash Willow
Cedar Holly Poplar Rowan Hawthorn Sycamore Chestnut Spencer Althorp Billing Weston Duston
Boughton Moulton Abington Cliftonville Derngate Bridge Market Castle Priory Cromwell Nelson
Gladstone Tennyson Shelley Milton Byron Wordsworth Chaucer Clare Sandringham Balmoral Lime
Hazel Kestrel Falcon Heron Swallow Lark Sparrow Bramble Foxglove Primrose Bluebell Lavender
Thorpe Ridgeway Fairfield Greenway Westfield Eastfield Northfield Southfield Brookside
"""
)
_STREET_SUFFIX = (
    "Road",
    "Road",
    "Street",
    "Street",
    "Lane",
    "Close",
    "Avenue",
    "Drive",
    "Way",
    "Crescent",
    "Gardens",
    "Grove",
    "Court",
    "Place",
    "Walk",
    "Rise",
    "View",
    "Terrace",
)
_HOUSE_NAMES = (
    "Rose Cottage",
    "The Old Bakery",
    "Ivy House",
    "Meadow View",
    "The Laurels",
    "Orchard House",
    "Fern Lodge",
    "Hillcrest",
    "The Willows",
    "Corner Cottage",
)
_BLOCK_NAMES = ("Mill House", "Carlton Court", "St Giles Lodge", "Riverside Point", "Becket House")

_MAIL_DOMAINS = (
    "gmail.example",
    "gmail.example",
    "gmail.example",
    "hotmail.example",
    "hotmail.example",
    "yahoo.example",
    "outlook.example",
    "outlook.example",
    "icloud.example",
    "btinternet.example",
    "sky.example",
    "live.example",
)

_LOCATIONS = (
    "A45 Northampton",
    "A45 Northampton",
    "A14 Thrapston",
    "A14 Kettering J9",
    "M1 J15",
    "M1 J15A",
    "M1 J16",
    "A43 Kettering",
    "A43 Brackley",
    "A5 Towcester",
    "A428 Harlestone",
    "A508 Brixworth",
    "A6003 Corby",
    "A509 Wellingborough",
    "A605 Oundle",
    "Abington Street, Northampton",
    "Wellingborough Road, Northampton",
    "Kettering Road, Northampton",
    "Harborough Road, Kingsthorpe",
    "St James Road, Northampton",
    "Weedon Road, Northampton",
    "High Street, Kettering",
    "Rockingham Road, Kettering",
    "Station Road, Corby",
    "Elizabeth Street, Corby",
    "Sheep Street, Wellingborough",
    "Bedford Road, Rushden",
    "High Street, Daventry",
    "Watling Street, Towcester",
    "Market Square, Northampton",
)
_COURTS = (
    "Northampton Magistrates' Court",
    "Northampton Magistrates' Court",
    "Northampton Magistrates' Court",
    "Northampton Magistrates' Court",
    "Wellingborough Magistrates' Court",
    "Northampton Crown Court",
    "Milton Keynes Magistrates' Court",
)
# updated_at times: the source systems' batch runs and office hours.
_TIMES = tuple(
    f"T{h:02d}:{m:02d}:00Z" for h in (2, 7, 8, 9, 10, 11, 12, 14, 15, 16) for m in (0, 15, 30, 45)
)

# Plates. Current format: area letters (no I, Q, Z), age identifier, three random letters
# (no I or Q). Prefix (1983-2001) and suffix (1963-1983) plates use year letters without
# I, O, Q, U and Z.
_PLATE_AREA1 = "ABCDEFGHKLMNOPRSVWY"
_PLATE_AREA2 = "ABCDEFGHJKLMNOPRSTUVWXY"
_PLATE_RANDOM = "ABCDEFGHJKLMNOPRSTUVWXYZ"
_PLATE_YEAR = "ABCDEFGHJKLMNPRSTVWXY"


def _age_identifiers(today: datetime.date) -> list[str]:
    """Current-format age identifiers already issued by `today` (March yy, September yy+50)."""
    out = ["51"]  # September 2001 began the format
    for year in range(2002, today.year + 1):
        if datetime.date(year, 3, 1) <= today:
            out.append(f"{year % 100:02d}")
        if datetime.date(year, 9, 1) <= today:
            out.append(f"{year % 100 + 50:02d}")
    # Newer cars are commoner on the road: list the newest half twice.
    return out + out[len(out) // 2 :]


# ---------------------------------------------------------------------------------------
# Lookup tables. Every pick in the hot loop is `table[getrandbits(bits)]` on a table of
# 2**bits slots: about 30 ns, against 90 ns for `seq[int(random() * len(seq))]` and far
# more for `choices`. Weights become repetition. Tables are kept small (mostly a few
# thousand slots over a few hundred distinct objects): at this speed a miss in the CPU
# cache costs more than building a string from two cached parts.

_T = TypeVar("_T")


def _spread(items: Sequence[_T], bits: int, weights: Sequence[float] | None = None) -> list[_T]:
    """`items` laid out over 2**bits slots in proportion to `weights` (default: evenly)."""
    size = 1 << bits
    if weights is None:
        return [items[i * len(items) >> bits] for i in range(size)]
    total = float(sum(weights))
    table: list[_T] = []
    acc = 0.0
    for item, weight in zip(items, weights, strict=True):
        acc += weight
        table.extend([item] * (round(acc / total * size) - len(table)))
    return table


# Shared int objects for day counts: CPython caches only -5..256, and tables holding a
# fresh object per slot would spread over megabytes and fall out of the CPU cache.
_INTS = list(range(1024))


def _span(low: int, high: int, bits: int) -> list[int]:
    """The integers low..high (inclusive) spread evenly over 2**bits slots."""
    values = [low + (i * (high - low + 1) >> bits) for i in range(1 << bits)]
    return [_INTS[v] if 0 <= v < len(_INTS) else v for v in values]


def _name_pairs(names: list[str], rng: random.Random, pairs: int) -> list[str]:
    """`pairs` distinct "First Middle" forenames drawn from `names`. A sample rather than
    every pair keeps the table small enough to stay in the CPU cache."""
    doubles: set[str] = set()
    while len(doubles) < pairs:
        first, middle = rng.sample(names, 2)
        doubles.add(f"{first} {middle}")
    return sorted(doubles)


# A reference family's live state: counter (shared by the family's kinds), capacity,
# side, the two Feistel round tables, station codes (or [""]), the number's split between
# station and serial, the template and the group name.
_RefState = tuple[list[int], int, int, "array[int]", "array[int]", list[str], int, str, str]

# A compiled (kind, status) pair: everything the hot loop needs in one tuple unpack.
# Fields: kind, status, status ages, offence-to-status delays, offences (code, text,
# court results), hearing ("future", "held" or ""), court result?, status outcomes, amount,
# due days, court?, vrm cut (out of 128), reference state, is-URN?
_Plan = tuple[
    str,
    str,
    list[int],
    list[int],
    list[tuple[str, str, tuple[str, ...]]],
    str,
    bool,
    tuple[str, ...],
    str,
    int,
    bool,
    int,
    _RefState,
    bool,
]

# A person: surname, forenames, dob, postcode, address, email, phone, vrm, dob as a day
# index. Plain tuples, not objects: a million rows make some 800,000 of them.
_Person = tuple[str, str, str, str, str, str, str, str, int]

# How many recent people can reappear (a power of two, for the pick), and how often (out
# of 1024) a row is about one of them or about a relative sharing their surname, address
# and car. Repeats wait for a full ring so the first rows of a run are not one family.
_RECENT_BITS = 11
_REPEAT_CUT = 184  # ~18%: a follow-on record (a course after a camera offer, a summons
# after an unpaid ticket) or a second offence
_RELATIVE_CUT = _REPEAT_CUT + 31  # ~3%

# E-mail shapes, %-formatted with (first, last, first, number, domain); %.0s skips one.
_EMAIL_TEMPLATES = (
    "%s.%s%.0s%.0s@%s",  # anne.smith@
    "%s.%s%.0s%s@%s",  # anne.smith62@
    "%s.%s%.0s%s@%s",
    "%.1s%s%.0s%s@%s",  # asmith62@
    "%s%.0s%.0s%s@%s",  # anne62@
    "%.0s%s%s%.0s@%s",  # smithanne@
    "%s_%s%.0s%s@%s",  # anne_smith62@
    "%.0s%s%s%s@%s",  # smithanne62@
)


def _round_table(rng: random.Random, size: int) -> array[int]:
    """`size` random unsigned ints for one Feistel round (any values will do: the round
    reduces them modulo the other half's range)."""
    table = array("I")
    table.frombytes(rng.randbytes(table.itemsize * size))
    if sys.byteorder == "big":  # the same references on every machine
        table.byteswap()
    return table


class _Generator:
    """All per-run state: the random stream, lookup tables, reference counters."""

    def __init__(self, seed: int, today: datetime.date) -> None:
        self.rng = random.Random(seed)
        # ISO strings for every day from the oldest possible dob to the latest hearing,
        # so no row formats or parses a date.
        self.base = today.toordinal() - _MAX_AGE_DAYS - 400
        last = today.toordinal() + _MAX_HEARING_AHEAD + 10
        self.days = [datetime.date.fromordinal(o).isoformat() for o in range(self.base, last)]
        self.today_i = today.toordinal() - self.base

        # References: one counter per family; the permutation depends on the seed.
        # Round tables stay small (side <= 31,622) so that they stay in the CPU cache.
        keyer = random.Random(f"references:{seed}")
        ref_states: dict[str, _RefState] = {}
        for ref in sorted({spec.ref for spec in KIND_SPECS}, key=lambda f: f.group):
            ref_states[ref.group] = (
                [0],
                ref.capacity,
                ref.side,
                _round_table(keyer, ref.side),
                _round_table(keyer, ref.side),
                _STATIONS if ref.stations else [""],
                _URN_SERIALS if ref.stations else ref.capacity,
                ref.template,
                ref.group,
            )

        plans: list[_Plan] = []
        plan_weights: list[float] = []
        for spec in KIND_SPECS:
            offences = _spread([(o.code, o.text, o.court_results) for o in spec.offences], 6)
            status_total = sum(s.weight for s in spec.statuses)
            for st in spec.statuses:
                plans.append(
                    (
                        spec.kind,
                        st.name,
                        _span(0, st.max_age, 10),
                        _span(st.min_days, st.max_days, 10),
                        offences,
                        st.hearing,
                        st.court_result,
                        st.outcomes,
                        spec.amount,
                        spec.due_days,
                        spec.court,
                        round(spec.vrm_share * 128),
                        ref_states[spec.ref.group],
                        spec.ref.stations,
                    )
                )
                plan_weights.append(spec.weight * st.weight / status_total)
        self.plans = _spread(plans, 13, plan_weights)

        # Ages in days at `today`, skewed young: the minimum of two uniforms (by inverting
        # its CDF) puts the mean in the early forties. 1,024 steps plus up to 31 days of
        # jitter per person; the top step leaves room for the jitter under 90.
        span = _MAX_AGE_DAYS - 32 - _MIN_AGE_DAYS
        self.dob_ages = [
            _MIN_AGE_DAYS + int(span * (1.0 - math.sqrt(1.0 - (i + 0.5) / 1024)))
            for i in range(1024)
        ]

        districts: list[tuple[str, str]] = []
        district_weights: list[float] = []
        for area, top, town, weight in _POSTCODE_AREAS:
            for number in range(1, top + 1):
                place = _NN_TOWNS[number % len(_NN_TOWNS)] if area == "NN" else town
                districts.append((f"{area}{number} ", f", {place}"))
                district_weights.append(weight / top)
        for district, town in _LETTERED_DISTRICTS:
            districts.append((f"{district} ", f", {town}"))
            district_weights.append(0.3)
        self.districts = _spread(districts, 12, district_weights)
        # Inward codes from a digit and a letter pair: small tables stay in the CPU cache,
        # where 4,000 ready-made codes would not (a cache miss costs more than a join).
        self.inward_digits = _spread("0123456789", 4)
        self.inward_letters = _spread([a + b for a in _INWARD_LETTERS for b in _INWARD_LETTERS], 9)
        self.streets = _spread([f"{a} {b}" for a in _STREET_FIRST for b in _STREET_SUFFIX], 12)
        # Address lines before the street: "12 ", "Flat 3, 40 ", "Rose Cottage, " ...
        numbers = [str(n) for n in _span(1, 60, 7) + _span(1, 180, 7)]  # short streets commoner
        self.address_heads = _spread(
            [f"{numbers[i % 256]} " for i in range(2816)]
            + [f"Flat {1 + i % 24}, {numbers[(i * 7) % 256]} " for i in range(640)]
            + [f"Flat {1 + i % 60}, {_BLOCK_NAMES[i % 5]}, " for i in range(256)]
            + [f"{_HOUSE_NAMES[i % 10]}, " for i in range(128)]
            + [f"{numbers[i % 128]}{'ABC'[i % 3]} " for i in range(256)],
            12,
        )
        self.surnames = _spread(_SURNAMES, 10)
        # About a third of people have a middle name.
        shaper = random.Random(f"tables:{seed}")  # varies the tables by seed
        singles = _FEMALE + _MALE
        doubles = _name_pairs(_FEMALE, shaper, 1500) + _name_pairs(_MALE, shaper, 1500)
        self.forenames = _spread(
            singles + doubles,
            12,
            [0.63 / len(singles)] * len(singles) + [0.37 / len(doubles)] * len(doubles),
        )
        # The parts of names used in e-mail addresses, worked out once.
        self.mail_first = {f: f.split(" ", 1)[0].lower() for f in set(self.forenames)}
        self.mail_last = {s: "".join(c for c in s.lower() if c.isalpha()) for s in _SURNAMES}
        self.mail_domains = _spread(_MAIL_DOMAINS, 4)
        # Years of birth and small numbers, as people put in addresses.
        self.mail_numbers = [f"{n % 100:02d}" for n in _span(1940, 2007, 6)] + [
            str(n) for n in _span(1, 999, 6)
        ]
        # Ofcom's ranges reserved for drama, so no number belongs to a real subscriber.
        self.phones = [f"07700 900{i % 1000:03d}" for i in range(1640)] + [
            f"01632 960{i:03d}" for i in range(408)
        ]
        self.locations = _spread(_LOCATIONS, 8)
        self.courts = _spread(_COURTS, 5)
        self.times = _spread(_TIMES, 6)
        self.officers = [str(n) for n in self.rng.sample(range(1000, 10000), 1024)]
        self.hearing_ahead = _span(7, _MAX_HEARING_AHEAD, 8)

        # Plates from small parts, for the same reason: area letters, age identifier and
        # three random letters (a pair and one); prefix and suffix plates add a year letter
        # and a number.
        self.plate_areas = _spread([a + b for a in _PLATE_AREA1 for b in _PLATE_AREA2], 9)
        self.plate_ages = _spread(_age_identifiers(today), 7)
        self.plate_pairs = _spread([a + b for a in _PLATE_RANDOM for b in _PLATE_RANDOM], 10)
        self.plate_singles = _spread(_PLATE_RANDOM, 5)
        self.plate_years = _spread(_PLATE_YEAR, 5)
        self.plate_numbers = [str(n) for n in _span(1, 999, 10)]

    def email(self, forenames: str, surname: str) -> str:
        """A made-up address in one of the shapes people choose, at a `.example` domain."""
        rb = self.rng.getrandbits
        first = self.mail_first[forenames]
        return _EMAIL_TEMPLATES[rb(3)] % (
            first,
            self.mail_last[surname],
            first,
            self.mail_numbers[rb(7)],
            self.mail_domains[rb(4)],
        )

    def relative(self, person: _Person) -> _Person:
        """A parent or grown-up child at the same address with the same car."""
        rb = self.rng.getrandbits
        age = self.today_i - person[8]
        gap = 20 * 365 + rb(13) % (15 * 365)
        rel_age = age - gap if age - gap >= _MIN_AGE_DAYS else min(age + gap, _MAX_AGE_DAYS)
        first_name = self.mail_first[person[1]]
        forenames = person[1]
        while self.mail_first[forenames] == first_name:
            forenames = self.forenames[rb(12)]
        surname = person[0]
        email = self.email(forenames, surname) if rb(2) < 2 else ""
        dob_i = self.today_i - rel_age
        return (
            surname,
            forenames,
            self.days[dob_i],
            person[3],
            person[4],
            email,
            "",
            person[7],
            dob_i,
        )

    def rows(self, count: int) -> Iterator[dict[str, str]]:
        """The hot loop. Everything it touches is bound to a local first, and a typical
        row calls no Python function (only the 3% about a relative do): on CPython 3.11 a
        call costs as much as a dozen `getrandbits` picks into a power-of-two table."""
        rb = self.rng.getrandbits
        days, today_i, plans = self.days, self.today_i, self.plans
        locations, courts, times = self.locations, self.courts, self.times
        officers, hearing_ahead = self.officers, self.hearing_ahead
        surnames, forenames_table, dob_ages = self.surnames, self.forenames, self.dob_ages
        districts, streets = self.districts, self.streets
        inward_digits, inward_letters = self.inward_digits, self.inward_letters
        address_heads, phones = self.address_heads, self.phones
        mail_first, mail_last = self.mail_first, self.mail_last
        mail_numbers, mail_domains = self.mail_numbers, self.mail_domains
        plate_areas, plate_ages, plate_years = self.plate_areas, self.plate_ages, self.plate_years
        plate_pairs, plate_singles, plate_numbers = (
            self.plate_pairs,
            self.plate_singles,
            self.plate_numbers,
        )
        make_relative = self.relative
        # The offence year for references, by day index: one string object per year.
        year_strings: dict[str, str] = {}
        years = [year_strings.setdefault(day[2:4], day[2:4]) for day in days]
        recent: list[_Person] = []
        ring_mask = (1 << _RECENT_BITS) - 1
        full = False  # the ring of recent people has filled up
        next_slot = 0
        for _ in range(count):
            (
                kind,
                status,
                ages,
                delays,
                offences,
                hearing_mode,
                court_result,
                outcomes,
                amount,
                due_days,
                court,
                vrm_cut,
                ref_state,
                is_urn,
            ) = plans[rb(13)]
            status_i = today_i - ages[rb(10)]
            offence_i = status_i - delays[rb(10)]
            status_date = days[status_i]
            offence_date = days[offence_i]
            code, offence, results = offences[rb(6)]

            # The subject: a recent person again, a relative of one, or someone new.
            roll = rb(10)
            if roll < _REPEAT_CUT and full:
                person = recent[rb(_RECENT_BITS)]
            else:
                if roll < _RELATIVE_CUT and full:
                    person = make_relative(recent[rb(_RECENT_BITS)])
                else:
                    surname = surnames[rb(10)]
                    forenames = forenames_table[rb(12)]
                    district, town = districts[rb(12)]
                    shape = rb(7)
                    letters = plate_pairs[rb(10)] + plate_singles[rb(5)]
                    if shape < 115:  # current plate, e.g. AB12CDE
                        head, tail = plate_areas[rb(9)] + plate_ages[rb(7)], letters
                    elif shape < 125:  # prefix plate, e.g. P123ABC
                        head, tail = plate_years[rb(5)] + plate_numbers[rb(10)], letters
                    else:  # suffix plate, e.g. ABC123D
                        head, tail = letters, plate_numbers[rb(10)] + plate_years[rb(5)]
                    contact = rb(5)  # bit 0: e-mail (half); bits 1-2 zero: phone (a quarter)
                    if contact & 1:
                        first = mail_first[forenames]
                        email = _EMAIL_TEMPLATES[rb(3)] % (
                            first,
                            mail_last[surname],
                            first,
                            mail_numbers[rb(7)],
                            mail_domains[rb(4)],
                        )
                    else:
                        email = ""
                    dob_i = today_i - dob_ages[rb(10)] - rb(5)
                    person = (
                        surname,
                        forenames,
                        days[dob_i],
                        f"{district}{inward_digits[rb(4)]}{inward_letters[rb(9)]}",
                        address_heads[rb(12)] + streets[rb(12)] + town,
                        email,
                        phones[rb(11)] if contact & 6 == 0 else "",
                        # Most systems store a mark compact; some keep the printed space.
                        f"{head} {tail}" if contact >= 28 else head + tail,
                        dob_i,
                    )
                # A ring of recent people keeps memory flat however many rows are made.
                if full:
                    recent[next_slot] = person
                    next_slot = (next_slot + 1) & ring_mask
                else:
                    recent.append(person)
                    full = len(recent) > ring_mask

            if hearing_mode == "future":
                hearing = days[today_i + hearing_ahead[rb(8)]]
            elif hearing_mode == "held":  # the hearing produced this status
                hearing = status_date
            else:
                hearing = ""
            if court_result:
                choices = results or _LOCAL_COURT_RESULTS
                outcome = choices[rb(8) % len(choices)]
            else:
                outcome = outcomes[rb(8) % len(outcomes)] if outcomes else ""

            # The next reference of the family: counter, then a keyed two-round Feistel
            # permutation of its two halves -- a bijection, so never a repeat and nothing
            # remembered -- then the family's format.
            counter, capacity, side, t1, t2, stations, split, template, group = ref_state
            n = counter[0]
            if n >= capacity:
                raise ValueError(
                    f"more than {capacity:,} {group} references requested; "
                    "the reference format has no room for more unique values"
                )
            counter[0] = n + 1
            lo = n % side
            hi = (n // side + t1[lo]) % side
            number = hi * side + (lo + t2[hi]) % side
            yy = years[offence_i]
            reference = template % (yy, stations[number // split], number % split, yy)

            yield {
                "kind": kind,
                "reference": reference,
                "status": status,
                "status_date": status_date,
                "offence_date": offence_date,
                "offence_code": code,
                "offence": offence,
                "location": locations[rb(8)],
                "vrm": person[7] if rb(7) < vrm_cut else "",
                "surname": person[0],
                "forenames": person[1],
                "dob": person[2],
                "postcode": person[3],
                "address": person[4],
                "email": person[5],
                "phone": person[6],
                "amount": amount,
                "due_date": days[offence_i + due_days] if due_days else "",
                "court": courts[rb(5)] if court else "",
                "hearing_date": hearing,
                "urn": reference if is_urn else "",
                "officer": officers[rb(10)],
                "outcome": outcome,
                "updated_at": status_date + times[rb(6)],
            }


def generate_records(
    count: int, *, seed: int = 0, today: datetime.date
) -> Iterator[dict[str, str]]:
    """Yield `count` synthetic records, each a dict of every `RECORD_COLUMNS` column as a
    string ('' for unknown). The same `count`, `seed` and `today` always give the same
    rows, and a shorter run is a prefix of a longer one.

    Raises ValueError for a negative count, or (beyond some fifteen million rows, first
    for collisions) when a kind's reference format runs out of unique values.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    return _Generator(seed, today).rows(count)


def write_records_csv(
    path: pathlib.Path, count: int, *, seed: int = 0, today: datetime.date
) -> int:
    """Write `count` records as CSV (UTF-8, header row, contract column order) to `path`;
    return the number of rows written."""
    rows = generate_records(count, seed=seed, today=today)
    values = operator.itemgetter(*RECORD_COLUMNS)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(RECORD_COLUMNS)
        for row in rows:
            writer.writerow(values(row))
            written += 1
    return written


def write_records_jsonl(
    path: pathlib.Path, count: int, *, seed: int = 0, today: datetime.date
) -> int:
    """Write `count` records as JSON Lines (one object per line, the CSV's keys) to `path`;
    return the number of rows written."""
    written = 0
    encode = json.JSONEncoder(ensure_ascii=False).encode
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in generate_records(count, seed=seed, today=today):
            handle.write(encode(row))
            handle.write("\n")
            written += 1
    return written
