"""Reads of an opportunity's live scores, and of what a number criterion's amount scores."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from opportunities.curves.queries import number_curve_of, number_text
from opportunities.models import Criterion, Evaluation, Opportunity, Score


def live_scores(opportunity: Opportunity) -> list[Score]:
    """The live evaluation's scores, their "I'm unsure" ranges with them, in one query:
    what a refused score's answer recomputes the total and the band from."""
    return list(
        Score.objects.filter(
            evaluation__opportunity=opportunity, evaluation__frozen_at__isnull=True
        )
    )


def checkpoint_count(opportunity: Opportunity) -> int:
    """How many checkpoints (decisions' included) the opportunity holds."""
    return Evaluation.objects.filter(opportunity=opportunity, frozen_at__isnull=False).count()


@dataclass(frozen=True, slots=True)
class AmountLine:
    """What a number criterion's amount scores, as its row on the opportunity's page says
    it: "35 minutes a day → 7", or that its scale is not set yet."""

    criterion: Criterion
    amount: str
    """The amount with its unit, or "" for none."""
    value: int | None
    scale: str
    """"90 minutes a day scores 0, 10 scores 10", or "" while the scale is not set."""
    overridden: bool = False
    """The score was set by hand (a friend's median taken) over what the amount scores."""


def amount_line(
    criterion: Criterion, amount: Decimal | None, value: int | None, *, overridden: bool = False
) -> AmountLine:
    curve = number_curve_of(criterion)
    scale = ""
    if curve is not None:
        scale = (
            f"{number_text(curve.worst, criterion.unit)} scores 0, "
            f"{number_text(curve.best, criterion.unit)} scores 10"
        )
    said = "" if amount is None else number_text(amount, criterion.unit)
    return AmountLine(criterion, said, value, scale, overridden and value is not None)


def plain_amount(amount: Decimal | None) -> str | None:
    """An amount as a number box shows it: 35, 12.5 (no trailing zeros, no exponent)."""
    if amount is None:
        return None
    normal = amount.normalize()
    if normal == normal.to_integral_value():
        normal = normal.quantize(Decimal(1))
    return f"{normal:f}"
