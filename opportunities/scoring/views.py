"""The opportunity's page and its scoring panel: a slider per criterion saved as it
moves, the decision score beside it, all scores at once without JavaScript, and
checkpoints that freeze the scoring as it stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from opportunities.criteria.queries import active_criteria
from opportunities.friends.queries import opportunity_rounds
from opportunities.journal.core import EARLIEST_DAY
from opportunities.journal.queries import opportunity_history
from opportunities.models import DERIVED_FROM_OFFER, Criterion, Evaluation, Opportunity, Score
from opportunities.models.limits import MAX_CHECKPOINTS
from opportunities.pay.queries import Derivation, derived_score_state, opportunity_pay
from opportunities.people.queries import opportunity_lineage
from opportunities.pipeline.queries import opportunity_pipeline
from opportunities.questions.queries import questions_section
from opportunities.scoring import amounts, queries, services
from opportunities.scoring.core import compute_decision_score, rated_live
from opportunities.scoring.forms import AmountForm, CheckpointForm, ScoreForm
from opportunities.scoring.services import ScoreRange
from opportunities.scoring.status import PAGE, band_of, refused, score_status, values_and_ranges
from opportunities.timeline.queries import story_section
from opportunities.web.htmx import (
    AuthenticatedHttpRequest,
    render_page,
    targeted_partial,
    trigger,
)
from opportunities.web.links import url_maker
from opportunities.web.page_cache import cacheable
from opportunities.web.shortcuts import get_owned_or_404

PARTIALS = {"score-summary": "score_summary"}
"""What htmx may ask of the page on its own: the decision score panel."""


@dataclass(slots=True)
class ScoreRow:
    """One line of the scoring panel, its fields' values ready to print."""

    criterion: Criterion
    form: ScoreForm | AmountForm | None
    """An amount's form on a number criterion, a score's on any other; only when scores
    were posted (an unposted page shows the saved values, ``values``, without forms)."""
    failing: bool
    prefix: str
    save_url: str
    """Where its slider (or its amount) saves."""
    values: dict[str, Any]
    """Each field's value as its box shows it: the posted one, else the saved one."""
    invalid: frozenset[str] = frozenset()
    """The fields the posted form found a problem with."""
    errors: Any = None
    """The posted form's errors, said under the row."""
    ranged: bool = False
    """Whether the score has an "I'm unsure" range (saved, or typed into the form)."""
    derivation: Derivation | None = None
    """For a derived criterion (Pay, the arrangement): what its inputs score."""
    overridden: bool = False
    """A derived criterion's score was set by hand."""
    amount: queries.AmountLine | None = None
    """For a number criterion: its amount and what it scores."""

    @property
    def unscored(self) -> bool:
        value = self.values.get("value")
        return value is None or str(value) == ""

    @property
    def slider(self) -> Any:
        """Where the slider sits: the score, or halfway when there is none."""
        return self.values.get("value") or "5"


def _form_row(
    form_class: type[ScoreForm] | type[AmountForm], data, initial: dict, prefix: str
) -> dict[str, Any]:
    """A row's form (only when scores were posted) and what its boxes show."""
    if data is None:
        values = {name: initial.get(name) for name in form_class.base_fields}
        return {"form": None, "values": values, "errors": {}}
    form = form_class(data, initial=initial, prefix=prefix)
    return {
        "form": form,
        "values": {name: form[name].value() for name in form.fields},
        "invalid": frozenset(form.errors),
        "errors": form.errors,
    }


