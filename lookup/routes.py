"""Where an answer goes: a draft's route, and the route `enquiry-desk draft` reports.

Two sets because they answer two questions. A draft is for a clerk to approve as a
letter, or a note about a partner's mail; the contract's route (contracts.md, section 3)
says what became of an enquiry, where a partner's note still "waits for a clerk". They
live at the bottom of the tree because the composer (`responses/`) picks a draft's route
and `storage/` keeps it.
"""

from __future__ import annotations

from enum import StrEnum


class DraftRoute(StrEnum):
    """Who a draft is for."""

    CLERK = "clerk"  # a letter to the public, approved by a clerk before it is sent
    PARTNER = "partner"  # mail from a partner agency: a clerk answers through the partners' route


class OutcomeRoute(StrEnum):
    """What became of one enquiry, in the contract's words (section 3)."""

    CLERK = "clerk"  # a draft waits for a clerk
    CHAT = "chat"  # answered in chat (an officer, or a refusal)
    NONE = "none"  # logged only: flagged mail, or a redelivery with nothing drafted

    @classmethod
    def of_draft(cls, route: DraftRoute) -> OutcomeRoute:
        """The contract's route of an enquiry that got a draft on `route`."""
        # Matched exhaustively, so mypy asks about any route added to `DraftRoute`.
        match route:
            case DraftRoute.CLERK | DraftRoute.PARTNER:
                # A partner's note waits for a clerk too: the contract has no other word.
                return cls.CLERK
