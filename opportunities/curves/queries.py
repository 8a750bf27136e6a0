"""Reads of value curves: the curve a criterion is scored on, what a candidate curve would
do to the open opportunities (the live preview), and the curves a checkpoint freezes and
the journal shows. The arithmetic is ``curves.core``'s."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from opportunities.curves.core import (
    PAY_KIND,
    SATURATING,
    THRESHOLD,
    Curve,
    CurveError,
    FrozenCurve,
    freeze_entry,
    number_curve,
    read_frozen_curves,
)
from opportunities.models import (
    FINAL_STAGES,
    Criterion,
    CriterionKind,
    Evaluation,
    Opportunity,
    Owner,
    Profile,
    Score,
)
from opportunities.pay.currencies import format_money
from opportunities.pay.queries import comparable_pay, pay_curve_of, pay_profile
from opportunities.scoring.core import compute_decision_score, rank, rated_values

MAX_PREVIEW_ROWS = 40
"""The preview lists this many open opportunities (by rank); the ranking counts them all."""


def is_curved(criterion: Criterion) -> bool:
    """Whether ``criterion`` is scored through a value curve: Pay, or a number."""
    return criterion.kind == CriterionKind.PAY or criterion.is_number


def curve_of(criterion: Criterion, profile: Profile) -> Curve | None:
    """The curve ``criterion`` is scored on: Pay's from the pay floor to the target (None
    without both), a number criterion's from its ``worst`` to its ``best`` (None while
    that scale is unset or unsound); None for every other criterion."""
    if criterion.kind == CriterionKind.PAY:
        return pay_curve_of(criterion, profile)
    if criterion.is_number:
        return number_curve_of(criterion)
    return None


def number_curve_of(criterion: Criterion) -> Curve | None:
    """A number criterion's curve, or None while its scale is not sound."""
    return number_curve(
        worst=criterion.worst,
        best=criterion.best,
        shape=criterion.curve,
        bend=criterion.curve_bend,
        threshold=criterion.curve_threshold,
    )


def number_text(value: Decimal, unit: str = "") -> str:
    """``35 minutes a day``, ``1,250.5``: a number without trailing zeros, with its unit."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        normal = normal.quantize(Decimal(1))
    return f"{normal:,f} {unit}".strip()


def amount_text(value: Decimal, *, kind: str, unit: str) -> str:
    """A raw number as a page says it: money for Pay (``unit`` is the currency)."""
    if kind == PAY_KIND:
        return format_money(value, unit)
    return number_text(value, unit)


# --- The live preview -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One open opportunity under the saved curve and under the candidate."""

    opportunity: Opportunity
    raw: str
    """The number scored ("USD 62,000 a year", "35 minutes a day"), or "" when none."""
    score_now: int | None
    score_new: int | None
    set_by_hand: bool
    total_now: float | None
    total_new: float | None
    rank_now: int
    rank_new: int

    @property
    def score_moves(self) -> bool:
        return self.score_now != self.score_new

    @property
    def rank_moves(self) -> bool:
        return self.rank_now != self.rank_new


@dataclass(frozen=True, slots=True)
class Chart:
    """A small SVG of a curve: the line, the ends, and a dot per listed opportunity."""

    points: str
    """The polyline's ``points`` attribute."""
    dots: list[tuple[float, float, str]]
    worst: str
    best: str
    samples: list[tuple[str, float]]
    """Five points of the curve in numbers: the chart's text alternative."""


WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 36, 308, 12, 140


def _x(share: float) -> float:
    return round(LEFT + (RIGHT - LEFT) * share, 1)


def _y(score: float) -> float:
    return round(BOTTOM - (BOTTOM - TOP) * score / 10, 1)


def _share(curve: Curve, raw: Decimal) -> float:
    if curve.degenerate:
        return 0.5
    return float(curve.share(raw))


def chart(curve: Curve, *, kind: str, unit: str, dots: Iterable[tuple[Decimal, str]]) -> Chart:
    """``curve`` drawn worst (left) to best (right), 0 (bottom) to 10 (top)."""
    if curve.degenerate:
        line = [(0.0, 0.0), (0.5, 0.0), (0.5, 10.0), (1.0, 10.0)]
    else:
        line = [(_share(curve, raw), score) for raw, score in curve.points(41)]
    samples = []
    for step in range(5):
        raw = curve.worst + (curve.best - curve.worst) * Decimal(step) / 4
        samples.append((amount_text(raw, kind=kind, unit=unit), round(curve.value(raw), 1)))
    return Chart(
        points=" ".join(f"{_x(share)},{_y(score)}" for share, score in line),
        dots=[
            (_x(_share(curve, raw)), _y(curve.value(raw)), label)
            for raw, label in dots
            if raw is not None
        ],
        worst=amount_text(curve.worst, kind=kind, unit=unit),
        best=amount_text(curve.best, kind=kind, unit=unit),
        samples=samples,
    )


