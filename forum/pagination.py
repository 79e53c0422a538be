"""Keyset (cursor) pagination: a page deep in a list costs the same as the first one.

A cursor is the sort key of the last row shown, signed so a client can't forge one into
an arbitrary filter. Each ordering it serves has a matching index (see Question.Meta).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThan,
    TupleLessThan,
    TupleLookupMixin,
)
from django.utils.dateparse import parse_datetime

_SALT = "tanya.cursor"


@dataclass(frozen=True)
class Ordering:
    """A keyset ordering on (field, id): descending, or ascending (oldest first, as the
    moderation queue reads)."""

    field: str
    ascending: bool = False
    # A text key (a name) travels in the cursor as it is; any other string is a datetime.
    text: bool = False

    @property
    def order_by(self) -> tuple[str, str]:
        if self.ascending:
            return (self.field, "id")
        return (f"-{self.field}", "-id")

    def after(self, value: Any, pk: int) -> "RowLessThan | RowGreaterThan":
        """The rows after the cursor `(value, pk)`, as one row comparison."""
        lookup = RowGreaterThan if self.ascending else RowLessThan
        return lookup(Tuple(F(self.field), F("id")), (value, pk))


class RowLessThan(TupleLessThan):
    """`(a, b) < (x, y)` written as a row-value comparison on every database we run on.

    The OR form (`a < x OR (a = x AND b < y)`, what Django 5.2 falls back to on SQLite)
    is not an index range: PostgreSQL's planner scans the list index from its start and
    filters, so a page deep in a list cost ten times the first one (issue 17). A row
    comparison is a range on the `(field, id)` indexes of Question.Meta, the same cost
    at any depth. SQLite has row values since 3.15 (Django requires 3.31).
    """

    def as_sql(self, compiler, connection):
        return super(TupleLookupMixin, self).as_sql(compiler, connection)


class RowGreaterThan(TupleGreaterThan):
    """`(a, b) > (x, y)` as a row-value comparison (see RowLessThan)."""

    def as_sql(self, compiler, connection):
        return super(TupleLookupMixin, self).as_sql(compiler, connection)


@dataclass
class Page:
    items: list
    next_cursor: str | None
    has_previous: bool


def encode_cursor(ordering: Ordering, row: Any) -> str:
    value = getattr(row, ordering.field)
    if isinstance(value, datetime):
        value = value.isoformat()
    return signing.dumps([ordering.field, value, row.pk], salt=_SALT, compress=True)


def decode_cursor(ordering: Ordering, cursor: str | None) -> tuple[Any, int] | None:
    """The (value, pk) a cursor points after; None for a missing, forged or foreign cursor."""
    if not cursor:
        return None
    try:
        field, value, pk = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if field != ordering.field or not isinstance(pk, int):
        return None
    if ordering.text:
        if not isinstance(value, str):
            return None
    elif isinstance(value, str):
        value = parse_datetime(value)
        if value is None:
            return None
    elif not isinstance(value, int):
        return None
    return value, pk


def paginate(queryset: QuerySet, ordering: Ordering, cursor: str | None, size: int) -> Page:
    """One page of `queryset` after `cursor`, fetched with size + 1 rows to know if more follow."""
    position = decode_cursor(ordering, cursor)
    if position is not None:
        queryset = queryset.filter(ordering.after(*position))
    rows = list(queryset.order_by(*ordering.order_by)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode_cursor(ordering, rows[-1]) if more and rows else None
    return Page(items=rows, next_cursor=next_cursor, has_previous=position is not None)