def _scoring_context(
    opportunity: Opportunity,
    *,
    data=None,
    with_pay: bool = True,
    criteria: list[Criterion] | None = None,
    evaluation: Evaluation | None = None,
) -> dict:
    """The scoring panel. The whole page passes the active ``criteria`` and the live
    ``evaluation`` (its scores prefetched) it has read for the history below."""
    if criteria is None:
        criteria = list(active_criteria(opportunity.owner_id))
    if evaluation is None:
        evaluation = services.live_evaluation(opportunity)
        scores = {s.criterion_id: s for s in Score.objects.filter(evaluation=evaluation)}
    else:
        scores = {s.criterion_id: s for s in evaluation.scores.all()}
    result = compute_decision_score(rated_live(criteria, scores.values()))
    pay = opportunity_pay(opportunity, criteria=criteria) if with_pay else None
    failures = set(result.failures)
    score_url = url_maker("opportunities:score_save", 2)
    amount_url = url_maker("opportunities:amount_save", 2)
    rows = []
    for criterion in criteria:
        score = scores.get(criterion.id)
        overridden = score is not None and score.overridden
        prefix = str(criterion.id)
        if criterion.is_number:
            amount = None if score is None else score.amount
            initial: dict[str, Any] = {
                "amount": queries.plain_amount(amount),
                "note": score.note if score else "",
            }
            rows.append(
                ScoreRow(
                    criterion=criterion,
                    **_form_row(AmountForm, data, initial, prefix),
                    failing=criterion.id in failures,
                    prefix=prefix,
                    save_url=amount_url(opportunity.pk, criterion.pk),
                    overridden=overridden,
                    amount=queries.amount_line(
                        criterion, amount, score.value if score else None, overridden=overridden
                    ),
                )
            )
            continue
        initial = (
            {"value": score.value, "note": score.note, "low": score.low, "high": score.high}
            if score
            else {}
        )
        row = _form_row(ScoreForm, data, initial, prefix)
        rows.append(
            ScoreRow(
                criterion=criterion,
                **row,
                failing=criterion.id in failures,
                prefix=prefix,
                save_url=score_url(opportunity.pk, criterion.pk),
                ranged=any(row["values"][end] not in (None, "") for end in ("low", "high")),
                derivation=(
                    pay.derived.get(criterion.kind)
                    if pay and criterion.derived_from_offer
                    else None
                ),
                overridden=overridden,
            )
        )
    return {
        "opportunity": opportunity,
        "evaluation": evaluation,
        "rows": rows,
        "result": result,
        "band": band_of(criteria, *values_and_ranges(scores.values())),
        "failing_criteria": [c for c in criteria if c.id in failures],
        "opportunity_pay": pay,
    }


def _page_sections(opportunity: Opportunity, *, criteria: list[Criterion] | None = None) -> dict:
    """What the rest of the page shows below the scoring panel: the story (its newest
    entries), the pipeline, the checkpoints and score over time, the decisions, the
    rounds of asking friends, and the forms that add to them. With them comes the live
    evaluation (``live_evaluation``), read with the checkpoints."""
    return opportunity_history(opportunity, criteria=criteria) | {
        "checkpoint_form": CheckpointForm(),
        **opportunity_pipeline(opportunity),  # its stages, variants, and reopening
        "story": story_section(opportunity),
        "earliest_day": EARLIEST_DAY,
        "lineage": opportunity_lineage(opportunity),
        "friend_rounds": opportunity_rounds(opportunity),  # the friends' view card
        "questions": questions_section(opportunity),  # the open questions card
    }


@cacheable
@require_safe
@login_required
def opportunity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    if targeted_partial(request, PARTIALS) is not None:
        context = _scoring_context(opportunity, with_pay=False)
        return render_page(request, PAGE, context, partials=PARTIALS)
    # The history below reads every evaluation with its scores: the panel's live one
    # and the active criteria are taken from there rather than read twice.
    criteria = list(active_criteria(opportunity.owner_id))
    sections = _page_sections(opportunity, criteria=criteria)
    live = sections.pop("live_evaluation")
    context = _scoring_context(opportunity, criteria=criteria, evaluation=live) | sections
    return render_page(request, PAGE, context, partials=PARTIALS)


