"""Comparable pay: an opportunity's compensation with its breakdown recomputed as you type,
the pay settings behind it, and handing a derived score back to its inputs.

The compensation form posts ``preview=1`` (htmx, on every pause in typing, or the
no-JavaScript "Preview" button) to the same URL it saves to: a preview validates and
answers with the breakdown and the field messages only, never the inputs being typed
in; loaded without htmx it is the whole page. Saving is an ordinary POST.

While the user has no pay floor and target, the same form also asks for them and for
the arrangement preferences (``FirstPaySettingsForm``), saved with the pay, so that the
first pay entered is scored at once instead of "not derived" until the settings page
is found.
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
from opportunities.models import DERIVED_FROM_OFFER, Criterion, Opportunity, Profile, Score
from opportunities.pay import queries, services
from opportunities.pay.core import BENEFITS_ASSUMED_FROM
from opportunities.pay.currencies import COMMON, ISO_4217, format_money
from opportunities.pay.forms import CompensationForm
from opportunities.pay.settings_forms import FirstPaySettingsForm, PaySettingsForm
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
    settings_form: FirstPaySettingsForm | None,
    profile: Profile,
) -> dict:
    """The page and its preview: the pay as entered (or as saved, before any edit), scored
    with the floor and target as typed when they are asked for too.

    While a form has errors there is nothing to compare, so nothing more is fetched.
    """
    forms = [form] if settings_form is None else [form, settings_form]
    invalid = [f for f in forms if f.is_bound and not f.is_valid()]  # every one validated
    context = {
        "opportunity": opportunity,
        "form": form,
        "settings_form": settings_form,
        "message_fields": [field for f in forms for field in f.visible_fields()],
        "has_errors": bool(invalid),
        "profile": profile,
        "benefits_from_hours": profile.full_time_hours_per_week * BENEFITS_ASSUMED_FROM,
        "previewing": form.is_bound,
        "currency_codes": CURRENCY_CODES,
        "pay": None,
        "derived_rows": [],
        "options": [],
    }
    if invalid:
        return context
    # A valid form has copied what was typed onto the (unsaved) opportunity.
    pay = queries.comparable_pay(form.instance, profile)
    criteria = list(active_criteria(request.user).filter(kind__in=DERIVED_FROM_OFFER))
    derived = queries.derivations(
        form.instance, profile, pay=pay, pay_criterion=queries.pay_criterion_of(criteria)
    )
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
    data = request.POST or None
    settings_form = (
        FirstPaySettingsForm(data, instance=profile)
        if FirstPaySettingsForm.wanted(profile)
        else None
    )
    form = CompensationForm(data, instance=opportunity, profile=profile)
    previewing = "preview" in request.POST
    # The settings first: validating copies the floor and target typed onto the profile
    # the pay is then scored with.
    settings_valid = settings_form is None or settings_form.is_valid()
    if request.method == "POST" and not previewing and form.is_valid() and settings_valid:
        settings = settings_form.changed_data if settings_form is not None else []
        services.save_compensation(opportunity=form.instance, profile=profile, settings=settings)
        pay = queries.comparable_pay(form.instance, profile)
        saved = "Pay saved"
        if pay.breakdown is not None:
            saved += f": {format_money(pay.breakdown.annual, profile.currency)} comparable a year"
        if settings:
            saved += ". Your pay settings are saved too, and score every opportunity"
        messages.success(request, f"{saved}.")
        return redirect("opportunities:opportunity_detail", pk=opportunity.pk)
    context = _compensation_context(request, opportunity, form, settings_form, profile)
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
            "pay_criterion": queries.active_pay_criterion(request.user),  # its curve's link
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
        active_criteria(request.user).filter(kind__in=DERIVED_FROM_OFFER), pk=criterion_pk
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
