"""Splitting HTML mail bodies into the writer's own part and the quoted earlier mail."""

from __future__ import annotations

import pytest

from lookup.html_quotes import looks_like_html, quote_marked_text, split_html
from tests.bounds import fastest

OWN_REF = "4247250185"
QUOTED_REF = "1111111111"


def _own_and_quoted(markup: str) -> tuple[str, str]:
    segments = split_html(markup)
    own = "\n".join(segment.text for segment in segments if not segment.quoted and segment.text)
    quoted = "\n".join(segment.text for segment in segments if segment.quoted and segment.text)
    return own, quoted


def test_plain_blockquote_is_quoted() -> None:
    """The text inside a <blockquote> is quoted; the text around it is the writer's."""
    own, quoted = _own_and_quoted(
        f"<html><body><p>My ref is {OWN_REF}</p><blockquote>Your ref {QUOTED_REF}</blockquote></body></html>"
    )
    assert OWN_REF in own
    assert QUOTED_REF not in own
    assert QUOTED_REF in quoted


def test_apple_cite_blockquote_is_quoted() -> None:
    """Apple Mail's <blockquote type="cite"> holds quoted mail."""
    own, quoted = _own_and_quoted(
        f'<div>Thanks</div><div><br><blockquote type="cite"><div>Ref {QUOTED_REF}</div></blockquote></div>'
    )
    assert own == "Thanks"
    assert QUOTED_REF in quoted


def test_gmail_quote_container_and_attribution_are_quoted() -> None:
    """Gmail's div.gmail_quote, with its gmail_attr line, is quoted as a whole."""
    markup = (
        '<div dir="ltr">Any news?</div><br><div class="gmail_quote">'
        '<div dir="ltr" class="gmail_attr">On Mon, 3 Nov 2026 at 10:02, Jane &lt;jane@example.com&gt; wrote:<br></div>'
        f'<blockquote class="gmail_quote" style="margin:0 0 0 .8ex">Ref {QUOTED_REF}</blockquote></div>'
    )
    own, quoted = _own_and_quoted(markup)
    assert own == "Any news?"
    assert "wrote:" in quoted
    assert QUOTED_REF in quoted


def test_text_after_a_blockquote_is_own() -> None:
    """Bottom posting: text below a closed quote container is the writer's again."""
    own, quoted = _own_and_quoted(
        f"<div>On Monday Jane wrote:</div><blockquote>What is your ref?</blockquote><div>It is {OWN_REF}</div>"
    )
    assert OWN_REF in own
    assert "What is your ref?" in quoted


def test_french_outlook_reply_after_div_rply_fwd_msg_is_quoted() -> None:
    """Outlook's #divRplyFwdMsg with a French header block starts the quoted message."""
    markup = (
        '<html><body><div dir="ltr">Merci, où en est mon dossier ?</div>'
        '<hr style="display:inline-block;width:98%" tabindex="-1">'
        '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>De :</b> Jane Doe &lt;jane@example.com&gt;<br>'
        "<b>Envoyé :</b> lundi 3 novembre 2026 10:02<br><b>À :</b> Desk<br><b>Objet :</b> amende</font></div>"
        f"<div>Votre référence {QUOTED_REF}</div><div>Cordialement</div></body></html>"
    )
    own, quoted = _own_and_quoted(markup)
    assert own == "Merci, où en est mon dossier ?"
    assert "Envoyé" in quoted
    assert QUOTED_REF in quoted
    assert "Cordialement" in quoted  # after an Outlook divider everything is quoted


def test_outlook_append_on_send_starts_quoted_message() -> None:
    """Outlook's #appendonsend marker starts the earlier message."""
    own, quoted = _own_and_quoted(
        f'<div>New text</div><div id="appendonsend"></div><hr><div>From: x</div><div>{QUOTED_REF}</div>'
    )
    assert own == "New text"
    assert QUOTED_REF in quoted


@pytest.mark.parametrize(
    "style",
    [
        "border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm",
        "border:none; border-top:solid #B5C4DF 1.0pt; padding:3.0pt 0in 0in 0in",
        "padding-top: 5px; border-top-color: rgb(229, 229, 229); border-top-width: 1px; border-top-style: solid;",
    ],
)
def test_outlook_border_top_header_div_starts_quoted_message(style: str) -> None:
    """A border-top div holding a "Label:" header block starts the earlier message."""
    markup = (
        f'<div class="WordSection1"><p>Thanks</p><div style="{style}">'
        "<p><b>Von:</b> Jane Doe &lt;jane@example.com&gt;<br><b>Gesendet:</b> Montag, 3. November 2026 10:02</p>"
        f"</div><p>Az {QUOTED_REF}</p></div>"
    )
    own, quoted = _own_and_quoted(markup)
    assert own == "Thanks"
    assert "Gesendet" in quoted
    assert QUOTED_REF in quoted


def test_border_top_div_without_header_is_own() -> None:
    """A border-top div that does not open with a header label (a styled signature) is own."""
    own, quoted = _own_and_quoted(
        f'<div>Hi</div><div style="border:none;border-top:solid #ccc 1pt">Anne Graham {OWN_REF}</div>'
    )
    assert OWN_REF in own
    assert quoted == ""


def test_outlook_message_header_class_starts_quoted_message() -> None:
    """Outlook 2003's div.OutlookMessageHeader starts the earlier message."""
    own, quoted = _own_and_quoted(
        f'<p>See below</p><div class="OutlookMessageHeader">From: Desk</div><p>{QUOTED_REF}</p>'
    )
    assert own == "See below"
    assert QUOTED_REF in quoted


