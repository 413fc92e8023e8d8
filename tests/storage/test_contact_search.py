"""Contact search: references and plates (with a typo), names, email addresses, words;
and the full-text index kept in step with the contacts by the database itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, delete, update

from storage.contact_log import NewContact, log_contact
from storage.contact_search import (
    one_edit_neighbours,
    person_history,
    record_history,
    search_contacts,
)
from storage.records_import import import_file
from storage.tables import Contact
from tests.bot.desk.conftest import record_row

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _log(engine: Engine, n: int, *, party: str, text: str, record: int | None = None) -> int:
    return log_contact(
        engine,
        NewContact(
            channel="email",
            direction="in",
            channel_message_id=f"<s{n}@example.org>",
            party=party,
            received_at=NOW - timedelta(hours=n),
            text=text,
            subject=f"enquiry {n}",
            record_id=record,
        ),
        now=NOW,
    ).id


def _sample(engine: Engine, sample_records: Path) -> dict[str, object]:
    import_file(engine, sample_records)
    from tests.bot.desk.conftest import _first_records

    (reference, _row), *_ = _first_records(engine, 1)
    return record_row(engine, reference)


def test_a_plate_with_one_wrong_character_finds_the_record_and_its_contacts(
    engine: Engine, sample_records: Path
) -> None:
    """A plate typed with one character wrong still finds the record and who wrote about it."""
    row = _sample(engine, sample_records)
    vrm = str(row["vrm"]).replace(" ", "")
    about = _log(engine, 1, party="a@example.org", text="about my car", record=int(row["id"]))
    _log(engine, 2, party="b@example.org", text="something else entirely")
    wrong = vrm[:-1] + ("X" if vrm[-1] != "X" else "Y")
    result = search_contacts(engine, wrong.lower())
    found = {r.id: r.how for r in result.records}
    assert found[int(row["id"])] == "plate, one character different"
    assert all(how == "plate, one character different" for how in found.values())
    assert [c.id for c in result.contacts] == [about]


def test_a_reference_with_a_typo_or_spaces_is_found(engine: Engine, sample_records: Path) -> None:
    """References match exactly in any spacing, and with one character wrong."""
    row = _sample(engine, sample_records)
    reference = str(row["reference"])
    contact = _log(engine, 1, party="a@example.org", text="hello", record=int(row["id"]))
    spaced = " ".join([reference[:4], reference[4:]])
    assert [c.id for c in search_contacts(engine, spaced).contacts] == [contact]
    typo = reference[:-2] + reference[-1] + reference[-2]  # two neighbours swapped
    found = search_contacts(engine, typo)
    assert row["id"] in [r.id for r in found.records]


def test_words_and_email_addresses_go_through_the_full_text_index(engine: Engine) -> None:
    """A name in the text, or the sender's address, finds the contact; others are not shown."""
    first = _log(engine, 1, party="zoe.quill@example.org", text="This is Zoe Quill about a ticket")
    _log(engine, 2, party="other@example.org", text="An unrelated question")
    assert [c.id for c in search_contacts(engine, "quill").contacts] == [first]
    assert [c.id for c in search_contacts(engine, "Zoe Quill").contacts] == [first]
    assert [c.id for c in search_contacts(engine, "zoe.quill@example.org").contacts] == [first]
    assert search_contacts(engine, "nobody-here").contacts == ()


def test_search_input_is_never_query_syntax(engine: Engine) -> None:
    """Quotes, stars, NEAR and column filters are searched as words, not obeyed."""
    _log(engine, 1, party="a@example.org", text="plain text")
    for query in ('"', "text*", "NEAR(a b)", "party:a", "a OR b", "'; DROP TABLE contact; --"):
        search_contacts(engine, query)  # must not raise


def test_the_index_follows_edits_and_deletes(engine: Engine) -> None:
    """Changing or deleting a contact changes what search finds (triggers or expression)."""
    contact = _log(engine, 1, party="a@example.org", text="marmalade")
    assert [c.id for c in search_contacts(engine, "marmalade").contacts] == [contact]
    with engine.begin() as conn:
        conn.execute(update(Contact).where(Contact.id == contact).values(text="porridge"))  # type: ignore[arg-type]
    assert search_contacts(engine, "marmalade").contacts == ()
    assert [c.id for c in search_contacts(engine, "porridge").contacts] == [contact]
    with engine.begin() as conn:
        conn.execute(delete(Contact).where(Contact.id == contact))  # type: ignore[arg-type]
    assert search_contacts(engine, "porridge").contacts == ()


def test_histories_of_a_person_and_of_a_record(engine: Engine, sample_records: Path) -> None:
    """A person's history is every contact from their address; a record's, every one about it."""
    row = _sample(engine, sample_records)
    a1 = _log(engine, 1, party="A@Example.org", text="one", record=int(row["id"]))
    a2 = _log(engine, 2, party="a@example.org", text="two")
    b1 = _log(engine, 3, party="b@example.org", text="three", record=int(row["id"]))
    assert [c.id for c in person_history(engine, "a@example.org")] == [a1, a2]
    assert [c.id for c in record_history(engine, int(row["id"]))] == [a1, b1]


def test_neighbours_cover_every_kind_of_single_edit() -> None:
    """Substitution, deletion, insertion and a swap of neighbours are all one edit away."""
    near = one_edit_neighbours("AB12CDE".translate(str.maketrans({"B": "8"})))
    for variant in ("A812CDF", "A82CDE", "A8123CDE", "A821CDE"):
        assert variant in near
    assert "XX12CDE" not in near
