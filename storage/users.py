"""Review desk accounts, their signed-in sessions, and failed sign-ins.

Passwords arrive here already hashed (argon2, in `bot.desk.passwords`); session tokens
arrive as their SHA-256. Nothing stored here lets anyone sign in from a copy of the
database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Table, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from storage.audit import audit
from storage.errors import StorageError, translated
from storage.tables import DeskSession, DeskUser, SignInFailure

_USER: Table = DeskUser.__table__  # type: ignore[attr-defined]
_SESSION: Table = DeskSession.__table__  # type: ignore[attr-defined]
_FAILURE: Table = SignInFailure.__table__  # type: ignore[attr-defined]

# Each role can do everything the roles before it can.
ROLES: tuple[str, ...] = ("clerk", "supervisor", "admin")

# Names appear in the audit trail and in "taken by" notices: keep them plain.
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


class UserError(StorageError):
    """An account cannot be created or changed; the message says why."""


@dataclass(frozen=True, slots=True)
class DeskAccount:
    id: int
    name: str
    role: str
    password_hash: str
    active: bool
    created_at: datetime
    last_sign_in_at: datetime | None

    def can(self, role: str) -> bool:
        """Whether this account holds `role` or a higher one."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A live session and the account behind it."""

    session_id: int
    csrf_token: str
    last_seen_at: datetime
    created_at: datetime
    account: DeskAccount


def name_key(name: str) -> str:
    return name.strip().lower()


def check_name(name: str) -> str:
    key = name_key(name)
    if not _NAME.fullmatch(key):
        raise UserError(
            "an account name is 1 to 64 letters, digits, dots, dashes or underscores, "
            "starting with a letter or digit"
        )
    return key


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    return role


_ACCOUNT_COLUMNS = tuple(_USER.c[name] for name in DeskAccount.__dataclass_fields__)


def add_user(
    engine: Engine, name: str, *, role: str, password_hash: str, actor: str, now: datetime
) -> DeskAccount:
    key, role = check_name(name), check_role(role)
    with translated("add the account"):
        try:
            with engine.begin() as conn:
                user_id = conn.execute(
                    insert(_USER)
                    .values(
                        name=key,
                        role=role,
                        password_hash=password_hash,
                        active=True,
                        created_at=now,
                    )
                    .returning(_USER.c.id)
                ).scalar_one()
                audit(
                    conn,
                    at=now,
                    actor=actor,
                    action="user.added",
                    entity="desk_user",
                    entity_id=user_id,
                    detail={"role": role},
                )
        except IntegrityError as exc:
            raise UserError(f"there is already an account named {key}") from exc
    return find_user(engine, key) or _missing(key)


def _missing(name: str) -> DeskAccount:
    raise UserError(f"no account named {name}")


def find_user(engine: Engine, name: str) -> DeskAccount | None:
    with translated("read accounts"), engine.connect() as conn:
        row = conn.execute(
            select(*_ACCOUNT_COLUMNS).where(_USER.c.name == name_key(name))
        ).one_or_none()
    return DeskAccount(**row._mapping) if row is not None else None


def list_users(engine: Engine) -> list[DeskAccount]:
    with translated("read accounts"), engine.connect() as conn:
        rows = conn.execute(select(*_ACCOUNT_COLUMNS).order_by(_USER.c.name)).all()
    return [DeskAccount(**row._mapping) for row in rows]


def set_active(engine: Engine, user_id: int, *, active: bool, actor: str, now: datetime) -> None:
    """Switch an account on or off; switching it off ends its sessions at once."""
    with translated(f"change account {user_id}"), engine.begin() as conn:
        changed = conn.execute(
            update(_USER).where(_USER.c.id == user_id).values(active=active)
        ).rowcount
        if changed != 1:
            raise UserError(f"no account {user_id}")
        if not active:
            conn.execute(delete(_SESSION).where(_SESSION.c.user_id == user_id))
        audit(
            conn,
            at=now,
            actor=actor,
            action="user.enabled" if active else "user.disabled",
            entity="desk_user",
            entity_id=user_id,
        )


def start_session(
    engine: Engine, account: DeskAccount, *, token_hash: str, csrf_token: str, now: datetime
) -> None:
    with translated("start a session"), engine.begin() as conn:
        conn.execute(
            insert(_SESSION).values(
                token_hash=token_hash,
                user_id=account.id,
                csrf_token=csrf_token,
                created_at=now,
                last_seen_at=now,
            )
        )
        conn.execute(update(_USER).where(_USER.c.id == account.id).values(last_sign_in_at=now))
        audit(
            conn,
            at=now,
            actor=account.name,
            action="desk.signed_in",
            entity="desk_user",
            entity_id=account.id,
        )


