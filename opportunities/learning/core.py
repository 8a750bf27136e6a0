"""How well I judge: the arithmetic of forecasts, check-ins and predictors, pure.

Nothing here touches the database. ``learning.queries`` fetches the resolved forecasts,
the check-ins and what was frozen with each decision, and these functions turn them into
the page "How well I judge".

Honest with small numbers
    A percentage over three forecasts says more about luck than about judgement. Every
    figure carries its count; a rate is only given from :data:`MIN_SAMPLE` cases on
    ("3 of 5 needed" below that), and then with its 95 % Wilson score interval, which
    stays inside 0-100 % and is sensible for small samples (unlike the normal
    approximation, which gives "0 % ± 0" for 0 of 5).

Calibration
    Resolved forecasts (true or false; "can't tell yet" is not resolved) are put in
    bands of stated probability (0-20 %, 20-40 %, ..., 80-100 %; each band holds its
    lower bound, the last both). A well-calibrated person's 80 % statements come true
    about 80 % of the time. The Brier score is the mean of (p - outcome)², 0 the best, 0.25
    what always saying 50 % earns, 1 the worst.

Predictors
    Three predictors are frozen with every decision: the matrix (the chosen option's
    decision score 0-100), the gut (the "does it feel right?" answer: yes 1, unsure 0.5,
    no 0) and the friends (the share of friends who said they would take it). The
    outcome each is held against is the latest "glad I did it" 0-10 of a check-in. A
    predictor's agreement is the Spearman rank correlation between it and the outcome
    over the decisions where both are known (ties take their average rank); the best
    predictor is the one whose correlation is highest, and none is named below
    :data:`MIN_SAMPLE` decisions.

Over- and under-scoring
    A check-in re-scores the chosen option's criteria against reality. For each
    criterion, the mean of (score before deciding - score lived) over the check-ins says
    whether it tends to be overrated before deciding; said from :data:`MIN_RESCORES`
    re-scores on, and only when the mean is at least :data:`TENDENCY_POINTS` in size.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

MIN_SAMPLE: Final = 5
"""Cases needed before a rate (a calibration band, a predictor's agreement) is given."""

MIN_RESCORES: Final = 3
"""Re-scores of a criterion needed before a tendency to over- or under-rate it is said."""

TENDENCY_POINTS: Final = 1.0
"""The least mean gap (points 0-10) worth calling a tendency."""

BANDS: Final = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 100))
"""Bands of stated probability, in percent."""

CHECK_IN_MONTHS: Final = (3, 6, 12)
"""When a decision is looked back on, in months after it was taken."""

_Z = 1.959963984540054
"""The 97.5th percentile of the standard normal: a 95 % interval."""


# --- Dates --------------------------------------------------------------------------------------


def months_after(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on; a day past the month's end becomes
    its last day (31 January + 1 month = 28 or 29 February)."""
    if months < 0:
        raise ValueError("months must be 0 or more")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def check_in_dates(decided_on: date) -> list[tuple[int, date]]:
    """The dates of the regular check-ins after a decision: (months, date)."""
    return [(months, months_after(decided_on, months)) for months in CHECK_IN_MONTHS]


type CheckInState = Literal["done", "due", "upcoming"]

CHECK_IN_WHEN: Final[Mapping[str, str]] = {
    "3m": "3 months on",
    "6m": "6 months on",
    "12m": "12 months on",
    "kill": "on a kill criterion",
}
"""How a check-in of each kind (``CheckInKind``) is named in a sentence."""


def check_in_state(*, due_on: date, done_on: date | None, today: date) -> CheckInState:
    """Done (whenever it was done, early or late), due (its day has come), or upcoming."""
    if done_on is not None:
        return "done"
    return "due" if due_on <= today else "upcoming"


def check_in_title(kind: str, glad: int | None) -> str:
    """The title of a check-in's entry in the story: "Check-in 3 months on: glad 8 of 10"."""
    title = f"Check-in {CHECK_IN_WHEN.get(kind, kind)}"
    return title if glad is None else f"{title}: glad {glad} of 10"


# --- Small samples ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rate:
    """``hits`` of ``count``, with the rate and its interval only from ``MIN_SAMPLE`` on."""

    hits: int
    count: int

    def __post_init__(self) -> None:
        if not 0 <= self.hits <= self.count:
            raise ValueError(f"hits must be within 0-{self.count}, got {self.hits}")

    @property
    def enough(self) -> bool:
        return self.count >= MIN_SAMPLE

    @property
    def needed(self) -> int:
        """How many more cases before a rate is given (0 when enough)."""
        return max(0, MIN_SAMPLE - self.count)

    @property
    def value(self) -> float | None:
        return self.hits / self.count if self.enough else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.hits, self.count) if self.enough else None

    @property
    def display(self) -> str:
        """ "4 of 6 (67 %, 30–90 %)", or "2 of 3 (3 of 5 needed for a rate)"."""
        if not self.enough:
            return f"{self.hits} of {self.count} ({self.count} of {MIN_SAMPLE} needed for a rate)"
        low, high = self.interval or (0.0, 1.0)
        return (
            f"{self.hits} of {self.count} ({self.hits / self.count:.0%}, "
            f"likely {low:.0%}\N{EN DASH}{high:.0%})"
        )


