"""From an enquiry's text to the evidence the matcher weighs.

What counts as the writer's own: identifiers in the text they wrote now, and their name
and details in their sign-off. A reference in quoted earlier mail, in a signature (a
solicitor's "our ref", say) or in the subject of a reply or a forward (copied from the
message answered) is kept as a hint that never verifies anyone.
"""

from __future__ import annotations

import re
from datetime import date

from lookup.diminutives import forename_variants
from lookup.evidence import Evidence, NameSeen, ReferenceSeen
from lookup.extract import SCAN_LIMIT, extract
from lookup.keys import email_key, name_key
from lookup.kind_hints import kind_hints
from lookup.third_party import third_party

# Reply and forward prefixes of subject lines, in the languages of mail clients
# (Re, Fwd, Fw; German AW and WG, French TR, Dutch Antw and Doorst, Welsh Ateb, Swedish
# SV, Danish/Norwegian VS, Finnish VL, Polish Odp and PD, Italian R and I, Spanish RV,
# Portuguese Enc, Romanian Răspuns), possibly repeated or numbered ("Re[2]:").
_REPLY_SUBJECT = re.compile(
    r"\A[ \t]*(?:(?:re|fwd?|aw|wg|tr|antw|doorst|ateb|sv|vs|vl|odp|pd|r|i|rv|enc|răspuns)"
    r"(?:\[[0-9]{1,3}\])?[ \t]?:[ \t]*)",
    re.IGNORECASE,
)

# How names are given that make them the writer's own, not someone they mention.
_OWN_NAME = frozenset({"my_name_is", "sign_off"})
# How a name of one word is given that makes it worth keeping: the writer's own, or the
# one word before a date of birth ("any update on waller dob ..."), surname or forename.
_WORD_ALONE = _OWN_NAME | {"before_dob"}


def evidence_from_text(
    text: str,
    *,
    sender: str | None,
    subject: str = "",
    today: date | None = None,
    sender_authenticated: bool = False,
) -> Evidence:
    """`sender` counts (section 2) only with `sender_authenticated`: the receiving mail
    server of the force said the From domain passed DMARC."""
    if subject and _REPLY_SUBJECT.match(subject):
        # The subject of a reply is the earlier message's: quoted, not the writer's words.
        body = f"{text}\n\n> {subject}"
    else:
        body = f"{subject}\n\n{text}" if subject else text
    found = extract(body, today=today)
    own = ("own", "signature")
    references = tuple(
        ReferenceSeen(key=r.key, fold=r.folded, quoted=r.source != "own") for r in found.references
    )
    plates: list[str] = []
    for plate in found.plates:
        if plate.source in own:
            plates.extend(k for k in (plate.key, plate.corrected) if k not in plates)
    names = tuple(
        NameSeen(
            surname_key=n.surname_key,
            forename_keys=frozenset(k for f in n.forenames for k in forename_variants(f)),
            initials=frozenset(n.initials.lower()),
            forenames=tuple(key for key in (name_key(f) for f in n.forenames) if key),
            own=n.how in _OWN_NAME,
        )
        for n in found.names
        if n.source in own and (n.surname_key or (n.how in _WORD_ALONE and n.forenames))
    )
    return Evidence(
        references=references,
        plates=tuple(plates),
        names=names,
        dobs=tuple(dict.fromkeys(d.value for d in found.dates_of_birth if d.source in own)),
        postcodes=tuple(dict.fromkeys(p.key for p in found.postcodes if p.source in own)),
        sender=email_key(sender) if sender and sender_authenticated else None,
        dates=tuple(
            dict.fromkeys((d.day, d.month, d.year) for d in found.dates if d.source in own)
        ),
        kinds=kind_hints(f"{subject}\n{found.parts.own}"),
        third_party=third_party(found.parts.own[:SCAN_LIMIT]),
    )
