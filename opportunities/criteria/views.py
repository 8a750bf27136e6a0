from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from opportunities.criteria import queries, services
from opportunities.criteria.forms import CriterionForm, WeightForm
from opportunities.models import Criterion
from opportunities.scoring.core import weight_shares
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.page_cache import cacheable
from opportunities.web.shortcuts import get_owned_or_404
from opportunities.weights.queries.gut import gut_reconciliation
from opportunities.weights.queries.money import pay_scale, point_prices
from opportunities.weights.queries.swing import swing_gaps

PAGE = "opportunities/criteria/criteria.html"

_PK = 918273645
"""A stand-in primary key: each row's URLs are one ``reverse`` per name, not one per row."""


class CriterionRow(NamedTuple):
    """One active criterion on the page: its share, where its buttons post and, when its
    "Rename, describe…" fields are shown, its form.

    Those fields are drawn for the row asked to edit (``?edit=<pk>``, which htmx fetches as
    its details open) and for one whose submission was refused; the others show a link
    to them. Every criterion's form on every view was most of the page's cost (ten
    criteria, a hundred fields nobody had opened)."""

    criterion: Criterion
    form: CriterionForm | None
    weight: object
    """What its slider shows: the weight saved, or the one just refused, as typed."""
    share: float
    update_url: str
    weight_url: str
    move_url: str
    archive_url: str
    curve_url: str


def _url_maker(name: str) -> Callable[[int], str]:
    before, after = reverse(f"opportunities:{name}", args=[_PK]).split(str(_PK))
    return lambda pk: f"{before}{pk}{after}"


def _edit_form(request: AuthenticatedHttpRequest, criterion: Criterion) -> CriterionForm:
    return CriterionForm(instance=criterion, owner=request.user, auto_id=f"id_c{criterion.pk}_%s")


def _rows(
    request: AuthenticatedHttpRequest,
    active: list[Criterion],
    shares: dict[Hashable, float],
    bound: CriterionForm | None,
    editing: int | None,
) -> list[CriterionRow]:
    urls = [
        _url_maker(name)
        for name in (
            "criterion_update",
            "criterion_weight",
            "criterion_move",
            "criterion_archive",
            "criterion_curve",
        )
    ]
    rows = []
    for criterion in active:
        form: CriterionForm | None = None
        weight: object = criterion.weight
        if bound is not None and bound.instance.pk == criterion.pk:
            form = bound
            weight = bound["weight"].value()
        elif criterion.pk == editing:
            form = _edit_form(request, criterion)
        rows.append(
            CriterionRow(
                criterion,
                form,
                weight,
                shares[criterion.id],
                *(url(criterion.pk) for url in urls),
            )
        )
    return rows


def _criteria_context(
    request: AuthenticatedHttpRequest,
    *,
    bound: CriterionForm | None = None,
    editing: int | None = None,
    forms: bool = True,
) -> dict:
    """The page's context; without ``forms`` (the weight slider's answer, which redraws
    the shares and prices only) no form is built."""
    criteria = list(Criterion.objects.for_user(request.user))
    active = [c for c in criteria if c.archived_at is None]
    shares = weight_shares({c.id: c.weight for c in active})
    if editing is not None and not any(c.pk == editing for c in active):
        raise Http404("No such criterion to edit.")
    return {
        "rows": _rows(request, active, shares, bound, editing),
        "archived": [c for c in criteria if c.archived_at is not None],
        "total_weight": sum(c.weight for c in active),
        "shares": shares,
        "active": active,
        # A weight slider redraws every share, what a point of each is worth in money
        # (weights.queries.money) and the weight that would fit the gut rankings.
        "share_targets": ",".join(
            [f"#{kind}-{c.pk}" for kind in ("share", "money") for c in active]
            + ["#money-summary", "#gut-fit-all", "#swing-gaps"]
        ),
        "prices": point_prices(active, pay_scale(request.user, active)),
        "gut_fit": gut_reconciliation(request.user, active),
        "swing_gaps": swing_gaps(request.user, active),
        "add_form": None
        if not forms
        else bound
        if bound is not None and bound.instance.pk is None
        else CriterionForm(owner=request.user, auto_id="id_new_%s"),
    }