def test_thunderbird_cite_prefix_and_blockquote_are_quoted() -> None:
    """Thunderbird's div.moz-cite-prefix attribution and its blockquote are quoted."""
    markup = (
        '<p>Thanks</p><div class="moz-cite-prefix">On 03/11/2026 10:02, Jane wrote:<br></div>'
        f'<blockquote type="cite">Ref {QUOTED_REF}</blockquote><p>Mine is {OWN_REF}</p>'
    )
    own, quoted = _own_and_quoted(markup)
    assert own == f"Thanks\nMine is {OWN_REF}"
    assert "Jane wrote:" in quoted
    assert QUOTED_REF in quoted


def test_yahoo_quoted_container_is_quoted() -> None:
    """Yahoo's yahoo_quoted container is quoted."""
    own, quoted = _own_and_quoted(
        f'<div>Thanks</div><div id="yahoo_quoted_123" class="yahoo_quoted"><div>Ref {QUOTED_REF}</div></div>'
    )
    assert own == "Thanks"
    assert QUOTED_REF in quoted


def test_original_message_divider_in_a_text_node_starts_quoted_message() -> None:
    """An "-----Original Message-----" line in the HTML starts the earlier message."""
    own, quoted = _own_and_quoted(
        f"<div>Any news?<br>-----Original Message-----<br>From: Desk<br>Ref {QUOTED_REF}</div><div>Regards</div>"
    )
    assert own == "Any news?"
    assert QUOTED_REF in quoted
    assert "Regards" in quoted


def test_german_divider_in_a_text_node_starts_quoted_message() -> None:
    """ "-----Ursprüngliche Nachricht-----" in a paragraph starts the earlier message."""
    own, quoted = _own_and_quoted(
        f"<p>Danke</p><p>-----Ursprüngliche Nachricht-----</p><p>{QUOTED_REF}</p>"
    )
    assert own == "Danke"
    assert QUOTED_REF in quoted


def test_nested_quotes_close_in_order() -> None:
    """Text between nested quote containers stays quoted until the outer one closes."""
    own, quoted = _own_and_quoted(
        "<p>top</p><blockquote>a<blockquote>b</blockquote>still quoted</blockquote><p>bottom</p>"
    )
    assert own == "top\nbottom"
    assert "still quoted" in quoted


def test_quote_marked_text_prefixes_quoted_lines() -> None:
    """The quoted part renders as "> " lines below the writer's own text."""
    text = quote_marked_text("<p>Hello</p><blockquote><p>line one</p><p>line two</p></blockquote>")
    assert text == "Hello\n> line one\n>\n> line two"


def test_segment_markup_is_the_stretch_of_html() -> None:
    """Each segment carries its stretch of markup, so a renderer can lay it out."""
    segments = split_html("<p>Hello</p><blockquote>old</blockquote>")
    assert [segment.quoted for segment in segments] == [False, True]
    assert segments[1].markup.startswith("<blockquote>")
    assert segments[0].markup == "<p>Hello</p>"


def test_scripts_styles_and_comments_are_not_text() -> None:
    """Style sheets, scripts and comments (Outlook's conditional ones too) are left out."""
    own, _ = _own_and_quoted(
        "<head><style>p{color:red}</style></head><!--[if mso]><b>x</b><![endif]-->"
        "<script>var a = 1;</script><![if !supportLists]><p>Hello</p>"
    )
    assert own == "Hello"


def test_entities_are_decoded() -> None:
    """Character references in the text are decoded (&nbsp; reads as a space)."""
    own, _ = _own_and_quoted("<p>AB12&nbsp;CDE &amp; more &lt;x&gt;</p>")
    assert own == "AB12 CDE & more <x>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<div>Hello</div>", True),
        ("Hello<br>there", True),
        ('<blockquote type="cite">x</blockquote>', True),
        ("I paid <100 pounds> and x < y", False),
        ("Plain text with a > mark", False),
    ],
)
def test_looks_like_html(text: str, expected: bool) -> None:
    """Only bodies with real HTML tags are read as HTML."""
    assert looks_like_html(text) is expected


@pytest.mark.parametrize(
    "markup",
    [
        "<!--" * 250_000,
        "<a " * 330_000,
        "</" * 500_000,
        "<![ " * 250_000,
        "<" * 1_000_000,
        "<p title='" * 100_000,
        "<blockquote>x</blockquote>y" * 35_000,
        "<div>" * 200_000,
        "<div style='border:none;border-top:solid'>" * 20_000,
    ],
    ids=[
        "comments",
        "open-tags",
        "end-opens",
        "marked-sections",
        "lt",
        "open-quotes",
        "quotes",
        "divs",
        "borders",
    ],
)
def test_hostile_markup_splits_in_linear_time(markup: str) -> None:
    """A megabyte of hostile markup splits quickly and without error (a generous bound)."""
    assert fastest(lambda: split_html(markup))[1] < 3.0


@pytest.mark.parametrize(
    "markup", ["", "<", "<div", "</div>", "<p>a</b></i></p>", "\x00<p>\ud800</p>"]
)
def test_broken_markup_never_raises(markup: str) -> None:
    """Broken or empty markup gives segments, never an exception."""
    assert isinstance(split_html(markup), tuple)


def test_unclosed_head_does_not_hide_the_body() -> None:
    """A <head> never closed (common in mail) hides only its title, not the body."""
    own, quoted = _own_and_quoted(
        "<html><head><title>T</title><meta charset=utf-8><body><p>Hello</p><blockquote>old</blockquote>"
    )
    assert own == "Hello"
    assert quoted == "old"
