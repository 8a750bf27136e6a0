"""Money in templates: ``{{ value|money:currency }}`` reads ``USD 96,525``."""

from __future__ import annotations

from decimal import Decimal

from django import template

from opportunities.pay.currencies import format_money

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
