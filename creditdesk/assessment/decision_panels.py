"""Panels later apps add to the decision page (决策页), without `assessment` importing them (one-way layering).

`lending` registers the exception requests of the application's plans here from its `AppConfig.ready()`: a
function (request, application) → rendered HTML (safe) or "" when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Panel = Callable[[Any, Any], str]
_panels: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def panels() -> list[Panel]:
    return list(_panels)
