"""Who may ask about cases (officers) and who may act on drafts (clerks), from settings.

Officers are listed as chat user ids, each optionally mapped to a collar number
(`U024BE7LH=8656`); a Slack user group id (`S...`, a "subteam") admits its members, whose
collar number is unknown and so stands as their user id. Clerks are plain user ids.
Anyone not listed is refused, whatever they write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lookup.errors import EnquiryDeskError


class RosterError(EnquiryDeskError):
    """An officer or clerk entry in the settings cannot be read."""


@dataclass(frozen=True, slots=True)
class Roster:
    officers: dict[str, str]  # user id -> collar number
    officer_groups: frozenset[str]
    clerks: frozenset[str]

    def collar(self, user_id: str) -> str | None:
        """The collar number of a listed officer, else None (group members are checked
        by the adapter, which knows how to ask its platform)."""
        return self.officers.get(user_id)

    def is_clerk(self, user_id: str) -> bool:
        return user_id in self.clerks

    def users_with_collar(self, collar: str) -> list[str]:
        """The listed users whose collar number is `collar` (a record's officer in the
        case); entries given without a collar number never match."""
        wanted = collar.strip()
        return sorted(u for u, c in self.officers.items() if c == wanted and c != u)


def parse_roster(
    officers: Iterable[str], clerks: Iterable[str], *, group_prefix: str | None = None
) -> Roster:
    """Read OFFICERS entries (`USER`, `USER=COLLAR`, or a group id starting with
    `group_prefix`) and CLERKS entries (`USER`)."""
    named: dict[str, str] = {}
    groups: set[str] = set()
    for entry in officers:
        user, _, collar = (part.strip() for part in entry.partition("="))
        if not user:
            raise RosterError(f"an officer entry has no user id: {entry!r}")
        if group_prefix and user.startswith(group_prefix) and not collar:
            groups.add(user)
        else:
            named[user] = collar or user
    clerk_ids = frozenset(c.strip() for c in clerks if c.strip())
    if any("=" in c for c in clerk_ids):
        raise RosterError("clerk entries are plain user ids, without '='")
    return Roster(officers=named, officer_groups=frozenset(groups), clerks=clerk_ids)
