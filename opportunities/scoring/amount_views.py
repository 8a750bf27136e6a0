"""A number criterion's amount typed on the opportunity's page ("35 minutes a day"), saved
as it is typed (htmx) or with the page's plain form, answered as a slider's save is."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from opportunities.models import Criterion, Opportunity
from opportunities.scoring import amounts, queries
from opportunities.scoring.forms import AmountForm
from opportunities.scoring.status import PAGE, band_of, not_a_number, refused, score_status
from opportunities.web.htmx import AuthenticatedHttpRequest, trigger
from opportunities.web.shortcuts import get_owned_or_404


@require_POST
@login_required
def amount_save(request: AuthenticatedHttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    """Save a number criterion's amount (htmx, as it is typed) and answer as a slider's
    save does, with the row's "35 minutes a day → 7" line too. A plain POST goes back to
    the page. An empty box clears the amount and its score."""
    prefix = str(criterion_pk)
    form = AmountForm(request.POST, prefix=prefix)
    if f"{prefix}-amount" not in request.POST:
        problem = "No number was sent. Type one, or empty the box to clear it."
        return refused(request, pk, criterion_pk, problem, amount=True)
    if not form.is_valid():
        problems = (str(error) for errors in form.errors.values() for error in errors)
        return refused(request, pk, criterion_pk, " ".join(problems), amount=True)
    try:
        saved = amounts.save_live_amount(
            owner_id=request.user.pk,
            opportunity_id=pk,
            criterion_id=criterion_pk,
            amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"] if f"{prefix}-note" in request.POST else None,
        )
    except Opportunity.DoesNotExist as exc:
        raise Http404("No such opportunity.") from exc
    except Criterion.DoesNotExist:
        return _not_a_number(request, criterion_pk)
    line = queries.amount_line(saved.criterion, saved.amount, saved.value)
    if not request.htmx:
        messages.success(request, f"{line.criterion.name} saved{_scored(line)}.")
        return redirect("opportunities:opportunity_detail", pk=pk)
    score = saved.score
    band = band_of(score.criteria, score.values, score.ranges)
    context = score_status(score.result, score.criteria, saved.criterion, band=band)
    context["line"] = line
    return trigger(TemplateResponse(request, f"{PAGE}#amount_saved", context), "scoreChanged")


def _scored(line: queries.AmountLine) -> str:
    if not line.amount:
        return ": no number"
    if not line.scale:
        return f": {line.amount}, not scored until its scale is set"
    return f": {line.amount} scores {line.value}"


def _not_a_number(request: AuthenticatedHttpRequest, criterion_pk: int) -> HttpResponse:
    """An amount sent for a criterion scored another way: said plainly (400); one that is
    not the user's active criterion is a 404."""
    criterion = get_owned_or_404(Criterion, request.user, pk=criterion_pk, archived_at=None)
    return not_a_number(criterion)
