"""Money in templates: ``{{ value|money:currency }}`` reads ``USD 96,525``."""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Sequence
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from opportunities.pay.currencies import format_money

if TYPE_CHECKING:
    from opportunities.compare.core import Option

register = template.Library()


@register.filter
def money(value: Decimal | None, currency: str) -> str:
    """Whole units, for yearly figures: ``USD 96,525``."""
    return "" if value is None else format_money(value, currency)


@register.filter
def money_cents(value: Decimal | None, currency: str) -> str:
    """To the cent, for hourly rates and the lines of a breakdown: ``USD 53.63``."""
    return "" if value is None else format_money(value, currency, places=2)


@register.filter
def signed_money(value: Decimal | None, currency: str) -> str:
    """To the cent with its sign, for a breakdown line's effect: ``+USD 22,275.00``."""
    return "" if value is None else format_money(value, currency, places=2, sign="always")


def _cut(title: str, length: int = 60) -> str:
    """``title|truncatechars:60``: the filter normalises to NFC, then cuts what is longer
    (looking up the translated ellipsis on every call, even when nothing is cut)."""
    text = unicodedata.normalize("NFC", title)
    return text if len(text) <= length else Truncator(title).chars(length)


@register.simple_tag
def option_choices(options: Sequence[Option], selected: Hashable) -> SafeString:
    """The ``<option>``s of a select of compared options, ``selected`` chosen, titles cut at
    60 characters: one pass for what a comparison of 50 repeats in two selects."""
    return mark_safe(  # noqa: S308 (every title escaped)
        "".join(
            f'<option value="{option.key}"{" selected" if option.key == selected else ""}>'
            f"{escape(_cut(option.title))}</option>"
            for option in options
        )
    )
