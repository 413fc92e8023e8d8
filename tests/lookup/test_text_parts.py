"""Splitting a message body into own words, quoted mail and signature."""

from __future__ import annotations

import pytest

from lookup.text_parts import MessageParts, split_message
from tests.bounds import fastest


def test_empty_text_gives_three_empty_parts() -> None:
    """An empty body splits into empty parts without error."""
    assert split_message("") == MessageParts(own="", quoted="", signature="")


def test_plain_message_is_all_own() -> None:
    """A body with no quoting or signature is all the writer's own text."""
    parts = split_message("Hello,\n\nWhere is my ticket?\n")
    assert parts == MessageParts(own="Hello,\n\nWhere is my ticket?", quoted="", signature="")


def test_gmail_on_wrote_line_starts_quoted_text() -> None:
    """Everything from a Gmail "On <date>, <name> wrote:" line on is quoted."""
    text = "My ref is 4247250185.\n\nOn Mon, 3 Nov 2026 at 10:02, Jane Doe <jane@example.com> wrote:\n> Old text\n"
    parts = split_message(text)
    assert parts.own == "My ref is 4247250185."
    assert parts.quoted.startswith("On Mon, 3 Nov 2026")
    assert "Old text" in parts.quoted


def test_gmail_on_wrote_line_wrapped_over_two_lines() -> None:
    """A Gmail attribution wrapped onto a second line still starts the quote."""
    text = "Thanks\n\nOn Tue, 4 Nov 2026 at 09:00, Jane Smith <\njane@example.com> wrote:\n> SR259476606"
    parts = split_message(text)
    assert parts.own == "Thanks"
    assert "SR259476606" in parts.quoted


def test_outlook_original_message_separator() -> None:
    """An Outlook "-----Original Message-----" line starts the quoted text."""
    parts = split_message("Any news?\n\n-----Original Message-----\nFrom: Desk\nSent: 1 Nov\nRef X")
    assert parts.own == "Any news?"
    assert parts.quoted.startswith("-----Original Message-----")


@pytest.mark.parametrize("second", ["Sent: 01 November 2026 10:00", "Date: 01 November 2026"])
def test_outlook_header_block_starts_quoted_text(second: str) -> None:
    """An Outlook "From: ... Sent:/Date: ..." header block starts the quoted text."""
    text = f"Any news?\n\nFrom: Enquiry Desk <desk@example.police.uk>\n{second}\nTo: me\n\nRef P427358947"
    parts = split_message(text)
    assert parts.own == "Any news?"
    assert parts.quoted.startswith("From: Enquiry Desk")
    assert "P427358947" in parts.quoted


def test_from_line_without_header_block_is_own_text() -> None:
    """A lone "From:" in the writer's text is not mistaken for a quoted header."""
    parts = split_message("From: 29 September I have been waiting.")
    assert parts.own == "From: 29 September I have been waiting."
    assert parts.quoted == ""


def test_underscore_rule_starts_quoted_text() -> None:
    """A line of underscores (Outlook's separator) starts the quoted text."""
    parts = split_message("Any news?\n________________________________\nFrom: x\nref 42CW2184524")
    assert parts.own == "Any news?"
    assert "42CW2184524" in parts.quoted


def test_angle_quoted_lines_are_quoted_and_marks_removed() -> None:
    """Lines starting with ">" go to quoted without their marks; replies between stay own."""
    parts = split_message("see below\n> quoted SR259476606\n>> older\nmy own DA72302079\n")
    assert parts.own == "see below\nmy own DA72302079"
    assert parts.quoted == "quoted SR259476606\nolder"


@pytest.mark.parametrize("delimiter", ["--", "-- "])
def test_signature_delimiter_keeps_name_in_signature(delimiter: str) -> None:
    """After a "--" or "-- " line comes the signature, the sign-off name included."""
    parts = split_message(f"Hello\n\n{delimiter}\nWendy Williamson\nThis email is confidential.")
    assert parts.own == "Hello"
    assert parts.signature == "Wendy Williamson\nThis email is confidential."


