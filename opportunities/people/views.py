"""The people in your decisions: the list, a person's page (the opportunities they are
part of, what arose from them, the conversations with them), adding, editing and removing
someone, and marking a follow-up done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from opportunities.models import Opportunity, Person
from opportunities.people import queries, services
from opportunities.people.forms import PersonForm
from opportunities.pipeline.services import clear_opportunity_follow_up
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.once import earlier_submission, redirect_to_earlier
from opportunities.web.page_cache import cacheable
from opportunities.web.pagination import page_of
from opportunities.web.shortcuts import get_owned_or_404

ENTRIES_PER_PAGE = 50
FORM = "opportunities/people/person_form.html"


@require_safe
@login_required
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "opportunities/people/people.html",
        {"people": queries.people_list(request.user), "today": timezone.localdate()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def person_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, owner=request.user)
    if request.method == "POST":
        # Sent again (Back and submit, a double click): the first one, not a second.
        earlier = earlier_submission(user=request.user, submission=form.submission, model=Person)
        if earlier is not None:
            return redirect_to_earlier(request, earlier)
    if request.method == "POST" and form.is_valid():
        once = services.create_person_once(
            user=request.user, person=form.instance, submission=form.submission
        )
        if not once.created:
            return redirect_to_earlier(request, once)
        messages.success(request, f"{once.object.name} added.")
        return redirect(once.object)
    return TemplateResponse(request, FORM, {"form": form})


@cacheable
@require_safe
@login_required
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=pk)
    opportunities = queries.person_opportunities(person)
    entries = page_of(queries.person_entries(person), ENTRIES_PER_PAGE, request.GET.get("page"))
    return TemplateResponse(
        request,
        "opportunities/people/person_detail.html",
        {
            "person": person,
            "opportunities": opportunities,
            "led_to": [o for o in opportunities if o.arose_from_person_id == person.pk],
            "entries": entries,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=pk)
    form = PersonForm(request.POST or None, instance=person, owner=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_person(person=form.instance)
        messages.success(request, "Changes saved.")
        return redirect(person)
    return TemplateResponse(request, FORM, {"form": form, "person": person})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def person_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=pk)
    if request.method == "POST":
        name = person.name
        services.delete_person(person=person)
        messages.success(
            request,
            f"{name} was removed. The opportunities and conversations they were part of "
            "are still there, without their name.",
        )
        return redirect("opportunities:people")
    return TemplateResponse(
        request, "opportunities/people/person_confirm_delete.html", {"person": person}
    )


def _back(request: AuthenticatedHttpRequest, page: Person | Opportunity) -> HttpResponseRedirect:
    """Back where the "Done" was pressed: the dashboard's list, or the page of what it was."""
    if request.POST.get("back") == "dashboard":
        return redirect("opportunities:dashboard")
    return redirect(page)


@require_POST
@login_required
def person_follow_up_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_owned_or_404(Person, request.user, pk=pk)
    services.clear_person_follow_up(person=person)
    messages.success(request, f"Checked in with {person.name}: the follow-up is done.")
    return _back(request, person)


@require_POST
@login_required
def opportunity_follow_up_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    clear_opportunity_follow_up(opportunity=opportunity)
    messages.success(request, f"Followed up on “{opportunity.title}”: the follow-up is done.")
    return _back(request, opportunity)
