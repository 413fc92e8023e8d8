"""HTML-only mail: the quoted earlier message ends up in quoted_text, never in text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mail.attachment_store import DescribeOnly
from mail.html_text import html_to_text
from mail.loop_guard import LoopGuard
from mail.parse import MailParser
from tests.mail.messages import plain, raw

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
PARSER = MailParser(guard=LoopGuard.for_mail_from("tickets@force.example"), keeper=DescribeOnly())
QUOTED_REF = "3462166202"

GMAIL = (
    '<div dir="ltr">Can you tell me where my case is?</div><br><div class="gmail_quote">'
    '<div dir="ltr" class="gmail_attr">On Mon, 3 Nov 2026 at 10:02, Jane Doe &lt;jane@mail.example&gt; wrote:<br></div>'
    f'<blockquote class="gmail_quote" style="margin:0 0 0 .8ex">My reference is {QUOTED_REF}.</blockquote></div>'
)
FRENCH_OUTLOOK = (
    "<html><head><style>p{margin:0}</style></head><body>"
    '<div dir="ltr">Pouvez-vous me dire où en est ce dossier ?</div>'
    '<hr style="display:inline-block;width:98%" tabindex="-1">'
    '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>De :</b> Jane Doe &lt;jane@mail.example&gt;<br>'
    "<b>Envoyé :</b> lundi 3 novembre 2026 10:02<br><b>À :</b> Sam<br><b>Objet :</b> amende</font>"
    f"<div>&nbsp;</div></div><div>Ma référence est {QUOTED_REF}.</div></body></html>"
)
APPLE = (
    '<html><body><div>Any news?</div><div><br><blockquote type="cite"><div>On 3 Nov 2026, at 10:02, '
    f"Jane wrote:</div><div>Ref {QUOTED_REF}</div></blockquote></div></body></html>"
)


def _html_only(markup: str) -> bytes:
    message = plain()
    message.set_content(markup, subtype="html")
    return raw(message)


@pytest.mark.parametrize(
    "markup", [GMAIL, FRENCH_OUTLOOK, APPLE], ids=["gmail", "outlook-fr", "apple"]
)
def test_reference_in_quoted_html_is_quoted_text_not_text(markup: str) -> None:
    """A reference inside the quoted part of an HTML-only mail is in quoted_text only."""
    enquiry = PARSER.parse(_html_only(markup), received_at=NOW)
    assert QUOTED_REF not in enquiry.text
    assert enquiry.quoted_text is not None
    assert QUOTED_REF in enquiry.quoted_text
    assert enquiry.text.strip()
    assert "<" not in enquiry.text


def test_writer_text_below_an_html_quote_stays_text() -> None:
    """A reply written below a closed blockquote is still the writer's text."""
    markup = f"<div>On Monday Desk wrote:</div><blockquote>Which ticket?</blockquote><div>It is {QUOTED_REF}</div>"
    enquiry = PARSER.parse(_html_only(markup), received_at=NOW)
    assert QUOTED_REF in enquiry.text
    assert enquiry.quoted_text is not None
    assert "Which ticket?" in enquiry.quoted_text


def test_html_to_text_marks_quoted_lines() -> None:
    """The quoted stretch renders as "> " lines; the writer's text is laid out by inscriptis."""
    text = html_to_text(GMAIL)
    assert text.lstrip().startswith("Can you tell me where my case is?")
    quoted_lines = [line for line in text.split("\n") if QUOTED_REF in line]
    assert quoted_lines
    assert all(line.startswith("> ") for line in quoted_lines)


def test_html_without_quotes_renders_as_before() -> None:
    """HTML with no quote containers is rendered whole, tags and style sheets gone."""
    text = html_to_text(
        "<html><head><style>p{color:red}</style></head><body><p>Plate <b>AB12 CDE</b></p></body></html>"
    )
    assert "AB12 CDE" in text
    assert "color" not in text
    assert ">" not in text