@require_POST
@login_required
def score_save(request: AuthenticatedHttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    """Save one slider's score (htmx) and answer with the new total, coverage and
    must-have state (the ``score_saved`` partial) and a ``scoreChanged`` event. A plain
    POST goes back to the page.

    Every slider move lands here, so a valid score is saved by one service call that
    checks ownership as it locks (``services.save_live_score``); only a refused score
    looks the opportunity and criteria up on its own."""
    prefix = str(criterion_pk)
    form = ScoreForm(request.POST, prefix=prefix)
    if f"{prefix}-value" not in request.POST:
        return refused(
            request,
            pk,
            criterion_pk,
            "No score was sent. Move the slider or type a number from 0 to 10.",
        )
    if not form.is_valid():
        problems = (str(error) for errors in form.errors.values() for error in errors)
        return refused(request, pk, criterion_pk, " ".join(problems))
    note = form.cleaned_data["note"] if f"{prefix}-note" in request.POST else None
    # A page that sends no range (an old tab, a range opened but not yet confirmed)
    # keeps the one saved, while it still holds the score.
    ranged = f"{prefix}-low" in request.POST or f"{prefix}-high" in request.POST
    try:
        saved = services.save_live_score(
            user=request.user,
            opportunity_id=pk,
            criterion_id=criterion_pk,
            value=form.cleaned_data["value"],
            note=note,
            score_range=form.score_range if ranged else "keep",
        )
    except (Opportunity.DoesNotExist, Criterion.DoesNotExist) as exc:
        raise Http404("No such opportunity or criterion.") from exc
    criterion = next(c for c in saved.criteria if c.id == criterion_pk)
    range_note = _range_note(
        saved.range_before,
        saved.ranges.get(criterion_pk),
        saved.values[criterion_pk],
        sent=ranged,
    )
    if not request.htmx:
        messages.success(request, f"{criterion.name} saved.{range_note and ' ' + range_note}")
        return redirect("opportunities:opportunity_detail", pk=pk)
    context = score_status(
        saved.result,
        saved.criteria,
        criterion,
        band=band_of(saved.criteria, saved.values, saved.ranges),
        note=range_note,
    )
    if saved.set_by_hand_now and criterion.kind in DERIVED_FROM_OFFER:
        # Pay or the arrangement, moved off its derived value: its line about the
        # derivation now says it is set by hand (otherwise that line stays as it is).
        state = derived_score_state(
            request.user, opportunity_id=pk, kind=criterion.kind, overridden=True
        )
        context |= {
            "opportunity": state.opportunity,
            "status_derivation": state.derivation,
            "status_overridden": state.overridden,
            "status_derivation_changed": True,
        }
    return trigger(TemplateResponse(request, f"{PAGE}#score_saved", context), "scoreChanged")


def _range_note(
    before: ScoreRange | None, after: ScoreRange | None, value: int | None, *, sent: bool
) -> str:
    """What a save did to a saved range, said beside the row: the one who cleared the
    score or moved it out of its range did not necessarily mean to drop the range."""
    if before is None or after is not None:
        return ""
    span = f"{before[0]}–{before[1]}"
    if value is None:
        return f"Its range ({span}) went with the score."
    if sent:
        return "Range removed."
    return f"Its range ({span}) no longer held the score, so it was removed."


@require_POST
@login_required
def scores_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The scoring panel without JavaScript: every score in one form, saved all or nothing."""
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    context = _scoring_context(opportunity, data=request.POST)
    forms = [row.form for row in context["rows"]]
    if not all(form is not None and form.is_valid() for form in forms):
        messages.error(request, "Some scores could not be saved. Nothing was changed; see below.")
        sections = _page_sections(opportunity)
        del sections["live_evaluation"]
        context |= sections
        return TemplateResponse(request, PAGE, context)
    with transaction.atomic():
        for row in context["rows"]:
            form = row.form
            if isinstance(form, AmountForm):
                amounts.save_amount(
                    opportunity=opportunity,
                    criterion=row.criterion,
                    amount=form.cleaned_data["amount"],
                    note=form.cleaned_data["note"],
                )
            elif isinstance(form, ScoreForm):
                services.save_score(
                    opportunity=opportunity,
                    criterion=row.criterion,
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                    score_range=form.score_range,
                )
    messages.success(request, "Scores saved.")
    return redirect("opportunities:opportunity_detail", pk=opportunity.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def checkpoint_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Freeze the live evaluation under a label. The form sits on the scoring panel; with
    an error, htmx gets the form back in place and a plain POST gets this form's own page."""
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    posted = request.method == "POST"
    scored = Evaluation.objects.live().filter(opportunity=opportunity, scored_count__gt=0)
    nothing_scored = posted and not scored.exists()
    full = posted and queries.checkpoint_count(opportunity) >= MAX_CHECKPOINTS
    form = CheckpointForm(request.POST or None, nothing_scored=nothing_scored, full=full)
    if request.method == "POST" and form.is_valid():
        checkpoint = services.save_checkpoint(
            opportunity=opportunity,
            label=form.cleaned_data["label"],
            happened_on=form.cleaned_data["happened_on"],
        )
        messages.success(
            request, f"Checkpoint “{checkpoint.label}” saved. Scoring carries on from here."
        )
        if request.htmx:
            # The form is on the page it returns to: a redirect that only adds a #fragment
            # would scroll instead of reloading, so htmx reloads the page itself.
            return redirect("opportunities:opportunity_detail", pk=opportunity.pk)
        return redirect(f"{opportunity.get_absolute_url()}#checkpoints")
    return render_page(
        request,
        "opportunities/scoring/checkpoint_form.html",
        {"opportunity": opportunity, "checkpoint_form": form},
        partials={"checkpoint-form": "checkpoint_form"},
    )
