"""Identifier extraction, normalisation, candidate scoring and verification.

Pure and sans-IO: strings and record views in, keys and ranked candidates out. Nothing
here opens a database, a socket or a file. The path of one enquiry:

    evidence_from_text(text, sender=...)   what the writer offers (extract.py underneath)
    blocking_keys(evidence)                 which indexed keys to fetch candidates by
    compare(evidence, record, frequency)    comparison levels, weights and reasons
    decide(comparisons, audience=...)       the one record or none, and verification
"""

from lookup.channels import Audience, Channel
from lookup.decide import Candidate, Decision, decide
from lookup.enquiry import Enquiry, Flag
from lookup.errors import EnquiryDeskError
from lookup.evidence import BlockingKeys, Evidence, blocking_keys
from lookup.evidence_from_text import evidence_from_text
from lookup.extract import Extracted, extract
from lookup.keys import email_key, fold_key, name_key, plate_key, postcode_key, reference_key
from lookup.records import RecordDetails, RecordView
from lookup.routes import DraftRoute, OutcomeRoute
from lookup.score import Comparison, compare
from lookup.text_parts import MessageParts, split_message
from lookup.vocabulary import KIND_STATUSES, KINDS, RECORD_COLUMNS, is_known_status

__all__ = [
    "KINDS",
    "KIND_STATUSES",
    "RECORD_COLUMNS",
    "Audience",
    "BlockingKeys",
    "Candidate",
    "Channel",
    "Comparison",
    "Decision",
    "DraftRoute",
    "Enquiry",
    "EnquiryDeskError",
    "Evidence",
    "Extracted",
    "Flag",
    "MessageParts",
    "OutcomeRoute",
    "RecordDetails",
    "RecordView",
    "blocking_keys",
    "compare",
    "decide",
    "email_key",
    "evidence_from_text",
    "extract",
    "fold_key",
    "is_known_status",
    "name_key",
    "plate_key",
    "postcode_key",
    "reference_key",
    "split_message",
]
