"""Build the adversarial verification set: records.csv, enquiries.jsonl and truth.jsonl.

Everything here is invented. The labels come from the ground truth of each enquiry as it is
built (who the writer is, which record they mean, what they typed in their own words), never
from running the matcher. Deterministic: the same seed gives the same files, byte for byte.

    .venv/bin/python tests/data/verification/make_set.py          # rewrite the three files
    .venv/bin/python tests/data/verification/make_set.py --check  # exit 1 if they differ
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from lookup.vocabulary import RECORD_COLUMNS

SEED = 20261207
HERE = Path(__file__).resolve().parent
UPDATED_AT = "2026-11-30T09:00:00Z"

# The import contract's columns (contracts.md, section 1), in the product's order: only
# the file layout is shared with the product, never anything that decides a label.
COLUMNS = list(RECORD_COLUMNS)

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WELSH_DAYS = ["Llun", "Maw", "Mer", "Iau", "Gwe", "Sad", "Sul"]

MALE = [
    "Adrian",
    "Alun",
    "Amir",
    "Arthur",
    "Barry",
    "Bryn",
    "Callum",
    "Carl",
    "Cedric",
    "Clive",
    "Craig",
    "Darren",
    "Declan",
    "Dennis",
    "Dylan",
    "Emrys",
    "Ewan",
    "Felix",
    "Gavin",
    "Geraint",
    "Glyn",
    "Gordon",
    "Graham",
    "Hamish",
    "Huw",
    "Idris",
    "Ivan",
    "Jasper",
    "Keith",
    "Kieran",
    "Leon",
    "Lloyd",
    "Malcolm",
    "Marek",
    "Mervyn",
    "Neville",
    "Nigel",
    "Osian",
    "Owain",
    "Piotr",
    "Quentin",
    "Rajesh",
    "Reuben",
    "Rhys",
    "Rowan",
    "Sanjay",
    "Stefan",
    "Trevor",
    "Tudor",
    "Vernon",
    "Wyn",
    "Yusuf",
]
FEMALE = [
    "Agnes",
    "Alison",
    "Amara",
    "Angharad",
    "Bethan",
    "Bronwen",
    "Carys",
    "Ceri",
    "Clare",
    "Delyth",
    "Dilys",
    "Eleri",
    "Esther",
    "Fiona",
    "Gwen",
    "Hazel",
    "Heledd",
    "Imogen",
    "Iris",
    "Joan",
    "Joanna",
    "Karen",
    "Leanne",
    "Lowri",
    "Marion",
    "Maureen",
    "Mirela",
    "Nadia",
    "Nerys",
    "Olwen",
    "Paula",
    "Priya",
    "Rhian",
    "Rosalind",
    "Ruth",
    "Seren",
    "Shirley",
    "Siân",
    "Tamsin",
    "Teresa",
    "Ursula",
    "Valerie",
    "Wendy",
    "Yvonne",
    "Zofia",
]
SURNAMES = [
    "Ashdown",
    "Attwell",
    "Bagshaw",
    "Bellingham",
    "Blakemore",
    "Brindle",
    "Calloway",
    "Carrow",
    "Chaudhry",
    "Claybourne",
    "Colquhoun",
    "Cradock",
    "Dimmock",
    "Drayton",
    "Eddowes",
    "Fairclough",
    "Farrant",
    "Fenwick",
    "Garside",
    "Gethin",
    "Goodfellow",
    "Greatorex",
    "Haddad",
    "Halloran",
    "Hartnell",
    "Heseltine",
    "Hollinshead",
    "Iqbal",
    "Jellicoe",
    "Kettley",
    "Kowalczyk",
    "Lacey",
    "Lambourne",
    "Lewandowski",
    "Littlejohn",
    "Llewellyn",
    "Lockyer",
    "Mackintosh",
    "Maddox",
    "Marchbank",
    "Mensah",
    "Merriman",
    "Moorcroft",
    "Nettleton",
    "Nowicki",
    "Oakeshott",
    "Okonkwo",
    "Ormerod",
    "Ottaway",
    "Pargeter",
    "Penhaligon",
    "Pennock",
    "Prothero",
    "Quartermaine",
    "Ramsbottom",
    "Rigby",
    "Rossiter",
    "Sandilands",
    "Scarisbrick",
    "Sedgwick",
    "Shackleton",
    "Siddiqui",
    "Southgate",
    "Stainforth",
    "Tattersall",
    "Thackeray",
    "Threlfall",
    "Trevelyan",
    "Tuckwell",
    "Underhill",
    "Vardy",
    "Wadsworth",
    "Warburton",
    "Whitlock",
    "Wickens",
    "Yeardley",
    "Popescu",
    "Ionescu",
    "Moreira",
    "Ferreira",
    "Bianchi",
    "Romano",
    "Janssen",
    "Visser",
    "Schuster",
    "Brandt",
    "Dubois",
    "Lefebvre",
    "Navarro",
    "Castillo",
    "Wiśniewska",
    "Zielinski",
    "Pryce",
    "Bowen",
    "Jenkins",
    "Rees",
    "Vaughan",
]
STREETS = [
    "Larkspur Close",
    "Mill Race Lane",
    "Tanyard Row",
    "Heol y Felin",
    "Quarry Bank",
    "Orchard Rise",
    "Ferndale Crescent",
    "Kestrel Way",
    "Ffordd Las",
    "Chapel Walk",
    "Weavers Court",
    "Beacon View",
    "Station Approach",
    "Coed y Nant",
    "Holly Garth",
    "Rope Walk",
    "Sandpiper Drive",
    "Cwrt y Capel",
    "Meadowsweet Avenue",
    "Foundry Street",
    "Brewery Yard",
    "Lon Isaf",
    "Willow Bank",
    "Gatehouse Mews",
]
AREAS = [
    "NN",
    "CF",
    "SA",
    "LL",
    "NP",
    "LD",
    "SY",
    "CH",
    "LE",
    "CV",
    "MK",
    "OX",
    "RG",
    "SN",
    "BS",
    "GL",
    "HR",
    "WR",
    "DE",
    "NG",
]
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# True diminutives only (contracts.md section 2): Billy, Beth, Lizzie and Johnny are
# registered as names in their own right, so a writer using them is labelled as giving a
# different forename.
DIMINUTIVES = {
    "William": ("Bill", "Will"),
    "James": ("Jim", "Jimmy"),
    "Elizabeth": ("Liz",),
    "Robert": ("Bob", "Rob"),
    "Margaret": ("Maggie", "Peggy"),
    "Thomas": ("Tom",),
    "Michael": ("Mike",),
}


def diminutive_of(name: str, full: str) -> bool:
    return name in DIMINUTIVES.get(full, ())


# ---------------------------------------------------------------- records


@dataclass
class Person:
    forenames: str
    surname: str
    dob: date
    sex: str  # "m" or "f"
    postcode: str
    address: str
    vrm: str
    email: str
    tags: set[str] = field(default_factory=set)
    records: list[Rec] = field(default_factory=list)

    @property
    def first(self) -> str:
        return self.forenames.split()[0]

    @property
    def full(self) -> str:
        return f"{self.first} {self.surname}"

    @property
    def title(self) -> str:
        return "Mr" if self.sex == "m" else "Mrs"


@dataclass
class Rec:
    person: Person
    kind: str
    reference: str
    row: dict[str, str]


KIND_WORDS = {
    "fpn": ("fixed penalty notice", "fixed penalty", "ticket", "speeding ticket"),
    "cofp": ("speed camera letter", "notice of intended prosecution", "conditional offer"),
    "pnd": ("penalty notice for disorder", "penalty notice", "PND"),
    "course_offer": ("course offer", "speed awareness course", "driver awareness course"),
    "summons": ("summons", "court summons"),
    "postal_requisition": ("postal requisition", "court papers"),
    "court_case": ("court case", "case"),
    "collision": ("collision report", "accident report"),
    "cica_claim": ("compensation claim", "CICA claim"),
    "hort1": ("HORT/1 producer", "request to produce documents"),
    "vdrs": ("vehicle defect notice", "VDRS notice"),
    "community_resolution": ("community resolution",),
    "conditional_caution": ("conditional caution", "caution"),
}
KIND_DETAILS = {
    "fpn": (
        ("awaiting_payment", "awaiting_licence", "paid", "course_offered", "request_for_hearing"),
        "SP30",
        "Exceeding statutory speed limit on a public road",
        "100",
    ),
    "cofp": (
        ("nip_sent", "awaiting_driver_nomination", "driver_nominated", "offer_issued", "paid"),
        "SP30",
        "Exceeding statutory speed limit on a public road",
        "100",
    ),
    "pnd": (
        ("issued", "paid", "request_for_hearing", "fine_registered"),
        "PND",
        "Being drunk and disorderly in a public place",
        "90",
    ),
    "course_offer": (
        ("offered", "booked", "completed", "expired"),
        "TS10",
        "Speed awareness course offer",
        "95",
    ),
    "summons": (
        ("issued", "served", "hearing_listed", "adjourned"),
        "LC20",
        "Driving otherwise than in accordance with a licence",
        "",
    ),
    "postal_requisition": (
        ("issued", "served", "hearing_listed"),
        "SP30",
        "Exceeding statutory speed limit on a public road",
        "",
    ),
    "court_case": (
        ("in_preparation", "sent_to_cps", "listed", "adjourned"),
        "",
        "Assault by beating",
        "",
    ),
    "collision": (
        ("reported", "under_review", "decision_made", "abstract_available"),
        "",
        "Road traffic collision, damage only",
        "",
    ),
    "cica_claim": (
        ("request_received", "information_sent"),
        "",
        "Criminal Injuries Compensation Authority information request",
        "",
    ),
    "hort1": (
        ("issued", "documents_produced", "failed_to_produce"),
        "",
        "Produce driving documents at a police station",
        "",
    ),
    "vdrs": (
        ("issued", "rectified", "not_rectified"),
        "",
        "Vehicle defect rectification: defective tyre",
        "",
    ),
    "community_resolution": (
        ("conditions_set", "complied"),
        "",
        "Community resolution: criminal damage",
        "",
    ),
    "conditional_caution": (
        ("conditions_set", "complied", "failed_to_comply"),
        "",
        "Conditional caution: theft",
        "",
    ),
}
VEHICLE_KINDS = {
    "fpn",
    "cofp",
    "course_offer",
    "summons",
    "postal_requisition",
    "collision",
    "hort1",
    "vdrs",
}
URN_KINDS = {"summons", "postal_requisition", "court_case"}
LOCATIONS = (
    "A45 Northampton",
    "M4 J33",
    "A470 Merthyr",
    "Heol Fawr, Caernarfon",
    "Bridge Street",
    "A5 Towcester",
)


class Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: list[Person] = []
        self.records: list[Rec] = []
        self.refs: set[str] = set()
        self.postcodes: set[str] = set()
        self.vrms: set[str] = set()
        self.emails: set[str] = set()
        self.identities: set[tuple[str, str, date]] = set()

    # -- identifiers in the shapes the sample uses
    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def reference(self, kind: str) -> str:
        while True:
            ref = self._reference(kind)
            if ref not in self.refs:
                self.refs.add(ref)
                return ref

    def _reference(self, kind: str) -> str:
        letters = "ABCDEFGHJKLMNPRSTUVWXY"
        year = self.rng.choice(("23", "24", "25", "26"))
        if kind == "fpn":
            return "34" + self.digits(8)
        if kind == "cofp":
            return "SR2" + self.digits(8)
        if kind == "pnd":
            return "P34" + self.digits(7)
        if kind == "course_offer":
            return "DA" + self.digits(8)
        if kind == "cica_claim":
            return "CICA2" + self.digits(7)
        if kind == "collision":
            return "RTC2" + self.digits(7)
        if kind in URN_KINDS:
            return (
                "34" + self.rng.choice(letters) + self.rng.choice(letters) + self.digits(5) + year
            )
        return year + self.digits(9)  # hort1, vdrs, community_resolution, conditional_caution

    def postcode(self) -> str:
        while True:
            area = self.rng.choice(AREAS)
            district = str(self.rng.randint(1, 29))
            unit = f"{self.rng.randint(0, 9)}{self.rng.choice(UNIT_LETTERS)}{self.rng.choice(UNIT_LETTERS)}"
            pc = f"{area}{district} {unit}"
            if pc not in self.postcodes:
                self.postcodes.add(pc)
                return pc

    def vrm(self) -> str:
        letters = "ABCDEFGHJKLMNOPRSTUVWXY"
        while True:
            plate = (
                self.rng.choice(letters)
                + self.rng.choice(letters)
                + f"{self.rng.randint(10, 75):02d}"
                + "".join(self.rng.choice(letters) for _ in range(3))
            )
            if plate not in self.vrms:
                self.vrms.add(plate)
                return plate

    def email_for(self, forenames: str, surname: str) -> str:
        base = (
            (forenames.split()[0][0] + surname)
            .lower()
            .replace("ś", "s")
            .replace("â", "a")
            .replace("'", "")
        )
        domain = self.rng.choice(
            ("outlook.com", "gmail.com", "btinternet.com", "yahoo.co.uk", "icloud.com")
        )
        n = 0
        while True:
            address = f"{base}{n or ''}@{domain}"
            if address not in self.emails:
                self.emails.add(address)
                return address
            n += 1

    def dob(self, lo: int, hi: int) -> date:
        return date(self.rng.randint(lo, hi), self.rng.randint(1, 12), self.rng.randint(1, 28))

    def unused_surname(self) -> str:
        used = {p.surname for p in self.people}
        free = [s for s in SURNAMES if s not in used]
        return self.rng.choice(free or SURNAMES)

    def person(
        self,
        forenames: str | None = None,
        surname: str | None = None,
        dob: date | None = None,
        sex: str | None = None,
        postcode: str | None = None,
        address: str | None = None,
        vrm: str | None = None,
        tags: Sequence[str] = (),
    ) -> Person:
        sex = sex or self.rng.choice("mf")
        if forenames is None:
            forenames = self.rng.choice(MALE if sex == "m" else FEMALE)
            if self.rng.random() < 0.3:
                forenames += " " + self.rng.choice(MALE if sex == "m" else FEMALE)
        surname = surname or self.rng.choice(SURNAMES)
        dob = dob or self.dob(1940, 2005)
        while (forenames.split()[0], surname, dob) in self.identities:
            dob = dob + timedelta(days=37)
        self.identities.add((forenames.split()[0], surname, dob))
        person = Person(
            forenames=forenames,
            surname=surname,
            dob=dob,
            sex=sex,
            postcode=postcode or self.postcode(),
            address=address or f"{self.rng.randint(1, 140)} {self.rng.choice(STREETS)}",
            vrm=self.vrm() if vrm is None else vrm,
            email=self.email_for(forenames, surname),
            tags=set(tags),
        )
        self.people.append(person)
        return person

    def record(self, person: Person, kind: str | None = None, reference: str | None = None) -> Rec:
        kind = kind or self.rng.choice(
            (
                "fpn",
                "fpn",
                "cofp",
                "cofp",
                "cofp",
                "pnd",
                "course_offer",
                "summons",
                "postal_requisition",
                "court_case",
                "collision",
                "cica_claim",
                "hort1",
                "vdrs",
                "community_resolution",
                "conditional_caution",
            )
        )
        if reference is None:
            reference = self.reference(kind)
        else:
            assert reference not in self.refs, reference
            self.refs.add(reference)
        statuses, code, offence, amount = KIND_DETAILS[kind]
        offence_date = date(2026, 1, 1) + timedelta(days=self.rng.randint(0, 300))
        status_date = offence_date + timedelta(days=self.rng.randint(3, 30))
        court = kind in URN_KINDS
        row = {c: "" for c in COLUMNS}
        row.update(
            kind=kind,
            reference=reference,
            status=self.rng.choice(statuses),
            status_date=status_date.isoformat(),
            offence_date=offence_date.isoformat(),
            offence_code=code,
            offence=offence,
            location=self.rng.choice(LOCATIONS),
            vrm=person.vrm if kind in VEHICLE_KINDS else "",
            surname=person.surname,
            forenames=person.forenames,
            dob=person.dob.isoformat(),
            postcode=person.postcode,
            address=person.address,
            email=person.email,
            amount=amount,
            due_date=(offence_date + timedelta(days=28)).isoformat() if amount else "",
            court="Northampton Magistrates' Court" if court else "",
            hearing_date=(status_date + timedelta(days=60)).isoformat() if court else "",
            urn=reference if court else "",
            officer=str(self.rng.randint(1000, 9999)),
            updated_at=UPDATED_AT,
        )
        rec = Rec(person, kind, reference, row)
        person.records.append(rec)
        self.records.append(rec)
        return rec

    def one_off(self, ref: str) -> str:
        """A reference one digit away from `ref` that no record has."""
        positions = [i for i, ch in enumerate(ref) if ch.isdigit()][2:]
        while True:
            i = self.rng.choice(positions)
            new = ref[:i] + self.rng.choice([d for d in "0123456789" if d != ref[i]]) + ref[i + 1 :]
            if new not in self.refs:
                return new


@dataclass
class World:
    b: Builder
    households: list[tuple[Person, Person, str]]  # (elder/own-name, younger/other, pair label)
    twins: list[tuple[Person, Person]]
    near_dob: list[tuple[Person, Person]]  # same household, dates of birth one digit apart
    shared_car: list[tuple[Person, Person]]
    neighbours: list[list[Person]]
    lookalikes: list[tuple[Rec, Rec]]  # two real records one digit apart
    multi: list[Person]
    ordinary: list[Person]


HOUSEHOLD_PAIRS = (
    ("William James", "Liam", "m", "m"),
    ("James", "Jamie", "m", "m"),
    ("John", "Jack", "m", "m"),
    ("Elizabeth", "Lisa", "f", "f"),
    ("Alexandra", "Sandra", "f", "f"),
)


def one_digit_year(rng: random.Random, year: int) -> int:
    """A year in the same century differing from `year` in exactly one digit, 20+ years off."""
    options = [year - year % 100 + (d * 10) + year % 10 for d in range(10)]
    options = [y for y in options if abs(y - year) >= 20 and 1935 <= y <= 2006]
    return rng.choice(options)


def build_world(rng: random.Random) -> World:
    b = Builder(rng)
    households: list[tuple[Person, Person, str]] = []
    for elder_name, younger_name, s1, s2 in HOUSEHOLD_PAIRS:
        for n in range(3):
            surname = (
                "Thornbury" if (elder_name == "William James" and n == 0) else b.unused_surname()
            )
            if elder_name == "William James" and n == 0:
                e_dob, y_dob = date(1961, 4, 17), date(1992, 9, 3)
            else:
                e_dob, y_dob = b.dob(1952, 1970), b.dob(1986, 2002)
            elder = b.person(elder_name, surname, e_dob, s1, tags=("household",))
            shared_vrm = elder.vrm if n != 2 else None
            younger = b.person(
                younger_name,
                surname,
                y_dob,
                s2,
                elder.postcode,
                elder.address,
                shared_vrm,
                tags=("household",),
            )
            b.record(elder, rng.choice(("fpn", "cofp", "course_offer", "pnd")))
            b.record(younger, rng.choice(("fpn", "cofp", "course_offer", "pnd")))
            households.append((elder, younger, f"{elder.first}/{younger_name}"))
    twins: list[tuple[Person, Person]] = []
    for a_name, b_name, sex in (
        ("Daniel", "David", "m"),
        ("Hannah", "Holly", "f"),
        ("Rhys", "Rhodri", "m"),
        ("Amara", "Adaeze", "f"),
    ):
        surname = b.unused_surname()
        dob = b.dob(1980, 2003)
        t1 = b.person(a_name, surname, dob, sex, tags=("twin",))
        t2 = b.person(
            b_name,
            surname,
            dob,
            sex,
            t1.postcode,
            t1.address,
            t1.vrm if sex == "m" else None,
            tags=("twin",),
        )
        b.record(t1, rng.choice(("fpn", "cofp", "pnd")))
        b.record(t2, rng.choice(("fpn", "cofp", "pnd")))
        twins.append((t1, t2))
    near_dob: list[tuple[Person, Person]] = []
    for first_a, first_b, sex in (
        ("David", "David", "m"),
        ("Susan", "Susan", "f"),
        ("Gareth", "Gareth", "m"),
        ("Margaret", "Megan", "f"),
        ("Patricia", "Paige", "f"),
        ("Colin", "Connor", "m"),
    ):
        surname = b.unused_surname()
        older = b.dob(1952, 1972)
        younger = date(one_digit_year(rng, older.year), older.month, older.day)
        if younger < older:
            older, younger = younger, older
        p1 = b.person(first_a, surname, older, sex, tags=("near_dob",))
        p2 = b.person(first_b, surname, younger, sex, p1.postcode, p1.address, tags=("near_dob",))
        b.record(p1, rng.choice(("fpn", "cofp", "summons", "pnd")))
        b.record(p2, rng.choice(("fpn", "cofp", "summons", "pnd")))
        near_dob.append((p1, p2))
    shared_car: list[tuple[Person, Person]] = []
    for _ in range(5):
        p1 = b.person(sex="m", surname=b.unused_surname(), tags=("shared_car",))
        p2 = b.person(
            sex="f",
            surname=b.unused_surname(),
            postcode=p1.postcode,
            address=p1.address,
            vrm=p1.vrm,
            tags=("shared_car",),
        )
        b.record(p1, rng.choice(("fpn", "cofp")))
        b.record(p2, rng.choice(("fpn", "cofp")))
        shared_car.append((p1, p2))
    neighbours: list[list[Person]] = []
    for n in range(5):
        pc = b.postcode()
        street = rng.choice(STREETS)
        numbers = rng.sample(range(1, 60), 3)
        same = b.unused_surname() if n < 2 else None  # two unrelated households, one surname
        group = []
        for i, number in enumerate(numbers):
            surname = same if (same and i < 2) else b.unused_surname()
            p = b.person(
                surname=surname, postcode=pc, address=f"{number} {street}", tags=("neighbour",)
            )
            b.record(p)
            group.append(p)
        neighbours.append(group)
    lookalikes: list[tuple[Rec, Rec]] = []
    for kind in (
        "fpn",
        "fpn",
        "cofp",
        "cofp",
        "cofp",
        "pnd",
        "course_offer",
        "summons",
        "collision",
        "hort1",
    ):
        p1 = b.person(tags=("lookalike",))
        p2 = b.person(tags=("lookalike",))
        r1 = b.record(p1, kind)
        r2 = b.record(p2, kind, b.one_off(r1.reference))
        lookalikes.append((r1, r2))
    multi: list[Person] = []
    for _ in range(18):
        p = b.person(tags=("multi",))
        for _ in range(rng.choice((2, 2, 3))):
            b.record(p)
        multi.append(p)
    ordinary: list[Person] = []
    while len(b.records) < 330:
        p = b.person(tags=("ordinary",))
        b.record(p)
        ordinary.append(p)
    return World(
        b, households, twins, near_dob, shared_car, neighbours, lookalikes, multi, ordinary
    )


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class Fact:
    """One identifier the writer typed in their own words, and how it compares."""

    field: str  # reference, dob, surname, forenames, postcode, address, vrm
    agrees: bool
    personal: bool
    contradicts: bool


def ref_text(rng: random.Random, ref: str, style: str | None = None) -> str:
    style = style or rng.choice(
        ("plain", "plain", "plain", "spaced", "dashed", "lower", "ocr", "slash")
    )
    if style == "spaced":
        if len(ref) == 11 and ref[2:4].isalpha():
            return f"{ref[:4]} {ref[4:9]} {ref[9:]}"
        if ref[:2].isalpha() or ref[0] == "P" or ref.startswith(("CICA", "RTC")):
            head = "".join(ch for ch in ref if ch.isalpha())
            tail = ref[len(head) :]
            return f"{head} {tail[:3]} {tail[3:6]} {tail[6:]}".strip()
        return " ".join(ref[i : i + 4] for i in range(0, len(ref), 4))
    if style == "dashed":
        head = ref[:4] if ref[2:4].isalpha() else "".join(ch for ch in ref if ch.isalpha())
        tail = ref[len(head) :]
        groups = [tail[i : i + 3] for i in range(0, len(tail), 3)]
        return "-".join([head, *groups] if head else groups)
    if style == "lower":
        return ref.lower()
    if style == "ocr":
        for digit, look in (("0", "O"), ("1", "I"), ("5", "S")):
            i = ref.find(digit, 2)
            if i >= 0:
                return ref[:i] + look + ref[i + 1 :]
        return ref
    if style == "slash" and len(ref) == 11 and ref[2:4].isalpha():
        return f"{ref[:4]}/{ref[4:9]}/{ref[9:]}"
    return ref


DOB_STYLES = (
    "slash",
    "slash",
    "slash_short",
    "dot",
    "dash",
    "long",
    "ordinal",
    "ordinal_of",
    "us_long",
    "us_comma",
    "iso",
    "mon",
)


def dob_text(d: date, style: str) -> str:
    month = MONTHS[d.month - 1]
    suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    return {
        "slash": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "slash_short": f"{d.day}/{d.month}/{d.year}",
        "dot": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "dash": f"{d.day:02d}-{d.month:02d}-{d.year}",
        "long": f"{d.day} {month} {d.year}",
        "ordinal": f"{d.day}{suffix} {month} {d.year}",
        "ordinal_of": f"{d.day}{suffix} of {month} {d.year}",
        "us_long": f"{month} {d.day} {d.year}",
        "us_comma": f"{month} {d.day}{suffix}, {d.year}",
        "iso": d.isoformat(),
        "mon": f"{d.day} {month[:3]} {d.year}",
        "two_digit": f"{d.day}.{d.month}.{d.year % 100:02d}",
    }[style]


def plate_text(rng: random.Random, vrm: str) -> str:
    return rng.choice((vrm, f"{vrm[:4]} {vrm[4:]}", f"{vrm[:4]} {vrm[4:]}".lower(), vrm.lower()))


def pc_text(rng: random.Random, pc: str) -> str:
    return rng.choice((pc, pc, pc.replace(" ", ""), pc.lower(), pc.replace(" ", "").lower()))


class Writer:
    """Collects what one writer typed (facts, for the labels) and renders it in a voice."""

    def __init__(self, rng: random.Random, subject: Person | None, rec: Rec | None) -> None:
        self.rng = rng
        self.subject = subject
        self.rec = rec
        self.facts: list[Fact] = []
        self.body: list[tuple[str, str]] = []  # (field, text) in the body
        self.ambiguous_dob = False

    # each adder records the fact against the record's subject and returns the text
    def ref(self, style: str | None = None, where: str = "body") -> str:
        assert self.rec
        style = style or self.rng.choice(
            ("plain", "plain", "plain", "spaced", "dashed", "lower", "ocr", "slash")
        )
        text = ref_text(self.rng, self.rec.reference, style)
        # Look-alike characters (O for 0, S for 5) are labelled as a typo: public. The
        # shared sample's labels read section 2 that way, and it is the cautious reading.
        self.facts.append(Fact("reference", True, style != "ocr", False))
        if where == "body":
            self.body.append(("ref", text))
        return text

    def ref_typo(self, typed: str, where: str = "body") -> str:
        self.facts.append(Fact("reference", True, False, False))
        text = ref_text(self.rng, typed, self.rng.choice(("plain", "plain", "spaced", "lower")))
        if where == "body":
            self.body.append(("ref", text))
        return text

    def other_ref(self, typed: str) -> str:
        """A reference that is exactly another real record's: says nothing of this one."""
        text = ref_text(self.rng, typed, "plain")
        self.body.append(("ref", text))
        return text

    def dob(self, d: date, style: str | None = None, where: str = "body") -> str:
        assert self.subject
        style = style or self.rng.choice(DOB_STYLES)
        text = dob_text(d, style)
        if style == "two_digit":
            # 12.3.58 could be 1958 or 2058; it is not counted either way.
            self.ambiguous_dob = True
        elif d == self.subject.dob:
            self.facts.append(Fact("dob", True, True, False))
        else:
            self.facts.append(Fact("dob", False, False, True))
        if where == "body":
            self.body.append(("dob", text))
        return text

    def name(
        self, forename: str | None, surname: str | None, where: str = "body", initial: bool = False
    ) -> str:
        assert self.subject
        parts = []
        if forename:
            given = forename.split()[0]
            if initial:
                parts.append(given[0] + ".")
            else:
                parts.append(forename)
                own = self.subject.first
                if given == own or diminutive_of(given, own):
                    self.facts.append(Fact("forenames", True, False, False))
                else:
                    self.facts.append(Fact("forenames", False, False, True))
        if surname:
            parts.append(surname)
            if surname == self.subject.surname:
                self.facts.append(Fact("surname", True, False, False))
            else:
                self.facts.append(Fact("surname", False, False, True))
        text = " ".join(parts)
        if where == "body":
            self.body.append(("name", text))
        return text

    def postcode(self, pc: str | None = None, where: str = "body") -> str:
        assert self.subject
        pc = pc or self.subject.postcode
        self.facts.append(Fact("postcode", pc == self.subject.postcode, False, False))
        text = pc_text(self.rng, pc)
        if where == "body":
            self.body.append(("postcode", text))
        return text

    def address(self, where: str = "body") -> str:
        assert self.subject
        self.facts.append(Fact("address", True, False, False))
        text = self.subject.address
        if where == "body":
            self.body.append(("address", text))
        return text

    def plate(self, vrm: str | None = None, where: str = "body") -> str:
        assert self.subject
        vrm = vrm or self.subject.vrm
        self.facts.append(Fact("vrm", vrm == self.subject.vrm, False, False))
        text = plate_text(self.rng, vrm)
        if where == "body":
            self.body.append(("vrm", text))
        return text

    # labels
    def personal(self) -> bool:
        return any(f.personal and f.agrees for f in self.facts)

    def agreeing(self) -> int:
        # A name is one identifier: a forename alone identifies no one (the shared
        # sample's labels agree), so only the surname of a name is counted.
        return len({f.field for f in self.facts if f.agrees and f.field != "forenames"})

    def contradicted(self) -> bool:
        return any(f.contradicts for f in self.facts)


PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "formal": {
        "ref": (
            "The reference number is {v}.",
            "The notice reference is {v}.",
            "My reference is {v}.",
        ),
        "dob": ("My date of birth is {v}.", "For identification, my date of birth is {v}."),
        "name": ("My name is {v}.", "I am {v}."),
        "postcode": ("My postcode is {v}.",),
        "address": ("I live at {v}.",),
        "vrm": ("The vehicle registration is {v}.", "The car is {v}."),
    },
    "terse": {
        "ref": ("Ref {v}.", "Ref: {v}", "{v}."),
        "dob": ("DOB {v}.", "D.O.B: {v}", "born {v}."),
        "name": ("Name: {v}.", "{v} here."),
        "postcode": ("Postcode {v}.", "PC {v}."),
        "address": ("Address: {v}.",),
        "vrm": ("Reg {v}.", "Car {v}."),
    },
    "angry": {
        "ref": ("The reference, which is on YOUR letter, is {v}.", "Reference {v} - again!"),
        "dob": ("I was born on {v}, not that it should matter.", "DOB {v}, before you ask."),
        "name": ("My name is {v}.", "This is {v} writing, AGAIN."),
        "postcode": ("I live at {v} as you well know.",),
        "address": ("My address, which you already have, is {v}.",),
        "vrm": ("The car is {v}.",),
    },
    "elderly": {
        "ref": (
            "The number at the top of the letter is {v}.",
            "The letter has the number {v} on it.",
        ),
        "dob": ("I was born on the {v}.", "My date of birth is {v}, if that helps."),
        "name": ("My name is {v}.",),
        "postcode": ("My postcode is {v}.",),
        "address": ("I live at {v}.",),
        "vrm": ("My little car is {v}.",),
    },
    "nonnative": {
        "ref": ("The number of ticket is {v}.", "Reference of letter: {v}."),
        "dob": ("My birth date is {v}.", "I am born {v}."),
        "name": ("My name is {v}.", "I am {v}."),
        "postcode": ("I am living in postcode {v}.",),
        "address": ("I am living at {v}.",),
        "vrm": ("The registration of my car is {v}.",),
    },
    "textspeak": {
        "ref": ("ref {v}", "its {v}", "ticket no {v}"),
        "dob": ("dob {v}", "born {v}"),
        "name": ("im {v}", "name {v}"),
        "postcode": ("postcode {v}", "pc {v}"),
        "address": ("live at {v}",),
        "vrm": ("car {v}", "reg {v}"),
    },
    "welsh": {
        "ref": ("Cyfeirnod / Reference: {v}", "Rhif y tocyn / ticket number: {v}"),
        "dob": ("Dyddiad geni / Date of birth: {v}",),
        "name": ("Fy enw i yw {v} / My name is {v}.",),
        "postcode": ("Cod post / Postcode: {v}",),
        "address": ("Cyfeiriad / Address: {v}",),
        "vrm": ("Rhif cofrestru / Registration: {v}",),
    },
}
PHRASES["lowercase"] = PHRASES["terse"]
PHRASES["rambling"] = PHRASES["formal"]
VOICES = (
    "formal",
    "terse",
    "angry",
    "elderly",
    "nonnative",
    "textspeak",
    "lowercase",
    "rambling",
    "welsh",
)