@dataclass(frozen=True, slots=True)
class CurvePreview:
    curve: Curve
    chart: Chart
    rows: list[PreviewRow]
    """The first :data:`MAX_PREVIEW_ROWS` open opportunities, by their rank now."""
    hidden: int
    """Open opportunities not listed."""
    changed: int
    """How many scores the candidate curve would change."""
    reordered: bool = field(default=False)
    """Whether the ranking would change."""


@dataclass(frozen=True, slots=True)
class _Option:
    opportunity: Opportunity
    raw: Decimal | None
    values: dict[int, int | None]
    overridden: bool


def _open_options(
    user: Owner, criterion: Criterion, profile: Profile, *, kind: str
) -> list[_Option]:
    """The open opportunities with their live scores and the raw number ``criterion``
    scores: two queries, however many there are."""
    open_ones = (
        Opportunity.objects.for_user(user)
        .filter(archived_at__isnull=True)
        .exclude(stage__in=FINAL_STAGES)
        .order_by("-is_status_quo", "title", "id")
    )
    if kind != PAY_KIND:  # Pay reads the whole offer (comparable_pay); a number, none of it.
        open_ones = open_ones.only("id", "owner", "title", "is_status_quo")
    opportunities = list(open_ones)
    values: dict[int, dict[int, int | None]] = {o.pk: {} for o in opportunities}
    # By the ids just read rather than by joining opportunities again: the join had the
    # planner walk every open opportunity of every user (3 ms against 0.4 ms on the bench
    # data once analysed; 100 ms before its statistics were gathered).
    rows = (
        Score.objects.for_user(user)
        .filter(evaluation__frozen_at__isnull=True, evaluation__opportunity_id__in=list(values))
        .values_list("evaluation__opportunity_id", "criterion_id", "value", "amount", "overridden")
    )
    amounts: dict[int, Decimal | None] = {}
    overridden: set[int] = set()
    for opportunity_id, criterion_id, value, amount, by_hand in rows:
        if opportunity_id not in values:
            continue
        values[opportunity_id][criterion_id] = value
        if criterion_id == criterion.pk:
            amounts[opportunity_id] = amount
            if by_hand:
                overridden.add(opportunity_id)
    options = []
    for opportunity in opportunities:
        if kind == PAY_KIND:
            breakdown = comparable_pay(opportunity, profile).breakdown
            raw = None if breakdown is None else breakdown.annual
        else:
            raw = amounts.get(opportunity.pk)
        options.append(
            _Option(opportunity, raw, values[opportunity.pk], opportunity.pk in overridden)
        )
    return options


def curve_preview(
    user: Owner,
    *,
    criterion: Criterion,
    candidate: Curve,
    criteria: Sequence[Criterion],
    profile: Profile,
) -> CurvePreview:
    """What scoring ``criterion`` on ``candidate`` would do to the user's open
    opportunities: each one's score and rank now, and under the candidate (the decision
    score recomputed with the candidate's score). A score set by hand stays as it is;
    an opportunity without the number keeps its score. Two queries (``criteria`` and
    ``profile`` are the caller's), however many opportunities there are."""
    kind = PAY_KIND if criterion.kind == CriterionKind.PAY else "number"
    unit = profile.currency if kind == PAY_KIND else criterion.unit
    options = _open_options(user, criterion, profile, kind=kind)
    totals_now: dict[Hashable, float | None] = {}
    totals_new: dict[Hashable, float | None] = {}
    new_scores: dict[int, int | None] = {}
    for option in options:
        key = option.opportunity.pk
        now = option.values.get(criterion.pk)
        new = now if option.overridden or option.raw is None else candidate.score(option.raw)
        new_scores[key] = new
        totals_now[key] = compute_decision_score(rated_values(criteria, option.values)).value
        totals_new[key] = compute_decision_score(
            rated_values(criteria, option.values | {criterion.pk: new})
        ).value
    ranks_now, ranks_new = rank(totals_now), rank(totals_new)
    rows = [
        PreviewRow(
            opportunity=option.opportunity,
            raw=""
            if option.raw is None
            else amount_text(option.raw, kind=kind, unit=unit)
            + (" a year" if kind == PAY_KIND else ""),
            score_now=option.values.get(criterion.pk),
            score_new=new_scores[option.opportunity.pk],
            set_by_hand=option.overridden,
            total_now=totals_now[option.opportunity.pk],
            total_new=totals_new[option.opportunity.pk],
            rank_now=ranks_now[option.opportunity.pk],
            rank_new=ranks_new[option.opportunity.pk],
        )
        for option in options
    ]
    rows.sort(key=lambda row: (row.rank_now, row.rank_new))
    shown = rows[:MAX_PREVIEW_ROWS]
    listed = {row.opportunity.pk for row in shown}
    return CurvePreview(
        curve=candidate,
        chart=chart(
            candidate,
            kind=kind,
            unit=unit,
            dots=[
                (option.raw, option.opportunity.title)
                for option in options
                if option.raw is not None and option.opportunity.pk in listed
            ],
        ),
        rows=shown,
        hidden=len(rows) - len(shown),
        changed=sum(1 for row in rows if row.score_moves),
        reordered=any(row.rank_moves for row in rows),
    )


