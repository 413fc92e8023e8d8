"""Where an enquiry came from, and who is asking: the two values disclosure turns on.

They live at the bottom of the package tree so that every layer names them the same way
(the contact log stores `Channel`'s values). A channel is not an audience: an officer
asks in chat, but only the chat adapter, having checked the asker against its roster,
makes them `Audience.OFFICER`; everyone else is the public.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """The channel an enquiry arrived by, as logged on its contact."""

    EMAIL = "email"
    SLACK = "slack"
    TEAMS = "teams"
    DESK = "desk"
    # A batch file's officer line (`enquiry-desk draft`, contracts.md section 2: "channel":
    # "chat"), logged as it came.
    CHAT = "chat"

    @property
    def is_chat(self) -> bool:
        """An officer's channel: answered in chat, never drafted as a letter."""
        return self in CHAT_CHANNELS


CHAT_CHANNELS = frozenset({Channel.SLACK, Channel.TEAMS, Channel.CHAT})


class Audience(StrEnum):
    """Who a match is decided for (contracts.md, section 2).

    Only `OFFICER` relaxes the rules, and `lookup.decide` compares by identity: any other
    value, a misspelt string included, is the public.
    """

    PUBLIC = "public"
    OFFICER = "officer"
