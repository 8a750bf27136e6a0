"""Views: fetch, call a service, render. One view, two renderings: a full page, or
the fragment an htmx request targets (``template.html#partial``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.middleware import HtmxDetails

from opportunities import services
from opportunities.forms import (
    CriterionForm,
    OpportunityForm,
    ScoreForm,
    SignupForm,
    WeightForm,
)
from opportunities.models import Criterion, Evaluation, Opportunity, Score
from opportunities.scoring import compute_decision_score, weight_shares


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def render_fragments(
    request: HttpRequest, template: str, names: list[str], context: dict
) -> HttpResponse:
    """Render several partials of one page template into one htmx response; all but the
    first are expected to swap themselves in out of band."""
    html = "".join(
        render_to_string(f"{template}#{name}", context, request=request) for name in names
    )
    return HttpResponse(html)


# --- Accounts --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("opportunities:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            services.create_default_criteria(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            "Welcome to Crossroads. Your criteria are waiting: add your first opportunity.",
        )
        return redirect("opportunities:dashboard")
    return TemplateResponse(request, "registration/signup.html", {"form": form})


# --- Dashboard -------------------------------------------------------------------------------


@require_safe
@login_required
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    opportunities = list(
        Opportunity.objects.for_user(request.user)
        .filter(archived_at__isnull=True)
        .prefetch_related(
            Prefetch("evaluations", queryset=Evaluation.objects.live(), to_attr="live")
        )
    )
    for opportunity in opportunities:
        opportunity.evaluation = opportunity.live[0] if opportunity.live else None
    status_quo = next((o for o in opportunities if o.is_status_quo), None)
    return TemplateResponse(
        request,
        "opportunities/dashboard.html",
        {"opportunities": opportunities, "status_quo": status_quo},
    )


# --- Opportunities ---------------------------------------------------------------------------


def _owned_opportunity(request: HttpRequest, pk: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.for_user(request.user), pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def opportunity_create(request: HtmxHttpRequest) -> HttpResponse:
    form = OpportunityForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        opportunity = services.create_opportunity(user=request.user, opportunity=form.instance)
        messages.success(request, f"“{opportunity.title}” added. Now score it below.")
        return redirect("opportunities:opportunity_detail", pk=opportunity.pk)
    return TemplateResponse(request, "opportunities/opportunity_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def opportunity_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = _owned_opportunity(request, pk)
    previous_stage = opportunity.stage
    form = OpportunityForm(request.POST or None, instance=opportunity, owner=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_opportunity(opportunity=form.instance, previous_stage=previous_stage)
        messages.success(request, "Changes saved.")
        return redirect("opportunities:opportunity_detail", pk=opportunity.pk)
    return TemplateResponse(
        request,
        "opportunities/opportunity_form.html",
        {"form": form, "opportunity": opportunity},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def opportunity_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = _owned_opportunity(request, pk)
    if request.method == "POST":
        title = opportunity.title
        opportunity.delete()
        messages.success(request, f"“{title}” and its scores were deleted.")
        return redirect("opportunities:dashboard")
    return TemplateResponse(
        request, "opportunities/opportunity_confirm_delete.html", {"opportunity": opportunity}
    )


@dataclass(slots=True)
class ScoreRow:
    """One line of the scoring panel."""

    criterion: Criterion
    form: ScoreForm
    failing: bool
    saved: bool = False


def _scoring_context(
    opportunity: Opportunity,
    *,
    data=None,
    saved_criterion: int | None = None,
) -> dict:
    criteria = list(services.active_criteria(opportunity.owner_id))
    evaluation = services.live_evaluation(opportunity)
    scores = {s.criterion_id: s for s in Score.objects.filter(evaluation=evaluation)}
    result = compute_decision_score(services.rated_live(criteria, scores.values()))
    failures = set(result.failures)
    rows = []
    for criterion in criteria:
        score = scores.get(criterion.id)
        initial = {"value": score.value, "note": score.note} if score else {}
        rows.append(
            ScoreRow(
                criterion=criterion,
                form=ScoreForm(data, initial=initial, prefix=str(criterion.id)),
                failing=criterion.id in failures,
                saved=criterion.id == saved_criterion,
            )
        )
    return {
        "opportunity": opportunity,
        "evaluation": evaluation,
        "rows": rows,
        "result": result,
        "failing_criteria": [c for c in criteria if c.id in failures],
    }


@require_safe
@login_required
def opportunity_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = _owned_opportunity(request, pk)
    context = _scoring_context(opportunity)
    template = "opportunities/opportunity_detail.html"
    if request.htmx.target == "score-summary":
        template += "#score_summary"
    return TemplateResponse(request, template, context)


@require_POST
@login_required
def score_save(request: HtmxHttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    """Save one slider's score (htmx) and answer with the new total, coverage and
    must-have state. A plain POST goes back to the page."""
    opportunity = _owned_opportunity(request, pk)
    criterion = get_object_or_404(
        services.active_criteria(request.user), pk=criterion_pk
    )
    prefix = str(criterion.pk)
    form = ScoreForm(request.POST, prefix=prefix)
    error = None
    if f"{prefix}-value" not in request.POST:
        error = "No score was sent. Move the slider or type a number from 0 to 10."
    elif not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
    else:
        note = form.cleaned_data["note"] if f"{prefix}-note" in request.POST else None
        services.save_score(
            opportunity=opportunity,
            criterion=criterion,
            value=form.cleaned_data["value"],
            note=note,
        )
    if not request.htmx:
        if error:
            messages.error(request, f"{criterion.name}: {error}")
        else:
            messages.success(request, f"{criterion.name} saved.")
        return redirect("opportunities:opportunity_detail", pk=opportunity.pk)
    context = _scoring_context(opportunity, saved_criterion=None if error else criterion.pk)
    context |= {"status_criterion": criterion, "status_error": error, "oob": True}
    context["status_failing"] = criterion.pk in context["result"].failures
    return render_fragments(
        request,
        "opportunities/opportunity_detail.html",
        ["score_summary", "score_status"],
        context,
    )


@require_POST
@login_required
def scores_save(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The scoring panel without JavaScript: every score in one form, saved all or nothing."""
    opportunity = _owned_opportunity(request, pk)
    context = _scoring_context(opportunity, data=request.POST)
    rows: list[ScoreRow] = context["rows"]
    if not all(row.form.is_valid() for row in rows):
        messages.error(request, "Some scores could not be saved. Nothing was changed; see below.")
        return TemplateResponse(request, "opportunities/opportunity_detail.html", context)
    with transaction.atomic():
        for row in rows:
            services.save_score(
                opportunity=opportunity,
                criterion=row.criterion,
                value=row.form.cleaned_data["value"],
                note=row.form.cleaned_data["note"],
            )
    messages.success(request, "Scores saved.")
    return redirect("opportunities:opportunity_detail", pk=opportunity.pk)


