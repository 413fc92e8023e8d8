"""Intents, reply templates, the disclosure policy, deadlines: replies as text and data.

Pure: nothing here opens a database or a socket; the only files read are templates.

    detect_intents(text, subject)          what the writer wants, with a confidence
    CaseFacts                              what a reply may show of one record
    TemplateStore(folders)                 templates as files; earlier folders override
    compose_reply(...)                     the draft to a member of the public
    compose_officer_reply(...)             a few lines for an officer in chat
    compose_candidates_reply(...)          several records fit: kind, reference, status
    compose_status_update(...)             a letter when a record's status changes
    add_working_days, reply_due            England and Wales working days

The disclosure rules are in `responses.compose`; the template naming scheme in
`responses/templates/README.md`.
"""

from responses.case_facts import CaseFacts
from responses.compose import (
    CLERK,
    HOLD_INTENTS,
    IDENTIFIER_KINDS,
    CandidateLine,
    ComposedReply,
    compose_candidates_reply,
    compose_officer_reply,
    compose_officer_update,
    compose_reply,
    compose_status_update,
)
from responses.deadlines import (
    add_working_days,
    bank_holidays,
    days_left,
    is_working_day,
    reply_due,
)
from responses.errors import (
    DisclosureError,
    FactsError,
    ResponsesError,
    TemplateMissing,
    TemplateRenderError,
)
from responses.formatting import date_long, deadline_words, pounds
from responses.intents import INTENTS, IntentResult, detect_intents
from responses.labels import kind_label, status_label
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore

__all__ = [
    "CLERK",
    "HOLD_INTENTS",
    "IDENTIFIER_KINDS",
    "INTENTS",
    "PACKAGE_TEMPLATES",
    "CandidateLine",
    "CaseFacts",
    "ComposedReply",
    "DisclosureError",
    "FactsError",
    "IntentResult",
    "ResponsesError",
    "TemplateMissing",
    "TemplateRenderError",
    "TemplateStore",
    "add_working_days",
    "bank_holidays",
    "compose_candidates_reply",
    "compose_officer_reply",
    "compose_officer_update",
    "compose_reply",
    "compose_status_update",
    "date_long",
    "days_left",
    "deadline_words",
    "detect_intents",
    "is_working_day",
    "kind_label",
    "pounds",
    "reply_due",
    "status_label",
]
