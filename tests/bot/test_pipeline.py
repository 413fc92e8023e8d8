"""The pipeline: log first, match, intent, draft; disclosure rules hold on every path."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from bot.demo.inbox import demo_enquiries
from bot.demo.records import generate_records, write_records_csv
from bot.pipeline import REFUSAL, Pipeline
from lookup.enquiry import Enquiry
from lookup.keys import plate_key
from responses.compose import HOLD_INTENTS, UNCLEAR_REASON
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage import migrate
from storage.drafts import get_draft
from storage.engine import make_engine, sqlite_url
from storage.records_import import import_file
from storage.tables import Contact, Draft
from tests.conftest import DATA
from tests.sample import answerable_email, find_record, full_name, record_by_reference

# A paid fixed penalty with a plate, whose subject has no other record.
PAID = find_record(kind="fpn", status="paid", has=["vrm", "email"], alone=True)["reference"]

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
STORE = TemplateStore([PACKAGE_TEMPLATES])


def _pipeline(engine: Engine) -> Pipeline:
    return Pipeline(engine=engine, templates=STORE, clock=lambda: NOW)


def _email(key: str, text: str, sender: str = "writer@example.org", **extra: Any) -> Enquiry:
    return Enquiry(
        channel="email",
        channel_message_id=f"<{key}@example.org>",
        sender=sender,
        received_at=NOW,
        text=text,
        subject=extra.pop("subject", "My ticket"),
        **extra,
    )


def _records(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _identifying_values(records: list[dict[str, str]]) -> dict[str, set[str]]:
    """Per record reference, the values that would identify it in a letter."""
    values: dict[str, set[str]] = {}
    for r in records:
        found = {r["reference"]}
        if r.get("vrm"):
            found.add(plate_key(r["vrm"]))
        if r.get("postcode"):
            found.add(r["postcode"].upper())
        values[r["reference"]] = found
    return values


def _shown(body: str, values: set[str]) -> set[str]:
    """The values written in `body` as whole words, with or without one inner space
    ("OD81 IHI", "OD81IHI")."""
    tokens = re.findall(r"[A-Z0-9]+", body.upper())
    words = set(tokens) | {a + b for a, b in itertools.pairwise(tokens)}
    return {v for v in values if v.replace(" ", "").upper() in words}


@pytest.fixture(scope="module")
def sample_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    engine = make_engine(sqlite_url(tmp_path_factory.mktemp("pipe") / "p.db"))
    migrate.upgrade(engine)
    import_file(engine, DATA / "records.csv")
    yield _pipeline(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def sample_outcomes(sample_pipeline: Pipeline) -> list[tuple[dict[str, Any], Any]]:
    lines = (DATA / "enquiries.jsonl").read_text(encoding="utf-8").splitlines()
    results = []
    for item in map(json.loads, lines):
        enquiry = _email(item["id"], item["text"], item["sender"], subject=item["subject"])
        results.append((item, sample_pipeline.handle(enquiry)))
    return results


def test_every_sample_email_gets_a_draft_for_a_clerk(
    sample_outcomes: list[tuple[dict[str, Any], Any]],
) -> None:
    """Each of the 200 sample enquiries is logged and gets a draft waiting for a clerk."""
    assert len(sample_outcomes) == 200
    assert all(o.draft_id is not None and o.route == "clerk" for _, o in sample_outcomes)
    assert len({o.contact_id for _, o in sample_outcomes}) == 200


def test_unverified_drafts_disclose_no_record(
    sample_outcomes: list[tuple[dict[str, Any], Any]],
) -> None:
    """A draft to a writer who is not verified shows no reference, plate or postcode of any
    record, except what the writer wrote themselves."""
    values = _identifying_values(_records(DATA / "records.csv"))
    every = set().union(*values.values())
    unverified = [(i, o) for i, o in sample_outcomes if not o.decision.verified]
    assert unverified, "the sample has unverified enquiries"
    for item, outcome in unverified:
        leaked = _shown(outcome.draft, every) - _shown(item["text"] + item["subject"], every)
        assert leaked == set(), item["id"]


def test_verified_drafts_show_only_their_own_record(
    sample_pipeline: Pipeline,
    sample_outcomes: list[tuple[dict[str, Any], Any]],
) -> None:
    """Nothing from a record other than the matched one reaches a draft; every draft but a
    holding reply (intent unclear, a complaint...) names its own record and greets the
    record's subject by the record's name."""
    values = _identifying_values(_records(DATA / "records.csv"))
    verified = [(i, o) for i, o in sample_outcomes if o.decision.verified]
    assert len(verified) >= 100
    letters = 0
    for item, outcome in verified:
        own = values[outcome.decision.reference]
        others = set().union(*(v for ref, v in values.items() if v is not own)) - own
        held = get_draft(sample_pipeline.engine, outcome.draft_id).reason or ""
        if held != UNCLEAR_REASON and not set(outcome.intents) & set(HOLD_INTENTS):
            letters += 1
            assert outcome.decision.reference in outcome.draft, item["id"]
            record = record_by_reference(outcome.decision.reference)
            assert outcome.draft.startswith(f"Dear {full_name(record)},\n"), item["id"]
        assert _shown(outcome.draft, others) - _shown(item["text"], others) == set(), item["id"]
    assert letters >= 95


def test_look_alike_relatives_never_get_each_others_case(tmp_path: Path) -> None:
    """Generated enquiries (a father and son at one address, quoted references of other
    people): every draft that shows a record shows the writer's own, and only that."""
    today = date(2026, 11, 23)
    write_records_csv(tmp_path / "r.csv", 3000, seed=21, today=today)
    engine = make_engine(sqlite_url(tmp_path / "g.db"))
    migrate.upgrade(engine)
    import_file(engine, tmp_path / "r.csv")
    records = list(generate_records(3000, seed=21, today=today))
    values = _identifying_values(records)
    people = {r["reference"]: (r["surname"], r["forenames"], r["dob"]) for r in records}
    pipeline = _pipeline(engine)
    shown_any = 0
    enquiries = list(demo_enquiries(records, count=250, seed=9))
    assert any(e.scenario == "other_reference" for e in enquiries)
    for e in enquiries:
        outcome = pipeline.handle(_email(f"g{e.index}", e.body, e.sender_address))
        assert outcome.draft is not None
        shown = {
            ref
            for ref, vals in values.items()
            if ref in outcome.draft and ref not in e.body and ref not in e.subject
        }
        if shown:
            shown_any += 1
            [ref] = shown
            assert people[ref] == people.get(e.writer_reference), (e.index, e.scenario)
    assert shown_any >= 50