def test_double_dash_inside_a_line_is_not_a_delimiter() -> None:
    """A "--" within a sentence does not start a signature."""
    parts = split_message("I paid -- twice -- already.")
    assert parts.own == "I paid -- twice -- already."
    assert parts.signature == ""


@pytest.mark.parametrize(
    "footer",
    ["Sent from my iPhone", "Sent from my Samsung Galaxy smartphone.", "Get Outlook for iOS"],
)
def test_mobile_footer_is_signature(footer: str) -> None:
    """Mobile footers start the signature; the closing above them stays own."""
    parts = split_message(f"Where is it?\n\nKind regards,\nBen Smith\n{footer}")
    assert parts.own == "Where is it?\n\nKind regards,\nBen Smith"
    assert parts.signature == footer


def test_disclaimer_is_signature() -> None:
    """A confidentiality disclaimer is part of the signature, not the writer's words."""
    text = "Ref 4247250185 please.\n\nThis email and any attachments are confidential and intended solely for the addressee."
    parts = split_message(text)
    assert parts.own == "Ref 4247250185 please."
    assert parts.signature.startswith("This email and any attachments")


def test_simple_closing_stays_own() -> None:
    """A closing with name and phone and no delimiter stays in the writer's own text."""
    text = "Dear Sir/Madam,\n\nStatus please.\n\nRegards\nKarl Colin Watson\n07700 900694"
    parts = split_message(text)
    assert parts.own == text
    assert parts.signature == ""


def test_signature_then_quote() -> None:
    """A signature followed by quoted mail splits into all three parts."""
    text = "Thanks\nSent from my iPhone\n\nOn 1 Nov 2026, at 10:00, Bob wrote:\n\n> ref SR259476606"
    parts = split_message(text)
    assert parts.own == "Thanks"
    assert parts.signature == "Sent from my iPhone"
    assert parts.quoted.endswith("ref SR259476606")


def test_crlf_line_endings() -> None:
    """CRLF and lone CR line endings split exactly like LF."""
    text = "Hi\r\n\r\n--\r\nWendy\r\n"
    assert split_message(text) == split_message(text.replace("\r\n", "\n"))
    assert split_message("Hi\r--\rWendy").signature == "Wendy"


@pytest.mark.parametrize(
    "body",
    [
        "a" * 1_000_000,
        "On Mon wrote\n" * 80_000,
        "From: a\n" * 120_000,
        "> x\n" * 250_000,
        "-" * 1_000_000,
        "😀 שלום مرحبا\u202e\n" * 60_000,
    ],
    ids=["letters", "on-lines", "from-lines", "quoted-lines", "dashes", "emoji-rtl"],
)
def test_huge_bodies_split_in_linear_time(body: str) -> None:
    """A megabyte of pathological text splits quickly (a generous bound, not a benchmark)."""
    assert fastest(lambda: split_message(body))[1] < 1.0


QUOTED_REF = "1111111111"
OWN_REF = "4247250185"


@pytest.mark.parametrize(
    "header",
    [
        "On Mon, 3 Nov 2026 at 10:02, Jane Doe <jane@example.com> wrote:",
        "Ar Llun, 3 Tach 2026 am 10:02 Jane Doe <jane@example.com> ysgrifennodd:",
        "Le lun. 3 nov. 2026 à 10:02, Jane Doe <jane@example.com> a écrit :",
        "Am Mo., 3. Nov. 2026 um 10:02 Uhr schrieb Jane Doe <jane@example.com>:",
        "El lun, 3 nov 2026 a las 10:02, Jane Doe (<jane@example.com>) escribió:",
        "Il giorno lun 3 nov 2026 alle ore 10:02 Jane Doe <jane@example.com> ha scritto:",
        "Op ma 3 nov. 2026 om 10:02 schreef Jane Doe <jane@example.com>:",
        "W dniu 3.11.2026 o 10:02, Jan Kowalski <jan@example.com> pisze:",
        "W dniu pon., 3 lis 2026 o 10:02 Jan Kowalski <jan@example.com> napisał(a):",
        "Em seg., 3 de nov. de 2026 às 10:02, Jane Doe <jane@example.com> escreveu:",
        "În lun., 3 nov. 2026 la 10:02, Jane Doe <jane@example.com> a scris:",
    ],
    ids=["en", "cy", "fr", "de", "es", "it", "nl", "pl-pisze", "pl-napisal", "pt", "ro"],
)
def test_reply_headers_in_ten_languages_start_quoted_text(header: str) -> None:
    """A localised "On … wrote:" header and the ">" lines after it are quoted."""
    parts = split_message(f"Thanks, my ref is {OWN_REF}.\n\n{header}\n> Your ref {QUOTED_REF}\n")
    assert parts.own == f"Thanks, my ref is {OWN_REF}."
    assert parts.quoted.startswith(header[:10])
    assert QUOTED_REF in parts.quoted


