"""Comparable pay: an opportunity's compensation with its breakdown recomputed as you type,
the pay settings behind it, and handing a derived score back to its inputs.

The compensation form posts ``preview=1`` (htmx, on every pause in typing, or the
no-JavaScript "Preview" button) to the same URL it saves to: a preview validates and
answers with the breakdown and the field messages only, never the inputs being typed
in; loaded without htmx it is the whole page. Saving is an ordinary POST.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from opportunities.compare.core import selection_param
from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, CriterionKind, Opportunity, Profile, Score
from opportunities.pay import queries, services
from opportunities.pay.currencies import COMMON, ISO_4217, format_money
from opportunities.pay.forms import CompensationForm, PaySettingsForm
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.shortcuts import get_owned_or_404

TEMPLATE = "opportunities/pay/compensation.html"
CURRENCY_CODES = [*COMMON, *sorted(ISO_4217 - set(COMMON))]
"""For the currency fields' suggestions: the common ones first."""


@dataclass(frozen=True, slots=True)
class DerivedRow:
    """A derived criterion as the pay being entered would score it."""

    criterion: Criterion
    derivation: queries.Derivation
    score: Score | None
    """The live score now stored, to say when it was set by hand."""


@dataclass(frozen=True, slots=True)
class OptionPay:
    """One line of "against your other options"."""

    pk: int
    title: str
    pay: queries.ComparablePay
    current: bool = False


def _against_other_options(
    opportunity: Opportunity, pay: queries.ComparablePay, profile: Profile
) -> list[OptionPay]:
    """This offer (as entered) among the user's other open opportunities, best paid first."""
    others = (
        Opportunity.objects.for_user(opportunity.owner_id)
        .filter(archived_at__isnull=True)
        .exclude(pk=opportunity.pk)
        .only("title", *queries.COMPENSATION_FIELDS)
    )
    rows = [
        OptionPay(other.pk, other.title, queries.comparable_pay(other, profile)) for other in others
    ]
    rows.append(OptionPay(opportunity.pk, opportunity.title, pay, current=True))
    priced = [(row.pay.breakdown.annual, row) for row in rows if row.pay.breakdown]
    priced.sort(key=lambda pair: -pair[0])
    return [row for _, row in priced] + [row for row in rows if not row.pay.breakdown]


def _compensation_context(
    request: AuthenticatedHttpRequest,
    opportunity: Opportunity,
    form: CompensationForm,
    profile: Profile,
) -> dict:
    """The page and its preview: the pay as entered (or as saved, before any edit).

    While the form has errors there is nothing to compare, so nothing more is fetched.
    """
    context = {
        "opportunity": opportunity,
        "form": form,
        "profile": profile,
        "previewing": form.is_bound,
        "currency_codes": CURRENCY_CODES,
        "pay": None,
        "derived_rows": [],
        "options": [],
    }
    if form.is_bound and not form.is_valid():
        return context
    # A valid form has copied what was typed onto the (unsaved) opportunity.
    pay = queries.comparable_pay(form.instance, profile)
    derived = queries.derivations(form.instance, profile, pay=pay)
    criteria = list(active_criteria(request.user).exclude(kind=CriterionKind.MANUAL))
    scores = {
        score.criterion_id: score
        for score in Score.objects.filter(
            evaluation__opportunity=opportunity,
            evaluation__frozen_at__isnull=True,
            criterion__in=criteria,
        )
    }
    options = _against_other_options(opportunity, pay, profile)
    return context | {
        "pay": pay,
        "derived_rows": [
            DerivedRow(criterion, derived[criterion.kind], scores.get(criterion.pk))
            for criterion in criteria
        ],
        "options": options,
        "compare_url": (
            f"{reverse('opportunities:compare')}?ids={selection_param(o.pk for o in options)}"
        ),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def compensation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    profile = queries.pay_profile(request.user)
    form = CompensationForm(request.POST or None, instance=opportunity, profile=profile)
    previewing = "preview" in request.POST
    if request.method == "POST" and not previewing and form.is_valid():
        services.save_compensation(opportunity=form.instance, profile=profile)
        pay = queries.comparable_pay(form.instance, profile)
        if pay.breakdown is not None:
            annual = format_money(pay.breakdown.annual, profile.currency)
            messages.success(request, f"Pay saved: {annual} comparable a year.")
        else:
            messages.success(request, "Pay saved.")
        return redirect("opportunities:opportunity_detail", pk=opportunity.pk)
    context = _compensation_context(request, opportunity, form, profile)
    context["save_refused"] = request.method == "POST" and not previewing
    if previewing and request.htmx:
        return TemplateResponse(request, f"{TEMPLATE}#pay_previewed", context)
    return TemplateResponse(request, TEMPLATE, context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def pay_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = queries.pay_profile(request.user)
    # Worked out before the form is validated, which copies what was typed onto profile:
    # the examples show the settings in force, not ones just refused.
    examples = queries.pay_examples(profile)
    currency = profile.currency
    form = PaySettingsForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        changed = services.save_pay_settings(profile=form.instance)
        if changed:
            messages.success(
                request,
                f"Pay settings saved; {changed} derived score{pluralize(changed)} updated.",
            )
        else:
            messages.success(request, "Pay settings saved.")
        return redirect("opportunities:pay_settings")
    return TemplateResponse(
        request,
        "opportunities/pay/pay_settings.html",
        {
            "form": form,
            "currency": currency,
            "examples": examples,
            "currency_codes": CURRENCY_CODES,
        },
    )


@require_POST
@login_required
def use_derived_score(
    request: AuthenticatedHttpRequest, pk: int, criterion_pk: int
) -> HttpResponse:
    """ "Use the derived score": a score set by hand on Pay or the arrangement follows its
    inputs again."""
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    criterion = get_object_or_404(
        active_criteria(request.user).exclude(kind=CriterionKind.MANUAL), pk=criterion_pk
    )
    derivation = services.use_derived_score(opportunity=opportunity, criterion=criterion)
    if derivation.value is None:
        messages.info(
            request,
            f"{criterion.name} is no longer set by hand, but there is nothing to derive it "
            f"from yet: {derivation.reason}. It stays unscored until then.",
        )
    else:
        messages.success(
            request,
            f"{criterion.name} follows its inputs again: {derivation.value} ({derivation.reason}).",
        )
    return redirect("opportunities:opportunity_detail", pk=opportunity.pk)
