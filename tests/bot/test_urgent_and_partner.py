"""Urgent enquiries are held at the top of the queue; partners' mail gets no public letter."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot.chat.draft_card import load_card
from bot.chat.slack_blocks import draft_blocks, draft_summary
from bot.chat.teams_cards import draft_card
from bot.pipeline import Partner, Pipeline, PipelineConfig, partner_of
from bot.settings import load_settings
from bot.wiring import build_pipeline
from lookup.enquiry import Enquiry
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage.drafts import DraftRuleBroken, approve_draft, edit_draft, get_draft, list_drafts
from storage.record_details import record_details
from storage.records_import import import_file
from storage.tables import DraftRoute, OutboxMessage

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
STORE = TemplateStore([PACKAGE_TEMPLATES])
PARTNERS = (("CPS", "cps.gov.uk"), ("DVLA", "dvla.gov.uk"), ("HMCTS Leeds", "leeds.justice.gov.uk"))
FROM = "tickets@force.example"


def _pipeline(engine: Engine) -> Pipeline:
    return Pipeline(
        engine=engine,
        templates=STORE,
        clock=lambda: NOW,
        config=PipelineConfig(partner_domains=PARTNERS),
    )


def _email(key: str, text: str, sender: str = "writer@example.org") -> Enquiry:
    return Enquiry(
        channel="email",
        channel_message_id=f"<{key}@example.org>",
        sender=sender,
        received_at=NOW,
        text=text,
        subject="My ticket",
    )


def _outbox(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(OutboxMessage)).scalar_one())


def test_self_harm_is_held_first_in_the_queue_with_the_reason(engine: Engine) -> None:
    """Words of self-harm: the draft is held with the reason first, marked urgent, and
    listed before older ordinary drafts; the letter itself has no crisis wording."""
    pipeline = _pipeline(engine)
    ordinary = pipeline.handle(_email("a", "Where is my ticket? I have lost the letter."))
    urgent = pipeline.handle(
        _email("b", "I can't cope with this fine any more, I want to end it all.")
    )
    assert urgent.draft_id is not None
    assert ordinary.draft_id is not None
    view = get_draft(engine, urgent.draft_id)
    assert view.urgent == "words of self-harm or suicide"
    assert view.reason is not None
    assert view.reason.startswith("urgent: words of self-harm or suicide")
    assert "end it all" not in view.reason
    assert urgent.draft is not None
    for crisis in ("Samaritans", "suicide", "self-harm", "999", "urgent"):
        assert crisis.lower() not in urgent.draft.lower()
    assert get_draft(engine, ordinary.draft_id).urgent is None
    assert [d.id for d in list_drafts(engine)] == [urgent.draft_id, ordinary.draft_id]


def test_a_hearing_tomorrow_is_urgent_but_a_quoted_one_is_not(engine: Engine) -> None:
    """The writer's own words count; a hearing date in quoted earlier mail does not."""
    pipeline = _pipeline(engine)
    own = pipeline.handle(_email("c", "My hearing is tomorrow and nobody has written to me."))
    quoted = pipeline.handle(
        _email(
            "d",
            "Thanks for the reply.\n\nOn Monday, a friend wrote:\n> my hearing is tomorrow\n",
        )
    )
    assert own.draft_id is not None
    assert quoted.draft_id is not None
    own_view = get_draft(engine, own.draft_id)
    assert own_view.urgent == "hearing within two working days"
    assert own_view.reason is not None
    assert own_view.reason.startswith("urgent: hearing")
    assert get_draft(engine, quoted.draft_id).urgent is None


def test_a_threat_is_urgent_and_a_figure_of_speech_is_not_missed(engine: Engine) -> None:
    """A threat to staff is held as urgent; "kill me" leans to urgent too."""
    pipeline = _pipeline(engine)
    threat = pipeline.handle(_email("e", "Cancel this ticket or I will kill you."))
    figure = pipeline.handle(_email("f", "Another letter? Just kill me now."))
    assert threat.draft_id is not None
    assert figure.draft_id is not None
    assert get_draft(engine, threat.draft_id).urgent == "a threat to staff or others"
    assert get_draft(engine, figure.draft_id).urgent == "words of self-harm or suicide"