GREETINGS = {
    "formal": ("Dear Sir or Madam,", "To whom it may concern,", "Good morning,"),
    "terse": ("Hi,", "", "Hello"),
    "angry": ("To whoever is responsible,", "Hello,", ""),
    "elderly": ("Dear Sirs,", "Dear Madam or Sir,", "Good afternoon,"),
    "nonnative": ("Hello,", "Dear Sir/Madam,", "Good day,"),
    "textspeak": ("hiya", "hi", "hey"),
    "lowercase": ("hi", "hello", ""),
    "rambling": ("Hello there,", "Hi,", "Dear Sir or Madam,"),
    "welsh": ("Bore da / Good morning,", "Annwyl Syr neu Fadam / Dear Sir or Madam,", "Shwmae,"),
}
CLOSINGS = {
    "formal": ("Yours faithfully,", "Kind regards,", "Regards,"),
    "terse": ("Thanks", "Cheers", "Ta"),
    "angry": ("I expect a reply this week.", "Disgusted,", "Regards"),
    "elderly": ("Yours sincerely,", "With thanks and best wishes,", "Kind regards"),
    "nonnative": ("Best regards", "Thank you very much", "With respect,"),
    "textspeak": ("thx", "cheers", "ta"),
    "lowercase": ("thanks", "regards", "cheers"),
    "rambling": ("Anyway, thanks for reading all this,", "Best wishes,", "Many thanks,"),
    "welsh": ("Diolch / Thanks,", "Yn gywir / Yours sincerely,", "Cofion / Regards,"),
}
FILLER = (
    "I have been meaning to write for weeks but my daughter has been in hospital and everything else went out of my head.",
    "We were on our way back from Aberystwyth that day and the traffic was terrible near the roadworks.",
    "I rang the number on the letter twice on Tuesday and waited forty minutes before giving up.",
    "My phone number is 07700 900461 if it is easier to call, though I am at work until six.",
    "I have had a clean licence for over twenty years and I am honestly shocked by all this.",
    "The letter arrived on the 14th, which seems late to me given the date on it.",
    "I am not very good with computers so please bear with me.",
)


