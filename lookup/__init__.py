"""Identifier extraction, normalisation, candidate scoring and verification.

Pure and sans-IO: strings and record views in, keys and ranked candidates out. Nothing
here opens a database, a socket or a file.
"""

from lookup.errors import EnquiryDeskError
from lookup.keys import email_key, name_key, plate_key, postcode_key, reference_key
from lookup.vocabulary import KIND_STATUSES, KINDS, RECORD_COLUMNS, is_known_status

__all__ = [
    "KINDS",
    "KIND_STATUSES",
    "RECORD_COLUMNS",
    "EnquiryDeskError",
    "email_key",
    "is_known_status",
    "name_key",
    "plate_key",
    "postcode_key",
    "reference_key",
]
