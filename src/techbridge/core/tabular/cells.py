"""Parsers for spreadsheet cells; each raises CellError with a message for people.

Why: every import (activities, participants, contributions, subscribers)
reads the same kinds of values. Parsing them in one place gives the same
accepted formats and the same wording of errors everywhere.

Conventions: the value is positional, options are keyword-only; an empty
value raises CellError when ``required`` (the default) and returns None (or
an empty list) otherwise. Values are normally strings from
:func:`techbridge.core.tabular.read_table`; ``parse_date`` also takes
date/datetime objects.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext

from techbridge.core.countries import UnknownCountry, resolve_country

__all__ = [
    "CellError",
    "parse_bool",
    "parse_choice",
    "parse_country",
    "parse_date",
    "parse_decimal",
    "parse_email",
    "parse_int",
    "parse_list",
]


class CellError(ValueError):
    """A cell value is not acceptable; the message says what is expected."""


_TRUE = {"yes", "y", "true", "t", "1", "x", "oui", "si", "ja"}
_FALSE = {"no", "n", "false", "f", "0", "non"}
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d{1,40}(\.\d{0,40})?|\.\d{1,40})([eE][+-]?\d{1,3})?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _empty(*, required: bool) -> None:
    if required:
        raise CellError(gettext("a value is required"))


def parse_date(value: Any, *, required: bool = True) -> dt.date | None:
    """A date written YYYY-MM-DD, or a date/datetime cell.

    Why only ISO: "03/04/2025" means March or April depending on who typed
    it; guessing would silently shift events by months.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return _empty(required=required)
    date_part, _sep, time_part = text.partition(" ") if " " in text else text.partition("T")
    try:
        parsed = dt.date.fromisoformat(date_part) if _ISO_DATE.fullmatch(date_part) else None
        if parsed is not None and time_part:
            dt.time.fromisoformat(time_part)
    except ValueError:
        parsed = None
    if parsed is None:
        raise CellError(gettext("'%(value)s' is not a date written YYYY-MM-DD") % {"value": text})
    return parsed


def parse_int(
    value: Any, *, min: int | None = None, max: int | None = None, required: bool = True
) -> int | None:
    """A whole number, optionally bounded (inclusive); "12.0" counts as 12."""
    text = _text(value)
    if not text:
        return _empty(required=required)
    if _INTEGER.fullmatch(text) and len(text) <= 40:
        number = int(text)
    else:
        decimal = _to_decimal(text)
        if decimal is None or decimal != decimal.to_integral_value():
            raise CellError(gettext("'%(value)s' is not a whole number") % {"value": text})
        number = int(decimal)
    _check_bounds(number, minimum=min, maximum=max)
    return number


def parse_decimal(
    value: Any,
    *,
    min: Decimal | int | None = None,
    max: Decimal | int | None = None,
    places: int | None = None,
    required: bool = True,
) -> Decimal | None:
    """A number with a dot as decimal separator and no thousands separators.

    Why strict: "1,500" is one and a half in much of the region and fifteen
    hundred elsewhere; amounts must not be guessed.
    """
    text = _text(value)
    if not text:
        return _empty(required=required)
    number = _to_decimal(text)
    if number is None:
        raise CellError(
            gettext("'%(value)s' is not a number (use a dot for decimals and no thousands separators)")
            % {"value": text}
        )
    if places is not None and _decimal_places(number) > places:
        raise CellError(
            gettext("'%(value)s' has more than %(places)d decimal places") % {"value": text, "places": places}
        )
    _check_bounds(number, minimum=min, maximum=max)
    return number


def _decimal_places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _to_decimal(text: str) -> Decimal | None:
    if not _DECIMAL.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _check_bounds(number: Any, *, minimum: Any, maximum: Any) -> None:
    if minimum is not None and number < minimum:
        raise CellError(gettext("%(value)s is less than %(min)s") % {"value": number, "min": minimum})
    if maximum is not None and number > maximum:
        raise CellError(gettext("%(value)s is more than %(max)s") % {"value": number, "max": maximum})


def parse_choice(value: Any, *, choices: Iterable[Any], required: bool = True) -> str | None:
    """One of ``choices`` (codes, or (code, label) pairs); matches code or label, any case.

    Returns the code, so a sheet may say "Joint venture agreement" or
    "joint_venture" and both store the same thing.
    """
    text = _text(value)
    if not text:
        return _empty(required=required)
    wanted = _fold(text)
    codes: list[str] = []
    for choice in choices:
        code, label = (choice[0], choice[1]) if isinstance(choice, tuple | list) else (choice, choice)
        code = str(code)
        codes.append(code)
        if wanted in (_fold(code), _fold(str(label))):
            return code
    shown = ", ".join(codes[:12]) + (", …" if len(codes) > 12 else "")
    raise CellError(gettext("'%(value)s' is not one of: %(codes)s") % {"value": text, "codes": shown})


def _fold(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def parse_list(
    value: Any,
    *,
    sep: str = ";",
    parser: Callable[..., Any] | None = None,
    required: bool = False,
    **options: Any,
) -> list[Any]:
    """Items separated by ``sep`` (default ";"), stripped, blanks and repeats dropped.

    ``parser`` (e.g. ``parse_country``) is applied to each item with
    ``options``; the first bad item raises CellError naming it.
    """
    text = _text(value)
    items: list[Any] = []
    for part in text.split(sep):
        part = part.strip()
        if not part:
            continue
        item = parser(part, **options) if parser is not None else part
        if item not in items:
            items.append(item)
    if not items and required:
        raise CellError(gettext("at least one value is required"))
    return items


def parse_country(value: Any, *, required: bool = True) -> str | None:
    """An ISO alpha-2 code, via the platform's single country resolver."""
    text = _text(value)
    if not text:
        return _empty(required=required)
    try:
        return resolve_country(text)
    except UnknownCountry as error:
        raise CellError(str(error)) from None


def parse_bool(value: Any, *, required: bool = True) -> bool | None:
    """Yes/no in the forms spreadsheets produce: yes/no, y/n, true/false, 1/0, x."""
    if isinstance(value, bool):
        return value
    text = _text(value)
    if not text:
        return _empty(required=required)
    folded = text.casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(gettext("'%(value)s' is not yes or no") % {"value": text})


def parse_email(value: Any, *, required: bool = True) -> str | None:
    """A single e-mail address; the domain is lower-cased so duplicates are found."""
    text = _text(value)
    if not text:
        return _empty(required=required)
    if text.casefold().startswith("mailto:"):
        text = text[len("mailto:") :].strip()
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(gettext("'%(value)s' is not a valid e-mail address") % {"value": text}) from None
    local, _at, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"
