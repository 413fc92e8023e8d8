"""For supervisors: the dashboard (SVG charts, CSV export) and subject access exports."""

import csv
import io
import json
import statistics
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from bot.desk import charts
from bot.desk.auth import Guard
from bot.desk.config import DeskConfig
from bot.desk.render import render
from storage.dashboard_figures import Figures, dashboard_figures
from storage.engine import Engine
from storage.errors import StorageError
from storage.subject_access import Person, gather, note_export
from storage.users import SignedIn, note_desk_action

PERIODS = (7, 28, 91)


def router(engine: Engine, config: DeskConfig, guard: Guard) -> APIRouter:
    routes = APIRouter()
    supervisor = Annotated[SignedIn, Depends(guard.needs("supervisor"))]

    def figures(days: int) -> Figures:
        days = days if days in PERIODS else 28
        return dashboard_figures(engine, today=config.clock().date(), days=days)

    @routes.get("/dashboard")
    def dashboard(request: Request, user: supervisor, days: int = 28) -> Response:
        shown = figures(days)
        channels = sorted(shown.enquiries_by_channel)
        series = {name: shown.enquiries_by_channel[name] for name in channels}
        waits = [h for h in shown.reply_hours if h is not None]
        return render(
            request,
            "dashboard.html",
            f=shown,
            days=len(shown.days),
            periods=PERIODS,
            channels=channels,
            enquiries_total=sum(sum(v) for v in series.values()),
            median_wait=statistics.median(waits) if waits else None,
            enquiries_chart=charts.stacked_bars(
                "enquiries", "Enquiries per day by channel", shown.days, series
            ),
            backlog_chart=charts.lines(
                "backlog", "Open drafts at the end of each day", shown.days, {"open": shown.backlog}
            ),
            wait_chart=charts.lines(
                "wait",
                "Median hours from enquiry to approved reply",
                shown.days,
                {"median hours": shown.reply_hours},
            ),
            share_chart=charts.lines(
                "share",
                "Share of drafts matched to a record, and verified",
                shown.days,
                {"matched": shown.matched_share, "verified": shown.verified_share},
                unit="%",
            ),
            overdue_chart=charts.bars(
                "overdue", "Open drafts past their reply-due date", shown.overdue_bands
            ),
        )

    @routes.get("/dashboard.csv")
    def dashboard_csv(user: supervisor, days: int = 28) -> Response:
        shown = figures(days)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["figure", "day", "series", "value"])
        writer.writerows(shown.rows())
        note_desk_action(
            engine,
            actor=user.account.name,
            action="dashboard.exported",
            entity="dashboard",
            now=config.clock(),
            detail={"days": len(shown.days)},
        )
        name = f"enquiry-desk-figures-{shown.days[-1].isoformat()}.csv"
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @routes.get("/privacy")
    def privacy(request: Request, user: supervisor) -> Response:
        return render(request, "privacy.html", person=None, export=None, error="")

    def person_from(email: str, surname: str, dob: str) -> Person:
        try:
            born = date.fromisoformat(dob) if dob.strip() else None
        except ValueError:
            born = None
        return Person(email=email.strip() or None, surname=surname.strip() or None, dob=born)

    @routes.post("/privacy/subject-access")
    def subject_access_preview(
        request: Request,
        user: supervisor,
        email: Annotated[str, Form()] = "",
        surname: Annotated[str, Form()] = "",
        dob: Annotated[str, Form()] = "",
    ) -> Response:
        person = person_from(email, surname, dob)
        try:
            export = gather(engine, person)
        except StorageError as exc:
            return render(
                request, "privacy.html", status_code=422, person=person, export=None, error=str(exc)
            )
        note_desk_action(
            engine,
            actor=user.account.name,
            action="subject_access.previewed",
            entity="contact",
            now=config.clock(),
            detail={"contacts": len(export.contacts), "records": len(export.records)},
        )
        return render(request, "privacy.html", person=person, export=export, error="")

    @routes.post("/privacy/subject-access/export")
    def subject_access_export(
        user: supervisor,
        email: Annotated[str, Form()] = "",
        surname: Annotated[str, Form()] = "",
        dob: Annotated[str, Form()] = "",
    ) -> Response:
        person = person_from(email, surname, dob)
        export = gather(engine, person)
        now = config.clock()
        note_export(engine, export, actor=user.account.name, now=now)
        body = json.dumps(export.as_json(made_at=now), ensure_ascii=False, indent=2)
        return Response(
            body,
            media_type="application/json",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="subject-access-{now:%Y%m%d-%H%M%S}.json"'
                )
            },
        )

    return routes
