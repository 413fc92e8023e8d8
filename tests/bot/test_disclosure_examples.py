"""Every way the landed matcher disclosed a case to the wrong person (issue 13), through
the whole pipeline on SQLite: each must now give "not verified" or a third party, with a
reason, and a draft that shows nothing of the record; a genuine writer who signs off
with name and date of birth is verified."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from bot.chat.draft_card import card_from
from bot.pipeline import Pipeline, PipelineOutcome
from lookup.enquiry import Enquiry
from mail.attachment_store import DescribeOnly
from mail.loop_guard import LoopGuard
from mail.parse import MailParser
from responses.template_store import PACKAGE_TEMPLATES, TemplateStore
from storage import migrate
from storage.contact_search import get_contact
from storage.drafts import get_draft
from storage.engine import make_engine, sqlite_url
from storage.records_import import import_file

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
COLUMNS = ("kind", "reference", "status", "surname", "forenames", "dob", "postcode", "vrm")
COLUMNS_MORE = ("email", "amount", "due_date", "court", "hearing_date", "offence")
RECORDS = [
    # A father and son at one address (the issue's own example), sharing no car.
    ("fpn", "3462166202", "awaiting_payment", "Thornbury", "William James", "1961-03-14",
     "NN1 5AB", "AB12CDE", "w.thornbury@example.org", "100", "2026-12-20", "", "", "Speeding"),
    ("fpn", "3462166203", "awaiting_payment", "Thornbury", "Liam", "1992-07-02",
     "NN1 5AB", "XY65ZZT", "liam.t@example.org", "100", "2026-12-21", "", "", "Speeding"),
    # Households whose members have names in their own right.
    ("fpn", "3471000011", "awaiting_payment", "Okafor", "James", "1958-01-09",
     "LS6 2QT", "LS58ABC", "", "100", "2026-12-20", "", "", "Speeding"),
    ("fpn", "3471000022", "awaiting_payment", "Pryce", "John", "1955-05-05",
     "CF10 1AA", "CF11ABC", "", "100", "2026-12-20", "", "", "Speeding"),
    ("fpn", "3471000033", "awaiting_payment", "Marsh", "Elizabeth", "1970-02-02",
     "BS1 4DJ", "BS12XYZ", "", "100", "2026-12-20", "", "", "Speeding"),
    ("fpn", "3471000044", "awaiting_payment", "Kowalski", "Alexandra", "1966-06-06",
     "M14 5RT", "MA15KLM", "", "100", "2026-12-20", "", "", "Speeding"),
    # A relative whose date of birth differs from the subject's in one digit.
    ("summons", "34AB1234526", "hearing_listed", "Greer", "Dana", "1995-04-11",
     "NE1 7RU", "", "", "", "", "Newcastle Magistrates' Court", "2027-01-12", "Theft"),
    # The case against Damien Hunter, asked about by his victim.
    ("court_case", "34CD7654326", "listed", "Hunter", "Damien", "1988-08-08",
     "NN3 6AA", "", "", "", "", "Northampton Crown Court", "2027-02-01", "Assault"),
    # A genuine writer who signs off with name and date of birth only.
    ("fpn", "3499887766", "awaiting_payment", "Graham", "Anne", "1958-03-12",
     "PE1 1XY", "PE19ABC", "", "100", "2026-12-22", "", "", "Speeding"),
    ("cica_claim", "CICA26000001", "request_received", "Lowe", "Tessa", "1979-09-19",
     "L8 0SZ", "", "", "", "", "", "", ""),
]  # fmt: skip
DEAR_RECORD = "Dear William James Thornbury"


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    folder = tmp_path_factory.mktemp("examples")
    path = folder / "records.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS + COLUMNS_MORE)
        writer.writerows(RECORDS)
    engine: Engine = make_engine(sqlite_url(folder / "e.db"))
    migrate.upgrade(engine)
    import_file(engine, path)
    yield Pipeline(engine=engine, templates=TemplateStore([PACKAGE_TEMPLATES]), clock=lambda: NOW)
    engine.dispose()


_counter = iter(range(1_000_000))


def handle(
    pipeline: Pipeline,
    text: str,
    *,
    sender: str = "someone@example.net",
    sender_name: str | None = None,
    subject: str = "My ticket",
) -> PipelineOutcome:
    enquiry = Enquiry(
        channel="email",
        channel_message_id=f"<example-{next(_counter)}@example.net>",
        sender=sender,
        sender_name=sender_name,
        received_at=NOW,
        text=text,
        subject=subject,
    )
    return pipeline.handle(enquiry)


def record_values(reference: str) -> set[str]:
    """What a letter about `reference` would show: reference, plate, postcode, court."""
    row = next(r for r in RECORDS if r[1] == reference)
    return {v for v in (row[1], row[7], row[6], row[11]) if v}


def assert_discloses_nothing(outcome: PipelineOutcome, reference: str) -> None:
    assert not outcome.decision.verified, outcome.decision.reasons
    assert outcome.draft is not None
    squashed = outcome.draft.replace(" ", "").upper()
    for value in record_values(reference):
        assert value.replace(" ", "").upper() not in squashed, value
    assert "Dear Sir or Madam" in outcome.draft


# --- public identifiers alone -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "What is the status of the ticket for car AB12 CDE? Postcode NN1 5AB.",
        "Any news on the fine for AB12CDE? Regards, Mr Thornbury",
        "My name is Thornbury, postcode NN1 5AB. Has the fine been paid?",
    ],
)
def test_neighbour_with_the_car_and_the_door_is_not_verified(pipeline: Pipeline, text: str) -> None:
    """Plate + postcode, plate + surname, surname + postcode: all public, none verifies."""
    outcome = handle(pipeline, text)
    assert_discloses_nothing(outcome, "3462166202")
    said = set(outcome.decision.reasons)
    assert said & {
        "not verified: no personal identifier agrees",
        "no clear match",
        "several records fit equally",
    }, said


# --- names in their own right ---------------------------------------------------------


def test_liam_is_not_verified_for_his_fathers_notice(pipeline: Pipeline) -> None:
    """The issue's example: Liam with his father's car and postcode."""
    outcome = handle(
        pipeline,
        "my name is Liam Thornbury ... car AB12 CDE, postcode NN1 5AB, what is the status?",
    )
    assert_discloses_nothing(outcome, "3462166202")


@pytest.mark.parametrize(
    ("forename", "surname", "reference", "dob"),
    [
        ("Liam", "Thornbury", "3462166202", "14/03/1961"),
        ("Jamie", "Okafor", "3471000011", "09/01/1958"),
        ("Jack", "Pryce", "3471000022", "05/05/1955"),
        ("Lisa", "Marsh", "3471000033", "02/02/1970"),
        ("Sandra", "Kowalski", "3471000044", "06/06/1966"),
    ],
)
def test_own_right_names_with_the_letter_and_the_birthday_do_not_verify(
    pipeline: Pipeline, forename: str, surname: str, reference: str, dob: str
) -> None:
    """A household member holding the letter and the subject's birthday, but giving their
    own forename, is blocked by it."""
    outcome = handle(
        pipeline, f"My name is {forename} {surname}, ref {reference}, dob {dob}. Status please?"
    )
    assert_discloses_nothing(outcome, reference)
    assert "not verified: blocked by forename differs" in outcome.decision.reasons


def test_a_true_diminutive_is_verified(pipeline: Pipeline) -> None:
    """Bill for William, with the reference: the subject, addressed by the record's name."""
    outcome = handle(pipeline, "Ref 3462166202. Has it been paid?\n\nRegards\nBill Thornbury")
    assert outcome.decision.verified, outcome.decision.reasons
    assert outcome.draft is not None
    assert DEAR_RECORD in outcome.draft


