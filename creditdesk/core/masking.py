"""Masking (脱敏) of personal information for display (ARCHITECTURE rule 7, PRIN-3): pure functions, no ORM.

Every screen, export and log line shows these forms; the full value needs a permission, a stated purpose and an
access-log row (unmasking lives in the apps, not here). The rules, on the value without spaces or hyphens:

| kind           | shown                                   | example                                   |
|----------------|-----------------------------------------|-------------------------------------------|
| `id_number`    | first 6 and last 4, the rest `*`        | 11010519491231002X → 110105********002X   |
| `mobile`       | first 3 and last 4, the rest `*`        | 13812341234 → 138****1234                 |
| `credit_code`  | first 8 and last 2, the rest `*`        | 91350100M000100Y43 → 91350100********43   |
| `bank_account` | `****` and the last 4                   | 6222020200112233 → ****2233               |
| `name`         | the first character, the rest `*`       | 张三丰 → 张**                             |
| `address`      | the first 6 characters and `****`       | 北京市朝阳区建国路88号 → 北京市朝阳区**** |

None and blank give "". A value too short for its rule to hide at least four characters (one for a name) is
shown as stars only — `****` for accounts and addresses, whose rule hides the length too — so a malformed or
partial value never reveals more than a well-formed one.
"""

from __future__ import annotations

from collections.abc import Callable

STARS = "****"
MIN_HIDDEN = 4
MASK_KINDS = ("id_number", "mobile", "credit_code", "bank_account", "name", "address")


def _compact(value: str | None) -> str:
    """An identifier without whitespace or hyphens (as typed: "138 1234-1234")."""
    return "".join((value or "").split()).replace("-", "")


def _keep_ends(text: str, head: int, tail: int) -> str:
    """Show `head` leading and `tail` trailing characters, stars between; all stars if too little would be hidden."""
    if len(text) < head + tail + MIN_HIDDEN:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail :]


def mask_id_number(value: str | None) -> str:
    """Resident ID (身份证号): first 6 (region) and last 4 shown; 11010519491231002X → 110105********002X."""
    return _keep_ends(_compact(value), 6, 4)


def mask_mobile(value: str | None) -> str:
    """Mobile number (手机号): first 3 and last 4 shown; 13812341234 → 138****1234."""
    return _keep_ends(_compact(value), 3, 4)


def mask_credit_code(value: str | None) -> str:
    """Unified social credit code (统一社会信用代码): first 8 and last 2 shown; → 91350100********43.

    The first 8 are the registration authority, organisation type and region: public facts about the company.
    """
    return _keep_ends(_compact(value), 8, 2)


def mask_account(value: str | None) -> str:
    """Bank account (银行账号): `****` and the last 4; the length is hidden too. 6222020200112233 → ****2233."""
    text = _compact(value)
    if not text:
        return ""
    if len(text) < 4 + MIN_HIDDEN:
        return STARS
    return STARS + text[-4:]


def mask_name(value: str | None) -> str:
    """Person's name (姓名): the first character (the surname, usually), the rest stars; 张三丰 → 张**.

    A one-character name is all stars.
    """
    text = (value or "").strip()
    if len(text) < 2:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 1)


def mask_address(value: str | None) -> str:
    """Address (地址): the first 6 characters (province, city, district, usually) and `****`.

    An address of 6 characters or fewer is `****` only.
    """
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) <= 6:
        return STARS
    return text[:6] + STARS


_MASKS: dict[str, Callable[[str | None], str]] = {
    "id_number": mask_id_number,
    "mobile": mask_mobile,
    "credit_code": mask_credit_code,
    "bank_account": mask_account,
    "name": mask_name,
    "address": mask_address,
}


def mask(kind: str, value: str | None) -> str:
    """Mask `value` by the rule of `kind` (one of MASK_KINDS; the blind-index kinds use the same names)."""
    try:
        rule = _MASKS[kind]
    except KeyError:
        raise ValueError(f"unknown mask kind {kind!r}; expected one of {', '.join(MASK_KINDS)}") from None
    return rule(value)
