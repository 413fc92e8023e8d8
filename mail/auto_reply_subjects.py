"""Subject lines that mail systems put on their automatic replies and reports.

Many out-of-office replies carry no `Auto-Submitted` header (Exchange's own, older Lotus
and GroupWise, most webmail vacation responders), so the subject is the one witness left.
Only the start of the subject counts, and only before any "Re:" or "Fwd:" a person
added: "Automatic reply: your ticket" is a responder, "Re: Automatic reply: your
ticket" is a person answering one (who may well be asking a question).

The prefixes are those the common systems write in English, Welsh, French, German,
Spanish, Italian, Dutch and Polish (Outlook/Exchange, Gmail, Apple Mail, Thunderbird,
Postfix and Exim, whose bounce subjects are listed too). They are matched without case
and without accents, so "Réponse automatique" and "Reponse automatique" both count.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["auto_subject"]

# (prefix, what it is): "auto_reply", "bounce" or "receipt".
_PREFIXES: tuple[tuple[str, str], ...] = (
    # English
    ("automatic reply", "auto_reply"),
    ("auto reply", "auto_reply"),
    ("auto-reply", "auto_reply"),
    ("autoreply", "auto_reply"),
    ("auto response", "auto_reply"),
    ("autoresponse", "auto_reply"),
    ("automated response", "auto_reply"),
    ("out of office", "auto_reply"),
    ("out of the office", "auto_reply"),
    ("away from the office", "auto_reply"),
    ("on leave:", "auto_reply"),
    ("vacation reply", "auto_reply"),
    ("undeliverable", "bounce"),
    ("undelivered mail returned to sender", "bounce"),
    ("delivery status notification", "bounce"),
    ("delivery failure", "bounce"),
    ("mail delivery failed", "bounce"),
    ("mail delivery failure", "bounce"),
    ("returned mail", "bounce"),
    ("failure notice", "bounce"),
    ("mail system error", "bounce"),
    ("delayed mail", "bounce"),
    ("read:", "receipt"),
    ("read receipt", "receipt"),
    ("delivered:", "receipt"),
    ("not read:", "receipt"),
    # Welsh
    ("ateb awtomatig", "auto_reply"),
    ("ymateb awtomatig", "auto_reply"),
    ("allan o'r swyddfa", "auto_reply"),
    ("allan or swyddfa", "auto_reply"),
    # French
    ("reponse automatique", "auto_reply"),
    ("absence du bureau", "auto_reply"),
    ("absent du bureau", "auto_reply"),
    ("message d'absence", "auto_reply"),
    ("non remis", "bounce"),
    ("lu :", "receipt"),
    ("lu:", "receipt"),
    # German
    ("automatische antwort", "auto_reply"),
    ("abwesenheitsnotiz", "auto_reply"),
    ("abwesend", "auto_reply"),
    ("unzustellbar", "bounce"),
    ("gelesen:", "receipt"),
    # Spanish
    ("respuesta automatica", "auto_reply"),
    ("fuera de la oficina", "auto_reply"),
    ("no se puede entregar", "bounce"),
    ("leido:", "receipt"),
    # Italian
    ("risposta automatica", "auto_reply"),
    ("fuori sede", "auto_reply"),
    ("fuori ufficio", "auto_reply"),
    ("non recapitabile", "bounce"),
    ("letto:", "receipt"),
    # Dutch
    ("automatisch antwoord", "auto_reply"),
    ("afwezig", "auto_reply"),
    ("niet bezorgd", "bounce"),
    ("onbestelbaar", "bounce"),
    ("gelezen:", "receipt"),
    # Polish
    ("odpowiedz automatyczna", "auto_reply"),
    ("automatyczna odpowiedz", "auto_reply"),
    ("poza biurem", "auto_reply"),
    ("nieobecnosc", "auto_reply"),
    ("niedostarczona", "bounce"),
    ("przeczytano:", "receipt"),
    ("przeczytane:", "receipt"),
)

# A person's reply or forward prefix: after one of these the subject is theirs.
_PERSON_PREFIX = re.compile(r"^(re|aw|sv|vs|antw|rif|r|tr|fw|fwd|wg|rv|enc|odp|pd|ynt)\s*:", re.I)


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def auto_subject(subject: str) -> str | None:
    """ "auto_reply", "bounce" or "receipt" when the subject starts as a mail system's
    automatic message does, else None."""
    head = _plain(subject)[:80]
    if not head or _PERSON_PREFIX.match(head):
        return None
    for prefix, what in _PREFIXES:
        if head.startswith(prefix):
            rest = head[len(prefix) : len(prefix) + 1]
            # A whole word or phrase: "Read: x" and "Abwesend" count, "Readiness" does not.
            if prefix.endswith(":") or not rest or not rest.isalnum():
                return what
    return None
