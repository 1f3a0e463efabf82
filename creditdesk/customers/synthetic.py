"""Synthetic, valid identifiers for the demo data and the tests (never real people or companies)."""

from __future__ import annotations

import random

from creditdesk.core.identifiers import complete_credit_code, resident_id_check_char


def resident_id(
    rng: random.Random, *, region: str = "310104", year: int | None = None, male: bool | None = None
) -> str:
    year = year or rng.randint(1965, 2000)
    sequence = rng.randint(0, 499) * 2 + (1 if (male if male is not None else rng.random() < 0.5) else 0)
    body = f"{region}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{sequence:03d}"
    return body + resident_id_check_char(body)


def credit_code(rng: random.Random, *, region: str = "310104") -> str:
    # Nine draws as before (the demo's random stream stays the same); the ninth gives way to the organisation
    # code's GB 11714 check character (issue 11 item 8).
    body = "91" + region + "".join(rng.choice("0123456789ABCDEFGH") for _ in range(9))
    return complete_credit_code(body[:16])


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
