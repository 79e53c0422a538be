"""A report's tables as plain rows of text: the page renders them and the CSV export
writes the very same rows, so the two cannot disagree."""

import csv
import io
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

NO_DATA = "\N{EN DASH}"  # shown where there is nothing to measure


@dataclass
class Table:
    ident: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    empty: str = ""


def minutes(value: float | None) -> str:
    """Minutes as "45 min", "3.5 h" or "2.1 d"; a dash for no data."""
    if value is None:
        return NO_DATA
    if value < 120:
        return _("%(n)s min") % {"n": number_format(round(value))}
    if value < 48 * 60:
        return _("%(n)s h") % {"n": number_format(round(value / 60, 1), 1)}
    return _("%(n)s d") % {"n": number_format(round(value / 1440, 1), 1)}


def percent(value: float | None) -> str:
    return NO_DATA if value is None else f"{number_format(round(value * 100, 1), 1)} %"


def count(value: int) -> str:
    return number_format(value)


def as_csv(tables: list[Table]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
    return out.getvalue()