# --- Frozen with a checkpoint -----------------------------------------------------------------


def frozen_curves(
    opportunity: Opportunity,
    *,
    criteria: Iterable[Criterion],
    scores: Iterable[Score],
) -> dict[str, object]:
    """``Evaluation.curves`` for a checkpoint of ``opportunity``: for the Pay criterion
    and every number criterion among ``criteria`` (the active ones) with a curve, keyed
    by the criterion's id as text, :func:`curves.core.freeze_entry` with the number it
    scored (the comparable pay a year for Pay, the score's amount for a number). At most
    one query (the pay settings, when there is a Pay criterion)."""
    curved = [criterion for criterion in criteria if is_curved(criterion)]
    if not curved:
        return {}
    amounts = {score.criterion_id: score.amount for score in scores}
    profile: Profile | None = None
    frozen: dict[str, object] = {}
    for criterion in curved:
        if criterion.kind == CriterionKind.PAY:
            if profile is None:
                profile = pay_profile(opportunity.owner_id)
            curve = curve_of(criterion, profile)
            breakdown = comparable_pay(opportunity, profile).breakdown
            amount = None if breakdown is None else breakdown.annual
            kind, unit = PAY_KIND, profile.currency
        else:
            curve = number_curve(
                worst=criterion.worst,
                best=criterion.best,
                shape=criterion.curve,
                bend=criterion.curve_bend,
                threshold=criterion.curve_threshold,
            )
            amount, kind, unit = amounts.get(criterion.pk), "number", criterion.unit
        if curve is not None:
            frozen[str(criterion.pk)] = freeze_entry(
                curve, name=criterion.name, kind=kind, unit=unit, amount=amount
            )
    return frozen


def frozen_sentence(frozen: FrozenCurve) -> str:
    """A frozen curve that was not the straight line, in words ("" for a straight one):
    "Pay was scored on a curve that levels off, from USD 50,000 (0) to USD 80,000 (10)"."""
    curve = frozen.curve
    if curve.is_default or curve.degenerate:
        return ""

    def said(value: Decimal) -> str:
        return amount_text(value, kind=frozen.kind, unit=frozen.unit)

    scale = f"from {said(curve.worst)} (0) to {said(curve.best)} (10)"
    if curve.shape == SATURATING:
        sentence = f"{frozen.name} was scored on a curve that levels off, {scale}"
    elif curve.shape == THRESHOLD:
        enough = curve.best if curve.threshold is None else curve.threshold
        sentence = (
            f"{frozen.name} was scored as enough or not: 10 from {said(enough)}, "
            f"0 short of it (its scale ran {scale})"
        )
    else:  # pragma: no cover - every shape is named above
        return ""
    if frozen.amount is not None:
        per = " a year" if frozen.kind == PAY_KIND else ""
        sentence += f"; {said(frozen.amount)}{per} scored {curve.score(frozen.amount)}"
    return sentence + "."


def curves_then(checkpoint: Evaluation) -> list[str]:
    """The curves ``checkpoint`` was scored on that were not straight lines, in words (no
    query); nothing when its copy cannot be read (the page shows nothing rather than
    fail)."""
    try:
        frozen = read_frozen_curves(checkpoint.curves or {})
    except CurveError:
        return []
    return [sentence for entry in frozen.values() if (sentence := frozen_sentence(entry))]
