"""Status updates: when an import changes a record's status, tell the people who asked.

The public get a draft for a clerk to approve, and only those who proved they are the
record's subject when they asked (a verified reply about that record). The officer in
the case is told in chat through `notify_officer`, when a chat adapter provides one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.pipeline import letter_dates
from responses.case_facts import CaseFacts
from responses.compose import compose_status_update
from responses.deadlines import reply_due
from responses.template_store import TemplateStore
from storage.drafts import NewDraft, create_draft
from storage.engine import Engine
from storage.record_details import record_details
from storage.status_watch import has_update, mark_checked, pending_changes, verified_askers
from storage.tables import DraftPurpose

log = logging.getLogger(__name__)

# (collar number, record id, the record's facts, its previous status)
OfficerNotifier = Callable[[str, int, CaseFacts, str | None], None]


@dataclass(frozen=True, slots=True)
class UpdatesDone:
    changes: int
    drafts: int
    officers: int


def draft_status_updates(
    engine: Engine,
    *,
    templates: TemplateStore,
    now: datetime,
    window_days: int,
    reply_working_days: int,
    notify_officer: OfficerNotifier | None = None,
) -> UpdatesDone:
    """Deal with every status change not yet dealt with; safe to run again after a crash."""
    changes = drafts = officers = 0
    while batch := pending_changes(engine):
        details = record_details(engine, {change.record_id for change in batch})
        batch_drafts = 0
        for change in batch:
            record = details.get(change.record_id)
            if record is None:  # the record was purged since
                continue
            facts = CaseFacts.of_record(record)
            for asker in verified_askers(
                engine, change.record_id, since=now - timedelta(days=window_days)
            ):
                if has_update(engine, event_id=change.event_id, contact_id=asker.contact_id):
                    continue
                letter = compose_status_update(
                    facts,
                    old_status=change.old_status,
                    today=now.date(),
                    store=templates,
                )
                # A status update promises no reply; it holds while the steps it states do.
                valid_until, _ = letter_dates(facts, letter, today=now.date(), reply_by=None)
                create_draft(
                    engine,
                    NewDraft(
                        contact_id=asker.contact_id,
                        body=letter.body,
                        created_by="status-watcher",
                        record_id=change.record_id,
                        purpose=DraftPurpose.STATUS_UPDATE,
                        route=letter.route,
                        intents=("status",),
                        verified=True,
                        subject=letter.subject,
                        recipient=asker.party,
                        reply_due=reply_due(now.date(), reply_working_days),
                        reason=letter.hold_reason,
                        status_event_id=change.event_id,
                        valid_until=valid_until,
                    ),
                    now=now,
                )
                batch_drafts += 1
            if notify_officer is not None and facts.officer:
                notify_officer(facts.officer, change.record_id, facts, change.old_status)
                officers += 1
        changes += len(batch)
        drafts += batch_drafts
        mark_checked(
            engine, event_ids=[change.event_id for change in batch], now=now, drafted=batch_drafts
        )
        log.info("status changes checked", extra={"changes": len(batch), "drafts": batch_drafts})
    return UpdatesDone(changes, drafts, officers)
