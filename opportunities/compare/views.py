"""The comparison page: several opportunities side by side under the same weights.

The selection and any what-if weights live in the query string (``?ids=3,7,9&w12=8``),
so a comparison is a URL: it can be bookmarked, reloaded and opened on another device.
Moving a what-if slider is an htmx GET of that same URL, answered with the
``#comparison`` fragment and the URL to show; loaded directly, it is the whole page.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import replace_url

from opportunities.compare import queries, services
from opportunities.compare.core import (
    GUT_RANKING_MAX,
    MAX_SELECTION,
    Column,
    ComparedCriterion,
    Comparison,
    Option,
    build_comparison,
    compare_with_gut,
    matrix_table,
    parse_selection,
    selection_key,
    selection_param,
)
from opportunities.compare.forms import GutRankingForm, WhatIfWeightsForm
from opportunities.criteria.queries import active_criteria
from opportunities.friends.core import what_it_would_change
from opportunities.friends.queries import friends_on_options
from opportunities.friends.services import MAX_OPPORTUNITIES_PER_ROUND
from opportunities.models import FINAL_STAGES, Opportunity
from opportunities.scoring.core import CLOSE_CALL_POINTS
from opportunities.uncertainty.core import (
    OptionInput,
    OptionOdds,
    Simulation,
    Suggestion,
    Uncertain,
    simulate,
)
from opportunities.web.htmx import (
    AuthenticatedHttpRequest,
    render_page,
    targeted_partial,
    trigger,
)
from opportunities.weights.queries.money import for_comparison

TEMPLATE = "opportunities/compare/compare.html"
PARTIALS = {"comparison": "comparison_changed", "money-check": "money_check"}
"""A what-if slider redraws the comparison (and the sentence read out about it); choosing
two options to see in money and hours redraws that section."""
GUT_SKIPPED = "compare_gut_skipped"
"""Session key: the selections whose gut ranking the user chose to skip."""


def _url(name: str, ids: Iterable[int], weights: Mapping[int, int] | None = None) -> str:
    query = QueryDict(mutable=True)
    query["ids"] = selection_param(ids)
    for key, weight in (weights or {}).items():
        query[f"w{key}"] = str(weight)
    return f"{reverse(name)}?{query.urlencode(safe=',')}"


def _comparison_context(
    request: AuthenticatedHttpRequest, params: QueryDict, *, friends: bool = True
) -> dict[str, Any]:
    """Everything the page, its fragment and the CSV show, from the query (or POST) data
    (the CSV leaves out what friends said: ``friends=False``)."""
    selection = parse_selection(params.getlist("ids"))
    data = queries.load_comparison(request.user, ids=selection.ids)
    what_if = WhatIfWeightsForm(params, criteria=data.criteria)
    weights = what_if.weights()
    criteria = [
        ComparedCriterion(
            key=criterion.pk,
            name=criterion.name,
            weight=weights[criterion.pk],
            saved_weight=criterion.weight,
            minimum=criterion.minimum,
        )
        for criterion in data.criteria
    ]
    ids = [option.key for option in data.options]
    changed = {criterion.key: criterion.weight for criterion in criteria if criterion.changed}
    comparison = build_comparison(data.options, criteria) if len(data.options) >= 2 else None
    gut = None
    if comparison is not None and data.gut_ranking is not None:
        gut = compare_with_gut(comparison, data.gut_ranking.order)
    flips = []
    if comparison is not None and comparison.sensitivity is not None:
        for flip in comparison.sensitivity.flips:
            try_it = None
            if flip.slider_weight is not None:
                what_if_flip = changed | {flip.criterion.key: flip.slider_weight}
                try_it = _url("opportunities:compare", ids, what_if_flip)
            flips.append((flip, try_it))
    friends_view = None
    if friends and comparison is not None:
        friends_view = _as_friends_see_it(request, data.options, criteria)
    money = gut_fit = None
    if comparison is not None:  # In money and hours; the weight that fits the gut ranking.
        money, fit = for_comparison(request.user, data, comparison, params)
        if fit is not None and (found := fit.reconciliation) is not None:
            what_if_fit = changed | {cast(int, found.criterion): found.weight}
            gut_fit = (fit, _url("opportunities:compare", ids, what_if_fit))
    page_url = _url("opportunities:compare", ids, changed)
    if money is not None and money.query:
        page_url += "&" + "&".join(f"{key}={value}" for key, value in money.query.items())
    odds = None
    if friends and comparison is not None:  # The CSV leaves the plausible cases out too.
        odds = _odds(data.options, criteria, data.ranges, comparison, page_url)
    return {
        "selection": selection,
        "data": data,
        "selected_ids": set(ids),
        "ids_param": selection_param(ids),
        "criteria": criteria,
        "unreadable_weights": what_if.unreadable(),
        "comparison": comparison,
        "flips": flips,
        "gut": gut,
        "gut_ranking": data.gut_ranking,
        "gut_fit": gut_fit,
        "money": money,
        "gut_offered": comparison is not None and len(ids) <= GUT_RANKING_MAX,
        "chart_json": json.dumps(comparison.chart_data()) if comparison is not None else "",
        "page_url": page_url,
        "odds": odds,
        "reset_url": _url("opportunities:compare", ids),
        "export_url": _url("opportunities:compare_export", ids, changed),
        "close_call_points": CLOSE_CALL_POINTS,
        "max_selection": MAX_SELECTION,
        "friends": friends_view,
        "ask_friends_url": (
            f"{reverse('opportunities:friends_round_create')}?ids={selection_param(ids)}"
            if len(ids) <= MAX_OPPORTUNITIES_PER_ROUND
            else None
        ),
        "max_asked": MAX_OPPORTUNITIES_PER_ROUND,
    }


QUESTION_MAX = 300
"""Question.text's length: a suggested question is never longer."""