# --- references and dates one digit away ----------------------------------------------


def test_made_up_reference_one_digit_away_with_the_surname(pipeline: Pipeline) -> None:
    """3462166209 is no one's; one edit from the father's, with his surname: not proof."""
    outcome = handle(pipeline, "Ticket 3462166209, Mr Thornbury. What is the status?")
    assert_discloses_nothing(outcome, "3462166202")


def test_relatives_date_of_birth_one_digit_off(pipeline: Pipeline) -> None:
    """1965 against 1995 contradicts; the reference alone does not carry it."""
    outcome = handle(pipeline, "Summons 34AB1234526. Dana Greer, date of birth 11/04/1965.")
    assert_discloses_nothing(outcome, "34AB1234526")
    assert "not verified: blocked by date of birth differs" in outcome.decision.reasons


# --- third parties ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        (
            "I am writing from the HR department of Acme Logistics about our employee "
            "William Thornbury, ticket 3462166202, dob 14/03/1961.",
            "3462166202",
        ),
        (
            "My son William Thornbury got ticket 3462166202, his date of birth is 14/03/1961. "
            "What does he owe?",
            "3462166202",
        ),
        (
            "We are the insurers of Mr William Thornbury (DOB 14/03/1961) and write regarding "
            "fixed penalty 3462166202.",
            "3462166202",
        ),
        (
            "We act for Mr Damien Hunter, DOB 08/08/1988, in case 34CD7654326. Please send "
            "the case papers.",
            "34CD7654326",
        ),
        (
            "My name is Jean Parker. I am the victim in the case against Damien Hunter, "
            "34CD7654326. When is the trial? My postcode is NN3 6AA.",
            "34CD7654326",
        ),
        (
            "I live with Tessa Lowe and am writing on behalf of her about the CICA claim "
            "CICA26000001, her date of birth is 19/09/1979.",
            "CICA26000001",
        ),
    ],
)
def test_third_parties_are_never_verified(pipeline: Pipeline, text: str, reference: str) -> None:
    """Employer, parent, insurer, defence solicitor, victim, household member: a third
    party, with the reason, and a letter that discloses nothing."""
    outcome = handle(pipeline, text)
    assert_discloses_nothing(outcome, reference)
    assert outcome.decision.third_party is not None
    assert any(r.startswith("third party: ") for r in outcome.decision.reasons)
    assert "your case" not in (outcome.draft or "").lower()


