"""Your opportunities and where each stands: the dashboard, adding, editing, deleting and
archiving an opportunity, and moving it along its pipeline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from opportunities.criteria.queries import active_criteria
from opportunities.journal.queries import due_for_revisit
from opportunities.learning.queries.checkins import check_ins_due
from opportunities.models import Opportunity
from opportunities.models.limits import MAX_OPPORTUNITIES, at_limit
from opportunities.people.queries import follow_ups_due
from opportunities.pipeline import queries, services
from opportunities.pipeline.display import closed_rows, dashboard_rows
from opportunities.pipeline.forms import OpportunityForm, ReopenForm, StageForm
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.once import earlier_submission, redirect_to_earlier, submission_of
from opportunities.web.page_cache import cacheable
from opportunities.web.shortcuts import get_owned_or_404


@cacheable
@require_safe
@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    opportunities = queries.open_opportunities(request.user)
    status_quo = next((o for o in opportunities if o.opportunity.is_status_quo), None)
    # A first visit explains the starting criteria; once there is something to score they
    # have their own page.
    starting_criteria = [] if opportunities else list(active_criteria(request.user))
    closed, archived = queries.closed_and_archived(request.user)
    return TemplateResponse(
        request,
        "opportunities/pipeline/dashboard.html",
        {
            "opportunities": dashboard_rows(opportunities, status_quo),
            "status_quo": status_quo,
            "starting_criteria": starting_criteria,
            "due_for_revisit": due_for_revisit(request.user),
            "follow_ups": follow_ups_due(request.user),
            "check_ins_due": check_ins_due(request.user),
            "closed_opportunities": closed_rows(closed),
            "open_stages": queries.OPEN_STAGES,
            "archived_opportunities": archived,
        },
    )


STATUS_QUO_TITLE = "Stay as I am"
STATUS_QUO_HAS_NO_STAGES = (
    "The status quo is how things are now: it has no stages to move through, and no "
    "variants. Edit its details to change how it is described."
)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def opportunity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    # ?status_quo=1 is the onboarding's "Add the status quo": the form comes prefilled.
    status_quo = request.method != "POST" and request.GET.get("status_quo") == "1"
    initial = {"title": STATUS_QUO_TITLE, "is_status_quo": True} if status_quo else None
    form = OpportunityForm(request.POST or None, initial=initial, owner=request.user)
    if request.method == "POST":
        # Sent again (Back and submit, a double click): the first one, not a second.
        earlier = earlier_submission(
            user=request.user, submission=form.submission, model=Opportunity
        )
        if earlier is not None:
            return redirect_to_earlier(request, earlier)
    if request.method == "POST" and form.is_valid():
        once = services.create_opportunity_once(
            user=request.user,
            opportunity=form.instance,
            submission=form.submission,
            contacts=form.cleaned_data.get("contacts"),
            happened_on=form.cleaned_data.get("started_on"),
        )
        if not once.created:  # the same form, sent twice at the same moment
            return redirect_to_earlier(request, once)
        messages.success(request, f"“{once.object.title}” added. Now score it below.")
        return redirect("opportunities:opportunity_detail", pk=once.object.pk)
    return TemplateResponse(
        request,
        "opportunities/pipeline/opportunity_form.html",
        {"form": form, "status_quo": status_quo},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def opportunity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    previous_stage = opportunity.stage
    form = OpportunityForm(request.POST or None, instance=opportunity, owner=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_opportunity(
            opportunity=form.instance,
            previous_stage=previous_stage,
            contacts=form.cleaned_data.get("contacts"),
        )
        messages.success(request, "Changes saved.")
        return redirect("opportunities:opportunity_detail", pk=opportunity.pk)
    return TemplateResponse(
        request,
        "opportunities/pipeline/opportunity_form.html",
        {"form": form, "opportunity": opportunity},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def opportunity_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    if request.method == "POST":
        title = opportunity.title
        services.delete_opportunity(opportunity=opportunity)
        messages.success(request, f"“{title}” and its scores were deleted.")
        return redirect("opportunities:dashboard")
    return TemplateResponse(
        request,
        "opportunities/pipeline/opportunity_confirm_delete.html",
        {"opportunity": opportunity},
    )


@require_POST
@login_required
def stage_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    if opportunity.is_status_quo:
        messages.info(request, STATUS_QUO_HAS_NO_STAGES)
        return redirect(opportunity)
    form = StageForm(request.POST)
    if not form.is_valid():
        problems = (str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"Not moved: {' '.join(problems)}")
    elif services.move_stage(
        opportunity=opportunity,
        stage=form.cleaned_data["stage"],
        happened_on=form.cleaned_data["happened_on"],
    ):
        messages.success(request, f"Moved to “{opportunity.get_stage_display()}”.")
    else:
        messages.info(request, f"It is already at “{opportunity.get_stage_display()}”.")
    return redirect(f"{opportunity.get_absolute_url()}#pipeline")


@require_POST
@login_required
def opportunity_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    services.set_opportunity_archived(opportunity=opportunity, archived=True)
    messages.success(
        request,
        f"“{opportunity.title}” archived: it is off your dashboard and comparisons, and its "
        "history and decisions stay in your journal. Restore it at any time.",
    )
    return redirect("opportunities:dashboard")


@require_POST
@login_required
def opportunity_restore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    services.set_opportunity_archived(opportunity=opportunity, archived=False)
    messages.success(request, f"“{opportunity.title}” is back on your dashboard.")
    return redirect("opportunities:opportunity_detail", pk=opportunity.pk)


@require_POST
@login_required
def opportunity_duplicate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "Duplicate as a variant": the same job, to weigh on other terms. The copy's page to
    edit comes next, its title first."""
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    if opportunity.is_status_quo:
        messages.error(request, STATUS_QUO_HAS_NO_STAGES)
        return redirect(opportunity)
    if queries.opportunity_count(request.user) >= MAX_OPPORTUNITIES:
        messages.error(request, at_limit("opportunities (archived ones too)", MAX_OPPORTUNITIES))
        return redirect(opportunity)
    once = services.duplicate_as_variant_once(
        opportunity=opportunity, submission=submission_of(request.POST)
    )
    if not once.created:  # the same button, sent twice
        return redirect_to_earlier(request, once)
    messages.success(
        request,
        f"A variant of “{opportunity.title}”, with its scores and pay. Give it a title that "
        "says how it differs, then change what does: the arrangement, the hours, the pay.",
    )
    return redirect("opportunities:opportunity_edit", pk=once.object.pk)


@require_POST
@login_required
def opportunity_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move a closed opportunity back to an open stage: it is back on the dashboard and in
    "Compare all open ones"."""
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    form = ReopenForm(request.POST)
    # Back to where the button was: the dashboard's closed list, or the opportunity's page.
    back_to_dashboard = request.POST.get("back_to") == "dashboard"
    if not opportunity.is_closed:
        messages.info(
            request,
            f"“{opportunity.title}” is open already, at “{opportunity.get_stage_display()}”.",
        )
    elif not form.is_valid():
        messages.error(request, " ".join(str(message) for message in form.errors["stage"]))
    else:
        services.reopen_opportunity(opportunity=opportunity, stage=form.cleaned_data["stage"])
        messages.success(
            request,
            f"“{opportunity.title}” is open again, at “{opportunity.get_stage_display()}”: back "
            "on your dashboard and among the open ones to compare.",
        )
    if back_to_dashboard:
        return redirect("opportunities:dashboard")
    return redirect(f"{opportunity.get_absolute_url()}#pipeline")
