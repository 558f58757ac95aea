"""Request plumbing shared by the sandbox's app and its routers.

:class:`ApiError` (answered in the ``ErrorBody`` shape by the app's handler), the bearer-token
dependency :data:`Auth` and small helpers. The routers (:mod:`sandbox.approvals`,
:mod:`sandbox.audit`) import from here rather than from :mod:`sandbox.app`, which includes them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import sessionmaker

from desktop.contract import ErrorBody, ErrorDetail
from sandbox import auth
from sandbox.auth import Principal
from sandbox.db import Staff, Token, utc_now


class ApiError(Exception):
    """An error answered as an :class:`ErrorBody` with the given HTTP status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSON response in the ErrorBody shape."""
    body = ErrorBody(error=ErrorDetail(code=code, message=message, fields=fields or {}))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def json_answer(
    model: BaseModel, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A model as a JSON response."""
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=headers)


def _invalid(code: str, message: str, error: str | None = None) -> ApiError:
    challenge = "Bearer" if error is None else f'Bearer error="{error}"'
    return ApiError(401, code, message, headers={"WWW-Authenticate": challenge})


def current_principal(request: Request) -> Principal:
    """The staff member or workstation the bearer token stands for, or a 401."""
    sessions: sessionmaker = request.app.state.sessions
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _invalid("token_missing", "a bearer token is required")
    with sessions() as session:
        row = session.get(Token, auth.token_hash(token.strip()))
        if row is None:
            raise _invalid("token_invalid", "the token is not valid", "invalid_token")
        if row.expires_at <= utc_now():
            raise _invalid("token_expired", "the token has expired", "invalid_token")
        roles: tuple[str, ...] = ()
        if row.kind == "staff":
            staff = session.get(Staff, row.subject)
            if staff is None:
                raise _invalid("token_invalid", "the token is not valid", "invalid_token")
            roles = tuple(staff.roles)
        return Principal(row.kind, row.subject, row.hall_id, roles, row.workstation_id)


Auth = Annotated[Principal, Depends(current_principal)]


def sessions_of(request: Request) -> sessionmaker:
    """The app's session factory."""
    return request.app.state.sessions


def require_staff_role(who: Principal, *roles: str) -> None:
    """403 ``forbidden`` unless a staff member with one of ``roles`` is calling."""
    if not who.is_staff or not (set(roles) & set(who.roles)):
        raise ApiError(403, "forbidden", f"needs a staff member with the role {' or '.join(roles)}")


def plain(value: Any) -> str:
    """A value as a short string for an error's ``fields``."""
    return str(value)[:64]