def wilson_interval(hits: int, count: int, *, z: float = _Z) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default). ``count`` > 0."""
    if count <= 0:
        raise ValueError("an interval needs at least one case")
    if not 0 <= hits <= count:
        raise ValueError(f"hits must be within 0-{count}")
    p = hits / count
    denominator = 1 + z * z / count
    centre = (p + z * z / (2 * count)) / denominator
    spread = z * math.sqrt(p * (1 - p) / count + z * z / (4 * count * count)) / denominator
    # None came true: the interval starts at 0 exactly (and all: ends at 1), not a rounding off.
    low = 0.0 if hits == 0 else max(0.0, centre - spread)
    high = 1.0 if hits == count else min(1.0, centre + spread)
    return low, high


# --- Calibration --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved forecast: the stated probability (percent) and whether it came true."""

    probability: int
    came_true: bool

    def __post_init__(self) -> None:
        if isinstance(self.probability, bool) or not 0 <= self.probability <= 100:
            raise ValueError(f"a probability must be 0-100 %, got {self.probability!r}")


def brier_score(forecasts: Iterable[Resolved]) -> float | None:
    """The mean squared gap between stated probability and outcome; None without any."""
    items = list(forecasts)
    if not items:
        return None
    return sum((f.probability / 100 - f.came_true) ** 2 for f in items) / len(items)


@dataclass(frozen=True, slots=True)
class Band:
    """Forecasts stated between ``low`` and ``high`` percent, and how often they came true."""

    low: int
    high: int
    rate: Rate
    mean_stated: float | None
    """The mean stated probability of the band's forecasts (0-1), None when empty."""

    @property
    def label(self) -> str:
        return f"{self.low}\N{EN DASH}{self.high} %"


def _band_of(probability: int) -> int:
    for index, (low, high) in enumerate(BANDS):
        if low <= probability < high:
            return index
    return len(BANDS) - 1


def calibration(forecasts: Iterable[Resolved]) -> list[Band]:
    """One :class:`Band` per band of :data:`BANDS`, empty ones included."""
    grouped: dict[int, list[Resolved]] = defaultdict(list)
    for forecast in forecasts:
        grouped[_band_of(forecast.probability)].append(forecast)
    bands = []
    for index, (low, high) in enumerate(BANDS):
        items = grouped[index]
        bands.append(
            Band(
                low=low,
                high=high,
                rate=Rate(sum(f.came_true for f in items), len(items)),
                mean_stated=(sum(f.probability for f in items) / 100 / len(items))
                if items
                else None,
            )
        )
    return bands


# --- Predictors against outcomes ----------------------------------------------------------------

type Predictor = Literal["matrix", "gut", "friends"]
PREDICTORS: Final[tuple[Predictor, ...]] = ("matrix", "gut", "friends")
PREDICTOR_NAMES: Final[Mapping[Predictor, str]] = {
    "matrix": "The matrix",
    "gut": "Your gut",
    "friends": "Your friends",
}
GUT_VALUES: Final = {"yes": 1.0, "unsure": 0.5, "no": 0.0}


@dataclass(frozen=True, slots=True)
class Case:
    """One decision: what each predictor said (None where it said nothing) and how glad
    the person turned out to be (0-10)."""

    predictions: Mapping[Predictor, float | None]
    glad: int


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties given their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation, -1 to 1; None with fewer than two cases or when
    either side does not vary (a correlation is then undefined)."""
    if len(xs) != len(ys):
        raise ValueError("both sides need the same number of cases")
    if len(xs) < 2:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


@dataclass(frozen=True, slots=True)
class PredictorRecord:
    predictor: Predictor
    count: int
    agreement: float | None
    """Spearman's correlation with gladness; None below ``MIN_SAMPLE`` or when undefined."""

    @property
    def name(self) -> str:
        return PREDICTOR_NAMES[self.predictor]

    @property
    def needed(self) -> int:
        return max(0, MIN_SAMPLE - self.count)


@dataclass(frozen=True, slots=True)
class PredictorComparison:
    records: tuple[PredictorRecord, ...]
    best: Predictor | None
    """The predictor that best foresaw gladness; None when none has enough cases, or the
    best ties with another."""


