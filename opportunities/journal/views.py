"""The decision journal: decisions and their outcomes, checkpoints as they were, and
looking back over them (the journal, priorities over time)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_safe

from opportunities.criteria.queries import active_criteria
from opportunities.curves.queries import curves_then
from opportunities.friends.queries import friends_then
from opportunities.journal import core, queries, services
from opportunities.journal.display import journal_lines
from opportunities.journal.forms import DecisionForm, JournalFilterForm, OutcomeForm
from opportunities.learning.queries.checkins import decision_check_ins
from opportunities.learning.queries.commit import commit_step_of
from opportunities.models import Decision, Evaluation, Opportunity
from opportunities.models.limits import MAX_CHECKPOINTS, MAX_DECISIONS, at_limit
from opportunities.scoring.queries import checkpoint_count
from opportunities.timeline.queries import decision_story
from opportunities.web.htmx import AuthenticatedHttpRequest, render_page
from opportunities.web.page_cache import cacheable
from opportunities.web.pagination import page_of
from opportunities.web.shortcuts import get_owned_or_404

JOURNAL_PAGE_SIZE = 20


def _owned_decision(request: AuthenticatedHttpRequest, pk: int) -> Decision:
    return get_owned_or_404(
        Decision.objects.select_related("opportunity", "evaluation"), request.user, pk=pk
    )


# --- Checkpoints ------------------------------------------------------------------------------


@require_safe
@login_required
def checkpoint_detail(
    request: AuthenticatedHttpRequest, pk: int, checkpoint_pk: int
) -> HttpResponse:
    """A checkpoint, read-only, exactly as it was, beside today's criteria, with what
    friends had said by then."""
    checkpoint = get_owned_or_404(
        Evaluation.objects.checkpoints().select_related("opportunity"),
        request.user,
        pk=checkpoint_pk,
        opportunity_id=pk,
    )
    criteria = list(active_criteria(request.user))
    return TemplateResponse(
        request,
        "opportunities/journal/checkpoint_detail.html",
        {
            "opportunity": checkpoint.opportunity,
            "checkpoint": checkpoint,
            "matrix": core.frozen_matrix(queries.frozen_scores(checkpoint), criteria),
            "decision": Decision.objects.filter(evaluation=checkpoint).first(),
            "weighed_in": queries.weighed_in(checkpoint),
            "friends_then": friends_then(checkpoint),
            "curves_then": curves_then(checkpoint),
        },
    )


# --- Decisions and outcomes -------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def decision_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    form = DecisionForm(
        request.POST or None,
        reminder_email=request.user.email,
        full=_no_room_for_a_decision(opportunity) if request.method == "POST" else "",
        options=queries.alternatives_on_offer(opportunity),
    )
    if request.method == "POST" and form.is_valid():
        decision = services.record_decision(
            opportunity=opportunity,
            decision=form.instance,
            alternatives=form.cleaned_data.get("alternatives", []),
        )
        messages.success(
            request,
            "Decision recorded, with the matrix as it stood. Now, while it is fresh: what "
            "do you expect?",
        )
        return redirect("opportunities:commit_step", pk=decision.pk)
    return TemplateResponse(
        request,
        "opportunities/journal/decision_form.html",
        {
            "opportunity": opportunity,
            "form": form,
            "live": Evaluation.objects.live().filter(opportunity=opportunity).first(),
        },
    )


def _no_room_for_a_decision(opportunity: Opportunity) -> str:
    """Why ``opportunity`` can take no more decisions (each freezes a checkpoint too)."""
    if Decision.objects.filter(opportunity=opportunity).count() >= MAX_DECISIONS:
        return at_limit("decisions", MAX_DECISIONS, of="an opportunity")
    if checkpoint_count(opportunity) >= MAX_CHECKPOINTS:
        return at_limit("checkpoints (decisions' included)", MAX_CHECKPOINTS, of="an opportunity")
    return ""


@require_safe
@login_required
def decision_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One journal entry: the decision, the frozen matrix beside today's weights, the
    outcome and the reflection, what friends had said by then, and the whole story of
    the opportunity around it, with its commit step (``learning``)."""
    decision = get_owned_or_404(
        Decision.objects.select_related("opportunity", "evaluation", "commitment"),
        request.user,
        pk=pk,
    )
    criteria = list(active_criteria(request.user))
    return TemplateResponse(
        request,
        "opportunities/journal/decision_detail.html",
        {
            "decision": decision,
            "opportunity": decision.opportunity,
            "checkpoint": decision.evaluation,
            "matrix": core.frozen_matrix(queries.frozen_scores(decision.evaluation), criteria),
            "weighed": queries.decision_weighing(decision),
            "story": decision_story(decision),
            "friends_then": friends_then(decision.evaluation),
            "curves_then": curves_then(decision.evaluation),
            "commit": commit_step_of(decision),
            "check_ins": decision_check_ins(decision),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def outcome_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = _owned_decision(request, pk)
    previous_outcome = decision.outcome
    form = OutcomeForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        services.update_outcome(decision=form.instance, previous_outcome=previous_outcome)
        messages.success(request, "Saved to your journal.")
        return redirect("opportunities:decision_detail", pk=decision.pk)
    return TemplateResponse(
        request,
        "opportunities/journal/outcome_form.html",
        {"decision": decision, "decided_to": core.decided_to(decision.choice), "form": form},
    )


# --- Looking back -----------------------------------------------------------------------------


@cacheable
@require_safe
@login_required
def journal_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every decision, newest first, filtered by GET parameters and paginated. The
    filters swap only the entries (``#journal-entries``) when htmx asks for them."""
    filters = JournalFilterForm(request.GET or None, years=queries.decision_years(request.user))
    decisions = queries.journal_decisions(request.user)
    if filters.is_bound:
        filters.is_valid()  # Usable filters apply; the others are reported beside them.
        decisions = queries.filter_decisions(
            decisions,
            year=filters.cleaned_data.get("year"),
            choice=filters.cleaned_data.get("decision", ""),
            outcome=filters.cleaned_data.get("outcome", ""),
        )
    page = page_of(decisions, JOURNAL_PAGE_SIZE, request.GET.get("page"))
    criteria = list(active_criteria(request.user))
    context = {
        "filters": filters,
        "filtered": filters.is_bound and any(filters.cleaned_data.values()),
        "page": page,
        "entries": journal_lines(queries.journal_entries(page.object_list, criteria)),
    }
    return render_page(
        request,
        "opportunities/journal/journal.html",
        context,
        partials={"journal-entries": "journal_entries"},
    )


@require_safe
@login_required
def priorities(request: AuthenticatedHttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "opportunities/journal/priorities.html", queries.priorities(request.user)
    )
