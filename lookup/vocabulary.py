"""The columns, record kinds and status vocabulary of the records import contract (section 1)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# The records import contract's columns, in its order.
RECORD_COLUMNS: tuple[str, ...] = (
    "kind",
    "reference",
    "status",
    "status_date",
    "offence_date",
    "offence_code",
    "offence",
    "location",
    "vrm",
    "surname",
    "forenames",
    "dob",
    "postcode",
    "address",
    "email",
    "phone",
    "amount",
    "due_date",
    "court",
    "hearing_date",
    "urn",
    "officer",
    "outcome",
    "updated_at",
)

KIND_STATUSES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "fpn": frozenset(
            {
                "awaiting_payment",
                "awaiting_licence",
                "paid",
                "course_offered",
                "request_for_hearing",
                "fine_registered",
                "referred_to_court",
                "cancelled",
            }
        ),
        "cofp": frozenset(
            {
                "nip_sent",
                "awaiting_driver_nomination",
                "driver_nominated",
                "offer_issued",
                "paid",
                "course_offered",
                "referred_to_court",
                "cancelled",
            }
        ),
        "pnd": frozenset({"issued", "paid", "request_for_hearing", "fine_registered", "cancelled"}),
        "course_offer": frozenset({"offered", "booked", "completed", "expired", "not_completed"}),
        "hort1": frozenset({"issued", "documents_produced", "failed_to_produce"}),
        "vdrs": frozenset({"issued", "rectified", "not_rectified"}),
        "summons": frozenset(
            {"issued", "served", "hearing_listed", "adjourned", "result_recorded", "withdrawn"}
        ),
        "postal_requisition": frozenset(
            {"issued", "served", "hearing_listed", "adjourned", "result_recorded", "withdrawn"}
        ),
        "court_case": frozenset(
            {"in_preparation", "sent_to_cps", "listed", "adjourned", "concluded"}
        ),
        "collision": frozenset(
            {"reported", "under_review", "decision_made", "abstract_available", "closed"}
        ),
        "community_resolution": frozenset(
            {"conditions_set", "complied", "failed_to_comply", "prosecution"}
        ),
        "conditional_caution": frozenset(
            {"conditions_set", "complied", "failed_to_comply", "prosecution"}
        ),
        "cica_claim": frozenset({"request_received", "information_sent", "closed"}),
        "drugs_warning": frozenset({"recorded"}),
    }
)

KINDS: frozenset[str] = frozenset(KIND_STATUSES)


def is_known_status(kind: str, status: str) -> bool:
    """Whether `status` is in the contract's vocabulary for `kind`."""
    return status in KIND_STATUSES.get(kind, frozenset())
