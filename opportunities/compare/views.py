"""The comparison page: several opportunities side by side under the same weights.

The selection and any what-if weights live in the query string (``?ids=3,7,9&w12=8``),
so a comparison is a URL: it can be bookmarked, reloaded and opened on another device.
Moving a what-if slider is an htmx GET of that same URL, answered with the
``#comparison`` fragment and the URL to show; loaded directly, it is the whole page.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import replace_url

from opportunities.compare import queries, services
from opportunities.compare.core import (
    GUT_RANKING_MAX,
    MAX_SELECTION,
    Column,
    ComparedCriterion,
    Option,
    Selection,
    build_comparison,
    compare_with_gut,
    matrix_table,
    parse_selection,
    selection_key,
    selection_param,
)
from opportunities.compare.display import footer_cells, picker_items, ranking_items, row_cells
from opportunities.compare.forms import GutRankingForm, WhatIfWeightsForm
from opportunities.compare.odds import odds_of
from opportunities.compare.queries import ComparisonData
from opportunities.criteria.queries import active_criteria
from opportunities.friends.core import what_it_would_change
from opportunities.friends.queries import friends_on_options
from opportunities.friends.services import MAX_OPPORTUNITIES_PER_ROUND
from opportunities.models import FINAL_STAGES, Opportunity
from opportunities.scoring.core import CLOSE_CALL_POINTS
from opportunities.web.htmx import (
    AuthenticatedHttpRequest,
    render_page,
    targeted_partial,
    trigger,
)
from opportunities.web.page_cache import cacheable
from opportunities.weights.queries.money import MoneyCheck, comparison_money, for_comparison

TEMPLATE = "opportunities/compare/compare.html"
PARTIALS = {"comparison": "comparison_changed", "money-check": "money_check"}
"""A what-if slider redraws the comparison (and the sentence read out about it); choosing
two options to see in money and hours redraws that section."""
GUT_SKIPPED = "compare_gut_skipped"
"""Session key: the selections whose gut ranking the user chose to skip."""


def _url(name: str, ids: Iterable[int], weights: Mapping[int, int] | None = None) -> str:
    """``name``'s address for a selection and what-if weights: ``?ids=3,7,9&w12=8``. Ids
    and weights are whole numbers, so nothing in the query needs quoting."""
    pairs = (f"&w{key}={weight}" for key, weight in (weights or {}).items())
    query = f"ids={selection_param(ids)}{''.join(pairs)}"
    return f"{_path(name, get_script_prefix(), get_urlconf())}?{query}"


@functools.cache
def _path(name: str, prefix: str, urlconf: str | None) -> str:
    """``reverse(name)``, once per script prefix and URLconf (a page links to itself a dozen
    times: every "Try it" of a weight flip)."""
    return reverse(name, urlconf=urlconf)


def _compared(
    request: AuthenticatedHttpRequest, params: QueryDict, *, whole: bool = True
) -> tuple[Selection, ComparisonData, WhatIfWeightsForm, list[ComparedCriterion]]:
    """The selection, what it reads (``whole``: see ``load_comparison``) and the criteria
    under the weights in effect."""
    selection = parse_selection(params.getlist("ids"))
    data = queries.load_comparison(request.user, ids=selection.ids, whole=whole)
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
    return selection, data, what_if, criteria


def _page_url(
    ids: Sequence[int], criteria: Sequence[ComparedCriterion], money: MoneyCheck | None
) -> str:
    """The address to show: the selection, the what-if weights and the pair in money."""
    changed = {criterion.key: criterion.weight for criterion in criteria if criterion.changed}
    page_url = _url("opportunities:compare", ids, changed)
    if money is not None and money.query:
        page_url += "&" + "&".join(f"{key}={value}" for key, value in money.query.items())
    return page_url


def _money_pair_context(request: AuthenticatedHttpRequest, params: QueryDict) -> dict[str, Any]:
    """What redrawing "In money and hours" for another pair needs (the ``money_check``
    partial and the address): the matrix's order, not the rest of the page."""
    _, data, _, criteria = _compared(request, params, whole=False)
    ids = [option.key for option in data.options]
    comparison = money = None
    if len(data.options) >= 2:
        comparison = build_comparison(data.options, criteria, with_sensitivity=False)
        money = comparison_money(request.user, data, comparison, params)
    return {
        "comparison": comparison,
        "money": money,
        "ids_param": selection_param(ids),
        "page_url": _page_url(ids, criteria, money),
    }


def _comparison_context(
    request: AuthenticatedHttpRequest, params: QueryDict, *, friends: bool = True
) -> dict[str, Any]:
    """Everything the page, its fragment and the CSV show, from the query (or POST) data
    (the CSV leaves out what friends said: ``friends=False``)."""
    selection, data, what_if, criteria = _compared(request, params)
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
    page_url = _page_url(ids, criteria, money)
    odds = None
    if friends and comparison is not None:  # The CSV leaves the plausible cases out too.
        odds = odds_of(data.options, criteria, data.ranges, comparison, page_url)
    return {
        "selection": selection,
        "data": data,
        "selected_ids": set(ids),
        "ids_param": selection_param(ids),
        "criteria": criteria,
        "unreadable_weights": what_if.unreadable(),
        "comparison": comparison,
        "matrix": [(row, row_cells(row)) for row in comparison.rows] if comparison else [],
        "footer": footer_cells(comparison) if comparison else {},
        "ranking": ranking_items(comparison.ranking) if comparison else ("", ""),
        # Called by the template only where the picker shows (not in the htmx fragments).
        "picker": functools.partial(picker_items, data.open_opportunities, set(ids)),
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


@cacheable
@require_safe
@login_required
def compare(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw_ids = request.GET.getlist("ids")
    if len(raw_ids) > 1:
        # Checkboxes send ids=3&ids=7; the link to keep and share is ids=3,7.
        query = request.GET.copy()
        query.setlist("ids", [parse_selection(raw_ids).param])
        return redirect(f"{reverse('opportunities:compare')}?{query.urlencode(safe=',')}")
    partial = targeted_partial(request, PARTIALS)
    if partial == PARTIALS["money-check"]:
        context = _money_pair_context(request, request.GET)
    else:
        context = _comparison_context(request, request.GET)
    fragment = partial is not None
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
