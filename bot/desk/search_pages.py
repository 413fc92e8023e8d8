"""Searching contacts, and the whole contact history of a person or of a record."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from bot.desk.auth import Guard
from bot.desk.config import DeskConfig
from bot.desk.render import problem, render
from storage.contact_search import (
    ContactHit,
    FoundRecord,
    SearchResult,
    drafts_of_contact,
    get_contact,
    person_history,
    record_history,
    record_summary,
    search_contacts,
)
from storage.engine import Engine
from storage.users import SignedIn, note_desk_action


def router(engine: Engine, config: DeskConfig, guard: Guard) -> APIRouter:
    routes = APIRouter()
    clerk = Annotated[SignedIn, Depends(guard.needs("clerk"))]

    @routes.get("/search")
    def search(request: Request, user: clerk, q: str = "") -> Response:
        result = search_contacts(engine, q) if q.strip() else SearchResult("", (), ())
        if q.strip():
            # The query itself may be a name: the trail keeps only how much was found.
            note_desk_action(
                engine,
                actor=user.account.name,
                action="contact.searched",
                entity="contact",
                now=config.clock(),
                detail={"contacts": len(result.contacts), "records": len(result.records)},
            )
        template = "search_results.html" if request.headers.get("hx-request") else "search.html"
        return render(request, template, q=q, result=result)

    def history(
        request: Request,
        user: SignedIn,
        heading: str,
        contacts: list[ContactHit],
        record: FoundRecord | None = None,
    ) -> Response:
        """A history page, its viewing noted by how much it showed (a party's name is
        personal data, so only the counts and the record id go in the trail)."""
        note_desk_action(
            engine,
            actor=user.account.name,
            action="contact.history_viewed",
            entity="record" if record else "contact",
            entity_id=record.id if record else None,
            now=config.clock(),
            detail={"contacts": len(contacts), "of": "record" if record else "person"},
        )
        return render(request, "history.html", heading=heading, record=record, contacts=contacts)

    @routes.get("/history/person")
    def person(request: Request, user: clerk, party: str = "") -> Response:
        contacts = person_history(engine, party) if party.strip() else []
        return history(request, user, f"Contacts with {party}", contacts)

    @routes.get("/history/record/{record_id}")
    def record(request: Request, record_id: int, user: clerk) -> Response:
        summary = record_summary(engine, record_id)
        if summary is None:
            return problem(request, 404, "No such record", f"There is no record {record_id}.")
        heading = f"Contacts about {summary.kind.upper()} {summary.reference}"
        return history(request, user, heading, record_history(engine, record_id), record=summary)

    @routes.get("/contacts/{contact_id}")
    def contact(request: Request, contact_id: int, user: clerk) -> Response:
        found = get_contact(engine, contact_id)
        if found is None:
            return problem(
                request,
                404,
                "No such contact",
                f"There is no contact {contact_id}. It may have been purged.",
            )
        note_desk_action(
            engine,
            actor=user.account.name,
            action="contact.viewed",
            entity="contact",
            entity_id=contact_id,
            now=config.clock(),
        )
        record = record_summary(engine, found.record_id) if found.record_id else None
        return render(
            request,
            "contact.html",
            contact=found,
            record=record,
            drafts=drafts_of_contact(engine, contact_id),
        )

    return routes