# --- Criteria --------------------------------------------------------------------------------


def _criteria_context(request: HttpRequest, *, bound: CriterionForm | None = None) -> dict:
    criteria = list(Criterion.objects.for_user(request.user))
    active = [c for c in criteria if c.archived_at is None]
    shares = weight_shares({c.id: c.weight for c in active})
    forms = []
    for criterion in active:
        if bound is not None and bound.instance.pk == criterion.pk:
            form = bound
        else:
            form = CriterionForm(
                instance=criterion, owner=request.user, auto_id=f"id_c{criterion.pk}_%s"
            )
        forms.append((criterion, form, shares[criterion.id]))
    return {
        "rows": forms,
        "archived": [c for c in criteria if c.archived_at is not None],
        "total_weight": sum(c.weight for c in active),
        "shares": shares,
        "active": active,
        "add_form": bound
        if bound is not None and bound.instance.pk is None
        else CriterionForm(owner=request.user, auto_id="id_new_%s"),
    }


def _owned_criterion(request: HttpRequest, pk: int) -> Criterion:
    return get_object_or_404(Criterion.objects.for_user(request.user), pk=pk)


@require_safe
@login_required
def criteria(request: HtmxHttpRequest) -> HttpResponse:
    return TemplateResponse(request, "opportunities/criteria.html", _criteria_context(request))


@require_POST
@login_required
def criterion_add(request: HtmxHttpRequest) -> HttpResponse:
    form = CriterionForm(request.POST, owner=request.user, auto_id="id_new_%s")
    if not form.is_valid():
        messages.error(request, "The new criterion was not added; see the form below.")
        return TemplateResponse(
            request, "opportunities/criteria.html", _criteria_context(request, bound=form)
        )
    criterion = services.add_criterion(user=request.user, criterion=form.instance)
    messages.success(request, f"“{criterion.name}” added.")
    return redirect("opportunities:criteria")


@require_POST
@login_required
def criterion_update(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    criterion = _owned_criterion(request, pk)
    form = CriterionForm(
        request.POST, instance=criterion, owner=request.user, auto_id=f"id_c{pk}_%s"
    )
    if not form.is_valid():
        messages.error(request, f"“{criterion.name}” was not saved; see the form below.")
        return TemplateResponse(
            request, "opportunities/criteria.html", _criteria_context(request, bound=form)
        )
    services.update_criterion(criterion=form.instance)
    messages.success(request, f"“{criterion.name}” saved.")
    return redirect("opportunities:criteria")


@require_POST
@login_required
def criterion_weight(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Save one weight as its slider moves; answer with every criterion's share."""
    criterion = _owned_criterion(request, pk)
    form = WeightForm(request.POST)
    error = None
    if form.is_valid():
        criterion.weight = form.cleaned_data["weight"]
        services.update_criterion(criterion=criterion)
    else:
        error = " ".join(form.errors["weight"])
    if not request.htmx:
        if error:
            messages.error(request, f"{criterion.name}: {error}")
        return redirect("opportunities:criteria")
    context = _criteria_context(request) | {"weight_error": error, "oob": True}
    return render_fragments(
        request, "opportunities/criteria.html", ["weight_summary", "shares"], context
    )


@require_POST
@login_required
def criterion_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    criterion = _owned_criterion(request, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.move_criterion(criterion=criterion, offset=offset)
    return redirect("opportunities:criteria")


@require_POST
@login_required
def criterion_archive(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    criterion = _owned_criterion(request, pk)
    services.set_archived(criterion=criterion, archived=True)
    messages.success(
        request,
        f"“{criterion.name}” archived. Past scores keep it; restore it below at any time.",
    )
    return redirect("opportunities:criteria")


@require_POST
@login_required
def criterion_restore(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    criterion = _owned_criterion(request, pk)
    clash = (
        services.active_criteria(request.user).filter(name__iexact=criterion.name).exists()
    )
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