# --- quoted references --------------------------------------------------------------------

_QUOTES = {
    "cy": "Ar Llun, 1 Rhag 2026 am 10:00, William Thornbury <w.thornbury@example.org> ysgrifennodd:",
    "fr": "Le lun. 1 déc. 2026 à 10:00, William Thornbury <w.thornbury@example.org> a écrit :",
    "de": "Am Mo., 1. Dez. 2026 um 10:00 Uhr schrieb William Thornbury <w.thornbury@example.org>:",
    "nl": "Op ma 1 dec 2026 om 10:00 schreef William Thornbury <w.thornbury@example.org>:",
    "it": "Il giorno lun 1 dic 2026 alle ore 10:00 William Thornbury <w.thornbury@example.org> ha scritto:",
    "pl": "W dniu pon., 1 gru 2026 o 10:00 William Thornbury <w.thornbury@example.org> napisał(a):",
    "pt": "Em seg., 1 de dez. de 2026 às 10:00, William Thornbury <w.thornbury@example.org> escreveu:",
    "ro": "În lun., 1 dec. 2026 la 10:00, William Thornbury <w.thornbury@example.org> a scris:",
    "es": "El lun, 1 dic 2026 a las 10:00, William Thornbury (<w.thornbury@example.org>) escribió:",
    "de-divider": "-----Ursprüngliche Nachricht-----\nVon: William Thornbury <w.thornbury@example.org>\n"
    "Gesendet: Montag, 1. Dezember 2026 10:00\nAn: tickets@force.example\nBetreff: Strafzettel",
}


@pytest.mark.parametrize("language", sorted(_QUOTES))
def test_a_stranger_quoting_the_subjects_mail_is_not_verified(
    pipeline: Pipeline, language: str
) -> None:
    """The reference and date of birth only in someone's quoted message never count."""
    header = _QUOTES[language]
    quoted = "My ticket is 3462166202, William Thornbury, dob 14/03/1961."
    if "\n" not in header:
        quoted = f"> {quoted}"
    text = (
        f"Can you tell me what is going on with this?\n\nRegards\nThornbury\n\n{header}\n{quoted}\n"
    )
    assert_discloses_nothing(handle(pipeline, text), "3462166202")


