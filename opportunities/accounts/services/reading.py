"""Reading an export file by the rules the forms keep: numbers finite and whole where
whole numbers go, text without control characters, dates in a sane range, the models' own
validation, and the account's limits. What breaks a rule is noted with where (row,
field, why), so a file is refused whole, naming its first few problems."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from opportunities.friends.core import MAX_EXPIRY_DAYS
from opportunities.journal.core import EARLIEST_DAY, REVISIT_YEARS_AHEAD, years_after
from opportunities.models.limits import (
    control_character_problem,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportProblem(ValueError):
    """The file cannot be imported; the message says why in plain words."""


MAX_PROBLEMS_SHOWN = 5
"""A file that breaks the rules is refused whole; its first few problems are named."""


def read_export(raw: bytes) -> Any:
    """The JSON of an uploaded export, or ``ImportProblem`` saying why it cannot be read.

    Numbers too large to be real (``1e400``) and JSON's NaN and Infinity are refused
    here, as is nesting no export has (a parser recursing through ``[`` × 100,000 runs
    out of stack).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportProblem("That file is not readable JSON: it is not UTF-8 text.") from exc
    try:
        return json.loads(text, parse_float=_finite_number, parse_constant=_no_constant)
    except ImportProblem:
        raise
    except RecursionError as exc:
        raise ImportProblem(
            "That file nests lists or objects thousands of levels deep; an export nests "
            "five at most. It is not an export."
        ) from exc
    except ValueError as exc:
        raise ImportProblem("That file is not readable JSON.") from exc


def _finite_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ImportProblem(f"That file holds a number too large to be real ({text[:24]}).")
    return value


def _no_constant(name: str) -> float:
    raise ImportProblem(f"That file holds {name}, which is not a number Crossroads keeps.")


class _Refused(ValueError):
    """One value of the file breaks a rule; the message says which."""


class Problems:
    """Every rule the file breaks, each with where: the file is refused whole."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, where: str, why: str) -> None:
        self.found.append(f"{where}: {why}")

    def refuse_if_any(self) -> None:
        if not self.found:
            return
        shown = self.found[:MAX_PROBLEMS_SHOWN]
        more = len(self.found) - len(shown)
        listed = " ".join(
            f"({n}) {problem.rstrip('.')}." for n, problem in enumerate(shown, start=1)
        )
        tail = f" And {more} more." if more else ""
        raise ImportProblem(
            f"Nothing was imported: the file breaks {len(self.found)} rule"
            f"{'s' if len(self.found) != 1 else ''} Crossroads keeps. {listed}{tail}"
        )


_INTEGERS = {
    "IntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}
_TEXT = {"CharField", "TextField"}
_FAR_FUTURE_FIELDS = {"revisit_on", "follow_up_on", "due_on", "check_on", "resolves_on"}
"""Dates that may lie ahead (a revisit, a follow-up, a check-in, a kill criterion's day, a
forecast's); every other date in an export has happened, but for when a friend's link
expires (at most ``MAX_EXPIRY_DAYS`` ahead)."""


def _date_range(field: str) -> tuple[date, date]:
    today = timezone.localdate()
    if field in _FAR_FUTURE_FIELDS:
        return EARLIEST_DAY, years_after(today, REVISIT_YEARS_AHEAD)
    if field == "expires_at":
        return EARLIEST_DAY, today + timedelta(days=MAX_EXPIRY_DAYS + 1)
    return EARLIEST_DAY, today + timedelta(days=1)  # a day's grace for time zones


def _convert(model: type[Model], field: str, value: Any) -> Any:
    """Turn a JSON value back into what the model field holds, by the rules the forms
    keep: whole numbers where whole numbers go, finite numbers, text without control
    characters, dates from 2000 to today (a revisit up to five years ahead)."""
    model_field = model._meta.get_field(field)
    if value is None:
        if not model_field.null:
            raise _Refused("cannot be empty")
        return None
    internal = model_field.get_internal_type()
    if internal in _INTEGERS:
        if type(value) is not int:
            raise _Refused("is not a whole number")
        return value
    if internal == "FloatField":
        if type(value) not in (int, float) or not math.isfinite(value):
            raise _Refused("is not a number")
        return value
    if internal == "BooleanField":
        if type(value) is not bool:
            raise _Refused("is neither true nor false")
        return value
    if internal in _TEXT:
        if not isinstance(value, str):
            raise _Refused("is not text")
        if problem := control_character_problem(value):
            raise _Refused(problem)
        longest = getattr(model_field, "max_length", None)
        if longest is not None and len(value) > longest:
            # A CharField's own validation says so too; a TextField's only in its form.
            raise _Refused(
                f"Ensure this value has at most {longest} characters (it has {len(value)})"
            )
        return value
    if internal == "DecimalField":
        if type(value) not in (int, float, str):
            raise _Refused("is not a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise _Refused("is not a number") from exc
        if not number.is_finite():
            raise _Refused("is not a number")
        return number
    if internal in ("DateTimeField", "DateField"):
        return _convert_day(field, value, with_time=internal == "DateTimeField")
    return value


def _convert_day(field: str, value: Any, *, with_time: bool) -> date | datetime:
    try:
        parsed = (parse_datetime if with_time else parse_date)(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise _Refused("is not a readable date")
    day = parsed
    if isinstance(parsed, datetime):
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, UTC)
        try:
            day = parsed.astimezone(UTC).date()
        except OverflowError as exc:  # 9999-12-31T23:00-05:00 is in year 10000
            raise _Refused("is dated out of any sense") from exc
    earliest, latest = _date_range(field)
    if not earliest <= day <= latest:
        raise _Refused(
            f"is dated {day.isoformat()}; dates run from {earliest.isoformat()} "
            f"to {latest.isoformat()}"
        )
    return parsed


def build_row[M: Model](
    model: type[M],
    data: Any,
    fields: list[str],
    *,
    where: str,
    problems: Problems,
    **extra: Any,
) -> M | None:
    """The row ``data`` as an unsaved ``model``, validated as a form would; None (with
    its problems noted) when it breaks a rule."""
    if not isinstance(data, dict):
        problems.add(where, "is not an object")
        return None
    values: dict[str, Any] = {}
    broken = False
    for name in fields:
        if name not in data:
            continue
        try:
            values[name] = _convert(model, name, data[name])
        except _Refused as refused:
            problems.add(f"{where}, {name}", str(refused))
            broken = True
    if broken:
        return None
    instance = model(**values, **extra)
    try:
        instance.full_clean(exclude=[*extra, *(f"{k[:-3]}" for k in extra if k.endswith("_id"))])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            problems.add(where if name == NON_FIELD_ERRORS else f"{where}, {name}", messages[0])
        return None
    return instance


def list_of(
    data: dict[str, Any],
    key: str,
    *,
    where: str,
    limit: int,
    problems: Problems,
    required: bool = True,
) -> list[Any]:
    """The list under ``key``, refused when it is missing (and ``required``), is not a
    list, or holds more than ``limit``."""
    if key not in data and required:
        problems.add(where, f"“{key}” is missing: the file is incomplete or damaged")
        return []
    rows = data.get(key, [])
    if not isinstance(rows, list):
        problems.add(where, f"“{key}” is not a list")
        return []
    if len(rows) > limit:
        problems.add(where, f"{len(rows):,} {key.replace('_', ' ')}; Crossroads keeps {limit:,}")
        return []
    return rows


def file_id(value: Any) -> int | None:
    """An id that links rows within the file: a whole number, or None."""
    return value if type(value) is int else None
