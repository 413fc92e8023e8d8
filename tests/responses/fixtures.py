"""Case facts for the responses tests: full, sparse, and a father and son who share a name."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

from responses.case_facts import CaseFacts
from responses.formatting import date_long, pounds

# The day every test letter is written; the records' dates sit around it.
TODAY = date(2026, 11, 16)

FULL = CaseFacts(
    kind="fpn",
    reference="4249150997",
    status="awaiting_payment",
    status_date=date(2026, 10, 2),
    offence_date=date(2026, 9, 28),
    offence_code="SP30",
    offence="Exceeding statutory speed limit on a public road",
    location="Abington Street",
    vrm="YC30NZE",
    surname="Knowles",
    forenames="Emma Louise",
    amount_pence=10000,
    due_date=date(2026, 11, 30),
    court="Northampton Magistrates' Court",
    hearing_date=date(2026, 12, 3),
    urn="42AB1234523",
    officer="1011",
    outcome="Fined 200, 3 points",
)


def full(kind: str, status: str | None) -> CaseFacts:
    """Every field filled, for `kind` and `status`."""
    return replace(FULL, kind=kind, status=status)


def sparse(kind: str, status: str | None) -> CaseFacts:
    """Only kind, reference and status: every optional branch of a template is empty."""
    return CaseFacts(kind=kind, reference="SR254316043", status=status)


def overdue(kind: str, status: str | None) -> CaseFacts:
    """Every field filled, with the due and hearing dates already passed."""
    return replace(full(kind, status), due_date=date(2026, 10, 1), hearing_date=date(2026, 10, 20))


# A father and son at one address with one surname: the worst pair to confuse.
FATHER = CaseFacts(
    kind="fpn",
    reference="4231187720",
    status="awaiting_payment",
    status_date=date(2026, 10, 5),
    offence_date=date(2026, 9, 21),
    offence_code="TS10",
    offence="Failing to comply with a red traffic light",
    location="A14 Thrapston",
    vrm="KP19 WDA",
    surname="Okonkwo",
    forenames="Chidi",
    amount_pence=10000,
    due_date=date(2026, 12, 9),
    officer="4417",
)
SON = CaseFacts(
    kind="summons",
    reference="42NH7712026",
    status="hearing_listed",
    status_date=date(2026, 10, 14),
    offence_date=date(2026, 8, 30),
    offence_code="IN10",
    offence="Using a vehicle uninsured against third party risks",
    location="Wellingborough Road",
    vrm="NX21 OKC",
    surname="Okonkwo",
    forenames="Chidi Junior",
    amount_pence=30000,
    due_date=date(2026, 12, 22),
    court="Kettering Magistrates' Court",
    hearing_date=date(2027, 1, 12),
    urn="42NH7712026",
    officer="9032",
    outcome="Adjourned for reports",
)


def shown_forms(facts: CaseFacts) -> dict[str, set[str]]:
    """Each filled field of `facts` in every form a letter could print it."""
    forms: dict[str, set[str]] = {}
    for field in fields(facts):
        value = getattr(facts, field.name)
        if value is None:
            continue
        if isinstance(value, date):
            shown = {date_long(value), value.isoformat(), value.strftime("%d/%m/%Y")}
        elif field.name == "amount_pence":
            shown = {pounds(value), f"{value / 100:.2f}"}
        else:
            shown = {str(value)}
        forms[field.name] = shown
    return forms
