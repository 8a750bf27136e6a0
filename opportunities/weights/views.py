"""The swing weighting page: weights set from the options actually on the table.

For each criterion, its swing from the worst to the best score among the chosen options;
the person orders the swings (which improvement they would want most), rates the first
100 and each other relative to it, and sees the 0-10 weights that follow and how the
ranking of the options changes, before using them (or only keeping the answers).

The options travel as ``?ids=3,7,9`` (the comparison's selection). The answers are a
plain form: move buttons and "Show the weights" re-render the page without JavaScript;
with it, the rows move in place and every change asks ``swing_preview`` for the results.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from opportunities.compare.core import MAX_SELECTION, Selection, parse_selection, selection_param
from opportunities.models import Criterion
from opportunities.scoring.core import DecisionScore, Weight, score_option
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.page_cache import cacheable
from opportunities.weights import services
from opportunities.weights.core import RATING_MAX, ranking_of, ratings_from_weights, swing_weights
from opportunities.weights.forms import SwingForm
from opportunities.weights.queries.swing import (
    SwingData,
    SwingOption,
    SwingRow,
    load_swing,
    swing_gaps,
    swing_rows,
)

TEMPLATE = "opportunities/weights/swing.html"


@dataclass(frozen=True, slots=True)
class WeightResult:
    criterion: Criterion
    now: int
    then: int

    @property
    def changed(self) -> bool:
        return self.now != self.then


@dataclass(frozen=True, slots=True)
class RankResult:
    title: str
    is_status_quo: bool
    now: DecisionScore
    now_rank: int
    then: DecisionScore
    then_rank: int

    @property
    def moved(self) -> int:
        """Places gained (positive) or lost with the swing weights."""
        return self.now_rank - self.then_rank


def _url(ids: Sequence[int]) -> str:
    return f"{reverse('opportunities:swing')}?ids={selection_param(ids)}"


def _starting_ratings(data: SwingData, swung: Sequence[SwingRow]) -> dict[int, int]:
    """Where the answers start: the latest swing answers when they were given over these
    same options and swings, else the current weights as ratings (so that saving them
    unchanged keeps the weights' proportions)."""
    keys = [row.key for row in swung]
    latest = data.latest
    same_options = latest is not None and {
        o.get("id") for o in latest.options if isinstance(o, dict)
    } == {o.key for o in data.options}
    if latest is not None and same_options:
        answered: dict[Any, int] = {
            a.get("criterion"): rating
            for a in latest.answers
            if isinstance(a, dict) and isinstance(rating := a.get("rating"), int)
        }
        if set(answered) == set(keys) and all(0 <= r <= RATING_MAX for r in answered.values()):
            return {key: answered[key] for key in keys}
    weights: dict[Hashable, int] = {row.key: row.criterion.weight for row in swung}
    ratings = ratings_from_weights(weights)
    return {key: ratings[key] for key in keys}


def _results(data: SwingData, rows: Sequence[SwingRow], ratings: Mapping[int, int]) -> dict:
    """The weights the ratings give (beside the current ones) and the ranking before and
    after."""
    implied = swing_weights(
        {row.key: ratings.get(row.key) if row.differs else None for row in rows}
    )
    current: dict[Hashable, Weight] = {c.pk: c.weight for c in data.criteria}
    then: dict[Hashable, Weight] = dict(implied)
    options: dict[Hashable, SwingOption] = {option.key: option for option in data.options}
    now_scores = {key: score_option(option.scores, current) for key, option in options.items()}
    then_scores = {key: score_option(option.scores, then) for key, option in options.items()}
    before = {
        key: rank
        for rank, key in enumerate(
            ranking_of({key: score.value for key, score in now_scores.items()}), start=1
        )
    }
    after = ranking_of({key: score.value for key, score in then_scores.items()})
    return {
        "implied": {row.key: implied[row.key] for row in rows},
        "weights": [
            WeightResult(criterion=row.criterion, now=row.criterion.weight, then=implied[row.key])
            for row in rows
        ],
        "ranks": [
            RankResult(
                title=options[key].title,
                is_status_quo=options[key].is_status_quo,
                now=now_scores[key],
                now_rank=before[key],
                then=then_scores[key],
                then_rank=rank,
            )
            for rank, key in enumerate(after, start=1)
        ],
        "all_zero": not any(implied.values()),
    }


def _context(
    request: AuthenticatedHttpRequest, selection: Selection | None, posted: QueryDict | None
) -> dict[str, Any]:
    data = load_swing(request.user, ids=None if selection is None else selection.ids)
    rows = swing_rows(data.options, data.criteria)
    swung = [row for row in rows if row.differs]
    by_key = {row.key: row for row in swung}
    form = SwingForm(
        posted,
        keys=[row.key for row in swung],
        names={row.key: row.criterion.name for row in swung},
        ratings=_starting_ratings(data, swung),
    )
    results = None
    if len(data.options) >= 2 and swung and (posted is None or form.is_valid()):
        results = _results(data, rows, form.ratings())
    ids = [option.key for option in data.options]
    return {
        "data": data,
        "selection": selection,
        "selected_ids": set(ids),
        "ids_param": selection_param(ids),
        "form": form,
        "swung": [(by_key[key], field) for key, field in form.rows()],
        "flat": [row for row in rows if not row.differs],
        "results": results,
        "gaps": swing_gaps(request.user, data.criteria, version=data.latest, read=True),
        "max_selection": MAX_SELECTION,
        "compare_url": f"{reverse('opportunities:compare')}?ids={selection_param(ids)}",
    }


def _answers(context: dict[str, Any], ratings: Mapping[int, int]) -> list[dict[str, Any]]:
    rows: list[SwingRow] = [row for row, _ in context["swung"]] + context["flat"]
    by_key = {row.key: row for row in rows}
    return [
        {
            "criterion": criterion.pk,
            "worst": by_key[criterion.pk].swing.worst,
            "best": by_key[criterion.pk].swing.best,
            "rating": ratings.get(criterion.pk) if by_key[criterion.pk].differs else None,
        }
        for criterion in context["data"].criteria
    ]


def _listed(changes: Sequence[services.Change], *, now: str) -> str:
    return ", ".join(f"{c.name} {c.weight} ({now} {c.was})" for c in changes)


@cacheable
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def swing(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The page (GET), and its answers saved (POST ``action=apply`` uses the weights,
    ``action=keep`` only remembers the answers) or shown again (a move, "Show the
    weights", or a problem to fix)."""
    if request.method != "POST":
        raw = request.GET.getlist("ids")
        if len(raw) > 1:  # the chooser's checkboxes send ids=3&ids=7; the link is ids=3,7
            return redirect(_url(parse_selection(raw).ids))
        selection = parse_selection(raw) if "ids" in request.GET else None
        return TemplateResponse(request, TEMPLATE, _context(request, selection, None))
    selection = parse_selection(request.POST.getlist("ids"))
    context = _context(request, selection, request.POST)
    form: SwingForm = context["form"]
    action = request.POST.get("action")
    if action not in ("apply", "keep") or form.moved is not None:
        return TemplateResponse(request, TEMPLATE, context)
    if form.stale and context["swung"]:
        messages.warning(
            request,
            "Your criteria or scores changed since this page was opened, so the swings "
            "below are not quite the ones you answered. Nothing was saved: check the "
            "order and the ratings, then save again.",
        )
        return TemplateResponse(request, TEMPLATE, context)
    if context["results"] is None:
        return TemplateResponse(request, TEMPLATE, context)
    ratings = form.ratings()
    saved = services.save_swing(
        request.user,
        weights=context["results"]["implied"],
        options=[{"id": o.key, "title": o.title} for o in context["data"].options],
        answers=_answers(context, ratings),
        apply=action == "apply",
    )
    if action == "keep":
        said = (
            f" By them: {_listed(saved.changes, now='now')}."
            if saved.changes
            else " They agree with your weights."
        )
        messages.success(request, f"Your swing answers are kept; your weights are unchanged.{said}")
    elif saved.changes:
        messages.success(
            request,
            f"Weights set from your swing answers: {_listed(saved.changes, now='was')}. "
            "Every score now uses them.",
        )
    else:
        messages.info(
            request, "Your weights already are what your swing answers give; nothing changed."
        )
    return redirect("opportunities:criteria")


@require_POST
@login_required
def swing_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The results of the answers as they stand (htmx: the results, and each rating's
    problem beside it out of band); without htmx, the whole page."""
    selection = parse_selection(request.POST.getlist("ids"))
    context = _context(request, selection, request.POST)
    if not request.htmx:
        return TemplateResponse(request, TEMPLATE, context)
    return TemplateResponse(request, f"{TEMPLATE}#preview", context)