def test_a_redelivered_message_is_logged_and_drafted_once(engine: Engine) -> None:
    """The same message twice: one contact, one draft, the same answer."""
    import_file(engine, DATA / "records.csv")
    pipeline = _pipeline(engine)
    enquiry = _email("again", f"What is happening with ticket {PAID}? I am Mr Smith.")
    first = pipeline.handle(enquiry)
    second = pipeline.handle(enquiry)
    assert first.is_new
    assert not second.is_new
    assert second.draft_id == first.draft_id
    assert second.draft == first.draft
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Contact)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(Draft)).scalar_one() == 1


def test_flagged_mail_is_kept_and_never_answered(engine: Engine) -> None:
    """An auto-reply is logged with its flag and gets no draft."""
    pipeline = _pipeline(engine)
    outcome = pipeline.handle(
        _email("ooo", "I am out of the office", flag="auto_reply", flag_reason="Auto-Submitted")
    )
    assert outcome.draft_id is None
    assert outcome.route == "none"
    with engine.connect() as conn:
        flag = conn.execute(select(Contact.flag)).scalar_one()  # type: ignore[call-overload]
    assert flag == "auto_reply"


def test_officer_gets_status_and_stranger_gets_refusal(engine: Engine) -> None:
    """An authorised officer asking about a reference gets its status; the same question
    from anyone else gets a refusal that names nothing, and the attempt is logged."""
    import_file(engine, DATA / "records.csv")
    pipeline = _pipeline(engine)
    question = f"status of {PAID} please"
    officer = pipeline.handle(
        Enquiry(
            channel="slack",
            channel_message_id="Ev1",
            sender="U1",
            received_at=NOW,
            text=question,
            officer="8656",
        )
    )
    assert officer.route == "chat"
    assert officer.chat_reply is not None
    assert PAID in officer.chat_reply
    assert "paid" in officer.chat_reply.lower()
    stranger = pipeline.handle(
        Enquiry(
            channel="slack",
            channel_message_id="Ev2",
            sender="U2",
            received_at=NOW,
            text=question,
        )
    )
    assert stranger.chat_reply == REFUSAL
    assert stranger.decision.reference is None
    with engine.connect() as conn:
        rows = conn.execute(
            select(Contact.channel_message_id, Contact.flag)  # type: ignore[call-overload]
        ).all()
    flags: dict[str, str | None] = {row[0]: row[1] for row in rows}
    assert flags == {"Ev1": None, "Ev2": "unauthorised"}


def test_a_reply_in_the_thread_uses_the_writers_earlier_identifiers(engine: Engine) -> None:
    """ "Any news?" in reply to one's own earlier message is matched with what that
    message gave; another sender in the same thread gets nothing from it."""
    import_file(engine, DATA / "records.csv")
    pipeline = _pipeline(engine)
    first = answerable_email()
    opened = pipeline.handle(
        _email("t1", first["text"], first["sender"], thread_key="<t1@example.org>")
    )
    assert opened.decision.verified
    again = pipeline.handle(
        _email("t2", "Any news on this?", first["sender"], thread_key="<t1@example.org>")
    )
    assert again.decision.reference == opened.decision.reference
    assert again.decision.verified
    other = pipeline.handle(
        _email("t3", "Any news on this?", "someone@else.example", thread_key="<t1@example.org>")
    )
    assert other.decision.reference is None
    assert str(opened.decision.reference) not in (other.draft or "")


