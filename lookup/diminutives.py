"""True diminutives of forenames: the short forms that agree with a full name.

Section 2 of the contract lets "Bill" or "Will" agree with a record for William, and
forbids it for names that are also given in their own right: a son called Liam must not
be taken for his father William, nor Jamie for James, Jack for John, Lisa for Elizabeth
or Sandra for Alexandra. The registrations of England and Wales (ONS, "Baby names in
England and Wales", yearly) list many short forms as names in their own right (Alfie,
Archie, Ben, Billy, Charlie, Danny, Eddie, Ellie, Evie, Freddie, Harry, Jack, Jake,
Jamie, Katie, Kate, Libby, Liam, Millie, Sam, Teddy, Tommy, Alex...), so they are not
here: written alone they must match the record exactly.

Spelling variants (Stephen and Steven, Katherine and Catherine, Graham and Graeme) are
different names, not diminutives: a person writes their own name as it is registered.
"""

from __future__ import annotations

from lookup.keys import name_key

# Full name -> its short forms that are rarely registered as names in their own right.
_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "william": ("bill", "will", "willy"),
    "robert": ("bob", "rob", "bert"),
    "richard": ("dick", "rich", "rick"),
    "james": ("jim", "jimmy"),
    "michael": ("mike", "mick", "mikey"),
    "david": ("dave",),
    "stephen": ("steve",),
    "steven": ("steve",),
    "christopher": ("chris",),
    "christine": ("chris", "chrissie"),
    "thomas": ("tom",),
    "timothy": ("tim",),
    "anthony": ("tony",),
    "andrew": ("andy",),
    "daniel": ("dan",),
    "edward": ("ed", "ted"),
    "frederick": ("fred",),
    "gregory": ("greg",),
    "jonathan": ("jon",),
    "joseph": ("joe",),
    "joshua": ("josh",),
    "kenneth": ("ken",),
    "matthew": ("matt",),
    "nicholas": ("nick",),
    "patrick": ("pat", "paddy"),
    "patricia": ("pat", "trish"),
    "peter": ("pete",),
    "philip": ("phil",),
    "phillip": ("phil",),
    "ronald": ("ron",),
    "charles": ("chas",),
    "gareth": ("gaz",),
    "susan": ("sue",),
    "elizabeth": ("liz",),
    "katherine": ("kath", "kathy"),
    "kathryn": ("kath", "kathy"),
    "catherine": ("cath", "cathy"),
    "margaret": ("maggie", "peggy", "marge"),
    "rebecca": ("becky",),
    "victoria": ("vicky", "vicki"),
    "deborah": ("deb", "debbie"),
    "jennifer": ("jen",),
}

# Each name -> the names it agrees with besides itself (short <-> full, never short <-> short).
_AGREES: dict[str, frozenset[str]] = {}
for _full, _shorts in _SHORT_FORMS.items():
    _AGREES[_full] = _AGREES.get(_full, frozenset()) | frozenset(_shorts)
    for _short in _shorts:
        _AGREES[_short] = _AGREES.get(_short, frozenset()) | {_full}


def forename_variants(name: str) -> frozenset[str]:
    """The name and the names it agrees with, as name keys ("Bob" -> bob, robert)."""
    key = name_key(name)
    if not key:
        return frozenset()
    return _AGREES.get(key, frozenset()) | {key}


def forenames_agree(given: str, recorded: str) -> bool:
    """A forename as written agrees with one on the record: the same, or a true diminutive."""
    return name_key(recorded) in forename_variants(given)