@pytest.mark.parametrize(
    "header",
    [
        "Le lun. 3 nov. 2026 à 10:02, Jane Doe <\njane@example.com> a écrit :",
        "Am Mo., 3. Nov. 2026 um 10:02 Uhr schrieb Jane Doe\n<jane@example.com>:",
        "W dniu 3.11.2026 o 10:02, Jan Kowalski <jan@example.com>\nnapisał(a):",
    ],
    ids=["fr", "de", "pl"],
)
def test_reply_header_wrapped_over_two_lines(header: str) -> None:
    """A localised reply header wrapped onto a second line still starts the quote."""
    parts = split_message(f"Merci\n\n{header}\n> {QUOTED_REF}")
    assert parts.own == "Merci"
    assert QUOTED_REF in parts.quoted


def test_reply_header_without_marks_quotes_everything_after() -> None:
    """With no ">" marks after a reply header, everything from it on is quoted."""
    parts = split_message(
        f"Reply\n\nLe 3 nov. 2026 à 10:02, Jane <jane@example.com> a écrit :\n\nRéf {QUOTED_REF}"
    )
    assert parts.own == "Reply"
    assert QUOTED_REF in parts.quoted


def test_bottom_posted_reply_is_own() -> None:
    """Text written below a ">" block after its reply header is the writer's."""
    text = f"On Mon, 3 Nov 2026, Desk <desk@example.com> wrote:\n> What is your ref?\n> {QUOTED_REF}\n\nMine is {OWN_REF}.\n"
    parts = split_message(text)
    assert parts.own == f"Mine is {OWN_REF}."
    assert QUOTED_REF in parts.quoted


def test_inline_replies_keep_both_sides() -> None:
    """Answers between quoted lines are own; each quoted line is quoted."""
    text = (
        "Am 3. Nov. 2026 um 10:02 schrieb Desk <desk@example.com>:\n"
        f"> Ihr Aktenzeichen {QUOTED_REF}?\nNein, meins ist {OWN_REF}.\n> Kennzeichen?\nAB12 CDE\n"
    )
    parts = split_message(text)
    assert parts.own == f"Nein, meins ist {OWN_REF}.\nAB12 CDE"
    assert QUOTED_REF in parts.quoted
    assert "Kennzeichen?" in parts.quoted


def test_bare_attribution_counts_only_before_marks() -> None:
    """A "<address> wrote:" line with no opening word is a header only above ">" lines."""
    quoted = split_message(f"Hi\n\nJane Doe <jane@example.com> wrote:\n> {QUOTED_REF}")
    assert quoted.own == "Hi"
    assert "Jane Doe" in quoted.quoted
    sentence = split_message("I sent it to desk@example.com and wrote:\nplease check 2026.")
    assert sentence.quoted == ""


def test_attribution_line_above_marks_is_quoted() -> None:
    """An attribution line with an address or a time just above ">" lines is quoted."""
    parts = split_message(
        f'Hi\n\n26.06.2014, 14:41, "Alexander L" <abc@example.com>:\n> {QUOTED_REF}'
    )
    assert parts.own == "Hi"
    assert parts.quoted.startswith("26.06.2014")


def test_german_original_message_divider() -> None:
    """ "-----Ursprüngliche Nachricht-----" starts the quoted text."""
    parts = split_message(
        f"Danke\n\n-----Ursprüngliche Nachricht-----\nVon: Desk\nGesendet: 1 Nov\nAz {QUOTED_REF}"
    )
    assert parts.own == "Danke"
    assert parts.quoted.startswith("-----Ursprüngliche Nachricht-----")
    assert QUOTED_REF in parts.quoted