def test_clerk_rematch_writes_the_draft_afresh(engine: Engine) -> None:
    """Re-matching to a record the writer's details fit yields a verified letter about it;
    to one they do not fit, a letter that discloses nothing."""
    import_file(engine, DATA / "records.csv")
    pipeline = _pipeline(engine)
    first = answerable_email()
    outcome = pipeline.handle(_email("r1", first["text"], first["sender"]))
    assert outcome.draft_id is not None
    assert outcome.decision.record_id is not None
    record_id = outcome.decision.record_id
    wrong = pipeline.redraft(
        outcome.draft_id, record_id=record_id + 1, actor="clerk1", expected_version=1
    )
    assert not wrong.verified
    assert str(outcome.decision.reference) not in wrong.body
    right = pipeline.redraft(
        outcome.draft_id, record_id=record_id, actor="clerk1", expected_version=wrong.version
    )
    assert right.verified
    assert str(outcome.decision.reference) in right.body
    assert get_draft(engine, outcome.draft_id).decision.reasons[0] == "chosen by a clerk"  # type: ignore[union-attr]


def _officer_question(message_id: str, text: str, *, officer: str | None = "8656") -> Enquiry:
    return Enquiry(
        channel="slack",
        channel_message_id=message_id,
        sender="U1",
        received_at=NOW,
        text=text,
        officer=officer,
    )


def _linked_records(engine: Engine) -> dict[str, int | None]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Contact.channel_message_id, Contact.record_id)  # type: ignore[call-overload]
        ).all()
    return {row[0]: row[1] for row in rows}


def test_officer_question_is_linked_now_or_left_to_the_caller(engine: Engine) -> None:
    """`handle` links an officer's question to the record it matched; with `link_later`
    it leaves that to the caller and hands over the record in the decision."""
    import_file(engine, DATA / "records.csv")
    pipeline = _pipeline(engine)
    now = pipeline.handle(_officer_question("Ev1", f"status of {PAID} please"))
    later = pipeline.handle(_officer_question("Ev2", f"status of {PAID} please"), link_later=True)
    assert now.decision.verified
    assert later.decision.verified
    assert now.decision.record_id is not None
    assert later.decision.record_id == now.decision.record_id
    assert later.chat_reply == now.chat_reply
    assert _linked_records(engine) == {"Ev1": now.decision.record_id, "Ev2": None}


def test_chat_batch_logs_every_question_before_answering_any(engine: Engine) -> None:
    """A batch of chat questions is logged and committed as a whole before the first is
    matched; each gets its own answer, a stranger the refusal, a repeat nothing."""
    import_file(engine, DATA / "records.csv")
    records = {r["reference"]: r for r in _records(DATA / "records.csv")}
    first, second = sorted(records)[:2]
    pipeline = _pipeline(engine)
    seen_when_matching: list[set[str]] = []
    real = pipeline.matcher

    class Watching:
        """The real matcher, noting which questions were already logged when it runs."""

        def evidence(self, *args: Any, **kwargs: Any) -> Any:
            seen_when_matching.append(set(_linked_records(engine)))
            return real.evidence(*args, **kwargs)

        def decide(self, *args: Any, **kwargs: Any) -> Any:
            return real.decide(*args, **kwargs)

    pipeline.matcher = Watching()  # type: ignore[assignment]
    batch = [
        _officer_question("Eb1", f"where is {first}?"),
        _officer_question("Eb2", f"status of {second}"),
        _officer_question("Eb3", f"status of {second}", officer=None),
        _officer_question("Eb1", f"where is {first}?"),  # Slack's retry, in the same batch
    ]
    delivered: dict[int, Any] = {}
    pipeline.handle_chat_batch(batch, lambda i, outcome: delivered.__setitem__(i, outcome))
    assert sorted(delivered) == [0, 1, 2, 3]
    assert seen_when_matching == [{"Eb1", "Eb2", "Eb3"}] * 2
    assert first in delivered[0].chat_reply
    assert second in delivered[1].chat_reply
    assert delivered[2].chat_reply == REFUSAL
    assert delivered[3].chat_reply is None
    assert delivered[3].contact_id == delivered[0].contact_id
    # Links are the caller's to make (link_later), as the chat desk does.
    assert set(_linked_records(engine).values()) == {None}


def test_chat_batch_takes_only_chat_questions(engine: Engine) -> None:
    """Mail goes through `handle` one by one (attachments, drafts); a batch refuses it
    before logging anything."""
    pipeline = _pipeline(engine)
    with pytest.raises(ValueError, match="chat"):
        pipeline.handle_chat_batch([_email("m1", "hello")], lambda *_: None)
    assert _linked_records(engine) == {}
