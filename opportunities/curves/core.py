"""Value curves: how a raw number (pay, minutes of commute, hours a week) becomes a 0-10
score.

A criterion measured as a number is scored on a scale from the number that scores 0
(its ``worst``; for Pay, the user's pay floor) to the one that scores 10 (its ``best``;
for Pay, the pay target). ``worst`` may be above ``best``: for a commute, 90 minutes is
the worst and 10 the best, and fewer minutes score higher. Between the two, a curve says
how the score rises:

* **linear**, the straight line every scale had before curves existed. It is exactly
  what :func:`opportunities.pay.core.pay_score` computes, in the same ``Decimal``
  arithmetic with the same rounding, so nothing moves until the user picks another
  curve (pinned by the tests for every pay).
* **saturating**: the score rises fast near the worst and levels off near the best:
  "past a point, more adds little". ``bend`` (1-9) says how soon it levels off:
  ``(1 - e^(-k·x)) / (1 - e^(-k))`` over the share ``x`` of the way from worst to best,
  with ``k = bend / 2``. Monotone and bounded by 0 and 10 for every bend.
* **threshold**: enough or not. 10 from the ``threshold`` on (towards the best), 0
  short of it. Without a threshold it sits at the best.

Beyond the ends the score stays at 0 or 10. A scale whose two ends are equal has no
range to spread a score over: it acts as a single threshold at that number (10 at or
above it, 0 below), as ``pay_score`` does for a floor at or above the target, so a
half-set scale cannot break a page.

Plain Python over ``Decimal`` (the saturating curve goes through ``math.exp``): no
Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

LINEAR: Final = "linear"
SATURATING: Final = "saturating"
THRESHOLD: Final = "threshold"
SHAPES: Final = (LINEAR, SATURATING, THRESHOLD)

BEND_MIN: Final = 1
BEND_MAX: Final = 9
DEFAULT_BEND: Final = 3

_TEN = Decimal(10)


class CurveError(ValueError):
    """A curve that cannot be drawn (an unknown shape, a bend out of range)."""


@dataclass(frozen=True, slots=True)
class Curve:
    """A value curve from ``worst`` (scores 0) to ``best`` (scores 10)."""

    worst: Decimal
    best: Decimal
    shape: str = LINEAR
    bend: int = DEFAULT_BEND
    threshold: Decimal | None = None

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise CurveError(f"unknown curve shape {self.shape!r}")
        if isinstance(self.bend, bool) or not BEND_MIN <= self.bend <= BEND_MAX:
            raise CurveError(f"a bend must be {BEND_MIN}-{BEND_MAX}, got {self.bend!r}")
        for name in ("worst", "best", "threshold"):
            value = getattr(self, name)
            if value is not None and not Decimal(value).is_finite():
                raise CurveError(f"{name} must be a finite number")

    @property
    def degenerate(self) -> bool:
        """Both ends at the same number: a single threshold there."""
        return self.worst == self.best

    @property
    def higher_is_better(self) -> bool:
        return self.best >= self.worst

    @property
    def is_default(self) -> bool:
        return self.shape == LINEAR

    def share(self, raw: Decimal) -> Decimal:
        """How far ``raw`` is from the worst towards the best, clipped to 0-1."""
        if self.degenerate:
            return Decimal(1) if raw >= self.worst else Decimal(0)
        fraction = (Decimal(raw) - self.worst) / (self.best - self.worst)
        return min(Decimal(1), max(Decimal(0), fraction))

    def value(self, raw: Decimal) -> float:
        """The unrounded score 0-10 of ``raw`` (for drawing the curve)."""
        raw = Decimal(raw)
        share = self.share(raw)
        if self.degenerate or share in (0, 1):
            return float(share * _TEN)
        match self.shape:
            case "linear":
                return float(share * _TEN)
            case "saturating":
                k = self.bend / 2
                return 10 * (1 - math.exp(-k * float(share))) / (1 - math.exp(-k))
            case _:
                return 10.0 if share >= self.threshold_share else 0.0

    @property
    def threshold_share(self) -> Decimal:
        """Where the threshold sits as a share of the way from the worst to the best."""
        if self.threshold is None:
            return Decimal(1)
        return self.share(self.threshold)

    def score(self, raw: Decimal) -> int:
        """The whole 0-10 score of ``raw``, rounded half up."""
        raw = Decimal(raw)
        if self.degenerate:
            return 10 if raw >= self.worst else 0
        if self.shape == LINEAR:
            # The same arithmetic as pay.core.pay_score, step by step, so that the default
            # curve reproduces every score it gave.
            low, high = sorted((self.worst, self.best))
            if self.higher_is_better:
                if raw <= low:
                    return 0
                if raw >= high:
                    return 10
                fraction = (raw - self.worst) / (self.best - self.worst)
            else:
                if raw >= high:
                    return 0
                if raw <= low:
                    return 10
                fraction = (self.worst - raw) / (self.worst - self.best)
            return int((fraction * _TEN).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if self.shape == THRESHOLD:
            return 10 if self.share(raw) >= self.threshold_share else 0
        exact = Decimal(repr(self.value(raw)))
        return max(0, min(10, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))))

    def points(self, count: int = 41) -> list[tuple[Decimal, float]]:
        """``count`` evenly spaced (raw, score) points from the worst to the best, for a
        small chart of the curve (a threshold gets its step drawn as two points)."""
        if count < 2:
            raise CurveError("a curve needs at least two points to draw")
        if self.degenerate:
            return [(self.worst, 0.0), (self.worst, 10.0)]
        step = (self.best - self.worst) / (count - 1)
        raws = [self.worst + step * i for i in range(count)]
        if self.shape == THRESHOLD:
            at = self.worst + (self.best - self.worst) * self.threshold_share
            before = [r for r in raws if self.share(r) < self.threshold_share]
            after = [r for r in raws if self.share(r) >= self.threshold_share]
            return (
                [(r, 0.0) for r in before]
                + [(at, 0.0), (at, 10.0)]
                + [(r, 10.0) for r in after if r != at]
            )
        return [(raw, self.value(raw)) for raw in raws]

    def freeze(self) -> dict[str, Any]:
        """JSON-ready, for a checkpoint (``thaw`` reads it back)."""
        return {
            "shape": self.shape,
            "worst": str(self.worst),
            "best": str(self.best),
            "bend": self.bend,
            "threshold": None if self.threshold is None else str(self.threshold),
        }


def thaw(data: Mapping[str, Any]) -> Curve:
    """A curve from what :meth:`Curve.freeze` wrote. Raises CurveError on anything else."""
    try:
        threshold = data.get("threshold")
        return Curve(
            worst=Decimal(str(data["worst"])),
            best=Decimal(str(data["best"])),
            shape=str(data.get("shape", LINEAR)),
            bend=int(data.get("bend", DEFAULT_BEND)),
            threshold=None if threshold is None else Decimal(str(threshold)),
        )
    except (KeyError, TypeError, ArithmeticError, ValueError) as error:
        raise CurveError(f"not a frozen curve: {error}") from error


def pay_curve(
    *,
    floor: Decimal,
    target: Decimal,
    shape: str = LINEAR,
    bend: int = DEFAULT_BEND,
    threshold: Decimal | None = None,
) -> Curve:
    """The curve Pay is scored on, from the pay floor (0) to the target (10).

    A floor at or above the target leaves no range: a single threshold at the floor,
    exactly as ``pay_score`` treats it.
    """
    if target <= floor:
        return Curve(worst=floor, best=floor, shape=LINEAR, bend=bend)
    return Curve(worst=floor, best=target, shape=shape, bend=bend, threshold=threshold)


def describe(curve: Curve) -> str:
    """The curve in words, for a page or a checkpoint ("levels off", "enough from ...")."""
    match curve.shape:
        case "saturating":
            return "levels off towards the best"
        case "threshold":
            return "enough or not"
        case _:
            return "a straight line"


SCALE_LIMIT: Final = Decimal("1000000000")
"""The largest number (either way from zero) a number criterion's scale or amount may be."""


