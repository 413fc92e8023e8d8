"""For administrators: desk accounts, and the retention purge (always a dry run first)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from bot.desk.auth import Guard
from bot.desk.config import DeskConfig
from bot.desk.passwords import WeakPassword, hash_password
from bot.desk.render import render
from storage.engine import Engine
from storage.errors import StorageError
from storage.retention import plan_purge, purge, record_kinds
from storage.users import ROLES, SignedIn, UserError, add_user, list_users, set_active


def router(engine: Engine, config: DeskConfig, guard: Guard) -> APIRouter:
    routes = APIRouter(prefix="/admin")
    admin = Annotated[SignedIn, Depends(guard.needs("admin"))]

    def users_page(
        request: Request, *, error: str = "", notice: str = "", status: int = 200
    ) -> Response:
        return render(
            request,
            "users.html",
            status_code=status,
            accounts=list_users(engine),
            roles=ROLES,
            error=error,
            notice=notice,
        )

    @routes.get("/users")
    def users(request: Request, user: admin) -> Response:
        return users_page(request)

    @routes.post("/users")
    def create(
        request: Request,
        user: admin,
        name: Annotated[str, Form()] = "",
        role: Annotated[str, Form()] = "clerk",
        password: Annotated[str, Form()] = "",
    ) -> Response:
        try:
            made = add_user(
                engine,
                name,
                role=role,
                password_hash=hash_password(password),
                actor=user.account.name,
                now=config.clock(),
            )
        except (UserError, WeakPassword) as exc:
            return users_page(request, error=str(exc), status=422)
        return users_page(request, notice=f"Account {made.name} ({made.role}) added.")

    @routes.post("/users/{user_id}/active")
    def switch(user_id: int, user: admin, active: Annotated[bool, Form()] = False) -> Response:
        if user_id == user.account.id and not active:
            return RedirectResponse("/admin/users", status_code=303)  # never lock yourself out
        set_active(engine, user_id, active=active, actor=user.account.name, now=config.clock())
        return RedirectResponse("/admin/users", status_code=303)

    @routes.get("/retention")
    def retention(request: Request, user: admin) -> Response:
        return render(
            request, "retention.html", kinds=record_kinds(engine), plan=None, done=None, error=""
        )

    @routes.post("/retention/plan")
    def dry_run(
        request: Request,
        user: admin,
        kind: Annotated[str, Form()] = "",
        days: Annotated[int, Form()] = 0,
    ) -> Response:
        try:
            plan = plan_purge(engine, kind=kind, older_than_days=days, now=config.clock())
        except StorageError as exc:
            return render(
                request,
                "retention.html",
                status_code=422,
                kinds=record_kinds(engine),
                plan=None,
                done=None,
                error=str(exc),
            )
        return render(
            request, "retention.html", kinds=record_kinds(engine), plan=plan, done=None, error=""
        )

    @routes.post("/retention/purge")
    def run_purge(
        request: Request,
        user: admin,
        kind: Annotated[str, Form()] = "",
        days: Annotated[int, Form()] = 0,
        expected: Annotated[int, Form()] = -1,
    ) -> Response:
        now = config.clock()
        plan = plan_purge(engine, kind=kind, older_than_days=days, now=now)
        if plan.contacts != expected:
            # The data moved since the dry run: show the new count and ask again.
            return render(
                request,
                "retention.html",
                status_code=409,
                kinds=record_kinds(engine),
                plan=plan,
                done=None,
                error="The figures changed since the dry run. Check them and confirm again.",
            )
        done = purge(engine, kind=kind, older_than_days=days, now=now, actor=user.account.name)
        # The rows are gone; the kept files nobody refers to any more go too.
        removed = config.discard_files(done.files) if config.discard_files else 0
        return render(
            request,
            "retention.html",
            kinds=record_kinds(engine),
            plan=None,
            done=done,
            error="",
            files_removed=removed,
        )

    return routes