SUGGESTIONS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class FindOut:
    """A "find out next" suggestion as the page offers it, with its "Add as a question"."""

    suggestion: Suggestion
    option_key: int
    criterion_key: int
    question: str


def _question(criterion: str, title: str) -> str:
    text = f"What is the {criterion} like at {title}, really?"
    return (
        text
        if len(text) <= QUESTION_MAX
        else f"What is the {criterion} like there, really?"[:QUESTION_MAX]
    )


def _odds(
    options: Sequence[Option],
    criteria: Sequence[ComparedCriterion],
    ranges: Mapping[int, Mapping[Any, tuple[int, int]]],
    comparison: Comparison,
    page_url: str,
) -> dict[str, Any] | None:
    """How likely each option is to come out on top given the unsure scores' ranges (under
    the weights in effect, what-if ones included), or None when no compared score has one."""
    weights: dict[Hashable, float] = {criterion.key: criterion.weight for criterion in criteria}
    if not any(key in weights for option in options for key in ranges.get(option.key, {})):
        return None
    inputs = []
    for option in options:
        own = ranges.get(option.key, {})
        scores: dict[Hashable, Uncertain] = {}
        for key in weights:
            score = option.scores.get(key)
            low, high = own.get(key, (None, None))
            scores[key] = Uncertain(score, low, high) if score is not None else Uncertain(None)
        inputs.append(OptionInput(key=option.key, title=option.title, scores=scores))
    by_criterion: dict[Hashable, ComparedCriterion] = {c.key: c for c in criteria}
    by_option: dict[Hashable, Option] = {option.key: option for option in options}
    names: dict[Hashable, str] = {key: criterion.name for key, criterion in by_criterion.items()}
    status_quo = next((option.key for option in options if option.is_status_quo), None)
    result: Simulation = simulate(
        inputs,
        weights,
        {criterion.key: criterion.minimum for criterion in criteria},
        status_quo=status_quo,
        names=names,
    )
    sensitivity = comparison.sensitivity
    note = ""
    if sensitivity is not None and not sensitivity.tied:
        note = result.close_call_note(
            sensitivity.leader.option.key, close_call=sensitivity.close_call
        )
    order: dict[Hashable, int] = {c.option.key: index for index, c in enumerate(comparison.ranking)}
    rows = sorted(result.options, key=lambda odds: (-odds.p_first, order[odds.key]))
    return {
        "simulation": result,
        "rows": rows,
        "note": note,
        "find_out": [
            FindOut(
                suggestion=suggestion,
                option_key=by_option[suggestion.option_key].key,
                criterion_key=by_criterion[suggestion.criterion_key].key,
                question=_question(
                    names[suggestion.criterion_key], by_option[suggestion.option_key].title
                ),
            )
            for suggestion in result.find_out_next()[:SUGGESTIONS_SHOWN]
        ],
        "next": page_url,
        "chart_json": json.dumps(_odds_chart(rows)),
    }