def find_session(engine: Engine, token_hash: str) -> SignedIn | None:
    """The live session for a token, with its account; None if unknown or switched off."""
    statement = (
        select(
            _SESSION.c.id.label("session_id"),
            _SESSION.c.csrf_token,
            _SESSION.c.last_seen_at,
            _SESSION.c.created_at.label("session_created_at"),
            *_ACCOUNT_COLUMNS,
        )
        .join(_USER, _USER.c.id == _SESSION.c.user_id)
        .where(_SESSION.c.token_hash == token_hash, _USER.c.active.is_(True))
    )
    with translated("read sessions"), engine.connect() as conn:
        row = conn.execute(statement).one_or_none()
    if row is None:
        return None
    values = row._mapping
    account = DeskAccount(**{name: values[name] for name in DeskAccount.__dataclass_fields__})
    return SignedIn(
        session_id=values["session_id"],
        csrf_token=values["csrf_token"],
        last_seen_at=values["last_seen_at"],
        created_at=values["session_created_at"],
        account=account,
    )


def touch_session(engine: Engine, session_id: int, *, now: datetime) -> None:
    with translated("update a session"), engine.begin() as conn:
        conn.execute(update(_SESSION).where(_SESSION.c.id == session_id).values(last_seen_at=now))


def end_session(
    engine: Engine, session_id: int, *, actor: str, now: datetime, reason: str = "signed_out"
) -> None:
    with translated("end a session"), engine.begin() as conn:
        user_id = conn.execute(
            delete(_SESSION).where(_SESSION.c.id == session_id).returning(_SESSION.c.user_id)
        ).scalar_one_or_none()
        if user_id is not None:
            audit(
                conn,
                at=now,
                actor=actor,
                action=f"desk.{reason}",
                entity="desk_user",
                entity_id=user_id,
            )


def note_failure(engine: Engine, *, name: str, address: str, now: datetime) -> int:
    """Record a sign-in attempt as failed until it proves otherwise; returns its id.

    The desk records every attempt before the password is checked and counts after
    (`recent_failures`), so twenty guesses sent at once are counted as twenty, not each
    checked against a count that none of them has added to yet."""
    key = name_key(name)[:64]
    with translated("note a failed sign-in"), engine.begin() as conn:
        new_id = conn.execute(
            insert(_FAILURE)
            .values(at=now, name_key=key, address=address[:64])
            .returning(_FAILURE.c.id)
        ).scalar_one()
        # The name tried is kept in the failure table, not the audit trail: a
        # password typed into the name box must not end up in a permanent log.
        audit(
            conn,
            at=now,
            actor="anonymous",
            action="desk.sign_in_failed",
            entity="desk_user",
        )
    return int(new_id)


@dataclass(frozen=True, slots=True)
class RecentFailures:
    """Failed sign-ins in the window: for this name from this address, from this address
    for any name, and for this name from anywhere."""

    pair: int
    address: int
    name: int


def recent_failures(engine: Engine, *, name: str, address: str, since: datetime) -> RecentFailures:
    key = name_key(name)[:64]
    recent = _FAILURE.c.at >= since
    by_name = _FAILURE.c.name_key == key
    by_address = _FAILURE.c.address == address[:64]
    with translated("count failed sign-ins"), engine.connect() as conn:
        counts = conn.execute(
            select(
                func.count().filter(by_name & by_address),
                func.count().filter(by_address),
                func.count().filter(by_name),
            ).where(recent, by_name | by_address)
        ).one()
    return RecentFailures(int(counts[0]), int(counts[1]), int(counts[2]))


def forget_attempt(engine: Engine, attempt_id: int) -> None:
    """An attempt that signed in was not a failure after all."""
    with translated("clear a sign-in attempt"), engine.begin() as conn:
        conn.execute(delete(_FAILURE).where(_FAILURE.c.id == attempt_id))


def forget_failures(engine: Engine, *, name: str, address: str, before: datetime) -> None:
    """A good sign-in clears that name's failures from that address; old ones everywhere
    are dropped."""
    with translated("clear failed sign-ins"), engine.begin() as conn:
        conn.execute(
            delete(_FAILURE).where(
                or_(
                    (_FAILURE.c.name_key == name_key(name)) & (_FAILURE.c.address == address[:64]),
                    _FAILURE.c.at < before,
                )
            )
        )


def note_desk_action(
    engine: Engine,
    *,
    actor: str,
    action: str,
    entity: str,
    now: datetime,
    entity_id: int | None = None,
    detail: dict[str, object] | None = None,
) -> None:
    """Audit something a desk user looked at or fetched (ids and counts only)."""
    with translated("write the audit trail"), engine.begin() as conn:
        audit(
            conn,
            at=now,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
