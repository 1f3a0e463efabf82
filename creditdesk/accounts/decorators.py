"""Permission checks for pages; API operations use `accounts.auth.api_auth` (both read the permission matrix)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse

from creditdesk.accounts.permissions import Perm, has_perm

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