def _odds_chart(rows: Sequence[OptionOdds]) -> dict[str, Any]:
    """The band chart's data: each option with a value, its band (an option with no unsure
    score has none: its "band" is its score, drawn as a thin line)."""
    shown = [odds for odds in rows if odds.point is not None]
    return {
        "labels": [odds.title for odds in shown],
        "bands": [
            [round(odds.band.low, 1), round(odds.band.high, 1)]
            if odds.band is not None
            else [round(odds.point, 1), round(odds.point, 1)]  # type: ignore[arg-type]
            for odds in shown
        ],
        "points": [round(odds.point, 1) for odds in shown],  # type: ignore[arg-type]
    }


@dataclass(frozen=True, slots=True)
class FriendsRank:
    """One option in the ranking "as my friends see it", with its rank in the owner's."""

    column: Column
    own_rank: int
    own_shares_rank: bool
    answers: int


def _as_friends_see_it(
    request: AuthenticatedHttpRequest,
    options: Sequence[Option],
    criteria: Sequence[ComparedCriterion],
) -> dict[str, Any] | None:
    """The ranking recomputed with the friends' medians in place of the owner's scores
    (under the weights in effect, what-if ones included), or None when no friend has
    answered about any of the options."""
    said = friends_on_options(
        request.user,
        options=[option.key for option in options],
        criteria=[criterion.key for criterion in criteria],
    )
    if not said.any:
        return None
    change = what_it_would_change(options, criteria, said.medians)
    owners = {column.option.key: column for column in change.owners.columns}
    return {
        "ranking": [
            FriendsRank(
                column=column,
                own_rank=owners[column.option.key].rank,
                own_shares_rank=owners[column.option.key].shares_rank,
                answers=said.answers.get(column.option.key, 0),
            )
            for column in change.friends.ranking
        ],
        "sentences": [c.sentence for c in change.changes] + [change.all_at_once.sentence],
        "friends": said.friends,
    }


