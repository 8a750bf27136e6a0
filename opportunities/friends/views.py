"""The owner's side of asking friends: the rounds, starting one from an opportunity or a
comparison, a round's page (its links and what friends said), closing, reopening and
deleting it, its personal links (adding one, a new one for the same friend, revoking
one), and taking a friend's score as one's own.

A link's token is shown once, on the page that answers the POST that made it (never
stored, never in a redirect's address): that page is not cached (signed-in pages never
are), and reloading it would only send the form again, which makes no second link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from opportunities.compare.core import parse_selection, selection_param
from opportunities.friends import queries, services
from opportunities.friends.core import DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS, MAX_LINKS_PER_ROUND
from opportunities.friends.display import link_rows
from opportunities.friends.forms import InviteForm, ReissueForm, RoundForm
from opportunities.friends.services import MAX_OPPORTUNITIES_PER_ROUND, IssuedLink
from opportunities.models import Criterion, FriendInvitation, FriendRound, Opportunity, Person
from opportunities.people.core import is_row_id
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.once import earlier_submission
from opportunities.web.page_cache import cacheable
from opportunities.web.pagination import page_of
from opportunities.web.shortcuts import get_owned_or_404

LIST = "opportunities/friends/friends.html"
ROUND = "opportunities/friends/round_detail.html"
CREATE = "opportunities/friends/round_form.html"


def round_url(friend_round: FriendRound | int, fragment: str = "") -> str:
    pk = friend_round if isinstance(friend_round, int) else friend_round.pk
    url = reverse("opportunities:friends_round", args=[pk])
    return f"{url}#{fragment}" if fragment else url


@require_safe
@login_required
def friends(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every round, newest first, with its links and how many have answered."""
    page = page_of(
        queries.rounds_for(request.user), queries.ROUNDS_PER_PAGE, request.GET.get("page")
    )
    return TemplateResponse(
        request,
        LIST,
        {"page": page, "rounds": queries.round_summaries(list(page.object_list))},
    )


