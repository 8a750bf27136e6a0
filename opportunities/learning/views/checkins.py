"""A check-in on a decision: how it is going, which forecasts came true, which kill
criteria were met, and the chosen option re-scored against reality. Answered early, on
time or late; answered again, it is edited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from opportunities.learning.core import CHECK_IN_WHEN
from opportunities.learning.forms.checkins import CheckInForm
from opportunities.learning.queries.checkins import check_in_questions, owned_check_in
from opportunities.learning.services.checkins import record_check_in
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.shortcuts import get_owned_or_404

CHECK_IN = "opportunities/learning/check_in.html"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def check_in(request: AuthenticatedHttpRequest, pk: int, check_in_pk: int) -> HttpResponse:
    """The check-in ``check_in_pk`` of the decision ``pk`` (both the user's, or a 404).
    Saved, it goes back to the decision's page; refused, the page comes back with what
    was typed and what to fix."""
    answering = get_owned_or_404(
        owned_check_in(request.user), request.user, pk=check_in_pk, decision_id=pk
    )
    questions = check_in_questions(answering)
    posted = request.method == "POST"
    form = CheckInForm(request.POST if posted else None, check_in=answering, questions=questions)
    if posted and form.is_valid():
        again = answering.done_on is not None
        record_check_in(
            answering,
            glad=form.cleaned_data["glad"],
            how_it_goes=form.cleaned_data["how_it_goes"],
            resolutions=form.resolutions(),
            kill_triggers=form.kill_triggers(),
            rescored=form.rescored(),
            done_on=form.cleaned_data["done_on"],
            forecasts=questions.forecasts,
        )
        messages.success(
            request,
            "Your check-in was updated." if again else "Checked in: it is in the story.",
        )
        path = reverse("opportunities:decision_detail", args=[answering.decision_id])
        return redirect(f"{path}#check-ins")
    decision = answering.decision
    return TemplateResponse(
        request,
        CHECK_IN,
        {
            "check_in": answering,
            "when": CHECK_IN_WHEN.get(answering.kind, ""),
            "decision": decision,
            "opportunity": decision.opportunity,
            "form": form,
        },
    )