def an(words: str) -> str:
    return ("an " if words[0].lower() in "aeiou" else "a ") + words


def ask_for(rng: random.Random, rec: Rec, voice: str) -> str:
    words = rng.choice(KIND_WORDS[rec.kind])
    if voice == "textspeak":
        return rng.choice(
            (
                f"got {an(words)} n dunno if its paid",
                f"wots happenin with my {words}??",
                f"can i still do the course 4 my {words}",
                f"need 2 know the status of my {words} asap",
            )
        )
    if voice == "nonnative":
        return rng.choice(
            (
                f"I am write to ask about my {words}, what is the situation now?",
                f"Please, I want to know if my {words} is finish or I must pay.",
                f"I receive {an(words)} and I do not understand what I must to do.",
            )
        )
    if voice == "angry":
        return rng.choice(
            (
                f"This is the third time I have written about my {words} and nobody has bothered to answer.",
                f"I have PAID the {words} and I am still getting letters. Sort it out.",
                f"Your {words} is wrong and I want it cancelled.",
            )
        )
    if voice == "elderly":
        return rng.choice(
            (
                f"I hope you do not mind me writing. I have had a letter about {an(words)} and I am not sure what I am meant to do.",
                f"My grandson usually helps me with these things but he is away. Could you tell me where things are with my {words}?",
            )
        )
    if voice == "welsh":
        return rng.choice(
            (
                f"Rwy'n ysgrifennu ynglŷn â fy {words}. I am writing about my {words} - has it been dealt with?",
                f"Allwch chi ddweud wrtha i beth yw'r sefyllfa? Could you tell me the status of my {words}?",
            )
        )
    options = [
        f"Could you tell me the current status of my {words}?",
        f"I have moved house and need to update my address for my {words}.",
    ]
    if rec.row["amount"]:
        options.append(f"I would like to know whether my {words} has been paid.")
    if rec.kind in ("fpn", "cofp"):
        options += [
            f"I would like to contest the {words} as I was not the driver.",
            f"I sent my licence in for the {words} three weeks ago and have heard nothing.",
            f"Can I still book a course instead of the {words}?",
        ]
    if rec.kind in URN_KINDS:
        options.append(f"Please can you confirm the court date for my {words}?")
    return rng.choice(options)


