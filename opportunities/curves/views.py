"""The curve page of Pay and of a number criterion: the shape, its live preview over the
open opportunities (scores and ranking now and under the curve being tried), and saving
it, after which the scores follow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from opportunities.criteria.queries import active_criteria
from opportunities.curves import queries, services
from opportunities.curves.core import SATURATING, THRESHOLD
from opportunities.curves.forms import CurveForm
from opportunities.models import Criterion, CriterionKind, Profile
from opportunities.pay.queries import pay_profile
from opportunities.web.htmx import AuthenticatedHttpRequest, render_page
from opportunities.web.page_cache import cacheable

PAGE = "opportunities/curves/curve.html"
PARTIALS = {"curve-preview": "curve_preview"}


def _curved(criteria: list[Criterion], pk: int) -> Criterion:
    """The active criterion ``pk`` of the user's, when it is scored on a curve; else 404."""
    criterion = next((c for c in criteria if c.pk == pk), None)
    if criterion is None or not queries.is_curved(criterion):
        raise Http404("No such criterion with a value curve.")
    return criterion


def _context(
    request: AuthenticatedHttpRequest,
    form: CurveForm,
    criteria: list[Criterion],
    profile: Profile,
) -> dict:
    """The page, and the preview of the curve as typed (as saved, before any edit)."""
    criterion = form.criterion
    if form.is_bound:
        candidate = form.curve() if form.is_valid() else None
    else:
        candidate = queries.curve_of(criterion, profile)
    preview = None
    if candidate is not None:
        preview = queries.curve_preview(
            request.user,
            criterion=criterion,
            candidate=candidate,
            criteria=criteria,
            profile=profile,
        )
    return {
        "criterion": criterion,
        "form": form,
        "profile": profile,
        "no_pay_scale": form.is_pay and form.scale() is None,
        "preview": preview,
        "previewing": form.is_bound,
        "problems": [str(e) for errors in form.errors.values() for e in errors]
        if form.is_bound
        else [],
    }


def _saved_message(criterion: Criterion, changed: int) -> str:
    scores = f"{changed} score{'s' if changed != 1 else ''} changed"
    if criterion.curve == SATURATING:
        towards = "your target" if criterion.kind == CriterionKind.PAY else "the best"
        return f"{criterion.name} now levels off towards {towards}: {scores}."
    if criterion.curve == THRESHOLD:
        return f"{criterion.name} is now enough or not: {scores}."
    return f"{criterion.name} is now scored on a straight line: {scores}."


@cacheable
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def criterion_curve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The curve page. A POST with ``preview`` (the button without JavaScript) shows the
    preview of what was typed; any other POST saves it and goes back to the criteria."""
    criteria = list(active_criteria(request.user))
    criterion = _curved(criteria, pk)
    profile = pay_profile(request.user)
    posted = request.method == "POST"
    form = CurveForm(request.POST if posted else None, criterion=criterion, profile=profile)
    if posted and "preview" not in request.POST and form.is_valid():
        changed = services.save_curve(criterion, **form.saved_fields())
        messages.success(request, _saved_message(criterion, changed))
        return redirect(f"{reverse('opportunities:criteria')}#criterion-title-{criterion.pk}")
    if posted and "preview" not in request.POST:
        messages.error(request, f"The curve of {criterion.name} was not saved; see below.")
    return TemplateResponse(request, PAGE, _context(request, form, criteria, profile))


@require_POST
@login_required
def criterion_curve_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The preview of the curve as typed, nothing saved: the ``curve_preview`` partial for
    htmx (its problems said in it, status 200), the whole page for a plain POST."""
    criteria = list(active_criteria(request.user))
    criterion = _curved(criteria, pk)
    profile = pay_profile(request.user)
    form = CurveForm(request.POST, criterion=criterion, profile=profile)
    return render_page(request, PAGE, _context(request, form, criteria, profile), partials=PARTIALS)
