"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's second choice)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from lookup.errors import EnquiryDeskError

_HASHER = PasswordHasher()

# A password shorter than this is refused when an account is made.
MIN_LENGTH = 12

# Verified against when the account name is unknown, so that a wrong name takes as long
# as a wrong password and timing does not tell which names exist.
_DUMMY = _HASHER.hash("not a real password, only for timing")


class WeakPassword(EnquiryDeskError):
    """A new password is too short or otherwise unusable."""


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    return _HASHER.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