def check_scale(worst: Decimal | None, best: Decimal | None) -> str | None:
    """What is wrong with a number criterion's scale, in words, or None when it is sound:
    both ends given, finite, within :data:`SCALE_LIMIT`, and not the same number."""
    if worst is None or best is None:
        return "Say which number scores 0 and which scores 10."
    for end in (worst, best):
        if not Decimal(end).is_finite() or abs(end) > SCALE_LIMIT:
            return f"Use numbers between -{SCALE_LIMIT:,} and {SCALE_LIMIT:,}."
    if worst == best:
        return "The number that scores 0 and the one that scores 10 must differ."
    return None


def number_curve(
    *,
    worst: Decimal | None,
    best: Decimal | None,
    shape: str = LINEAR,
    bend: int = DEFAULT_BEND,
    threshold: Decimal | None = None,
) -> Curve | None:
    """The curve a number criterion is scored on, or None while its scale is not sound
    (:func:`check_scale`) or its curve cannot be drawn: such a criterion scores nothing."""
    if worst is None or best is None or check_scale(worst, best) is not None:
        return None
    try:
        return Curve(worst=worst, best=best, shape=shape, bend=bend, threshold=threshold)
    except CurveError:
        return None


# --- Curves frozen with a checkpoint ----------------------------------------------------------

