"""The contracts API (`/api/v1/`), issue 13."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["contracts"])