@cacheable
@require_safe
@login_required
def criteria(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The page; with ``?edit=<pk>`` that criterion's "Rename, describe…" fields are
    drawn open (a link without JavaScript), or, asked by htmx as its details open, only
    they are sent."""
    editing = _editing(request.GET.get("edit"))
    if editing is not None and request.htmx:
        criterion = get_owned_or_404(
            Criterion.objects.filter(archived_at__isnull=True), request.user, pk=editing
        )
        context = {"criterion": criterion, "form": _edit_form(request, criterion)}
        return TemplateResponse(request, f"{PAGE}#edit_fields", context)
    return TemplateResponse(request, PAGE, _criteria_context(request, editing=editing))


def _editing(asked: str | None) -> int | None:
    """The criterion ``?edit=`` names: a 404 when it is not an id at all."""
    if asked is None:
        return None
    if not (asked.isascii() and asked.isdigit()) or len(asked) > 18:
        raise Http404("No such criterion to edit.")
    return int(asked)


@require_POST
@login_required
def criterion_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CriterionForm(request.POST, owner=request.user, auto_id="id_new_%s")
    if not form.is_valid():
        messages.error(request, "The new criterion was not added; see the form below.")
        return TemplateResponse(request, PAGE, _criteria_context(request, bound=form))
    criterion = services.add_criterion(user=request.user, criterion=form.instance)
    messages.success(request, f"“{criterion.name}” added.")
    return redirect("opportunities:criteria")


@require_POST
@login_required
def criterion_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_owned_or_404(Criterion, request.user, pk=pk)
    form = CriterionForm(
        request.POST, instance=criterion, owner=request.user, auto_id=f"id_c{pk}_%s"
    )
    if not form.is_valid():
        messages.error(request, f"“{criterion.name}” was not saved; see the form below.")
        return TemplateResponse(request, PAGE, _criteria_context(request, bound=form))
    services.update_criterion(criterion=form.instance, weight_changed="weight" in form.changed_data)
    messages.success(request, f"“{criterion.name}” saved.")
    return redirect("opportunities:criteria")


@require_POST
@login_required
def criterion_weight(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Save one weight as its slider moves; answer with every criterion's share."""
    criterion = get_owned_or_404(Criterion, request.user, pk=pk)
    form = WeightForm(request.POST)
    error = None
    if form.is_valid():
        services.set_weight(criterion=criterion, weight=form.cleaned_data["weight"])
    else:
        error = " ".join(str(message) for message in form.errors["weight"])
    if not request.htmx:
        # Without JavaScript the card's Save button posts here, its other fields unopened.
        if error:
            messages.error(request, f"{criterion.name}: {error}")
        else:
            messages.success(request, f"“{criterion.name}” saved.")
        return redirect("opportunities:criteria")
    context = _criteria_context(request, forms=False) | {"weight_error": error}
    return TemplateResponse(request, f"{PAGE}#weight_saved", context)


@require_POST
@login_required
def criterion_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_owned_or_404(Criterion, request.user, pk=pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.move_criterion(criterion=criterion, offset=offset)
    return redirect("opportunities:criteria")


@require_POST
@login_required
def criterion_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_owned_or_404(Criterion, request.user, pk=pk)
    services.set_archived(criterion=criterion, archived=True)
    messages.success(
        request,
        f"“{criterion.name}” archived. Past scores keep it; restore it below at any time.",
    )
    return redirect("opportunities:criteria")


@require_POST
@login_required
def criterion_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = get_owned_or_404(Criterion, request.user, pk=pk)
    clash = queries.active_criteria(request.user).filter(name__iexact=criterion.name).exists()
    if clash:
        messages.error(
            request,
            f"You already have an active criterion called “{criterion.name}”. "
            "Rename one of them first.",
        )
    else:
        services.set_archived(criterion=criterion, archived=False)
        messages.success(request, f"“{criterion.name}” restored.")
    return redirect("opportunities:criteria")
