"""`{{ value|masked:"mobile" }}`: show a sensitive value masked (ID, mobile, account, credit code, name, address)."""

from django import template

from creditdesk.core.masking import mask

register = template.Library()


@register.filter
def masked(value: str | None, kind: str) -> str:
    return mask(kind, value)
