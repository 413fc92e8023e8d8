"""Who is at the desk: sessions in a cookie, roles, CSRF tokens, idle timeout and the
slowing-down of password guessing.

The cookie holds a random token; the database holds its SHA-256 and the session's CSRF
token (the synchroniser pattern: every form and every htmx request carries it back).
Before anyone is signed in, the sign-in form is protected by a double-submit cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from fastapi import Request, Response

from bot.desk.config import DeskConfig
from bot.desk.passwords import password_matches
from storage.engine import Engine
from storage.users import (
    DeskAccount,
    SignedIn,
    end_session,
    find_session,
    find_user,
    forget_attempt,
    forget_failures,
    note_failure,
    recent_failures,
    start_session,
    touch_session,
)

CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A session's last-seen time is written at most this often: one write a minute, not one
# a click, while the idle timeout stays accurate to the minute.
TOUCH_EVERY = timedelta(minutes=1)


class NotSignedIn(Exception):
    def __init__(self, *, timed_out: bool = False) -> None:
        super().__init__("not signed in")
        self.timed_out = timed_out


class Forbidden(Exception):
    def __init__(self, role: str) -> None:
        super().__init__(f"needs the {role} role")
        self.role = role


class CsrfFailed(Exception):
    pass


# Failures for one name from all addresses together may reach this many times the
# per-name-and-address limit before that name is refused everywhere.
NAME_LIMIT_FACTOR = 10


class Throttled(Exception):
    pass


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SignInOutcome:
    account: DeskAccount | None  # None: wrong name or password
    token: str = ""


class Guard:
    """The desk's checks, as FastAPI dependencies bound to one database and config."""

    def __init__(self, engine: Engine, config: DeskConfig) -> None:
        self.engine = engine
        self.config = config
        # `__Host-` cookies are pinned to this host and path "/" and need Secure (RFC 6265bis).
        prefix = "__Host-" if config.secure_cookies else ""
        self.session_cookie = f"{prefix}desk_session"
        self.sign_in_cookie = f"{prefix}desk_sign_in"

    # --- sessions -------------------------------------------------------------------

    def current(self, request: Request) -> SignedIn | None:
        """The signed-in session, or None; ends it if it has been idle too long."""
        cached = getattr(request.state, "desk_user", None)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        token = request.cookies.get(self.session_cookie)
        if not token:
            return None
        signed = find_session(self.engine, token_hash(token))
        if signed is None:
            return None
        now = self.config.clock()
        if now - signed.last_seen_at > self.config.idle:
            end_session(
                self.engine,
                signed.session_id,
                actor=signed.account.name,
                now=now,
                reason="timed_out",
            )
            raise NotSignedIn(timed_out=True)
        if now - signed.last_seen_at >= TOUCH_EVERY:
            touch_session(self.engine, signed.session_id, now=now)
        request.state.desk_user = signed
        return signed

    def needs(self, role: str) -> Callable[[Request], Awaitable[SignedIn]]:
        """A dependency: the signed-in user holding `role`, with CSRF checked on changes."""

        async def dependency(request: Request) -> SignedIn:
            signed = self.current(request)
            if signed is None:
                raise NotSignedIn()
            if request.method in UNSAFE_METHODS:
                await self.check_csrf(request, signed.csrf_token)
            if not signed.account.can(role):
                raise Forbidden(role)
            return signed

        return dependency

    async def check_csrf(self, request: Request, expected: str) -> None:
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            raise CsrfFailed()
        given = request.headers.get(CSRF_HEADER)
        if not given:
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else ""
        if not (given and expected and hmac.compare_digest(given, expected)):
            raise CsrfFailed()

    # --- signing in and out ---------------------------------------------------------

    def sign_in(self, name: str, password: str, *, address: str) -> SignInOutcome:
        """Check a name and password, unless too many recent failures say to stop
        listening (`Throttled`), whatever the password."""
        now = self.config.clock()
        # The attempt is counted before the password is looked at, and the limits are
        # checked on counts that include it: parallel guesses cannot all slip under.
        attempt = note_failure(self.engine, name=name, address=address, now=now)
        failures = recent_failures(
            self.engine, name=name, address=address, since=now - self.config.failure_window
        )
        # By name and address together: a stranger typing a clerk's name five times from
        # elsewhere must not lock the clerk out. Guessing across names is stopped per
        # address, and guessing one name from many addresses by a higher limit per name.
        if (
            failures.pair > self.config.failures_per_name
            or failures.address > self.config.failures_per_address
            or failures.name > self.config.failures_per_name * NAME_LIMIT_FACTOR
        ):
            raise Throttled()
        account = find_user(self.engine, name) if name.strip() else None
        usable = account if account is not None and account.active else None
        if (
            not password_matches(usable.password_hash if usable else None, password)
            or usable is None
        ):
            return SignInOutcome(None)
        forget_attempt(self.engine, attempt)
        forget_failures(
            self.engine, name=name, address=address, before=now - self.config.failure_window
        )
        token = secrets.token_urlsafe(32)
        start_session(
            self.engine,
            usable,
            token_hash=token_hash(token),
            csrf_token=secrets.token_urlsafe(32),
            now=now,
        )
        return SignInOutcome(usable, token)

    def sign_out(self, signed: SignedIn) -> None:
        end_session(
            self.engine, signed.session_id, actor=signed.account.name, now=self.config.clock()
        )

    def set_session_cookie(self, response: Response, token: str) -> None:
        response.set_cookie(
            self.session_cookie,
            token,
            httponly=True,
            secure=self.config.secure_cookies,
            samesite="lax",
            path="/",
        )
        response.delete_cookie(self.sign_in_cookie, path="/")

    def clear_session_cookie(self, response: Response) -> None:
        response.delete_cookie(
            self.session_cookie, path="/", secure=self.config.secure_cookies, httponly=True
        )

    def sign_in_token(self, request: Request) -> str:
        """The double-submit token for the sign-in form: the cookie's, or a new one."""
        return request.cookies.get(self.sign_in_cookie) or secrets.token_urlsafe(32)

    def set_sign_in_cookie(self, response: Response, token: str) -> None:
        response.set_cookie(
            self.sign_in_cookie,
            token,
            httponly=True,
            secure=self.config.secure_cookies,
            samesite="strict",
            path="/",
        )

    def check_sign_in_token(self, request: Request, given: str) -> None:
        expected = request.cookies.get(self.sign_in_cookie, "")
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            raise CsrfFailed()
        if not (given and expected and hmac.compare_digest(given, expected)):
            raise CsrfFailed()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def safe_next(path: str | None) -> str:
    """Only a path on this site: never `//elsewhere` or `https://elsewhere`."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/queue"
