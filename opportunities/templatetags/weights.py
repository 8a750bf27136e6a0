"""Weights in templates: ``{{ prices|price_of:criterion.pk }}`` is what one point of that
criterion is worth (``weights.queries.money.point_prices``), or None."""

from __future__ import annotations

from django import template

from opportunities.weights.queries.money import PointPrice, PointPrices

register = template.Library()


@register.filter
def price_of(prices: PointPrices | None, key: int) -> PointPrice | None:
    return None if prices is None else prices.by_criterion.get(key)