PAY_KIND: Final = "pay"
NUMBER_KIND: Final = "number"
MAX_FROZEN_CURVES: Final = 100
"""No more curves than criteria (``models.limits.MAX_CRITERIA``)."""
_FROZEN_LIMIT: Final = Decimal(10) ** 12
"""No stored number (a scale end, pay a year, an amount) reaches this."""


@dataclass(frozen=True, slots=True)
class FrozenCurve:
    """A criterion's curve as a checkpoint froze it, with the number it scored then."""

    curve: Curve
    name: str
    kind: str = NUMBER_KIND
    """``pay`` (its unit is the currency, its amount the comparable pay a year) or
    ``number``."""
    unit: str = ""
    amount: Decimal | None = None


def freeze_entry(
    curve: Curve, *, name: str, kind: str, unit: str, amount: Decimal | None
) -> dict[str, Any]:
    """One criterion's entry in ``Evaluation.curves``: :meth:`Curve.freeze` and what it
    scored (``read_frozen_curves`` reads it back)."""
    return curve.freeze() | {
        "name": name,
        "kind": kind,
        "unit": unit,
        "amount": None if amount is None else str(amount),
    }


def _frozen_number(value: Any, *, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CurveError(f"{what} is not a number")
    try:
        number = Decimal(str(value))
    except ArithmeticError as error:
        raise CurveError(f"{what} is not a number") from error
    if not number.is_finite() or abs(number) >= _FROZEN_LIMIT:
        raise CurveError(f"{what} is not a number that could have been stored")
    return number


def read_frozen_curves(data: Any) -> dict[str, FrozenCurve]:
    """The curves a checkpoint froze, by criterion id (as text), from
    ``Evaluation.curves``. Raises CurveError, saying what is wrong, on anything that
    :func:`freeze_entry` could not have written."""
    if not isinstance(data, dict):
        raise CurveError("the frozen curves are not an object")
    if len(data) > MAX_FROZEN_CURVES:
        raise CurveError(f"more than {MAX_FROZEN_CURVES} frozen curves")
    found: dict[str, FrozenCurve] = {}
    for key, entry in data.items():
        if not isinstance(key, str) or not key.isdigit() or len(key) > 18:
            raise CurveError(f"{str(key)[:20]!r} is not a criterion id")
        if not isinstance(entry, dict):
            raise CurveError(f"the curve of criterion {key} is not an object")
        for end in ("worst", "best", "threshold"):
            if entry.get(end) is not None:
                _frozen_number(entry[end], what=f"criterion {key}'s {end}")
        if type(entry.get("bend", DEFAULT_BEND)) is not int:
            raise CurveError(f"criterion {key}'s bend is not a whole number")
        curve = thaw(entry)
        name, unit, kind = entry.get("name"), entry.get("unit", ""), entry.get("kind", NUMBER_KIND)
        if not isinstance(name, str) or not name.strip() or len(name) > 80:
            raise CurveError(f"criterion {key}'s curve has no name of at most 80 characters")
        if not isinstance(unit, str) or len(unit) > 24:
            raise CurveError(f"criterion {key}'s unit is not text of at most 24 characters")
        if kind not in (PAY_KIND, NUMBER_KIND):
            raise CurveError(f"criterion {key}'s curve is neither pay nor a number")
        amount = entry.get("amount")
        found[key] = FrozenCurve(
            curve=curve,
            name=name,
            kind=kind,
            unit=unit,
            amount=None if amount is None else _frozen_number(amount, what=f"{key}'s amount"),
        )
    return found
