"""Panels later apps add to the plan page (方案详情页), without `lending` importing them (one-way layering).

`contracts` registers the contract panel of an approved plan here from its `AppConfig.ready()`: a function
(request, plan) → rendered HTML (safe) or "" when it has nothing to show. The pattern of
`assessment.decision_panels`.
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
