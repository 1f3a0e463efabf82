"""Reading one column of a singleton row (the business date, the authentication generation) on every request.

The ORM builds and compiles a query each time (about 0.3 ms); these rows are read by nearly every request, so they
are read with one prepared statement instead. The value still goes through the field's `to_python`.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Field, Model


def singleton_value(model: type[Model], field: str, pk: int, *, using: str = "default") -> Any | None:
    """The value of `field` in the row of `model` with primary key `pk`, or None when there is no such row."""
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = model._meta
    column = meta.get_field(field)
    if not isinstance(column, Field) or meta.pk is None:
        raise TypeError(f"{model.__name__}.{field} is not a column of a table with a primary key")
    select, key = quote(column.column or field), quote(meta.pk.column or "id")
    sql = f"SELECT {select} FROM {quote(meta.db_table)} WHERE {key} = %s"  # noqa: S608 (model and field names only)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return None if row is None else column.to_python(row[0])
