"""Secrets and tokens of the sandbox: scrypt verifiers and opaque bearer tokens.

Passwords and workstation secrets are kept as ``scrypt$N$r$p$salt$hash`` (base64 parts);
bearer tokens are random and only their SHA-256 is stored, so a copy of the database grants no
access.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

# RFC 7914 parameters: 16 MiB of memory per verification.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1

STAFF_TOKEN_SECONDS = 8 * 3600
WORKSTATION_TOKEN_SECONDS = 12 * 3600

# Consecutive failed sign-ins before an account is locked, and for how long.
MAX_FAILED_LOGINS = 5
LOCKOUT_SECONDS = 300


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_secret(secret: str) -> str:
    """A scrypt verifier for a password or workstation secret."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, verifier: str | None) -> bool:
    """Whether ``secret`` matches ``verifier``; costs one scrypt even without a verifier."""
    if verifier is None:
        # Spend the same work for an unknown user, so timing does not tell who exists.
        hash_secret(secret)
        return False
    try:
        scheme, n, r, p, salt, expected = verifier.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(
            secret.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(base64.b64decode(expected)),
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, base64.b64decode(expected))


def new_token() -> str:
    """A fresh opaque bearer token (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database stores for a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: a staff member or a workstation, in a hall."""

    kind: str  # "staff" or "workstation"
    subject: str  # username or workstation id
    hall_id: str
    roles: tuple[str, ...] = ()
    workstation_id: str | None = None

    @property
    def is_staff(self) -> bool:
        """Whether a staff member signed in."""
        return self.kind == "staff"

    @property
    def is_workstation(self) -> bool:
        """Whether a workstation (the outbox) signed in."""
        return self.kind == "workstation"

    @property
    def label(self) -> str:
        """``kind:subject``, for records and logs (ids only)."""
        return f"{self.kind}:{self.subject}"
