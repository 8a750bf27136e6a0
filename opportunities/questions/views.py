"""Questions to find out about an opportunity: asking one (the opportunity page's card, or
the comparison's "Add as a question"), answering it on its own page, and deleting it
once confirmed. Each leaves its entries in the story; answering asks to re-score."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from opportunities.models import Opportunity, Question
from opportunities.models.limits import MAX_QUESTIONS
from opportunities.questions import queries, services
from opportunities.questions.core import rescore_prompt
from opportunities.questions.forms import AnswerForm, QuestionForm
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.shortcuts import get_owned_or_404

ASK = "opportunities/questions/question_form.html"
ANSWER = "opportunities/questions/answer_form.html"
DELETE = "opportunities/questions/question_confirm_delete.html"


def _next(request: AuthenticatedHttpRequest, opportunity: Opportunity) -> str:
    """Where asking goes back to: ``next`` when it is a path on this site (the comparison
    it came from), else the questions on the opportunity's page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return f"{opportunity.get_absolute_url()}#questions"


def _owned_question(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> Question:
    return get_owned_or_404(
        Question.objects.select_related("opportunity", "criterion"),
        request.user,
        pk=question_pk,
        opportunity_id=pk,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def question_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask a question. A good one goes back to ``next`` (or the opportunity's page); one
    that cannot be asked gets this page, with what was typed and what to fix."""
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    posted = request.method == "POST"
    full = posted and queries.open_count(opportunity) >= MAX_QUESTIONS
    form = QuestionForm(request.POST if posted else None, owner=request.user, full=full)
    if not posted and (about := request.GET.get("criterion", "")).isdigit():
        form.initial["criterion"] = int(about)
    if posted and form.is_valid():
        asked = services.ask_question(
            opportunity=opportunity,
            text=form.cleaned_data["text"],
            criterion=form.cleaned_data["criterion"],
        )
        if asked.added:
            messages.success(request, f"“{asked.question.text}” is among the open questions.")
        else:
            messages.info(
                request,
                f"You already asked “{asked.question.text}”: it is among the open questions, once.",
            )
        return HttpResponseRedirect(_next(request, opportunity))
    return TemplateResponse(
        request,
        ASK,
        {"opportunity": opportunity, "form": form, "next": _next(request, opportunity)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def question_answer(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """What was found out, and when. Saved, it goes into the story and the page asks to
    re-score the criterion the question is about, at its row."""
    question = _owned_question(request, pk, question_pk)
    form = AnswerForm(request.POST if request.method == "POST" else None, instance=question)
    if request.method == "POST" and form.is_valid():
        services.answer_question(
            question=question,
            answer=form.cleaned_data["answer"],
            answered_on=form.cleaned_data["answered_on"],
        )
        criterion = question.criterion
        messages.success(request, rescore_prompt(criterion.name if criterion else None))
        anchor = f"score-row-{criterion.pk}" if criterion else "questions"
        return redirect(f"{question.opportunity.get_absolute_url()}#{anchor}")
    return TemplateResponse(
        request,
        ANSWER,
        {"opportunity": question.opportunity, "question": question, "form": form},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def question_delete(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    """Delete a question once confirmed, with its entries in the story."""
    question = _owned_question(request, pk, question_pk)
    if request.method == "POST":
        services.delete_question(question=question)
        messages.success(request, f"“{question.text}” was deleted, with its entries in the story.")
        return redirect(f"{question.opportunity.get_absolute_url()}#questions")
    return TemplateResponse(
        request, DELETE, {"opportunity": question.opportunity, "question": question}
    )
