"""The records import contract (shared/contracts.md, section 1), written out by hand.

Tests compare the code against this copy, so a change to the code's vocabulary that
breaks the contract fails a test instead of passing silently.
"""

from __future__ import annotations

CONTRACT_COLUMNS = [
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
]
CONTRACT_STATUSES: dict[str, set[str]] = {
    "fpn": {
        "awaiting_payment",
        "awaiting_licence",
        "paid",
        "course_offered",
        "request_for_hearing",
        "fine_registered",
        "referred_to_court",
        "cancelled",
    },
    "cofp": {
        "nip_sent",
        "awaiting_driver_nomination",
        "driver_nominated",
        "offer_issued",
        "paid",
        "course_offered",
        "referred_to_court",
        "cancelled",
    },
    "pnd": {"issued", "paid", "request_for_hearing", "fine_registered", "cancelled"},
    "course_offer": {"offered", "booked", "completed", "expired", "not_completed"},
    "hort1": {"issued", "documents_produced", "failed_to_produce"},
    "vdrs": {"issued", "rectified", "not_rectified"},
    "summons": {"issued", "served", "hearing_listed", "adjourned", "result_recorded", "withdrawn"},
    "postal_requisition": {
        "issued",
        "served",
        "hearing_listed",
        "adjourned",
        "result_recorded",
        "withdrawn",
    },
    "court_case": {"in_preparation", "sent_to_cps", "listed", "adjourned", "concluded"},
    "collision": {"reported", "under_review", "decision_made", "abstract_available", "closed"},
    "community_resolution": {"conditions_set", "complied", "failed_to_comply", "prosecution"},
    "conditional_caution": {"conditions_set", "complied", "failed_to_comply", "prosecution"},
    "cica_claim": {"request_received", "information_sent", "closed"},
    "drugs_warning": {"recorded"},
}
