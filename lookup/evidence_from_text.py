"""From an enquiry's text to the evidence the matcher weighs.

What counts as the writer's own: identifiers in the text they wrote now, and their name
and details in their sign-off. A reference in quoted earlier mail, or in a signature (a
solicitor's "our ref", say), is kept as a hint that never verifies anyone.
"""

from __future__ import annotations

from datetime import date

from lookup.evidence import Evidence, NameSeen, ReferenceSeen
from lookup.extract import extract
from lookup.extract_names import forename_variants
from lookup.keys import email_key
from lookup.kind_hints import kind_hints


def evidence_from_text(
    text: str, *, sender: str | None, subject: str = "", today: date | None = None
) -> Evidence:
    found = extract(f"{subject}\n\n{text}" if subject else text, today=today)
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
        )
        for n in found.names
        if n.source in own and n.surname_key
    )
    return Evidence(
        references=references,
        plates=tuple(plates),
        names=names,
        dobs=tuple(dict.fromkeys(d.value for d in found.dates_of_birth if d.source in own)),
        postcodes=tuple(dict.fromkeys(p.key for p in found.postcodes if p.source in own)),
        sender=email_key(sender) if sender else None,
        dates=tuple(
            dict.fromkeys((d.day, d.month, d.year) for d in found.dates if d.source in own)
        ),
        kinds=kind_hints(f"{subject}\n{found.parts.own}"),
    )
