"""`enquiry-desk draft` (contracts.md, section 3) and `enquiry-desk drafts ...`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.test_cli import data_dir, run_cli  # noqa: F401  (the autouse fixture)
from tests.sample import find_record, full_name

# A paid fixed penalty with a plate and an address on file; its writer gives the reference
# (personal) and the plate (public), which verifies them.
PAID = find_record(kind="fpn", status="paid", has=["vrm", "email"], alone=True)
REF = PAID["reference"]
PLATE = f"{PAID['vrm'][:4]} {PAID['vrm'][4:]}"

KEYS = ["id", "contact_id", "reference", "verified", "intents", "draft_id", "draft", "route"]


def _lines(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    items = [
        {
            "id": "a",
            "channel": "email",
            "sender": PAID["email"],
            "subject": "Fixed penalty",
            "text": f"Status of my ticket {REF} for {PLATE} please?",
        },
        {"id": "b", "channel": "chat", "sender": "U1", "text": f"status of {REF}"},
        {"id": "c", "channel": "email", "sender": "x@y.example", "text": "Where is my case?"},
    ]
    path.write_text(
        "\n".join(json.dumps(i) for i in items[:2]) + "\nnot json\n" + json.dumps(items[2]) + "\n"
    )
    return path


def test_draft_file_prints_one_object_per_line_in_order(
    sample_records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every input line gets an object with the contract's keys, in input order; a bad line
    gets one saying why; a chat line is answered for an officer; loading twice doubles
    nothing."""
    run_cli(["records", "import", str(sample_records)], capsys)
    code, out, _ = run_cli(["draft", str(_lines(tmp_path))], capsys)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", None, "c"]
    for row in rows:
        assert list(row)[: len(KEYS)] == KEYS
    email, chat, bad, unknown = rows
    assert email["reference"] == REF
    assert email["verified"] is True
    assert email["route"] == "clerk"
    assert REF in email["draft"]
    assert email["draft"].startswith(f"Dear {full_name(PAID)},")
    assert chat["route"] == "chat"
    assert chat["draft_id"] is None
    assert REF in chat["draft"]
    assert "line 3" in bad["error"]
    assert unknown["verified"] is False
    assert unknown["draft_id"] is not None
    assert unknown["draft"].startswith("Dear Sir or Madam,")
    code, again, _ = run_cli(["draft", str(_lines(tmp_path))], capsys)
    assert [json.loads(x)["draft_id"] for x in again.splitlines()] == [r["draft_id"] for r in rows]


def test_drafts_commands_take_a_draft_through_its_life(
    sample_records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """list shows the open draft; edit then approve by the same clerk is refused under
    maker-checker; another clerk approves; reject of the other draft needs a reason."""
    run_cli(["records", "import", str(sample_records)], capsys)
    _, out, _ = run_cli(["draft", str(_lines(tmp_path))], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    first, other = rows[0]["draft_id"], rows[3]["draft_id"]
    code, listed, _ = run_cli(["drafts", "list"], capsys)
    assert code == 0
    assert f"#{first}" in listed
    assert f"#{other}" in listed
    code, shown, _ = run_cli(["drafts", "show", str(first)], capsys)
    assert "reasons: reference exact" in shown
    new_text = tmp_path / "new.txt"
    new_text.write_text("Dear Sir or Madam,\n\nYour penalty is paid.\n")
    code, _, _ = run_cli(
        ["drafts", "edit", str(first), "--file", str(new_text), "--as", "ann"], capsys
    )
    assert code == 0
    code, _, err = run_cli(["drafts", "approve", str(first), "--as", "ann"], capsys)
    assert code == 2
    assert "another clerk must approve" in err
    code, out, _ = run_cli(["drafts", "approve", str(first), "--as", "bob"], capsys)
    assert (code, out.strip()) == (0, f"draft #{first} approved by bob: queued")
    code, _, err = run_cli(["drafts", "reject", str(other), "--reason", " ", "--as", "bob"], capsys)
    assert code == 2
    assert "say why" in err
    code, _, _ = run_cli(
        ["drafts", "reject", str(other), "--reason", "spam", "--as", "bob"], capsys
    )
    assert code == 0
    _, listed, _ = run_cli(["drafts", "list"], capsys)
    assert listed.strip() == "no drafts"
