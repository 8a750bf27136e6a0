"""An opportunity's story: the whole of it a page at a time, and adding, editing and
deleting its entries. The newest entries also show on the opportunity's page, where
"Add to the story" opens the form in place (htmx) or on its own page (without JS)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from opportunities.models import Opportunity, TimelineEntry
from opportunities.models.limits import MAX_TIMELINE_ENTRIES
from opportunities.questions.queries import open_questions
from opportunities.timeline import queries, services
from opportunities.timeline.display import story_lines
from opportunities.timeline.forms import EntryForm
from opportunities.web.htmx import AuthenticatedHttpRequest, render_page
from opportunities.web.page_cache import cacheable
from opportunities.web.pagination import page_of
from opportunities.web.shortcuts import get_owned_or_404

STORY = "opportunities/timeline/story.html"
ENTRY_FORM = "opportunities/timeline/entry_form.html"
ADD_TARGET = "story-add"
"""The element of the opportunity's page that "Add to the story" turns into the form."""


def _back_to(request: AuthenticatedHttpRequest, opportunity: Opportunity) -> str:
    """Where a form goes back to: the whole story when it was opened from there, else
    the story on the opportunity's page."""
    if (request.POST.get("back") or request.GET.get("back")) == "story":
        return reverse("opportunities:story", args=[opportunity.pk])
    return f"{opportunity.get_absolute_url()}#story"


def _back_param(request: AuthenticatedHttpRequest) -> str:
    return "story" if (request.POST.get("back") or request.GET.get("back")) == "story" else ""


def _owned_entry(request: AuthenticatedHttpRequest, pk: int, entry_pk: int) -> TimelineEntry:
    return get_owned_or_404(
        TimelineEntry.objects.select_related("opportunity"),
        request.user,
        pk=entry_pk,
        opportunity_id=pk,
    )


@cacheable
@require_safe
@login_required
def story(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The whole story, newest first (or oldest first), a page at a time."""
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    oldest_first = request.GET.get("order") == "oldest"
    entries = queries.story_entries(opportunity, oldest_first=oldest_first)
    page = page_of(entries, queries.STORY_PAGE_SIZE, request.GET.get("page"))
    return TemplateResponse(
        request,
        STORY,
        {
            "opportunity": opportunity,
            "page": page,
            "lines": story_lines(page.object_list, editable=True, back="story"),
            "oldest_first": oldest_first,
            "open_questions": open_questions(opportunity),  # "Still to find out"
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def entry_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add an entry. From the opportunity's page (htmx) the form opens in place of its
    button and, once saved, gives way to the button again and the newest entries; any
    other request gets the form's own page, which goes back to the story when saved."""
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    posted = request.method == "POST"
    full = posted and queries.entry_count(opportunity) >= MAX_TIMELINE_ENTRIES
    form = EntryForm(request.POST or None, owner=request.user, full=full)
    in_place = bool(request.htmx) and request.htmx.target == ADD_TARGET
    if posted and form.is_valid():
        entry = services.add_entry(opportunity=opportunity, entry=form.instance)
        messages.success(request, f"“{entry.title}” is in the story.")
        if in_place:
            return TemplateResponse(
                request,
                f"{STORY}#story_added",
                {
                    "opportunity": opportunity,
                    "story": queries.story_section(opportunity),
                    "focus_add": True,  # the keyboard carries on from the button it left
                },
            )
        return redirect(_back_to(request, opportunity))
    return render_page(
        request,
        ENTRY_FORM,
        {
            "opportunity": opportunity,
            "form": form,
            "back": _back_param(request),
            "in_place": in_place,
        },
        partials={ADD_TARGET: "story_form"},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def entry_edit(request: AuthenticatedHttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    entry = _owned_entry(request, pk, entry_pk)
    form = EntryForm(request.POST or None, instance=entry, owner=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_entry(entry=form.instance)
        messages.success(request, f"“{entry.title}” saved.")
        return redirect(_back_to(request, entry.opportunity))
    return TemplateResponse(
        request,
        ENTRY_FORM,
        {
            "opportunity": entry.opportunity,
            "entry": entry,
            "form": form,
            "back": _back_param(request),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def entry_delete(request: AuthenticatedHttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Delete an entry written by hand, once confirmed. The app's own entries are not
    deleted here: the page says why, and a POST changes nothing."""
    entry = _owned_entry(request, pk, entry_pk)
    if request.method == "POST" and entry.is_written_by_hand:
        services.delete_entry(entry=entry)
        messages.success(request, f"“{entry.title}” was deleted from the story.")
        return redirect(_back_to(request, entry.opportunity))
    if request.method == "POST":
        messages.error(
            request, "This entry was written by the app: it stays while what it records does."
        )
    return TemplateResponse(
        request,
        "opportunities/timeline/entry_confirm_delete.html",
        {"opportunity": entry.opportunity, "entry": entry, "back": _back_param(request)},
    )
