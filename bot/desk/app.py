"""Putting the desk on the one FastAPI app: static files, sign-in, the pages, and the
answers to "not signed in", "not allowed" and "form expired"."""

from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from bot.desk import admin_pages, queue_pages, search_pages, supervisor_pages
from bot.desk.auth import (
    CsrfFailed,
    Forbidden,
    Guard,
    NotSignedIn,
    Throttled,
    client_address,
    safe_next,
)
from bot.desk.config import DeskConfig
from bot.desk.render import problem, render
from storage.engine import Engine

# Content Security Policy: only this site's own scripts, styles and forms; no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def install_desk(app: FastAPI, engine: Engine, config: DeskConfig) -> None:
    """Serve the review desk from `app`: `/` and the pages below it."""
    guard = Guard(engine, config)
    app.mount(
        "/desk-static",
        StaticFiles(packages=[("bot.desk", "static")]),
        name="desk-static",
    )
    app.include_router(_sign_in_router(guard))
    app.include_router(queue_pages.router(engine, config, guard))
    app.include_router(search_pages.router(engine, config, guard))
    app.include_router(supervisor_pages.router(engine, config, guard))
    app.include_router(admin_pages.router(engine, config, guard))

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        target = "/sign-in?next=" + quote(request.url.path, safe="/")
        if exc.timed_out:
            target += "&timed_out=1"
        response: Response
        if request.headers.get("hx-request"):
            # htmx follows a redirect inside the fragment; tell it to leave the page instead.
            response = Response(status_code=204, headers={"HX-Redirect": target})
        else:
            response = RedirectResponse(target, status_code=303)
        guard.clear_session_cookie(response)
        return response

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return problem(
            request,
            403,
            "Not for this account",
            f"This page is for the {exc.role} role. Ask an administrator if you need it.",
        )

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        return problem(
            request,
            403,
            "The form had expired",
            "Nothing was changed. Go back, reload the page and try again.",
        )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        content_type = response.headers.get("content-type", "")
        if content_type.startswith("text/html") or request.url.path.startswith("/desk"):
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.url.path.startswith("/desk-static/"):
            # URLs carry a content hash (render.STATIC_VERSION), so they can be kept.
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        elif "Cache-Control" not in response.headers:
            # Pages show people's cases: never keep them in a shared or back-button cache.
            response.headers["Cache-Control"] = "no-store"
        return response


def _sign_in_router(guard: Guard) -> APIRouter:
    router = APIRouter()

    @router.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/queue", status_code=303)

    @router.get("/sign-in")
    def sign_in_page(request: Request, next: str = "/queue", timed_out: bool = False) -> Response:
        token = guard.sign_in_token(request)
        response = render(
            request,
            "sign_in.html",
            next=safe_next(next),
            name="",
            message="You were signed out after a while without activity." if timed_out else "",
            tone="warn",
            sign_in_token=token,
        )
        guard.set_sign_in_cookie(response, token)
        return response

    @router.post("/sign-in")
    def sign_in(
        request: Request,
        name: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "/queue",
    ) -> Response:
        guard.check_sign_in_token(request, csrf)
        try:
            outcome = guard.sign_in(name, password, address=client_address(request))
        except Throttled:
            return render(
                request,
                "sign_in.html",
                status_code=429,
                headers={"Retry-After": str(int(guard.config.failure_window.total_seconds()))},
                next=safe_next(next),
                name=name,
                message="Too many failed sign-ins. Wait 15 minutes, or ask an administrator.",
                tone="bad",
                sign_in_token=csrf,
            )
        if outcome.account is None:
            return render(
                request,
                "sign_in.html",
                status_code=401,
                next=safe_next(next),
                name=name,
                message="That name and password do not match an account.",
                tone="bad",
                sign_in_token=csrf,
            )
        response = RedirectResponse(safe_next(next), status_code=303)
        guard.set_session_cookie(response, outcome.token)
        return response

    @router.post("/sign-out")
    async def sign_out(request: Request) -> Response:
        signed = await guard.needs("clerk")(request)
        guard.sign_out(signed)
        response = RedirectResponse("/sign-in", status_code=303)
        guard.clear_session_cookie(response)
        return response

    return router
