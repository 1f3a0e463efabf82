"""API plumbing shared by every app: the one error body, its handlers and the declared 4xx responses."""

from __future__ import annotations

import json
import logging
import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

from creditdesk.core.errors import DomainError, NotAuthenticated, ValidationFailed

logger = logging.getLogger("creditdesk.api")


class ErrorOut(Schema):
    """The error body of every 4xx and 5xx answer."""

    code: str
    message: str
    fields: dict[str, list[str]] = {}
    details: dict[str, Any] = {}


# Declared on every operation so the OpenAPI document lists the errors a client can meet.
ERRORS: dict[int, type[Schema]] = dict.fromkeys((400, 401, 403, 404, 409, 413, 422, 429), ErrorOut)
HTTP_CODES = {
    400: "malformed_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "request_too_large",
    422: "validation_error",
    429: "throttled",
}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """Turn a pydantic error location into the client's field name: ('body', 'payload', 'a', 0) → 'a.0'."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
        if parts and parts[0] in {"payload", "data", "filters", "pagination"} and len(parts) > 1:
            parts = parts[1:]
    return ".".join(str(p) for p in parts) or "__all__"


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        msg = str(err.get("msg", "invalid"))
        fields.setdefault(_field_name(err.get("loc", ())), []).append(msg.removeprefix("Value error, "))
    return fields


def _nul_field(value: Any, path: str = "") -> str | None:
    """The path of the first text value holding a NUL character, if any."""
    if isinstance(value, str):
        return path or "body" if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_field(item, str(key)) if isinstance(key, str) and "\x00" not in key else path or "body"
            if found:
                return found
    if isinstance(value, list):
        for item in value:
            found = _nul_field(item, path)
            if found:
                return found
    return None


class TextSafeParser(Parser):
    """The JSON parser, taking numbers with a fraction as Decimal (never float), and refusing NUL characters in
    any text: no text column can store one (PostgreSQL refuses it),
    so such input gets a 422 on its field instead of reaching the database. On the sign-in paths (`credential_paths`)
    such credentials cannot belong to anyone: they get the 401 of wrong credentials."""

    def __init__(self, *, credential_paths: frozenset[str] = frozenset()) -> None:
        self.credential_paths = credential_paths

    def _refuse_nul(self, data: Any, request: HttpRequest) -> None:
        field = _nul_field(data)
        if not field:
            return
        if request.path in self.credential_paths:
            raise NotAuthenticated("Wrong username or password.", code="invalid_credentials")
        message = "Text may not contain NUL characters."
        raise ValidationFailed(message, fields={field: [message]})

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        # JSON numbers become Decimal, never float: 0.1 stays 0.1 on its way to a money column.
        data = json.loads(request.body, parse_float=Decimal)
        self._refuse_nul(data, request)
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> DictStrAny:
        result = super().parse_querydict(data, list_fields, request)
        self._refuse_nul(result, request)
        return result


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every failure answer with the one error body."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="creditdesk"'
        return response

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return respond(request, exc.status, exc.as_body())

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = validation_fields(exc.errors)
        if any(e.get("type") == "json_invalid" for e in exc.errors):
            return respond(request, 400, error_body("malformed_json", "The request body is not valid JSON.", fields))
        return respond(request, 422, error_body("validation_error", "Some fields are not valid.", fields))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, error_body("not_authenticated", "Sign in or send a valid bearer token."))

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        # ninja sets Retry-After from the same wait once this returns; the body says it too.
        seconds = math.ceil(exc.wait) if exc.wait is not None else None
        message = f"Too many requests: try again in {seconds} s." if seconds else "Too many requests."
        body = {**error_body("throttled", message), "details": {"retry_after": seconds} if seconds else {}}
        return respond(request, 429, body)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, DomainError):  # ninja wraps what the body parser raised
            return respond(request, exc.__cause__.status, exc.__cause__.as_body())
        return respond(request, exc.status_code, error_body(HTTP_CODES.get(exc.status_code, "error"), str(exc)))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", "Not found."))

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Raised when the body is first read, beyond DATA_UPLOAD_MAX_MEMORY_SIZE: the client's fault, not a 500.
        message = "The request body is larger than the server accepts."
        return respond(request, 413, error_body("request_too_large", message))

    @api.exception_handler(MultiPartParserError)
    def malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # Raised lazily by whoever first reads request.POST (django-axes does, on failed sign-ins).
        return respond(request, 400, error_body("malformed_request", "The request body cannot be parsed."))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return respond(request, 500, error_body("server_error", "An unexpected error occurred; it has been logged."))