def _gut_ranking_due(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> bool:
    """Offer the gut ranking before the matrix: the first time for a set, or when asked."""
    if not context["gut_offered"]:
        return False
    if request.GET.get("gut") == "rank":
        return True
    skipped = request.session.get(GUT_SKIPPED, [])
    return context["gut_ranking"] is None and selection_key(context["selected_ids"]) not in skipped


@require_safe
@login_required
def compare(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw_ids = request.GET.getlist("ids")
    if len(raw_ids) > 1:
        # Checkboxes send ids=3&ids=7; the link to keep and share is ids=3,7.
        query = request.GET.copy()
        query.setlist("ids", [parse_selection(raw_ids).param])
        return redirect(f"{reverse('opportunities:compare')}?{query.urlencode(safe=',')}")
    context = _comparison_context(request, request.GET)
    fragment = targeted_partial(request, PARTIALS) is not None
    if fragment and context["comparison"] is None:
        # The selection no longer holds two options (deleted in another tab): the full
        # page explains why, so go there instead of swapping a fragment.
        return redirect(request.get_full_path())
    if not fragment and _gut_ranking_due(request, context):
        context["gut_form"] = GutRankingForm(options=context["data"].options)
    response = render_page(request, TEMPLATE, context, partials=PARTIALS)
    if fragment:
        # The address bar shows these weights (reload, bookmarks and Back keep them), and
        # the chart outside the fragment redraws.
        replace_url(response, context["page_url"])
        trigger(response, "comparisonChanged")
    return response


@require_safe
@login_required
def compare_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Compare all open ones": every opportunity that is neither archived nor closed (at a
    final stage), as an explicit list, so the link it leads to keeps meaning the same set."""
    ids = (
        Opportunity.objects.for_user(request.user)
        .filter(archived_at__isnull=True)
        .exclude(stage__in=FINAL_STAGES)
        .values_list("pk", flat=True)[:MAX_SELECTION]
    )
    return redirect(_url("opportunities:compare", ids))


@require_safe
@login_required
def compare_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The matrix as shown (what-if weights included) as CSV, safe to open in a spreadsheet."""
    context = _comparison_context(request, request.GET, friends=False)
    comparison = context["comparison"]
    if comparison is None:
        return redirect(f"{reverse('opportunities:compare')}?{request.GET.urlencode(safe=',')}")
    filename = f"crossroads-comparison-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Lets spreadsheet apps recognise UTF-8 (titles in quotes, accents).
    writer = csv.writer(response)
    writer.writerows(matrix_table(comparison))
    return response


@require_POST
@login_required
def compare_save_weights(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Save these weights": the what-if weights become the user's own."""
    criteria = list(active_criteria(request.user))
    form = WhatIfWeightsForm(request.POST, criteria=criteria)
    if not form.is_valid():
        unreadable = ", ".join(
            f"{criterion.name} (“{raw}”)" for criterion, raw in form.unreadable()
        )
        messages.error(
            request,
            f"Nothing was saved: a weight is a whole number from 0 to 10, "
            f"and these are not: {unreadable}.",
        )
        return TemplateResponse(request, TEMPLATE, _comparison_context(request, request.POST))
    weights = form.weights()
    before = {criterion.pk: criterion.weight for criterion in criteria}
    changed = services.save_weights(user=request.user, weights=weights)
    if changed:
        listed = ", ".join(f"{c.name} {c.weight} (was {before[c.pk]})" for c in changed)
        messages.success(request, f"Weights saved: {listed}. Every score now uses them.")
    else:
        messages.info(request, "These already are your saved weights; nothing changed.")
    selection = parse_selection(request.POST.getlist("ids"))
    return redirect(_url("opportunities:compare", selection.ids))


@require_POST
@login_required
def compare_gut_ranking(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save the order the user puts the options in by feel (or skip it for this set)."""
    selection = parse_selection(request.POST.getlist("ids"))
    data = queries.load_comparison(request.user, ids=selection.ids)
    ids = [option.key for option in data.options]
    page = _url("opportunities:compare", ids)
    if not 2 <= len(ids) <= GUT_RANKING_MAX:
        messages.error(
            request, f"A gut ranking orders 2 to {GUT_RANKING_MAX} opportunities; nothing saved."
        )
        return redirect(page)
    if "skip" in request.POST:
        skipped = request.session.get(GUT_SKIPPED, [])
        request.session[GUT_SKIPPED] = [*skipped, selection_key(ids)][-50:]
        return redirect(page)
    form = GutRankingForm(request.POST, options=data.options)
    if not form.is_valid():
        context = _comparison_context(request, request.POST) | {"gut_form": form}
        return TemplateResponse(request, TEMPLATE, context)
    services.save_gut_ranking(user=request.user, order=form.order())
    messages.success(request, "Gut ranking saved. Here it is beside the matrix's ranking.")
    return redirect(page)