@pytest.mark.parametrize(
    "html",
    [
        '<div>Qu\'en est-il ?<br>Thornbury</div><div id="divRplyFwdMsg"><b>De :</b> William '
        "Thornbury<br><b>Envoyé :</b> lundi 1 décembre 2026 10:00<br><b>À :</b> tickets<br>"
        "<b>Objet :</b> amende</div><div>Mon avis 3462166202, né le 14/03/1961</div>",
        "<p>What is happening with this one?</p><p>Thornbury</p><blockquote>Ticket "
        "3462166202, William Thornbury, DOB 14/03/1961</blockquote>",
    ],
)
def test_html_quotes_are_not_the_writers_words(pipeline: Pipeline, html: str) -> None:
    """A French Outlook HTML reply and a plain HTML blockquote: quoted, never counted."""
    assert_discloses_nothing(handle(pipeline, html), "3462166202")


# --- the From line ------------------------------------------------------------------------


def test_forged_from_line_is_neither_proof_nor_a_salutation(pipeline: Pipeline) -> None:
    """The subject's address on file and their display name, forged: not verified, and the
    letter is not addressed to the forged name."""
    outcome = handle(
        pipeline,
        "Has my fine been paid? Car AB12 CDE.",
        sender="w.thornbury@example.org",
        sender_name="William Thornbury",
    )
    assert_discloses_nothing(outcome, "3462166202")


def _raw(auth: str) -> bytes:
    return (
        f"{auth}From: William Thornbury <w.thornbury@example.org>\r\n"
        "To: tickets@force.example\r\nSubject: My fine\r\n"
        f"Message-ID: <raw-{next(_counter)}@example.org>\r\nDate: Mon, 7 Dec 2026 09:00:00 +0000\r\n"
        "\r\nHas my fine been paid?\r\n\r\nWilliam Thornbury\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("auth", "verified"),
    [
        ("", False),
        (
            "Authentication-Results: mx.elsewhere.example; dmarc=pass header.from=example.org\r\n",
            False,
        ),
        (
            "Authentication-Results: mx1.force.example; dmarc=fail header.from=example.org\r\n",
            False,
        ),
        ("Authentication-Results: mx1.force.example; dmarc=pass header.from=example.org\r\n", True),
    ],
)
def test_sender_address_counts_only_with_a_trusted_dmarc_pass(
    pipeline: Pipeline, auth: str, verified: bool
) -> None:
    """Mail parsed as the runtime does: the address on file is personal only when the
    force's own server (TRUSTED_AUTHSERV_IDS) says the From domain passed DMARC."""
    parser = MailParser(
        guard=LoopGuard(own_addresses=frozenset({"tickets@force.example"})),
        keeper=DescribeOnly(),
        trusted_authserv_ids=frozenset({"mx1.force.example"}),
    )
    enquiry = parser.parse(_raw(auth), received_at=NOW)
    outcome = pipeline.handle(enquiry)
    assert outcome.decision.verified is verified, outcome.decision.reasons
    assert outcome.draft is not None
    if verified:
        assert DEAR_RECORD in outcome.draft
    else:
        assert "Dear Sir or Madam" in outcome.draft


# --- the other direction ------------------------------------------------------------------


def test_genuine_sign_off_with_name_and_date_of_birth_is_verified(pipeline: Pipeline) -> None:
    """ "Anne Graham\\n12/03/1958" on the last lines, with no label, is the writer's own."""
    outcome = handle(pipeline, "Hello, has my fine been paid yet?\n\nAnne Graham\n12/03/1958")
    assert outcome.decision.verified, outcome.decision.reasons
    assert outcome.decision.reference == "3499887766"
    assert outcome.draft is not None
    assert "Dear Anne Graham" in outcome.draft


def test_intent_candidates_reach_the_clerk(pipeline: Pipeline) -> None:
    """When two intents whose letters promise different things both fit, the draft keeps
    them for the clerk (saved with the decision, shown on the chat card), and no letter
    guesses between them."""
    outcome = handle(
        pipeline,
        "I might plead guilty by post or I might go to court and fight it, not sure yet.",
    )
    assert outcome.draft_id is not None
    view = get_draft(pipeline.engine, outcome.draft_id)
    assert view.decision is not None
    assert view.decision.intent_candidates == ("plea_by_post", "contest")
    card = card_from(view, get_contact(pipeline.engine, view.contact_id))
    assert "Intent unclear between: plea_by_post, contest" in card.reasons
    assert "we will record" not in (outcome.draft or "").lower()
