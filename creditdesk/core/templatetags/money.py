"""Template filters for money: `{{ amount|yuan }}` → 1,234.56 and `{{ amount|yuan:"¥" }}` → ¥1,234.56."""

from decimal import Decimal

from django import template

from creditdesk.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(value: Decimal | int | str | None, symbol: str = "") -> str:
    return format_yuan(value, symbol=bool(symbol))


@register.filter
def percent(value: Decimal | str | None, places: int = 2) -> str:
    """An annual fraction as a percentage: 0.0725 → 7.25%."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)) * 100:.{int(places)}f}%"