def render(rng: random.Random, voice: str, ask: str, body: list[tuple[str, str]], sign: str) -> str:
    """A message in one voice: greeting, the question, the identifiers, closing and sign-off."""
    phrases = PHRASES[voice]
    parts = [rng.choice(phrases[f]).format(v=v) for f, v in body]
    greeting = rng.choice(GREETINGS[voice])
    closing = rng.choice(CLOSINGS[voice]) if not sign or rng.random() < 0.8 else ""
    if voice == "textspeak":
        text = f"{greeting} {ask} {', '.join(parts)} {closing}".strip()
        return text + (f"\n{sign}" if sign else "")
    if voice == "terse":
        text = " ".join([ask, *parts])
        lines = [greeting, text] if greeting else [text]
        return "\n".join(line for line in [*lines, closing, sign] if line)
    body_text = " ".join(parts)
    if voice == "rambling":
        fill = rng.sample(FILLER, 3)
        paragraphs = [
            fill[0] + " " + ask,
            fill[1] + " " + " ".join(parts[: len(parts) // 2 + 1]),
            " ".join(parts[len(parts) // 2 + 1 :]) + " " + fill[2],
        ]
        paragraphs = [p.strip() for p in paragraphs if p.strip()]
    elif rng.random() < 0.4:
        paragraphs = [body_text, ask]
    else:
        paragraphs = [ask, body_text]
    out = ([greeting, ""] if greeting else []) + ["\n\n".join(p for p in paragraphs if p), ""]
    out += [line for line in (closing, sign) if line]
    text = "\n".join(out)
    if voice == "lowercase":
        text = text.lower()
    return text


SIGN_STYLES = ("regards", "name_dob", "regards_inline", "thanks_first", "sig_block", "dash_sig")


def sign_off(
    w: Writer,
    style: str,
    forename: str | None,
    surname: str,
    dob: date | None = None,
    dob_style: str | None = None,
) -> str:
    """The sign-off; any identifiers in it are the writer's own and are recorded as facts."""
    if style == "thanks_first":
        return w.name(forename, None, where="sign") if forename else ""
    name = w.name(forename, surname, where="sign")
    if style == "name_dob" and dob is not None:
        return f"{name}\n{w.dob(dob, dob_style, where='sign')}"
    if style == "regards_inline" and dob is not None:
        return f"Regards, {name}, {w.dob(dob, dob_style, where='sign')}"
    if style == "sig_block":
        return f"{name}\n{w.address(where='sign')}\n{w.postcode(where='sign')}"
    if style == "dash_sig":
        return f"-- \n{name}"
    return name


def html_body(text: str) -> str:
    paragraphs = [p.replace("\n", "<br>") for p in text.split("\n\n")]
    inner = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><meta charset="utf-8"></head><body><div dir="ltr">{inner}</div></body></html>'
    )


# ---------------------------------------------------------------- quotes


def when_words(rng: random.Random) -> tuple[date, int, int]:
    d = date(2026, rng.randint(9, 11), rng.randint(1, 28))
    return d, rng.randint(7, 20), rng.randint(0, 59)


EN_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def attribution(style: str, rng: random.Random, name: str, email: str) -> str:
    d, hh, mm = when_words(rng)
    wd = d.weekday()
    t = f"{hh:02d}:{mm:02d}"
    month = d.month
    return {
        "en": f"On {EN_DAYS[wd]}, {d.day} {MONTHS[month - 1][:3]} {d.year} at {t}, {name} <{email}> wrote:",
        "en_wrapped": f"On {EN_DAYS[wd]}, {d.day} {MONTHS[month - 1][:3]} {d.year} at {t}, {name} <\n{email}> wrote:",
        "cy": f"Ar {WELSH_DAYS[wd]} {d.day} {['Medi', 'Hyd', 'Tach'][month - 9]} {d.year} am {t}, ysgrifennodd {name} <{email}>:",
        "fr": f"Le {['lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'][wd]} {d.day} {['sept.', 'oct.', 'nov.'][month - 9]} {d.year} à {t}, {name} <{email}> a écrit :",
        "de": f"Am {['Mo.', 'Di.', 'Mi.', 'Do.', 'Fr.', 'Sa.', 'So.'][wd]}, {d.day}. {['Sept.', 'Okt.', 'Nov.'][month - 9]} {d.year} um {t} Uhr schrieb {name} <{email}>:",
        "nl": f"Op {['ma', 'di', 'wo', 'do', 'vr', 'za', 'zo'][wd]} {d.day} {['sep', 'okt', 'nov'][month - 9]} {d.year} om {t} schreef {name} <{email}>:",
        "it": f"Il giorno {['lun', 'mar', 'mer', 'gio', 'ven', 'sab', 'dom'][wd]} {d.day} {['set', 'ott', 'nov'][month - 9]} {d.year} alle ore {t} {name} <{email}> ha scritto:",
        "pl": f"{['pon.', 'wt.', 'śr.', 'czw.', 'pt.', 'sob.', 'niedz.'][wd]} {d.day} {['wrz', 'paź', 'lis'][month - 9]} {d.year} o {t} {name} <{email}> napisał(a):",
        "pl_tb": f"W dniu {d.day:02d}.{month:02d}.{d.year} o {t}, {name} pisze:",
        "pt": f"Em {['seg.', 'ter.', 'qua.', 'qui.', 'sex.', 'sáb.', 'dom.'][wd]}, {d.day} de {['set.', 'out.', 'nov.'][month - 9]} de {d.year} às {t}, {name} <{email}> escreveu:",
        "ro": f"În {['lun.', 'mar.', 'mie.', 'joi', 'vin.', 'sâm.', 'dum.'][wd]}, {d.day} {['sept.', 'oct.', 'nov.'][month - 9]} {d.year} la {t}, {name} <{email}> a scris:",
        "es": f"El {['lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom'][wd]}, {d.day} {['sept', 'oct', 'nov'][month - 9]} {d.year} a las {t}, {name} (<{email}>) escribió:",
    }[style]


OUTLOOK_LABELS = {
    "en": ("From", "Sent", "To", "Subject"),
    "fr": ("De", "Envoyé", "À", "Objet"),
    "de": ("Von", "Gesendet", "An", "Betreff"),
    "nl": ("Van", "Verzonden", "Aan", "Onderwerp"),
    "it": ("Da", "Inviato", "A", "Oggetto"),
    "pl": ("Od", "Wysłane", "Do", "Temat"),
    "pt": ("De", "Enviado", "Para", "Assunto"),
    "es": ("De", "Enviado el", "Para", "Asunto"),
    "ro": ("De la", "Trimis", "Către", "Subiect"),
    "cy": ("Oddi wrth", "Anfonwyd", "At", "Pwnc"),
}
SEPARATORS = {
    "en": "-----Original Message-----",
    "de": "-----Ursprüngliche Nachricht-----",
    "fr": "-----Message d'origine-----",
    "nl": "-----Oorspronkelijk bericht-----",
    "it": "-----Messaggio originale-----",
    "es": "-----Mensaje original-----",
    "pt": "-----Mensagem original-----",
    "pl": "-----Wiadomość oryginalna-----",
}
OWN_QUESTION = {
    "en": (
        "Can you tell me where this is up to?",
        "What is the status of the below please?",
        "Is this one paid yet?",
        "See below - any news?",
    ),
    "fr": (
        "Bonjour, pouvez-vous me dire où en est ce dossier ?",
        "Merci de me donner des nouvelles de ceci.",
    ),
    "de": ("Hallo, können Sie mir sagen, wie der Stand ist?", "Gibt es hierzu Neuigkeiten?"),
    "nl": ("Hallo, kunt u mij vertellen wat de status is?",),
    "it": ("Buongiorno, potete dirmi a che punto è la pratica?",),
    "pl": ("Dzień dobry, czy mogą Państwo podać status tej sprawy?",),
    "pt": ("Olá, podem dizer-me qual é a situação?",),
    "ro": ("Bună ziua, îmi puteți spune care este situația?",),
    "es": ("Hola, ¿me pueden decir en qué estado está esto?",),
    "cy": ("Allwch chi ddweud beth yw'r sefyllfa? Can you tell me the status?",),
}
QUOTE_STYLES = (
    "gt:en",
    "gt:en_wrapped",
    "gt:cy",
    "gt:fr",
    "gt:de",
    "gt:nl",
    "gt:it",
    "gt:pl",
    "gt:pl_tb",
    "gt:pt",
    "gt:ro",
    "gt:es",
    "sep:en",
    "sep:de",
    "sep:fr",
    "sep:nl",
    "sep:it",
    "sep:es",
    "sep:pt",
    "sep:pl",
    "block:en",
    "block:fr",
    "block:de",
    "block:nl",
    "block:it",
    "block:pl",
    "block:pt",
    "block:es",
    "block:ro",
    "block:cy",
    "bare:en",
    "bare:de",
    "fwd:gmail",
    "fwd:apple",
    "html:outlook_fr",
    "html:blockquote",
    "html:gmail",
)


def lang_of(style: str) -> str:
    tail = style.split(":")[1]
    if tail.startswith("pl"):
        return "pl"
    if tail.startswith("en") or tail in ("gmail", "apple", "blockquote"):
        return "en"
    if tail == "outlook_fr":
        return "fr"
    return tail


def outlook_date(rng: random.Random, lang: str) -> str:
    d, hh, mm = when_words(rng)
    if lang == "en":
        return f"{['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year} {hh:02d}:{mm:02d}"
    return f"{d.day:02d}/{d.month:02d}/{d.year} {hh:02d}:{mm:02d}"


def with_quote(
    rng: random.Random,
    style: str,
    own_top: str,
    quoted_body: str,
    author: str,
    author_email: str,
    to: str,
    subject: str,
    own_bottom: str = "",
) -> str:
    """The writer's own text above (and maybe below) an earlier message quoted in `style`."""
    family, lang = style.split(":")
    if family == "gt":
        head = attribution(lang, rng, author, author_email)
        quoted = "\n".join("> " + line if line else ">" for line in quoted_body.split("\n"))
        text = f"{own_top}\n\n{head}\n{quoted}"
        return text + (f"\n\n{own_bottom}" if own_bottom else "")
    if family in ("sep", "block", "bare"):
        f, s, t, subj = OUTLOOK_LABELS[lang]
        header = f"{f}: {author} <{author_email}>\n{s}: {outlook_date(rng, lang)}\n{t}: {to}\n{subj}: {subject}"
        lead = {
            "sep": SEPARATORS.get(lang, ""),
            "block": "________________________________",
            "bare": "",
        }[family]
        lead_text = f"{lead}\n" if lead else ""
        return f"{own_top}\n\n{lead_text}{header}\n\n{quoted_body}"
    if family == "fwd":
        if lang == "gmail":
            d, hh, mm = when_words(rng)
            head = (
                "---------- Forwarded message ---------\n"
                f"From: {author} <{author_email}>\n"
                f"Date: {EN_DAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1][:3]} {d.year} at {hh:02d}:{mm:02d}\n"
                f"Subject: {subject}\nTo: <{to}>"
            )
        else:
            head = f"Begin forwarded message:\n\nFrom: {author} <{author_email}>\nSubject: {subject}\nDate: {outlook_date(rng, 'en')}\nTo: {to}"
        return f"{own_top}\n\n{head}\n\n{quoted_body}"
    # HTML
    own_html = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in own_top.split("\n\n"))
    bottom_html = (
        "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in own_bottom.split("\n\n"))
        if own_bottom
        else ""
    )
    q_html = (
        quoted_body.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", "<br>\n")
    )
    a_html = f"{author} &lt;{author_email}&gt;"
    if lang == "outlook_fr":
        return (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>'
            '<body><div style="font-family: Calibri, Arial, Helvetica, sans-serif; font-size: 12pt;">'
            f"{own_html}</div>"
            '<hr style="display:inline-block;width:98%" tabindex="-1">'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">'
            f"<b>De :</b> {a_html}<br><b>Envoyé :</b> {outlook_date(rng, 'fr')}<br>"
            f"<b>À :</b> {to}<br><b>Objet :</b> {subject}</font><div>&nbsp;</div></div>"
            f'<div><div dir="ltr">{q_html}</div></div></body></html>'
        )
    if lang == "gmail":
        head = (
            attribution("en", rng, author, author_email).replace("<", "&lt;").replace(">", "&gt;")
        )
        return (
            f'<div dir="ltr">{own_html}</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">{head}<br></div>'
            '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
            f'<div dir="ltr">{q_html}</div></blockquote></div>{bottom_html}'
        )
    return f"<html><body>{own_html}<blockquote>{q_html}</blockquote>{bottom_html}</body></html>"


OFFICE = "ticket.office@justice-enquiries.example"


def subject_message(rng: random.Random, p: Person, rec: Rec) -> str:
    """The subject's own earlier email, with their reference, name and date of birth."""
    words = rng.choice(KIND_WORDS[rec.kind])
    dob = dob_text(p.dob, rng.choice(("slash", "long", "dot")))
    ref = ref_text(rng, rec.reference, "plain")
    opening = rng.choice(
        (
            f"Hi,\n\nI have had a letter about my {words}, reference {ref}. Can I do the course instead?",
            f"Hello,\n\nPlease can you tell me if my {words} {ref} has been paid? I paid online on the 3rd.",
            f"Dear Sir/Madam,\n\nI am writing about {words} {ref}. I have changed my address to {p.address}, {p.postcode}.",
        )
    )
    ending = rng.choice(
        (
            f"\n\nRegards,\n{p.full}\n{dob}",
            f"\n\nMy date of birth is {dob}.\n\nThanks,\n{p.full}",
            f"\n\n{p.full}\n{dob}",
        )
    )
    return opening + ending


def office_letter(rng: random.Random, p: Person, rec: Rec) -> str:
    """The office's own earlier letter to the subject, with the reference (and the plate)."""
    words = KIND_WORDS[rec.kind][0]
    plate = f"\nVehicle: {p.vrm}" if rec.row["vrm"] else ""
    return rng.choice(
        (
            f"Dear {p.title} {p.surname},\n\n{words.capitalize()}: {rec.reference}{plate}\n\n"
            "Thank you for your email. We have not yet received payment. Please quote the reference above in all correspondence.\n\n"
            "Central Ticket Office",
            f"Dear {p.title} {p.surname},\n\nReference {rec.reference}\n\n"
            f"We write about the {words} issued on {rec.row['offence_date']}. Please reply with your date of birth so that we can confirm your identity.\n\n"
            "Yours sincerely,\nEnquiries Team",
        )
    )


# ---------------------------------------------------------------- enquiries


@dataclass
class Item:
    category: str
    channel: str
    sender: str
    subject: str
    text: str
    about: str | None
    writer_is_subject: bool
    personal_given: bool
    expect_verified: bool
    note: str


def stranger_email(rng: random.Random) -> str:
    return f"{rng.choice(MALE + FEMALE).lower()}.{rng.choice(('k', 'j', 'm', 'r'))}{rng.randint(10, 99)}@{rng.choice(('gmail.com', 'hotmail.co.uk', 'proton.me', 'outlook.com'))}"


def subject_line(rng: random.Random) -> str:
    return rng.choice(
        (
            "Ticket query",
            "My fixed penalty",
            "(no subject)",
            "Enquiry",
            "URGENT",
            "Letter received",
            "Re: Your letter",
            "question",
            "Penalty notice",
            "Ymholiad / Enquiry",
        )
    )


def item_from(
    w: Writer,
    category: str,
    *,
    text: str,
    sender: str,
    writer_is_subject: bool,
    note: str,
    subject: str,
    about: str | None,
) -> Item:
    personal = writer_is_subject and w.personal()
    expect = personal and w.agreeing() >= 2 and not w.contradicted()
    return Item(
        category, "email", sender, subject, text, about, writer_is_subject, personal, expect, note
    )


def own_sender(rng: random.Random, p: Person) -> str:
    return p.email if rng.random() < 0.4 else stranger_email(rng)


def a_own(rng: random.Random, world: World, n: int) -> list[Item]:
    """The subject, with a personal identifier and another that agrees, in many formats."""
    items = []
    pool = [p for p in world.b.people if len(p.records) == 1]
    multi_pool = [p for p in world.b.people if len(p.records) > 1]
    combos = (
        "ref+name",
        "ref+surname",
        "ref+dob",
        "dob+name",
        "dob+surname+pc",
        "ref+sign_dob",
        "sign_name_dob",
        "ref+pc",
        "dob+plate",
        "ref+dim",
    )
    for i in range(n):
        combo = combos[i % len(combos)]
        needs_ref_free = combo in ("dob+name", "dob+surname+pc", "sign_name_dob", "dob+plate")
        if combo == "ref+dim":
            candidates = [
                p for p in world.b.people if p.first in DIMINUTIVES and len(p.records) == 1
            ]
            p = rng.choice(candidates)
        elif combo == "dob+plate":
            p = rng.choice(
                [
                    q
                    for q in pool
                    if q.records[0].row["vrm"]
                    and "household" not in q.tags
                    and "shared_car" not in q.tags
                ]
            )
        elif needs_ref_free:
            p = rng.choice([q for q in pool if "twin" not in q.tags])
        else:
            p = rng.choice(pool + multi_pool)
        rec = rng.choice(p.records)
        voice = VOICES[i % len(VOICES)]
        w = Writer(rng, p, rec)
        sign = ""
        fore = p.first if rng.random() < 0.8 else p.forenames
        if combo == "ref+name":
            w.ref()
            sign = sign_off(w, rng.choice(("regards", "sig_block", "dash_sig")), fore, p.surname)
        elif combo == "ref+surname":
            w.ref()
            if rng.random() < 0.5:
                w.name(None, p.surname)
            else:
                sign = f"{p.title} {w.name(None, p.surname, where='sign')}"
        elif combo == "ref+dob":
            w.ref()
            w.dob(p.dob)
            sign = sign_off(w, "thanks_first", p.first, p.surname)
        elif combo == "dob+name":
            w.name(fore, p.surname)
            w.dob(p.dob)
            sign = sign_off(w, "thanks_first", p.first, p.surname)
        elif combo == "dob+surname+pc":
            w.dob(p.dob)
            w.postcode()
            sign = sign_off(w, "regards", p.first, p.surname)
        elif combo == "ref+sign_dob":
            w.ref()
            sign = sign_off(w, rng.choice(("name_dob", "regards_inline")), fore, p.surname, p.dob)
        elif combo == "sign_name_dob":
            sign = sign_off(
                w, rng.choice(("name_dob", "name_dob", "regards_inline")), fore, p.surname, p.dob
            )
        elif combo == "ref+pc":
            w.ref()
            w.postcode()
        elif combo == "dob+plate":
            w.plate()
            w.dob(p.dob)
            sign = sign_off(w, "regards", p.first, p.surname)
        else:  # a true diminutive with the reference
            dim = rng.choice(DIMINUTIVES[p.first])
            w.ref()
            sign = sign_off(w, "regards", dim, p.surname)
        if voice == "lowercase" and "\n" in sign:
            sign = sign.lower()
        text = render(rng, voice, ask_for(rng, rec, voice), w.body, sign)
        if i % 9 == 4 and any(f.field == "reference" and f.personal for f in w.facts):
            # A two-digit year beside an exact reference: 12.3.58 could be 1958 or 2058, so it
            # is counted neither for nor against; the reference is the personal identifier.
            text += f"\n(born {dob_text(p.dob, 'two_digit')})"
            w.ambiguous_dob = True
        if i % 12 == 5:
            text = html_body(text)
        items.append(
            item_from(
                w,
                "a_own",
                text=text,
                sender=own_sender(rng, p),
                writer_is_subject=True,
                note=f"{combo}/{voice}",
                subject=subject_line(rng),
                about=rec.reference,
            )
        )
    return items


def a_household(rng: random.Random, world: World, n: int) -> list[Item]:
    """A member of a household (son Liam, twin, Junior) about their OWN record: must verify for it."""
    people: list[Person] = []
    for e, y, _ in world.households:
        people += [e, y]
    for t1, t2 in world.twins:
        people += [t1, t2]
    for p1, p2 in world.near_dob:
        people += [p1, p2]
    items = []
    for i in range(n):
        p = people[i % len(people)]
        rec = p.records[0]
        voice = rng.choice(VOICES)
        w = Writer(rng, p, rec)
        form = i % 3
        if form == 0:
            w.name(p.first, p.surname)
            w.dob(p.dob)
            w.postcode()
            sign = ""
        elif form == 1:
            w.ref()
            sign = sign_off(w, "regards", p.first, p.surname)
        else:
            sign = sign_off(w, "name_dob", p.first, p.surname, p.dob)
        text = render(rng, voice, ask_for(rng, rec, voice), w.body, sign)
        items.append(
            item_from(
                w,
                "a_household",
                text=text,
                sender=own_sender(rng, p),
                writer_is_subject=True,
                note=f"{' '.join(sorted(p.tags))} own record, form {form}",
                subject=subject_line(rng),
                about=rec.reference,
            )
        )
    return items


MENTIONS = (
    "My wife was driving that day, not me, so I would like to nominate her.",
    "My solicitor told me to write to you directly about this.",
    "My insurer has asked me to get a copy of the collision report.",
    "My mum keeps asking me whether it has been sorted, so I thought I had better check.",
    "My employer needs to know whether I will have points on my licence.",
    "My son borrowed the car that week, I think he may have been the driver.",
)


def a_mentions_family(rng: random.Random, world: World, n: int) -> list[Item]:
    """The subject writing for themselves who mentions a relative, solicitor, insurer or employer."""
    pool = [p for p in world.ordinary if p.records[0].row["vrm"]]
    items = []
    for i in range(n):
        p = rng.choice(pool)
        rec = p.records[0]
        w = Writer(rng, p, rec)
        w.ref()
        sign = sign_off(w, rng.choice(("regards", "name_dob")), p.first, p.surname, p.dob)
        voice = rng.choice(("formal", "terse", "elderly", "rambling", "angry"))
        text = render(
            rng,
            voice,
            MENTIONS[i % len(MENTIONS)] + " " + ask_for(rng, rec, "formal"),
            w.body,
            sign,
        )
        items.append(
            item_from(
                w,
                "a_mentions_family",
                text=text,
                sender=own_sender(rng, p),
                writer_is_subject=True,
                note=MENTIONS[i % len(MENTIONS)][:40],
                subject=subject_line(rng),
                about=rec.reference,
            )
        )
    return items


def b_public_only(rng: random.Random, world: World, n: int) -> list[Item]:
    """The subject with public identifiers only (plate, postcode, names, address): never verified."""
    pool = [p for p in world.b.people if len(p.records) == 1]
    combos = (
        "plate+pc",
        "surname+pc",
        "name+address",
        "name+plate",
        "plate+pc+name",
        "name+address+pc",
    )
    items = []
    for i in range(n):
        combo = combos[i % len(combos)]
        p = rng.choice([q for q in pool if q.records[0].row["vrm"]] if "plate" in combo else pool)
        rec = p.records[0]
        voice = VOICES[i % len(VOICES)]
        w = Writer(rng, p, rec)
        sign = ""
        if "plate" in combo:
            w.plate()
        if "pc" in combo:
            w.postcode()
        if "address" in combo:
            w.address()
        if combo == "surname+pc":
            sign = f"{p.title} {w.name(None, p.surname, where='sign')}"
        elif "name" in combo:
            sign = sign_off(w, "regards", p.first, p.surname)
        text = render(rng, voice, ask_for(rng, rec, voice), w.body, sign)
        items.append(
            item_from(
                w,
                "b_public_only",
                text=text,
                sender=own_sender(rng, p),
                writer_is_subject=True,
                note=combo,
                subject=subject_line(rng),
                about=rec.reference,
            )
        )
    return items


def b_contradicts_self(rng: random.Random, world: World, n: int) -> list[Item]:
    """The subject with their exact reference but a date of birth wrong in one digit."""
    pool = [p for p in world.ordinary]
    items = []
    for i in range(n):
        p = rng.choice(pool)
        rec = p.records[0]
        w = Writer(rng, p, rec)
        w.ref()
        wrong = p.dob
        change = i % 3
        if change == 0:
            wrong = wrong.replace(day=wrong.day % 28 + 1)
        elif change == 1:
            wrong = wrong.replace(year=wrong.year + (1 if wrong.year % 10 < 9 else -1))
        else:
            wrong = wrong.replace(month=wrong.month % 12 + 1)
        sign = sign_off(
            w, rng.choice(("name_dob", "regards_inline")), p.first, p.surname, wrong, "slash"
        )
        voice = rng.choice(VOICES)
        text = render(rng, voice, ask_for(rng, rec, voice), w.body, sign)
        items.append(
            item_from(
                w,
                "b_contradicts_self",
                text=text,
                sender=own_sender(rng, p),
                writer_is_subject=True,
                note=f"dob off in {('day', 'year', 'month')[change]}",
                subject=subject_line(rng),
                about=rec.reference,
            )
        )
    return items


def c_neighbour(rng: random.Random, world: World, n: int) -> list[Item]:
    """A neighbour or someone at the same address using the subject's public details."""
    pairs: list[tuple[Person, Person]] = []  # (subject, writer)
    for group in world.neighbours:
        for s in group:
            for o in group:
                if s is not o:
                    pairs.append((s, o))
    for e, y, _ in world.households:
        pairs += [(e, y), (y, e)]
    for p1, p2 in world.shared_car:
        pairs += [(p1, p2), (p2, p1)]
    rng.shuffle(pairs)
    items = []
    for i in range(n):
        s, o = pairs[i % len(pairs)]
        rec = s.records[0]
        w = Writer(rng, s, rec)
        voice = VOICES[i % len(VOICES)]
        form = i % 4
        sign = ""
        if form == 0:  # impersonates with the subject's name from the post
            if rec.row["vrm"]:
                w.plate()
            w.postcode()
            sign = sign_off(w, "regards", s.first, s.surname)
        elif form == 1:  # the address off the envelope, no name of their own
            w.name(s.first, s.surname)
            w.address()
            w.postcode()
        elif form == 2:  # their own name, the subject's plate and postcode (a shared car)
            if rec.row["vrm"]:
                w.plate()
            w.postcode()
            sign = sign_off(w, "regards", o.first, o.surname)
        else:  # surname and postcode, as "Mr/Mrs X"
            w.postcode()
            sign = f"{s.title} {w.name(None, s.surname, where='sign')}"
        text = render(rng, voice, ask_for(rng, rec, voice), w.body, sign)
        rel = "same household" if s.address == o.address else "neighbour"
        items.append(
            item_from(
                w,
                "c_neighbour",
                text=text,
                sender=o.email if rng.random() < 0.5 else stranger_email(rng),
                writer_is_subject=False,
                note=f"{rel}, form {form}",
                subject=subject_line(rng),
                about=rec.reference,
            )
        )
    return items


def d_relative(rng: random.Random, world: World, n: int) -> list[Item]:
    """A relative with the subject's reference and their own forename or own (near) date of birth."""
    pairs: list[tuple[Person, Person, str]] = []  # (subject, writer, how)
    for e, y, _ in world.households:
        pairs += [(e, y, "own-right forename"), (y, e, "own-right forename")]
    for t1, t2 in world.twins:
        pairs += [(t1, t2, "twin"), (t2, t1, "twin")]
    for p1, p2 in world.near_dob:
        pairs += [(p1, p2, "near dob"), (p2, p1, "near dob")]
    items = []
    for i in range(n):
        s, o, how = pairs[i % len(pairs)]
        rec = s.records[0]
        w = Writer(rng, s, rec)
        voice = rng.choice(VOICES)
        form = (i // len(pairs)) % 3
        if form == 0 and o.first == s.first:
            # Same name, reference only: nothing in the text could tell them apart.
            form = 1
        if form == 0:  # the subject's reference from the letter at home, the writer's own name
            w.ref()
            sign = sign_off(w, "regards", o.first, o.surname)
        elif form == 1:  # the subject's reference, the writer's own date of birth
            w.ref()
            sign = sign_off(w, "name_dob", o.first, o.surname, o.dob)
        else:  # own name and date of birth, the subject's plate and postcode
            if rec.row["vrm"]:
                w.plate()
            w.postcode()
            sign = sign_off(w, "name_dob", o.first, o.surname, o.dob)
        text = render(rng, voice, ask_for(rng, rec, voice), w.body, sign)
        items.append(
            item_from(
                w,
                "d_relative",
                text=text,
                sender=o.email if rng.random() < 0.5 else stranger_email(rng),
                writer_is_subject=False,
                note=f"{how}: {o.first} about {s.first}, form {form}",
                subject=subject_line(rng),
                about=rec.reference,
            )
        )
    return items


def e_lookalike(rng: random.Random, world: World, n: int) -> list[Item]:
    """References one digit away: from a real look-alike record, or made up."""
    items = []
    ordinary = [p for p in world.ordinary]
    for i in range(n):
        form = i % 4
        voice = rng.choice(VOICES)
        if form == 1:  # the subject of r1 mistypes into r2, a real record one digit away
            r1, r2 = world.lookalikes[(i // 4) % len(world.lookalikes)]
            if rng.random() < 0.5:
                r1, r2 = r2, r1
            p = r1.person
            w = Writer(rng, p, r1)
            w.other_ref(r2.reference)
            w.facts.append(Fact("reference", True, False, False))  # a typo of their own: public
            sign = sign_off(w, "regards", p.first, p.surname)
            text = render(rng, voice, ask_for(rng, r1, voice), w.body, sign)
            items.append(
                item_from(
                    w,
                    "e_lookalike",
                    text=text,
                    sender=own_sender(rng, p),
                    writer_is_subject=True,
                    note=f"typo lands on {r2.reference}",
                    subject=subject_line(rng),
                    about=r1.reference,
                )
            )
            continue
        if form == 3:  # a stranger's made-up reference near a real one, their own surname
            r1, _ = world.lookalikes[(i // 4) % len(world.lookalikes)]
            made_up = world.b.one_off(r1.reference)
            stranger_surname = world.b.unused_surname()
            text = render(
                rng,
                voice,
                ask_for(rng, r1, voice),
                [("ref", made_up)],
                f"{rng.choice(MALE)} {stranger_surname}",
            )
            items.append(
                Item(
                    "e_lookalike",
                    "email",
                    stranger_email(rng),
                    subject_line(rng),
                    text,
                    None,
                    False,
                    False,
                    False,
                    f"made up, near {r1.reference}",
                )
            )
            continue
        p = rng.choice(ordinary)
        rec = p.records[0]
        w = Writer(rng, p, rec)
        w.ref_typo(world.b.one_off(rec.reference))
        if form == 0:  # typo and surname only: public, public
            sign = sign_off(w, "regards", p.first, p.surname)
        else:  # typo, surname and the exact date of birth: verifies
            sign = sign_off(w, "name_dob", p.first, p.surname, p.dob)
        text = render(rng, voice, ask_for(rng, rec, voice), w.body, sign)
        items.append(
            item_from(
                w,
                "e_lookalike",
                text=text,
                sender=own_sender(rng, p),
                writer_is_subject=True,
                note=f"own typo, form {form}",
                subject=subject_line(rng),
                about=rec.reference,
            )
        )
    return items


THIRD_PARTY = {
    "parent": (
        "I am writing about my son's {words}. He is only 19 and doesn't understand the letters.",
        "My daughter has had a letter about {a_words} and asked me to find out what happens next.",
    ),
    "spouse": (
        "I'm enquiring about my husband's {words} - he works away and asked me to chase it.",
        "My wife got a letter about {a_words} and I'd like to know if it has been paid.",
    ),
    "household": (
        "I live with the claimant and I am helping with the CICA application. Could you send the information for the {words}?",
        "I share the house with the person named on this {words}. They are in hospital so I am dealing with the post.",
    ),
    "employer": (
        "I work in HR. One of our employees has received {a_words} while driving a company vehicle. Please advise.",
        "HR department here. We need confirmation of the outcome of the {words} for our employee's file.",
    ),
    "fleet": (
        "I am the fleet manager. The vehicle is one of ours and I need to nominate the driver for this {words}.",
        "Fleet admin here - our driver has {a_words} on one of the vans. What do we need to do?",
    ),
    "insurer": (
        "We are the insurers of the vehicle and request a copy of the {words} for our policyholder's claim.",
        "Claims handler writing. Please provide the status of the {words} for our insured.",
    ),
    "solicitor": (
        "We act for the defendant in this matter and write regarding the {words}.",
        "I am the defence solicitor instructed by the person named below. Please send disclosure on the {words}.",
    ),
    "victim": (
        "I am the victim in the case against the person named below. What is happening with the {words}?",
        "I was assaulted and I want to know when the case against him is in court.",
    ),
    "behalf": (
        "I am writing on behalf of my elderly neighbour about her {words}.",
        "Writing on behalf of a friend who doesn't use email, about their {words}.",
    ),
}
THIRD_SIGNS = {
    "employer": "HR Advisor, Calloway Logistics Ltd",
    "fleet": "Fleet Manager, Brindle Van Hire",
    "insurer": "Claims Team, Harbourside Insurance plc",
    "solicitor": "Solicitor, Pennock & Tuckwell LLP",
}


def f_third_party(rng: random.Random, world: World, n: int) -> list[Item]:
    """Third parties of every kind, many with the subject's reference and date of birth."""
    kinds = list(THIRD_PARTY)
    pool = [p for p in world.b.people if len(p.records) == 1]
    items = []
    for i in range(n):
        tp = kinds[i % len(kinds)]
        if tp == "victim":
            choices = [
                q
                for q in pool
                if q.records[0].kind
                in ("court_case", "summons", "postal_requisition", "conditional_caution")
            ]
        elif tp == "household":
            choices = [q for q in pool if q.records[0].kind == "cica_claim"]
        elif tp in ("fleet", "employer", "insurer"):
            choices = [q for q in pool if q.records[0].row["vrm"]]
        else:
            choices = pool
        p = rng.choice(choices or pool)
        rec = p.records[0]
        w = Writer(rng, p, rec)
        words = rng.choice(KIND_WORDS[rec.kind])
        opening = rng.choice(THIRD_PARTY[tp]).format(words=words, a_words=an(words))
        lines = [opening]
        holds = (i // len(kinds)) % 3  # 0: ref+dob, 1: ref+name, 2: name+dob
        if holds in (0, 1):
            lines.append(f"The reference is {w.ref()}.")
        if holds in (1, 2) or tp in ("solicitor", "victim", "employer", "fleet"):
            lines.append(f"The name on it is {w.name(p.forenames, p.surname, where='none')}.")
        if holds in (0, 2):
            lines.append(f"Date of birth {w.dob(p.dob, where='none')}.")
        if tp in ("fleet", "insurer") and rec.row["vrm"]:
            lines.append(f"Vehicle {w.plate(where='none')}.")
        writer_name = f"{rng.choice(MALE + FEMALE)} {p.surname if tp in ('parent', 'spouse') else world.b.unused_surname()}"
        sign = writer_name + (f"\n{THIRD_SIGNS[tp]}" if tp in THIRD_SIGNS else "")
        text = "Hello,\n\n" + "\n".join(lines) + "\n\nThank you,\n" + sign
        if i % 7 == 3:
            text = text.lower()
        items.append(
            item_from(
                w,
                "f_third_party",
                text=text,
                sender=stranger_email(rng),
                writer_is_subject=False,
                note=f"{tp}, holds {('ref+dob', 'ref+name', 'name+dob')[holds]}",
                subject=subject_line(rng),
                about=rec.reference,
            )
        )
    return items


def g_quoted(rng: random.Random, world: World, n: int) -> list[Item]:
    """A stranger quoting the subject's own message (reference, name, DOB) under their question."""
    pool = [p for p in world.b.people if len(p.records) == 1]
    items = []
    for i in range(n):
        style = QUOTE_STYLES[i % len(QUOTE_STYLES)]
        lang = lang_of(style)
        p = rng.choice(pool)
        rec = p.records[0]
        w = Writer(rng, p, rec)
        own = rng.choice(OWN_QUESTION[lang] if rng.random() < 0.6 else OWN_QUESTION["en"])
        form = (i // len(QUOTE_STYLES)) % 3
        if form == 1:  # the stranger adds the subject's postcode (public) in their own words
            own += f" It's the one for {w.postcode(where='none')}."
        stranger = f"{rng.choice(MALE + FEMALE)} {world.b.unused_surname()}"
        own_top = own + ("\n\n" + stranger.split()[0] if form != 2 else "")
        bottom = ""
        if form == 2 and style.startswith(("gt:", "html:blockquote", "html:gmail")):
            bottom = "Thanks, " + stranger
        quoted = subject_message(rng, p, rec)
        text = with_quote(
            rng,
            style,
            own_top,
            quoted,
            p.full,
            p.email,
            OFFICE,
            f"My {KIND_WORDS[rec.kind][0]}",
            bottom,
        )
        items.append(
            item_from(
                w,
                "g_quoted",
                text=text,
                sender=stranger_email(rng),
                writer_is_subject=False,
                note=f"{style}, form {form}",
                subject="Fwd: " + subject_line(rng)
                if style.startswith("fwd")
                else "Re: " + subject_line(rng),
                about=rec.reference,
            )
        )
    return items


def h_forged(rng: random.Random, world: World, n: int) -> list[Item]:
    """Sender is the subject's address on file (with their display name); public details only."""
    pool = [p for p in world.b.people if len(p.records) == 1]
    items = []
    for i in range(n):
        p = rng.choice(pool)
        rec = p.records[0]
        w = Writer(rng, p, rec)
        form = i % 3
        if form == 0 and rec.row["vrm"]:
            w.plate()
            w.postcode()
        elif form == 1:
            w.address()
            w.postcode()
        else:
            w.postcode()
        sign = sign_off(w, "regards", p.first, p.surname)
        voice = rng.choice(VOICES)
        text = render(rng, voice, ask_for(rng, rec, voice), w.body, sign)
        sender = f"{p.full} <{p.email}>" if i % 2 else p.email
        items.append(
            item_from(
                w,
                "h_forged",
                text=text,
                sender=sender,
                writer_is_subject=False,
                note=f"forged From, form {form}",
                subject=subject_line(rng),
                about=rec.reference,
            )
        )
    return items


def i_office_reply(rng: random.Random, world: World, n: int, *, own_personal: bool) -> list[Item]:
    """The subject replying above the office's letter, which holds their reference."""
    pool = [p for p in world.b.people if len(p.records) == 1 and "twin" not in p.tags]
    styles = [s for s in QUOTE_STYLES if not s.startswith("fwd")]
    items = []
    for i in range(n):
        style = styles[(i * 5 + (0 if own_personal else 3)) % len(styles)]
        p = rng.choice(pool)
        rec = p.records[0]
        w = Writer(rng, p, rec)
        voice = rng.choice(("formal", "terse", "elderly", "nonnative", "angry"))
        if own_personal:
            form = i % 3
            if form == 0:
                w.ref()
                sign = sign_off(w, "regards", p.first, p.surname)
            elif form == 1:
                sign = sign_off(
                    w,
                    "name_dob",
                    p.first,
                    p.surname,
                    p.dob,
                    rng.choice(("slash", "long", "dot", "ordinal")),
                )
            else:
                w.dob(p.dob)
                sign = sign_off(w, "regards", p.first, p.surname)
        else:
            form = i % 2
            if form == 1:
                w.postcode()
            sign = sign_off(w, "regards", p.first, p.surname)
        ask = rng.choice(
            (
                "Thank you for your letter below. I paid this yesterday.",
                "Please see my reply to your letter below: I was not the driver.",
                "Thanks - I have now sent my licence in.",
            )
        )
        own = render(rng, voice, ask, w.body, sign)
        text = with_quote(
            rng,
            style,
            own,
            office_letter(rng, p, rec),
            "Central Ticket Office",
            OFFICE,
            p.email,
            f"Your {KIND_WORDS[rec.kind][0]}",
        )
        category = "i_office_reply" if own_personal else "i_quote_only"
        items.append(
            item_from(
                w,
                category,
                text=text,
                sender=own_sender(rng, p),
                writer_is_subject=True,
                note=f"{style}, form {form}",
                subject="Re: " + subject_line(rng),
                about=rec.reference,
            )
        )
    return items


def chat(rng: random.Random, world: World, n: int) -> list[Item]:
    """Officers in chat: the reference, in the ways officers type it."""
    items = []
    pool = [r for r in world.b.records]
    for _i in range(n):
        rec = rng.choice(pool)
        ref = ref_text(rng, rec.reference, rng.choice(("plain", "spaced", "lower")))
        text = rng.choice(
            (
                f"@desk where are we with {ref}",
                f"status of {ref} pls",
                f"<@U0DESK> any update on {ref}? stopped the driver at the roadside",
                f"can you check {ref} for me",
            )
        )
        items.append(
            Item(
                "chat",
                "chat",
                f"U0{rng.randint(10_000_000, 99_999_999)}",
                "",
                text,
                rec.reference,
                False,
                False,
                False,
                "officer, reference only",
            )
        )
    return items


def no_record(rng: random.Random, world: World, n: int) -> list[Item]:
    """General questions naming no record and no person."""
    texts = (
        "Hi, how do I pay a fixed penalty online? Thanks",
        "What are your opening hours over Christmas?",
        "Hello, can I do a speed awareness course if I had one three years ago?",
        "I think I was flashed by a camera on the A45 last night but have had nothing yet. What happens next?",
        "Where do I send my driving licence?",
        "Helo, sut mae talu dirwy? How do I pay a fine?",
        "do u take card payments over the phone",
        "My friend got a ticket, is it true you can appeal within 28 days?",
        "Please remove me from your mailing list.",
        "Is the office open on Saturdays?",
    )
    return [
        Item(
            "no_record",
            "email",
            stranger_email(rng),
            subject_line(rng),
            texts[i % len(texts)],
            None,
            False,
            False,
            False,
            "no record",
        )
        for i in range(n)
    ]


PLAN: tuple[tuple[str, Callable[[random.Random, World, int], list[Item]], int], ...] = (
    ("a_own", a_own, 130),
    ("a_household", a_household, 24),
    ("a_mentions_family", a_mentions_family, 12),
    ("b_public_only", b_public_only, 45),
    ("b_contradicts_self", b_contradicts_self, 15),
    ("c_neighbour", c_neighbour, 40),
    ("d_relative", d_relative, 42),
    ("e_lookalike", e_lookalike, 40),
    ("f_third_party", f_third_party, 63),
    ("g_quoted", g_quoted, 74),
    ("h_forged", h_forged, 24),
    ("i_office_reply", lambda r, w, n: i_office_reply(r, w, n, own_personal=True), 30),
    ("i_quote_only", lambda r, w, n: i_office_reply(r, w, n, own_personal=False), 18),
    ("chat", chat, 20),
    ("no_record", no_record, 10),
)


def build() -> dict[str, str]:
    """The three files' contents, from the fixed seed."""
    rng = random.Random(SEED)
    world = build_world(rng)
    items: list[Item] = []
    for name, make, count in PLAN:
        made = make(random.Random(f"{SEED}-{name}"), world, count)
        assert all(it.category == name for it in made), name
        items += made
    order = random.Random(f"{SEED}-order")
    order.shuffle(items)
    ids = [f"v{n:04d}" for n in range(1, len(items) + 1)]
    split: dict[int, str] = {}
    for name, _, _ in PLAN:
        members = [k for k, it in enumerate(items) if it.category == name]
        chooser = random.Random(f"{SEED}-split-{name}")
        held = set(chooser.sample(members, round(len(members) / 3)))
        for k in members:
            split[k] = "heldout" if k in held else "dev"
    records = io.StringIO()
    writer = csv.DictWriter(records, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    shuffled = list(world.b.records)
    random.Random(f"{SEED}-records").shuffle(shuffled)
    for rec in shuffled:
        writer.writerow(rec.row)
    enquiries, truths = [], []
    for k, it in enumerate(items):
        enquiries.append(
            json.dumps(
                {
                    "id": ids[k],
                    "channel": it.channel,
                    "sender": it.sender,
                    "subject": it.subject,
                    "text": it.text,
                },
                ensure_ascii=False,
            )
        )
        truths.append(
            json.dumps(
                {
                    "id": ids[k],
                    "about": it.about,
                    "writer_is_subject": it.writer_is_subject,
                    "personal_given": it.personal_given,
                    "expect_verified": it.expect_verified,
                    "category": it.category,
                    "split": split[k],
                    "channel": it.channel,
                    "note": it.note,
                },
                ensure_ascii=False,
            )
        )
    return {
        "records.csv": records.getvalue(),
        "enquiries.jsonl": "\n".join(enquiries) + "\n",
        "truth.jsonl": "\n".join(truths) + "\n",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="compare with the committed files")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        stale = [n for n, text in files.items() if (HERE / n).read_text(encoding="utf-8") != text]
        if stale:
            print("out of date:", ", ".join(stale))
            return 1
        return 0
    for name, text in files.items():
        (HERE / name).write_text(text, encoding="utf-8")
    print(
        f"{len(files['records.csv'].splitlines()) - 1} records, {len(files['truth.jsonl'].splitlines())} enquiries"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