def test_partner_mail_gets_a_note_and_no_public_letter(engine: Engine) -> None:
    """Mail from a partner's subdomain: route partner, a note naming the partner, held
    with "partner: name", and never a request for the writer's date of birth."""
    pipeline = _pipeline(engine)
    outcome = pipeline.handle(
        _email(
            "g",
            "Please upgrade file 12AB3456789 to a summons; the defendant's date of birth "
            "is attached.",
            sender="Reviewing.Lawyer@Area2.CPS.gov.uk",
        )
    )
    assert outcome.draft_id is not None
    assert outcome.route == "clerk"  # the contract's routes (section 3): waits for a clerk
    view = get_draft(engine, outcome.draft_id)
    assert view.route == DraftRoute.PARTNER
    assert view.purpose == "reply"
    assert view.body == (
        "From CPS (cps.gov.uk): no public letter is drafted; answer through the partners' route."
    )
    assert view.reason == "partner: CPS"
    assert view.decision is not None
    assert view.decision.partner == "CPS"
    assert "date of birth" not in view.body
    assert "Dear" not in view.body


def test_a_partner_note_cannot_be_approved_until_a_clerk_writes_the_reply(
    engine: Engine,
) -> None:
    """Approving the unedited note is refused and nothing is queued; once a clerk has
    written the reply, another clerk approves it into the outbox as usual."""
    pipeline = _pipeline(engine)
    outcome = pipeline.handle(
        _email("h", "Driver enquiry for VRM AB12CDE.", sender="enquiries@dvla.gov.uk")
    )
    assert outcome.draft_id is not None
    with pytest.raises(DraftRuleBroken, match="not a reply; write the reply first"):
        approve_draft(
            engine, outcome.draft_id, actor="clerk1", now=NOW, mail_from=FROM, maker_checker=True
        )
    assert _outbox(engine) == 0
    edit_draft(
        engine,
        outcome.draft_id,
        body="Dear DVLA,\n\nThe keeper details are enclosed.\n\nTicket Office",
        actor="clerk1",
        now=NOW,
    )
    approved = approve_draft(
        engine, outcome.draft_id, actor="clerk2", now=NOW, mail_from=FROM, maker_checker=True
    )
    assert approved.state == "queued"
    assert _outbox(engine) == 1


def test_a_partner_note_survives_a_rematch(engine: Engine) -> None:
    """Re-matching a partner's mail names a record but keeps the note, still unapprovable."""
    pipeline = _pipeline(engine)
    outcome = pipeline.handle(
        _email("i", "Result attached.", sender="listing@leeds.justice.gov.uk")
    )
    assert outcome.draft_id is not None
    redrafted = pipeline.redraft(
        outcome.draft_id, record_id=None, actor="clerk1", expected_version=None
    )
    assert redrafted.body.startswith("From HMCTS Leeds (leeds.justice.gov.uk)")
    with pytest.raises(DraftRuleBroken):
        approve_draft(
            engine, outcome.draft_id, actor="clerk1", now=NOW, mail_from=FROM, maker_checker=True
        )


def test_public_mail_is_unchanged_by_partner_domains(engine: Engine) -> None:
    """A look-alike domain, or a partner's name in the local part, is the public."""
    pipeline = _pipeline(engine)
    for key, sender in (("j", "someone@notcps.gov.uk"), ("k", "cps.gov.uk@example.org")):
        outcome = pipeline.handle(_email(key, "Where is my ticket?", sender=sender))
        assert outcome.draft_id is not None
        view = get_draft(engine, outcome.draft_id)
        assert view.route == DraftRoute.CLERK
        assert not (view.reason or "").startswith("partner")


