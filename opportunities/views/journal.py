"""The decision journal: the pipeline, checkpoints, decisions and their outcomes,
looking back over them (the journal, priorities over time), and archiving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from opportunities import journal, services
from opportunities.forms import (
    CheckpointForm,
    DecisionForm,
    JournalFilterForm,
    OutcomeForm,
    StageForm,
)
from opportunities.htmx import HtmxHttpRequest
from opportunities.models import Decision, Evaluation, Opportunity

JOURNAL_PAGE_SIZE = 20


def _owned_opportunity(request: HttpRequest, pk: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.for_user(request.user), pk=pk)


def _owned_decision(request: HttpRequest, pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.for_user(request.user).select_related("opportunity", "evaluation"),
        pk=pk,
    )


def _opportunity_section(opportunity: Opportunity, section: str) -> str:
    return reverse("opportunities:opportunity_detail", args=[opportunity.pk]) + f"#{section}"


def opportunity_sections(opportunity: Opportunity) -> dict:
    """What the journal adds to an opportunity's page: pipeline, checkpoints, score over
    time, decisions, and the forms that add to them."""
    return journal.opportunity_history(opportunity) | {
        "checkpoint_form": CheckpointForm(),
        "stage_form": StageForm(initial={"stage": opportunity.stage}),
    }


def dashboard_sections(user) -> dict:
    """What the journal adds to the dashboard: revisits that have come due, and the
    archived opportunities (with a way back)."""
    return {
        "due_for_revisit": journal.due_for_revisit(user),
        "archived_opportunities": journal.archived_opportunities(user),
    }


# --- The pipeline -----------------------------------------------------------------------------


@require_POST
@login_required
def stage_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = _owned_opportunity(request, pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["stage"]))
    elif services.move_stage(opportunity=opportunity, stage=form.cleaned_data["stage"]):
        messages.success(request, f"Moved to “{opportunity.get_stage_display()}”.")
    else:
        messages.info(request, f"It is already at “{opportunity.get_stage_display()}”.")
    return redirect(_opportunity_section(opportunity, "pipeline"))


@require_POST
@login_required
def opportunity_archive(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = _owned_opportunity(request, pk)
    services.set_opportunity_archived(opportunity=opportunity, archived=True)
    messages.success(
        request,
        f"“{opportunity.title}” archived: it is off your dashboard and comparisons, and its "
        "history and decisions stay in your journal. Restore it at any time.",
    )
    return redirect("opportunities:dashboard")


@require_POST
@login_required
def opportunity_restore(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = _owned_opportunity(request, pk)
    services.set_opportunity_archived(opportunity=opportunity, archived=False)
    messages.success(request, f"“{opportunity.title}” is back on your dashboard.")
    return redirect("opportunities:opportunity_detail", pk=opportunity.pk)


# --- Checkpoints ------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def checkpoint_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Freeze the live evaluation under a label. The form sits on the scoring panel; with
    an error, htmx gets the form back in place and a plain POST gets this form's own page."""
    opportunity = _owned_opportunity(request, pk)
    form = CheckpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checkpoint = services.save_checkpoint(
            opportunity=opportunity, label=form.cleaned_data["label"]
        )
        messages.success(
            request, f"Checkpoint “{checkpoint.label}” saved. Scoring carries on from here."
        )
        if request.htmx:
            # The form is on the page it returns to: a redirect that only adds a #fragment
            # would scroll instead of reloading, so htmx reloads the page itself.
            return redirect("opportunities:opportunity_detail", pk=opportunity.pk)
        return redirect(_opportunity_section(opportunity, "checkpoints"))
    template = "opportunities/checkpoint_form.html"
    if request.htmx:
        template += "#checkpoint_form"
    return TemplateResponse(
        request, template, {"opportunity": opportunity, "checkpoint_form": form}
    )


@require_safe
@login_required
def checkpoint_detail(request: HtmxHttpRequest, pk: int, checkpoint_pk: int) -> HttpResponse:
    """A checkpoint, read-only, exactly as it was, beside today's criteria."""
    checkpoint = get_object_or_404(
        Evaluation.objects.for_user(request.user).checkpoints().select_related("opportunity"),
        pk=checkpoint_pk,
        opportunity_id=pk,
    )
    criteria = list(services.active_criteria(request.user))
    return TemplateResponse(
        request,
        "opportunities/checkpoint_detail.html",
        {
            "opportunity": checkpoint.opportunity,
            "checkpoint": checkpoint,
            "matrix": journal.frozen_matrix(journal.frozen_scores(checkpoint), criteria),
            "decision": Decision.objects.filter(evaluation=checkpoint).first(),
        },
    )


# --- Decisions and outcomes -------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def decision_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opportunity = _owned_opportunity(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = services.record_decision(opportunity=opportunity, decision=form.instance)
        messages.success(
            request,
            "Decision recorded, with the matrix as it stood. Add what happened when you know.",
        )
        return redirect("opportunities:decision_detail", pk=decision.pk)
    return TemplateResponse(
        request,
        "opportunities/decision_form.html",
        {
            "opportunity": opportunity,
            "form": form,
            "live": Evaluation.objects.live().filter(opportunity=opportunity).first(),
        },
    )


@require_safe
@login_required
def decision_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One journal entry: the decision, the frozen matrix beside today's weights, the
    outcome and the reflection."""
    decision = _owned_decision(request, pk)
    criteria = list(services.active_criteria(request.user))
    return TemplateResponse(
        request,
        "opportunities/decision_detail.html",
        {
            "decision": decision,
            "opportunity": decision.opportunity,
            "checkpoint": decision.evaluation,
            "matrix": journal.frozen_matrix(journal.frozen_scores(decision.evaluation), criteria),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def outcome_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    decision = _owned_decision(request, pk)
    previous_outcome = decision.outcome
    form = OutcomeForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        services.update_outcome(decision=form.instance, previous_outcome=previous_outcome)
        messages.success(request, "Saved to your journal.")
        return redirect("opportunities:decision_detail", pk=decision.pk)
    return TemplateResponse(
        request, "opportunities/outcome_form.html", {"decision": decision, "form": form}
    )


# --- Looking back -----------------------------------------------------------------------------


@require_safe
@login_required
def journal_index(request: HtmxHttpRequest) -> HttpResponse:
    """Every decision, newest first, filtered by GET parameters and paginated. The
    filters swap only the entries (``#journal-entries``) when htmx asks for them."""
    filters = JournalFilterForm(request.GET or None, years=journal.decision_years(request.user))
    decisions = journal.journal_decisions(request.user)
    if filters.is_bound:
        filters.is_valid()  # Usable filters apply; the others are reported beside them.
        decisions = journal.filter_decisions(
            decisions,
            year=filters.cleaned_data.get("year"),
            choice=filters.cleaned_data.get("decision", ""),
            outcome=filters.cleaned_data.get("outcome", ""),
        )
    page = Paginator(decisions, JOURNAL_PAGE_SIZE).get_page(request.GET.get("page"))
    criteria = list(services.active_criteria(request.user))
    context = {
        "filters": filters,
        "filtered": filters.is_bound and any(filters.cleaned_data.values()),
        "page": page,
        "entries": journal.journal_entries(page.object_list, criteria),
    }
    template = "opportunities/journal.html"
    if request.htmx.target == "journal-entries":
        template += "#journal_entries"
    return TemplateResponse(request, template, context)


@require_safe
@login_required
def priorities(request: HtmxHttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "opportunities/priorities.html", journal.priorities(request.user)
    )
