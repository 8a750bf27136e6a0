"""The commit step of a decision: one page, one form, one save, open the day the decision
was recorded and read only afterwards (what was expected is kept as it was written)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from opportunities.learning.core import weakest_sentence
from opportunities.learning.forms.commit import CommitStepForm
from opportunities.learning.queries.commit import CLOSED_REASON, commit_step_of
from opportunities.learning.services.commit import CommitStepProblem, save_commit_step
from opportunities.models import Decision
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.page_cache import cacheable
from opportunities.web.shortcuts import get_owned_or_404

TEMPLATE = "opportunities/learning/commit_step.html"


@cacheable
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def commit_step(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The commit step: the decision-quality check, the door, the premortem, the kill
    criteria and the forecasts. Saved, it goes to the decision's page, the weakest answer
    named; once closed, a POST saves nothing and shows what was sent, greyed, with why."""
    decision = get_owned_or_404(
        Decision.objects.select_related("opportunity", "commitment"),
        request.user,
        pk=pk,
    )
    read = commit_step_of(decision)
    posted = request.method == "POST"
    form = CommitStepForm(
        request.POST if posted else None,
        decision=decision,
        initial=CommitStepForm.initial_from(read),
    )
    if posted and not read.open:
        form.is_valid()  # Shown greyed, with what was sent, beside why nothing was saved.
    elif posted and form.is_valid():
        step = form.cleaned_data["step"]
        try:
            save_commit_step(decision=decision, step=step)
        except CommitStepProblem as problem:
            for sentence in problem.problems:
                form.add_error(None, sentence)
        else:
            weakest = weakest_sentence(step.answers)
            messages.success(
                request,
                f"Commit step saved. {weakest}." if weakest else "Commit step saved.",
            )
            url = reverse("opportunities:decision_detail", args=[decision.pk])
            return redirect(f"{url}#commit-step")
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "decision": decision,
            "opportunity": decision.opportunity,
            "read": read,
            "form": form,
            "closed_reason": CLOSED_REASON,
        },
    )
