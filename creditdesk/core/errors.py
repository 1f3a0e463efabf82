"""Domain errors (业务错误): one family of exceptions, each with a machine code and an HTTP status.

Services and pure calculations raise these; the API turns them into the one error body
`{"code", "message", "fields": {name: [messages]}}` and forms show them inline. Nothing here imports the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar


class DomainError(Exception):
    """Base of every expected failure. Subclasses set `status` and a default `code`."""

    status: ClassVar[int] = 400
    default_code: ClassVar[str] = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, Iterable[str] | str] | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code or self.default_code
        self.fields: dict[str, list[str]] = {
            name: [str(m)] if isinstance(m, str) or not isinstance(m, Iterable) else [str(x) for x in m]
            for name, m in (fields or {}).items()
        }
        self.details: dict[str, object] = dict(details or {})

    def as_body(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "message": self.message, "fields": self.fields}
        if self.details:
            body["details"] = self.details  # e.g. the id of the existing record behind a 409
        return body


class ValidationFailed(DomainError):
    """Input that breaks a rule; `fields` names the offending inputs."""

    status = 422
    default_code = "validation_error"

    @classmethod
    def on(cls, field: str, message: str, *, code: str | None = None) -> ValidationFailed:
        """The usual case: one field, one message."""
        return cls(message, code=code, fields={field: [message]})


class BadRequest(DomainError):
    """The request itself is incomplete (a required header is missing): 400, before the body is read."""

    status = 400
    default_code = "malformed_request"


class NotAuthenticated(DomainError):
    status = 401
    default_code = "not_authenticated"


class PermissionDenied(DomainError):
    status = 403
    default_code = "permission_denied"


class NotFound(DomainError):
    """Also used for objects outside the caller's data scope, so their existence is not leaked."""

    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    """The request clashes with what exists (a duplicate, a concurrent change)."""

    status = 409
    default_code = "conflict"


class InvalidTransition(DomainError):
    """A state-machine move that is not allowed from the current state."""

    status = 409
    default_code = "invalid_transition"


class ServiceUnavailable(DomainError):
    """An outside service (the credit bureau, a bank) did not answer; nothing was changed, the call may be retried."""

    status = 503
    default_code = "service_unavailable"