@pytest.mark.parametrize(
    "divider",
    [
        "-----Message d'origine-----",
        "-----Mensaje original-----",
        "---------- Forwarded message ---------",
        "-------- Message transféré --------",
        "----- Neges Wreiddiol -----",
        "Begin forwarded message:",
        "Début du message réexpédié :",
        "Anfang der weitergeleiteten Nachricht:",
        "Inizio messaggio inoltrato:",
    ],
)
def test_dividers_in_several_languages_quote_everything_after(divider: str) -> None:
    """A divider line, in any of the usual languages, quotes all that follows."""
    parts = split_message(f"See below\n\n{divider}\nRef {QUOTED_REF}\n\nKind regards")
    assert parts.own == "See below"
    assert QUOTED_REF in parts.quoted
    assert "Kind regards" in parts.quoted


@pytest.mark.parametrize(
    "block",
    [
        "De : Jane Doe <jane@example.com>\nEnvoyé : lundi 3 novembre 2026 10:02\nÀ : Desk\nObjet : RE: amende",
        "Von: Jane Doe <jane@example.com>\nGesendet: Montag, 3. November 2026 10:02\nAn: Desk\nBetreff: AW: Strafe",
        "Oddi wrth: Jane Doe <jane@example.com>\nAnfonwyd: 03 Tachwedd 2026 10:02\nAt: Desk\nPwnc: tocyn",
        "Od: Jan Kowalski <jan@example.com>\nWysłano: poniedziałek, 3 listopada 2026 10:02\nDo: Desk\nTemat: mandat",
        "Van: Jane Doe <jane@example.com>\nVerzonden: maandag 3 november 2026 10:02\nAan: Desk\nOnderwerp: boete",
        "Da: Jane Doe <jane@example.com>\nInviato: lunedì 3 novembre 2026 10:02\nA: Desk\nOggetto: multa",
        "De: Jane Doe <jane@example.com>\nEnviado: segunda-feira, 3 de novembro de 2026 10:02\nPara: Desk\nAssunto: multa",
        "De: Jane Doe <jane@example.com>\nTrimis: luni, 3 noiembrie 2026 10:02\nCătre: Desk\nSubiect: amendă",
        "De: Jane Doe\nEnviado el: lunes, 3 de noviembre de 2026 10:02\nPara: Desk\nAsunto: multa",
        "*From:* Jane Doe <jane@example.com>\n*Sent:* Monday, 3 November 2026 10:02\n*To:* Desk\n*Subject:* fine",
    ],
    ids=["fr", "de", "cy", "pl", "nl", "it", "pt", "ro", "es-no-address", "en-bold"],
)
def test_outlook_header_block_in_any_language_quotes_everything_after(block: str) -> None:
    """An Outlook From/Sent/To/Subject block, recognised by shape, quotes all after it."""
    parts = split_message(f"Any news?\n\n{block}\n\nRef {QUOTED_REF}\nRegards")
    assert parts.own == "Any news?"
    assert parts.quoted.startswith(block.split("\n")[0])
    assert QUOTED_REF in parts.quoted


def test_writer_details_are_not_a_header_block() -> None:
    """The writer's own "Name: / Email: / Reference:" lines stay own, though shaped alike."""
    text = f"Hello\n\nName: Anne Graham\nEmail: anne@example.com\nReference: {OWN_REF}\nDate of birth: 12/03/1958"
    parts = split_message(text)
    assert parts.own == text
    assert parts.quoted == ""


def test_label_lines_without_address_or_time_are_own() -> None:
    """ "Label: value" lines with no address or time of day are not a header block."""
    text = "Summary:\nWhere: High Street\nWhen: last Monday\nWhat: parking"
    assert split_message(text).own == text


@pytest.mark.parametrize(
    "footer",
    [
        "Envoyé de mon iPhone",
        "Von meinem iPhone gesendet",
        "Enviado desde mi iPhone",
        "Anfonwyd o fy iPhone",
    ],
)
def test_localised_mobile_footers_are_signature(footer: str) -> None:
    """Mobile footers in other languages start the signature too."""
    parts = split_message(f"Où en est {OWN_REF} ?\n\n{footer}")
    assert parts.own == f"Où en est {OWN_REF} ?"
    assert parts.signature == footer