def _selection(request: AuthenticatedHttpRequest) -> tuple[list[Opportunity], int]:
    """The opportunities a new round asks about: one (``?opportunity=``, where another
    person's is a 404 and an archived one is left out), or a comparison's (``ids``, in the
    query or, once the form is sent, in the form, where ids that are not the user's are
    left out). Also how many were left out."""
    one = request.GET.get("opportunity") if request.method != "POST" else None
    if one is not None:
        if not is_row_id(one):
            raise Http404("No such opportunity.")
        found = queries.asked_opportunities(request.user, [int(one)])
        if not found and not queries.owns_opportunity(request.user, int(one)):
            raise Http404("No such opportunity.")
        return found, 1 - len(found)  # archived: left out, and said
    params = request.POST if request.method == "POST" else request.GET
    selection = parse_selection(params.getlist("ids"))
    found = queries.asked_opportunities(request.user, selection.ids) if selection.ids else []
    left_out = len(selection.ids) - len(found) + len(selection.malformed) + selection.dropped
    return found, left_out


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start a round: what it asks about comes from the link (an opportunity's "Ask
    friends", or a comparison's); the form says what friends may see."""
    opportunities, left_out = _selection(request)
    context: dict[str, Any] = {
        "opportunities": opportunities,
        "left_out": left_out,
        "max_opportunities": MAX_OPPORTUNITIES_PER_ROUND,
        "ids_param": selection_param(opportunity.pk for opportunity in opportunities),
    }
    if not opportunities:
        context["choices"] = queries.open_opportunities(request.user)
        return TemplateResponse(request, CREATE, context)
    if len(opportunities) > MAX_OPPORTUNITIES_PER_ROUND:
        context["too_many"] = True
        return TemplateResponse(request, CREATE, context)
    form = RoundForm(request.POST or None, owner=request.user)
    if request.method == "POST":
        # Sent again (Back and submit, a double click): the first round, not a second.
        earlier = earlier_submission(
            user=request.user, submission=form.submission, model=FriendRound
        )
        if earlier is not None:
            messages.info(request, "This round was already started from this form; here it is.")
            return redirect(round_url(earlier.object))
        if form.is_valid():
            try:
                once = services.create_round_once(
                    user=request.user,
                    friend_round=form.instance,
                    opportunity_ids=[opportunity.pk for opportunity in opportunities],
                    submission=form.submission,
                )
            except services.FriendsProblem as problem:
                form.add_error(None, problem.message)
            else:
                messages.success(
                    request, "Round started. Now add a personal link for each friend to ask."
                )
                return redirect(round_url(once.object, "links"))
    return TemplateResponse(request, CREATE, context | {"form": form})


def round_response(
    request: AuthenticatedHttpRequest,
    friend_round: FriendRound,
    *,
    invite_form: InviteForm | None = None,
    issued: IssuedLink | None = None,
    reissue: tuple[int, ReissueForm] | None = None,
) -> TemplateResponse:
    """A round's page: its links (with a link just made, shown this once), the form that
    adds one, and what the friends said."""
    page = queries.round_page(friend_round)
    reissue_link, reissue_form = reissue if reissue is not None else (None, None)
    return TemplateResponse(
        request,
        ROUND,
        {
            "round": friend_round,
            "page": page,
            "links": link_rows(friend_round.pk, page.links, reissuing=reissue_link),
            "invite_form": invite_form or InviteForm(owner=request.user, friend_round=friend_round),
            "issued": issued,
            "reissue_link": reissue_link,
            "reissue_form": reissue_form,
            "reopen_problem": services.reopen_problem(friend_round=friend_round)
            if friend_round.is_closed
            else None,
            "max_links": MAX_LINKS_PER_ROUND,
            "default_days": DEFAULT_EXPIRY_DAYS,
            "max_days": MAX_EXPIRY_DAYS,
        },
    )


@cacheable
@require_safe
@login_required
def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    friend_round = get_owned_or_404(FriendRound, request.user, pk=pk)
    return round_response(request, friend_round)


@require_POST
@login_required
def round_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    friend_round = get_owned_or_404(FriendRound, request.user, pk=pk)
    services.close_round(friend_round=friend_round)
    messages.success(
        request,
        "Round closed: its links now open on a page that says so, and take no more answers. "
        "The answers stay here.",
    )
    return redirect(round_url(friend_round))


@require_POST
@login_required
def round_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    friend_round = get_owned_or_404(FriendRound, request.user, pk=pk)
    try:
        services.reopen_round(friend_round=friend_round)
    except services.FriendsProblem as problem:
        messages.error(request, f"Not reopened. {problem.message}")
    else:
        messages.success(request, "Round reopened: its links that have not expired work again.")
    return redirect(round_url(friend_round))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    friend_round = get_owned_or_404(FriendRound, request.user, pk=pk)
    if request.method == "POST":
        services.delete_round(friend_round=friend_round)
        messages.success(
            request,
            "Round deleted, with its links and their answers. Scores you took from your "
            "friends stay yours.",
        )
        return redirect("opportunities:friends")
    summary = queries.round_summaries([friend_round])[0]
    return TemplateResponse(
        request,
        "opportunities/friends/round_confirm_delete.html",
        {"round": friend_round, "summary": summary},
    )


@require_POST
@login_required
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a personal link for one friend; the page that answers shows it this once."""
    friend_round = get_owned_or_404(FriendRound, request.user, pk=pk)
    form = InviteForm(request.POST, owner=request.user, friend_round=friend_round)
    if form.is_valid():
        person: Person | None = form.cleaned_data["person"]
        try:
            issued = services.add_link(
                friend_round=friend_round,
                person=person,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                days=form.cleaned_data["days"],
                send_email=form.cleaned_data["send_email"],
            )
        except services.FriendsProblem as problem:
            form.add_problem(problem)
        else:
            return round_response(request, friend_round, issued=issued)
    return round_response(request, friend_round, invite_form=form)


def _owned_link(request: AuthenticatedHttpRequest, pk: int, link_pk: int) -> FriendInvitation:
    return get_owned_or_404(FriendInvitation, request.user, pk=link_pk, round_id=pk)


@require_POST
@login_required
def link_reissue(request: AuthenticatedHttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """A new link for the same friend: the old one stops working at once, answers stay."""
    friend_round = get_owned_or_404(FriendRound, request.user, pk=pk)
    invitation = _owned_link(request, pk, link_pk)
    form = ReissueForm(request.POST)
    if form.is_valid():
        try:
            issued = services.reissue_link(
                invitation=invitation,
                days=form.cleaned_data["days"],
                send_email=form.cleaned_data["send_email"],
            )
        except services.FriendsProblem as problem:
            form.add_error("days" if problem.field == "days" else None, problem.message)
        else:
            return round_response(request, friend_round, issued=issued)
    return round_response(request, friend_round, reissue=(invitation.pk, form))


@require_POST
@login_required
def link_revoke(request: AuthenticatedHttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """The link stops working at once; its page says it was revoked. Answers stay."""
    invitation = _owned_link(request, pk, link_pk)
    services.revoke_link(invitation=invitation)
    messages.success(
        request,
        f"{invitation.name}'s link is revoked: it now opens on a page that says so. Their "
        "answers stay. “New link” gives them a fresh one.",
    )
    return redirect(round_url(pk, "links"))


def _expected(value: str | None) -> int | None:
    """The friends' score the owner was shown (sent with "Use friends' 5"), if readable."""
    if value is None:
        return None
    text = value.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else None


@require_POST
@login_required
def adopt(
    request: AuthenticatedHttpRequest, pk: int, opportunity_pk: int, criterion_pk: int
) -> HttpResponse:
    """ "Use friends' 5": the friends' score becomes the owner's, with an entry in the
    opportunity's story. htmx gets the criterion's row back (and what it would change);
    a plain POST goes back to the round's page."""
    friend_round = get_owned_or_404(FriendRound, request.user, pk=pk)
    try:
        adopted = services.adopt_friends_score(
            user=request.user,
            round_id=friend_round.pk,
            opportunity_id=opportunity_pk,
            criterion_id=criterion_pk,
            expected=_expected(request.POST.get("median")),
        )
    except (Opportunity.DoesNotExist, Criterion.DoesNotExist) as exc:
        raise Http404("No such opportunity or criterion in this round.") from exc
    except services.AdoptProblem as problem:
        messages.error(request, str(problem))
    else:
        if not adopted.changed:
            messages.info(
                request, f"{adopted.criterion} already was {adopted.after}: nothing changed."
            )
        else:
            was = "not scored" if adopted.before is None else f"was {adopted.before}"
            hand = (
                " It is set by hand now, no longer derived: “Use the derived score” on the "
                "opportunity's page brings the derived one back."
                if adopted.set_by_hand
                else ""
            )
            messages.success(
                request,
                f"{adopted.criterion} is now {adopted.after}, your friends' score ({was}). "
                f"The opportunity's story records it.{hand}",
            )
    fragment = f"result-{opportunity_pk}-{criterion_pk}"
    if not request.htmx:
        return redirect(round_url(friend_round, fragment))
    page = queries.round_page(friend_round)
    row = page.row(opportunity_pk, criterion_pk)
    if row is None:
        return redirect(round_url(friend_round, fragment))
    return TemplateResponse(
        request, f"{ROUND}#adopted", {"round": friend_round, "page": page, "row": row}
    )
