"""Plain-English names for the contract's record kinds and statuses.

Letters never show the raw codes ("fpn", "awaiting_licence"): a reader would not know
them. A code with no label (a status the vocabulary does not know yet) reads as its words.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["KIND_LABELS", "STATUS_LABELS", "kind_label", "status_label"]

KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "fpn": "fixed penalty notice",
        "cofp": "camera offence notice",
        "pnd": "penalty notice for disorder",
        "course_offer": "driver awareness course offer",
        "hort1": "request to produce driving documents",
        "vdrs": "vehicle defect rectification notice",
        "summons": "summons",
        "postal_requisition": "postal requisition",
        "court_case": "court case",
        "collision": "collision report",
        "community_resolution": "community resolution",
        "conditional_caution": "conditional caution",
        "cica_claim": "criminal injuries compensation information request",
        "drugs_warning": "drugs warning",
    }
)

STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "awaiting_payment": "awaiting payment",
        "awaiting_licence": "awaiting the driving licence",
        "paid": "paid",
        "course_offered": "course offered",
        "request_for_hearing": "court hearing requested",
        "fine_registered": "registered as a court fine",
        "referred_to_court": "referred to court",
        "cancelled": "cancelled",
        "nip_sent": "notice of intended prosecution sent",
        "awaiting_driver_nomination": "awaiting the driver's details",
        "driver_nominated": "driver named",
        "offer_issued": "conditional offer issued",
        "issued": "issued",
        "offered": "offered",
        "booked": "booked",
        "completed": "completed",
        "expired": "expired",
        "not_completed": "not completed",
        "documents_produced": "documents produced",
        "failed_to_produce": "documents not produced",
        "rectified": "defect put right",
        "not_rectified": "defect not put right",
        "served": "served",
        "hearing_listed": "hearing listed",
        "adjourned": "adjourned",
        "result_recorded": "result recorded",
        "withdrawn": "withdrawn",
        "in_preparation": "being prepared",
        "sent_to_cps": "sent to the Crown Prosecution Service",
        "listed": "listed for a hearing",
        "concluded": "concluded",
        "reported": "reported",
        "under_review": "under review",
        "decision_made": "decision made",
        "abstract_available": "report summary available",
        "closed": "closed",
        "conditions_set": "conditions set",
        "complied": "conditions met",
        "failed_to_comply": "conditions not met",
        "prosecution": "referred for prosecution",
        "request_received": "request received",
        "information_sent": "information sent",
        "recorded": "recorded",
    }
)


def kind_label(kind: str) -> str:
    """The kind's name in a letter ("fixed penalty notice"); unknown kinds read as words."""
    return KIND_LABELS.get(kind, kind.replace("_", " "))


def status_label(status: str | None) -> str:
    """The status's words in a letter ("awaiting the driving licence"); None: "not recorded"."""
    if not status:
        return "not recorded"
    return STATUS_LABELS.get(status, status.replace("_", " "))