def test_the_clerk_card_shows_urgency_first_and_the_partner(engine: Engine) -> None:
    """The chat clerk card, Slack and Teams, leads with the urgency and names a partner."""
    pipeline = _pipeline(engine)
    urgent = pipeline.handle(_email("l", "I am being followed since I got this ticket."))
    partner = pipeline.handle(_email("m", "Course completed.", sender="admin@dvla.gov.uk"))
    assert urgent.draft_id is not None
    assert partner.draft_id is not None
    card = load_card(engine, urgent.draft_id)
    assert card.flag_line == "URGENT: someone may be in danger"
    assert draft_summary(card).startswith("URGENT (someone may be in danger)")
    blocks = draft_blocks(card)
    assert "URGENT: someone may be in danger" in blocks[1]["text"]["text"]
    assert draft_card(card)["body"][1]["text"] == "URGENT: someone may be in danger"
    partner_card = load_card(engine, partner.draft_id)
    assert partner_card.flag_line == "partner: DVLA (no public letter)"
    assert load_card(engine, partner.draft_id).urgent is None


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("a@cps.gov.uk", Partner("CPS", "cps.gov.uk")),
        ("a@x.y.CPS.GOV.UK", Partner("CPS", "cps.gov.uk")),
        ("<a@cps.gov.uk>", Partner("CPS", "cps.gov.uk")),
        ("a@leeds.justice.gov.uk", Partner("HMCTS Leeds", "leeds.justice.gov.uk")),
        ("a@justice.gov.uk", None),
        ("a@xcps.gov.uk", None),
        ("a@cps.gov.uk.example", None),
        ("no address", None),
        (None, None),
    ],
)
def test_partner_of_matches_domains_and_subdomains(
    sender: str | None, expected: Partner | None
) -> None:
    """A partner's domain or any subdomain of it; nothing that merely contains it."""
    assert partner_of(sender, PARTNERS) == expected


def test_the_most_specific_partner_domain_wins() -> None:
    """A court's own subdomain beats its parent department's entry."""
    partners = (("MoJ", "justice.gov.uk"), ("HMCTS Leeds", "leeds.justice.gov.uk"))
    found = partner_of("a@leeds.justice.gov.uk", partners)
    assert found is not None
    assert found.name == "HMCTS Leeds"


def test_a_course_providers_completion_is_a_proposed_change_for_the_clerk(
    tmp_path: Path, engine: Engine
) -> None:
    """A course provider reports a booked course offer completed: a partner draft whose
    note and saved decision carry the proposed change, no public letter, the record as
    it was (the product never changes a record)."""
    records = tmp_path / "records.csv"
    records.write_text(
        "kind,reference,status,status_date,offence_date,offence_code,offence,location,vrm,"
        "surname,forenames,dob,postcode,address,email,phone,amount,due_date,court,"
        "hearing_date,urn,officer,outcome,updated_at\n"
        "course_offer,DA46551882,booked,2026-11-02,2026-10-04,TS10,"
        "What's Driving Us? course offer,A14 Thrapston,BN45XQC,Watkins,Thomas,1963-07-02,"
        "S25 9YE,472 Jennings Hill,,,95,2026-12-20,,,,6527,,2026-11-01T09:00:00Z\n",
        encoding="utf-8",
    )
    import_file(engine, records)
    pipeline = Pipeline(
        engine=engine,
        templates=STORE,
        clock=lambda: NOW,
        config=PipelineConfig(partner_domains=(("TTC Courses", "ttc.example"),)),
    )
    outcome = pipeline.handle(
        _email(
            "n",
            "Course reference DA46551882: the client attended and completed the course "
            "on 20 November 2026.",
            sender="bookings@ttc.example",
        )
    )
    assert outcome.draft_id is not None
    assert outcome.decision.reference == "DA46551882"
    view = get_draft(engine, outcome.draft_id)
    assert view.route == DraftRoute.PARTNER
    assert view.record_id == outcome.decision.record_id
    assert view.body == (
        "From TTC Courses (ttc.example): no public letter is drafted; answer through the "
        "partners' route.\nProposed change to course_offer DA46551882: status booked → "
        "completed. Apply it by importing the record from the system of record, or edit "
        "the record there."
    )
    for letter in ("Dear", "date of birth", "penalty"):
        assert letter not in view.body
    assert view.decision is not None
    assert view.decision.partner == "TTC Courses"
    assert view.decision.proposed_change is not None
    assert view.decision.proposed_change.to_json() == {
        "kind": "course_offer",
        "reference": "DA46551882",
        "old_status": "booked",
        "status": "completed",
        "outcome": None,
        "hearing_date": None,
        "changes": {"status": "completed"},
        "supported_by": ["attended and completed the course"],
    }
    assert view.record_id is not None
    assert record_details(engine, [view.record_id])[view.record_id].status == "booked"
    assert _outbox(engine) == 0


def test_partner_domains_reach_the_pipeline(tmp_path: Path, engine: Engine) -> None:
    """The setting, as read at start, is what the built pipeline uses."""
    settings = load_settings(data_dir=tmp_path, partner_domains="CPS=cps.gov.uk")
    pipeline = build_pipeline(settings, engine)
    assert pipeline.config.partner_domains == (("CPS", "cps.gov.uk"),)
