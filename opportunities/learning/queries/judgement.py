"""How well I judge: the reads behind the page, in two queries however many decisions,
forecasts and check-ins a user holds (the forecasts; the check-ins done, with what was
frozen with their decision). The arithmetic is ``learning.core``'s; this module fetches
and shapes."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from opportunities.learning.core import (
    FORECAST_TEMPLATES,
    GUT_VALUES,
    MIN_SAMPLE,
    Band,
    Case,
    Predictor,
    PredictorComparison,
    PredictorRecord,
    Rate,
    Rescore,
    Resolved,
    Tendency,
    brier_score,
    calibration,
    compare_predictors,
    tendencies,
)
from opportunities.models import CheckIn, Forecast, Owner, Resolution

OWN_WORDS = "In your own words"
"""The label of forecasts written without a suggested template."""


def percent(value: float | None) -> str:
    """ "80%", or "–" for nothing."""
    return "\N{EN DASH}" if value is None else f"{value:.0%}"


@dataclass(frozen=True, slots=True)
class BandRow:
    """A calibration band as the table shows it."""

    band: Band

    @property
    def stated(self) -> str:
        return percent(self.band.mean_stated)

    @property
    def came_true(self) -> str:
        return percent(self.band.rate.value)

    @property
    def likely(self) -> str:
        interval = self.band.rate.interval
        if interval is None:
            return ""
        return f"{percent(interval[0])}\N{EN DASH}{percent(interval[1])}"


@dataclass(frozen=True, slots=True)
class PredictorRow:
    """A predictor as the table shows it: its decisions and its agreement with gladness."""

    record: PredictorRecord
    best: bool

    @property
    def agreement(self) -> str:
        """ "+0.83", or "" when withheld (too few decisions, or no variation to rank)."""
        value = self.record.agreement
        return "" if value is None else f"{value:+.2f}".replace("-", "\N{MINUS SIGN}")


@dataclass(frozen=True, slots=True)
class ForecastKind:
    """The forecasts of one kind (one template, or the user's own words), resolved."""

    label: str
    rate: Rate
    """How many came true, of how many resolved."""
    mean_stated: float
    """Their mean stated probability, 0-1."""
    brier: float | None
    """Their Brier score, only from ``MIN_SAMPLE`` resolved on."""

    @property
    def stated(self) -> str:
        return percent(self.mean_stated)

    @property
    def came_true(self) -> str:
        return percent(self.rate.value)


@dataclass(frozen=True, slots=True)
class NamedTendency:
    name: str
    tendency: Tendency

    @property
    def gap(self) -> str:
        """ "1.3 points higher before deciding than lived, on average"."""
        gap = self.tendency.mean_gap
        if round(gap, 1) == 0:
            return "scored as lived, on average"
        side = "higher" if gap > 0 else "lower"
        return f"{abs(gap):.1f} points {side} before deciding than lived, on average"

    @property
    def sentence(self) -> str:
        t = self.tendency
        if not t.said:
            return ""
        return (
            f"You tend to {t.direction} {self.name} before deciding by about "
            f"{t.points} point{'s' if t.points != 1 else ''}."
        )


@dataclass(frozen=True, slots=True)
class Judgement:
    resolved: int
    """Forecasts resolved true or false."""
    unknown: int
    """Resolved as "can't tell yet"."""
    open: int
    """Not resolved at all yet."""
    bands: list[Band]
    brier: float | None
    kinds: list[ForecastKind]
    comparison: PredictorComparison
    cases: int
    """Decisions with a "glad I did it" score from a check-in."""
    tendencies: list[NamedTendency]
    rescored: int
    """Check-ins that re-scored at least one criterion."""
    chart: dict[str, Any]

    @property
    def band_rows(self) -> list[BandRow]:
        return [BandRow(band) for band in self.bands]

    @property
    def predictor_rows(self) -> list[PredictorRow]:
        best = self.comparison.best
        return [PredictorRow(r, r.predictor == best) for r in self.comparison.records]

    @property
    def waiting(self) -> int:
        return self.unknown + self.open

    @property
    def empty(self) -> bool:
        """Nothing to show yet: no resolved forecast, no glad score, no re-score."""
        return not (self.resolved or self.cases or self.rescored)

    @property
    def any_band_rated(self) -> bool:
        return any(band.rate.enough for band in self.bands)

    @property
    def best_sentence(self) -> str:
        best = self.comparison.best
        if best is None:
            return ""
        others = [
            r for r in self.comparison.records if r.predictor != best and r.agreement is not None
        ]
        record = next(r for r in self.comparison.records if r.predictor == best)
        over = f"over {record.count} decision{'s' if record.count != 1 else ''}"
        if not others:
            return (
                f"Only {_lower(record.name)} can be judged so far: {over}, it agreed with "
                f"how glad you were at {PredictorRow(record, True).agreement}."
            )
        rivals = " and ".join(_lower(r.name) for r in others)
        return f"{record.name} has foreseen how glad you were better than {rivals}, {over}."

    @property
    def predictors_needed(self) -> int:
        """More decisions with a check-in needed before any predictor can be judged."""
        return min(record.needed for record in self.comparison.records)

    @property
    def tendencies_said(self) -> list[NamedTendency]:
        return [t for t in self.tendencies if t.tendency.said]


def _lower(name: str) -> str:
    """ "The matrix" → "the matrix" inside a sentence."""
    return name[0].lower() + name[1:]


def _number(value: Any) -> float | None:
    """A finite number from the frozen JSON, else None (bools and text are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _score(value: Any) -> int | None:
    """A score 0-10 from the frozen JSON, else None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        return None
    return value


def predictions(frozen: Any, gut_check: str = "") -> dict[Predictor, float | None]:
    """What each predictor said, from ``Commitment.predictors`` (see
    ``learning.services.commit``): the matrix's decision score 0-100, the gut's answer as
    ``GUT_VALUES`` (the decision's own gut check when none was frozen), the friends' share
    saying they would take it 0-1. Anything missing or malformed says nothing."""
    frozen = frozen if isinstance(frozen, Mapping) else {}
    matrix = frozen.get("matrix")
    gut = frozen.get("gut")
    friends = frozen.get("friends")
    score = _number(matrix.get("score")) if isinstance(matrix, Mapping) else None
    answer = gut.get("answer") if isinstance(gut, Mapping) else gut
    share = _number(friends.get("share")) if isinstance(friends, Mapping) else None
    if not isinstance(answer, str) or answer not in GUT_VALUES:
        answer = gut_check
    return {
        "matrix": score if score is not None and 0 <= score <= 100 else None,
        "gut": GUT_VALUES.get(answer),
        "friends": share if share is not None and 0 <= share <= 1 else None,
    }


def _kinds(
    resolved: Sequence[tuple[str, Resolved]], labels: Mapping[str, str]
) -> list[ForecastKind]:
    """Calibration per kind of judgement: each suggested template, then the user's own
    words (PredictionBook #130), the most used first."""
    grouped: dict[str, list[Resolved]] = {}
    for template, forecast in resolved:
        grouped.setdefault(template, []).append(forecast)
    kinds = [
        ForecastKind(
            label=labels.get(template, template.replace("_", " ").capitalize())
            if template
            else OWN_WORDS,
            rate=Rate(sum(f.came_true for f in items), len(items)),
            mean_stated=sum(f.probability for f in items) / 100 / len(items),
            brier=brier_score(items) if len(items) >= MIN_SAMPLE else None,
        )
        for template, items in grouped.items()
    ]
    return sorted(kinds, key=lambda k: (-k.rate.count, k.label == OWN_WORDS, k.label))


def _chart(bands: Sequence[Band]) -> dict[str, Any]:
    """The calibration chart's figures, in percent: per band its mean stated probability,
    how often it came true and the likely range, only where the band holds enough."""

    def pct(value: float | None) -> float | None:
        return None if value is None else round(value * 100, 1)

    rated = [band for band in bands if band.rate.enough]
    return {
        "labels": [band.label for band in rated],
        "stated": [pct(band.mean_stated) for band in rated],
        "came_true": [pct(band.rate.value) for band in rated],
        "likely": [
            [pct(low), pct(high)] for band in rated for low, high in [band.rate.interval or (0, 1)]
        ],
        "counts": [band.rate.count for band in rated],
    }


def _glad_cases(rows: Sequence[tuple[Any, ...]]) -> list[Case]:
    """One case per decision: its predictors and the glad score of its latest check-in
    done that has one."""
    latest: dict[int, tuple[date, int, int, Any, str]] = {}
    for decision_id, glad, done_on, pk, _rescored, frozen, gut_check in rows:
        if glad is None:
            continue
        key = (done_on, pk)
        held = latest.get(decision_id)
        if held is None or key > (held[0], held[1]):
            latest[decision_id] = (done_on, pk, glad, frozen, gut_check)
    return [
        Case(predictions(frozen, gut_check), glad)
        for _, _, glad, frozen, gut_check in latest.values()
    ]


def _rescores(rows: Sequence[tuple[Any, ...]]) -> tuple[list[Rescore], dict[str, str], int]:
    """Every re-score of the check-ins done (malformed entries skipped), each criterion's
    newest name, and how many check-ins re-scored anything."""
    found: list[Rescore] = []
    names: dict[str, tuple[tuple[date, int], str]] = {}
    rescoring = 0
    for _decision_id, _glad, done_on, pk, rescored, _frozen, _gut in rows:
        if not isinstance(rescored, Mapping):
            continue
        counted = False
        for key, item in rescored.items():
            if not isinstance(item, Mapping):
                continue
            expected, lived = _score(item.get("expected")), _score(item.get("lived"))
            if expected is None or lived is None:
                continue
            found.append(Rescore(str(key), expected, lived))
            counted = True
            name = item.get("name")
            if (
                isinstance(name, str)
                and name
                and (str(key) not in names or (done_on, pk) > names[str(key)][0])
            ):
                names[str(key)] = ((done_on, pk), name)
        rescoring += counted
    return found, {key: name for key, (_, name) in names.items()}, rescoring


def judgement(user: Owner) -> Judgement:
    """Everything the page "How well I judge" shows, in two queries."""
    forecasts = list(
        Forecast.objects.for_user(user).values_list("probability", "resolution", "template")
    )
    resolved = [
        (template, Resolved(min(100, probability), resolution == Resolution.TRUE))
        for probability, resolution, template in forecasts
        if resolution in (Resolution.TRUE, Resolution.FALSE)
    ]
    unknown = sum(resolution == Resolution.UNKNOWN for _, resolution, _ in forecasts)
    rows = list(
        CheckIn.objects.for_user(user)
        .filter(done_on__isnull=False)
        .values_list(
            "decision_id",
            "glad",
            "done_on",
            "pk",
            "rescored",
            "decision__commitment__predictors",
            "decision__gut_check",
        )
    )
    cases = _glad_cases(rows)
    rescores, names, rescoring = _rescores(rows)
    bands = calibration(forecast for _, forecast in resolved)
    named = [
        NamedTendency(names.get(str(t.criterion), "A criterion"), t) for t in tendencies(rescores)
    ]
    return Judgement(
        resolved=len(resolved),
        unknown=unknown,
        open=len(forecasts) - len(resolved) - unknown,
        bands=bands,
        brier=brier_score(forecast for _, forecast in resolved),
        kinds=_kinds(resolved, {t.key: t.statement for t in FORECAST_TEMPLATES}),
        comparison=compare_predictors(cases),
        cases=len(cases),
        tendencies=named,
        rescored=rescoring,
        chart=_chart(bands),
    )
