"""Permission checks for views and endpoints: one decorator each, both reading the permission matrix."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.errors import PermissionDenied

ViewFunc = Callable[..., HttpResponse]


def requires(*perms: Perm) -> Callable[[ViewFunc], ViewFunc]:
    """A page for signed-in staff holding any of these permissions (403 page otherwise)."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(has_perm(request.user, perm) for perm in perms):
                raise DjangoPermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_perms = perms  # type: ignore[attr-defined]
        return login_required(wrapped)

    return decorator


def api_requires(*perms: Perm) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """An API operation for callers holding any of these permissions (403 error body otherwise)."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not any(has_perm(request.user, perm) for perm in perms):
                raise PermissionDenied("Your role does not allow this.")
            return func(request, *args, **kwargs)

        wrapped.required_perms = perms  # type: ignore[attr-defined]
        return wrapped

    return decorator
