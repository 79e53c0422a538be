"""Keyset (cursor) pagination: a page deep in a list costs the same as the first one.

A cursor is the sort key of the last row shown, signed so a client can't forge one into
an arbitrary filter. Each ordering it serves has a matching index (see Question.Meta).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

_SALT = "tanya.cursor"


@dataclass(frozen=True)
class Ordering:
    """A descending keyset ordering on (field, id)."""

    field: str

    @property
    def order_by(self) -> tuple[str, str]:
        return (f"-{self.field}", "-id")

    def after(self, value: Any, pk: int) -> Q:
        return Q(**{f"{self.field}__lt": value}) | Q(**{self.field: value, "id__lt": pk})


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
    if isinstance(value, str):
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
