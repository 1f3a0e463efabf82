"""What every page of the shell needs: navigation, languages and the business date."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from creditdesk.web.navigation import entries_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"languages": settings.LANGUAGES, "nav_entries": []}
    if user is not None and user.is_authenticated:
        context["nav_entries"] = entries_for(user, request.path)
    return context