def test_html_input_is_split_by_structure() -> None:
    """An HTML body (the batch input may be HTML) is split by its quote containers."""
    text = (
        f'<div dir="ltr">Merci, ma référence est {OWN_REF}</div><div class="gmail_quote">'
        '<div class="gmail_attr">Le lun. 3 nov. 2026, Jane a écrit :</div>'
        f"<blockquote>Dossier {QUOTED_REF}</blockquote></div>"
    )
    parts = split_message(text)
    assert parts.own == f"Merci, ma référence est {OWN_REF}"
    assert QUOTED_REF in parts.quoted
    assert "<" not in parts.quoted


def test_html_french_outlook_reply_quotes_the_earlier_message() -> None:
    """An HTML French Outlook reply: the reference after divRplyFwdMsg is quoted."""
    text = (
        '<html><body><p>Bonjour, des nouvelles ?</p><div id="divRplyFwdMsg"><b>De :</b> Jane Doe '
        "&lt;jane@example.com&gt;<br><b>Envoyé :</b> lundi 3 novembre 2026 10:02<br><b>À :</b> Desk<br>"
        f"<b>Objet :</b> amende</div><p>Référence {QUOTED_REF}</p></body></html>"
    )
    parts = split_message(text)
    assert parts.own == "Bonjour, des nouvelles ?"
    assert QUOTED_REF in parts.quoted
    assert QUOTED_REF not in parts.own + parts.signature


@pytest.mark.parametrize(
    "body",
    [
        ("Hello there, this is an ordinary line of prose at 12:30 about things.\n") * 15_000,
        "Le 3 a écrit :\n" * 70_000,
        "On a wrote:\n> x\ny\n" * 50_000,
        ("On 1 " + "wrote " * 40 + ":\n") * 4_000,
        "a:\n" * 330_000,
        "De : a@b.example\n" * 60_000,
        "<div>" + "<blockquote>x</blockquote>y" * 30_000,
    ],
    ids=["prose", "fr-headers", "inline", "verbs", "colons", "fields", "html"],
)
def test_more_huge_bodies_split_in_linear_time(body: str) -> None:
    """Bodies aimed at the new header rules also split quickly (a generous bound)."""
    assert fastest(lambda: split_message(body))[1] < 2.0


@pytest.mark.parametrize(
    "header",
    [
        "Den 14 september, 2015 02:23:18, Valentino Rudy (valentino@rudy.be) skrev:",
        "Op 17-feb.-2015, om 13:18 heeft Julius Caesar <pantheon@rome.com> het volgende geschreven:",
        "On Nov 30, 2011, at 12:47 PM, Somebody <\n416ffd@somebody.example>\nwrote:",
    ],
    ids=["sv", "nl-apple", "three-lines"],
)
def test_more_reply_header_shapes_quote_everything_after(header: str) -> None:
    """Scandinavian and Apple-Dutch headers, and one wrapped over three lines, start the quote."""
    parts = split_message(f"Lorem\n\n{header}\n\nRef {QUOTED_REF}")
    assert parts.own == "Lorem"
    assert QUOTED_REF in parts.quoted


@pytest.mark.parametrize(
    "attribution",
    [
        "2014-10-17 11:28 GMT+03:00 Postmaster <\npostmaster@example.com>:",
        "2011/4/7 Nathan Nova <support@example.com>",
        '02.04.2012 14:20 пользователь "bob@example.com" <bob@example.com> написал:',
    ],
    ids=["wrapped", "no-colon", "ru"],
)
def test_attribution_lines_above_marks_go_with_the_quote(attribution: str) -> None:
    """An attribution above ">" lines, wrapped or without a colon, is quoted with them."""
    parts = split_message(f"Test reply\n\n{attribution}\n\n> Ref {QUOTED_REF}\n")
    assert parts.own == "Test reply"
    assert QUOTED_REF in parts.quoted
