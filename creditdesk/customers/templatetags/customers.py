"""Template helpers of the customers app."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def age_on(customer: object, on: dt.date) -> int | str:
    age = getattr(customer, "age_on", lambda _on: None)(on)
    return "" if age is None else age