def compare_predictors(cases: Iterable[Case]) -> PredictorComparison:
    """Each predictor's agreement with the outcomes, and which foresaw them best."""
    cases = list(cases)
    records = []
    for predictor in PREDICTORS:
        pairs = [
            (value, case.glad)
            for case in cases
            if (value := case.predictions.get(predictor)) is not None
        ]
        agreement = None
        if len(pairs) >= MIN_SAMPLE:
            agreement = spearman([p for p, _ in pairs], [g for _, g in pairs])
        records.append(PredictorRecord(predictor, len(pairs), agreement))
    scored = sorted(
        (r for r in records if r.agreement is not None),
        key=lambda r: -(r.agreement or 0.0),
    )
    best = None
    if scored and (len(scored) == 1 or scored[0].agreement != scored[1].agreement):
        best = scored[0].predictor
    return PredictorComparison(tuple(records), best)


# --- Over- and under-scoring --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rescore:
    """A criterion's score before deciding and as lived, from one check-in."""

    criterion: Hashable
    expected: int
    lived: int


@dataclass(frozen=True, slots=True)
class Tendency:
    criterion: Hashable
    count: int
    mean_gap: float
    """Mean of expected - lived: positive when rated too high before deciding."""

    @property
    def said(self) -> bool:
        """Enough re-scores, and a gap big enough to call a tendency."""
        return self.count >= MIN_RESCORES and abs(self.mean_gap) >= TENDENCY_POINTS

    @property
    def direction(self) -> Literal["overrate", "underrate", ""]:
        if not self.said:
            return ""
        return "overrate" if self.mean_gap > 0 else "underrate"

    @property
    def points(self) -> int:
        """The gap as the sentence says it: "by about 2 points"."""
        return max(1, round(abs(self.mean_gap)))


def tendencies(rescores: Iterable[Rescore]) -> list[Tendency]:
    """One tendency per criterion re-scored, the largest gap first."""
    gaps: dict[Hashable, list[int]] = defaultdict(list)
    for rescore in rescores:
        for value in (rescore.expected, rescore.lived):
            if isinstance(value, bool) or not 0 <= value <= 10:
                raise ValueError(f"a score must be 0-10, got {value!r}")
        gaps[rescore.criterion].append(rescore.expected - rescore.lived)
    result = [
        Tendency(criterion, len(values), sum(values) / len(values))
        for criterion, values in gaps.items()
    ]
    return sorted(result, key=lambda t: -abs(t.mean_gap))


# --- The decision-quality check ------------------------------------------------------------------

QUALITY_ORDER: Final = {"weak": 0, "ok": 1, "strong": 2}


def weakest(answers: Mapping[str, str]) -> list[str]:
    """The questions answered at the lowest level given (all of them on a tie), in the
    order given; none when nothing was answered or everything is strong."""
    given = {q: a for q, a in answers.items() if a in QUALITY_ORDER}
    if not given:
        return []
    lowest = min(QUALITY_ORDER[a] for a in given.values())
    if lowest == QUALITY_ORDER["strong"]:
        return []
    return [q for q, a in given.items() if QUALITY_ORDER[a] == lowest]


QUALITY_QUESTIONS: Final = (
    ("frame", "the right frame"),
    ("alternatives", "real alternatives, staying as I am included"),
    ("information", "the information that matters"),
    ("values", "clear values"),
    ("reasoning", "sound reasoning"),
    ("commitment", "commitment to act"),
)
"""The six questions of the decision-quality check (``Commitment``'s fields, in order),
each with the words that name it in a sentence."""


def weakest_sentence(answers: Mapping[str, str]) -> str:
    """ "Weakest: the information that matters" (the ties joined with "and"), or "" when
    nothing was answered or everything is strong."""
    names = dict(QUALITY_QUESTIONS)
    named = [names.get(question, question) for question in weakest(answers)]
    if not named:
        return ""
    joined = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
    return f"Weakest: {joined}"


# --- Forecasts ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ForecastTemplate:
    """A suggested forecast: its words, and when it resolves (months after deciding)."""

    key: str
    statement: str
    months: int


FORECAST_TEMPLATES: Final = (
    ForecastTemplate("glad_6m", "I'm still glad I did it at 6 months", 6),
    ForecastTemplate("glad_12m", "I'm still glad I did it at 12 months", 12),
    ForecastTemplate("paid_target_12m", "I'm paid at least my target within a year", 12),
    ForecastTemplate("still_there_12m", "I'm still there in a year", 12),
    ForecastTemplate("grown_12m", "I have learned something that matters within a year", 12),
)
"""The suggestions offered in the commit step; ``Forecast.template`` keeps the key."""

OWN_WORDS_MONTHS: Final = 12
"""When a forecast in the user's own words resolves, unless they say."""


def forecast_template(key: str) -> ForecastTemplate | None:
    return next((template for template in FORECAST_TEMPLATES if template.key == key), None)


def resolves_on(decided_on: date, template: str = "") -> date:
    """The day a forecast resolves by default: its template's months after the decision,
    :data:`OWN_WORDS_MONTHS` for one in the user's own words."""
    found = forecast_template(template)
    return months_after(decided_on, found.months if found else OWN_WORDS_MONTHS)
