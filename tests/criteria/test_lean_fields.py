"""``as_lean_field`` (templatetags.lean_fields, over ``web.quick_fields.crispy_cell``) gives
fields the markup crispy gives them, up to whitespace: the criteria and curve pages' fields
for a new criterion, one scored by hand, one scored as a number and Pay (derived from the
offer); the commit step's and a friends' round's fields (inputs, dates, a select, radios,
checkboxes, help text), and the fields of submitted forms, errors and all. The journal's
filters (selects, written by the same code) are what Django's widget templates write."""

import re
from decimal import Decimal

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.utils import timezone

from opportunities.criteria.forms import CriterionForm
from opportunities.curves.forms import CurveForm
from opportunities.friends.forms import InviteForm
from opportunities.journal.forms import JournalFilterForm
from opportunities.journal.services import record_decision
from opportunities.learning.forms.commit import CommitStepForm
from opportunities.models import Criterion, CriterionKind, Decision
from opportunities.pay.queries import pay_profile
from opportunities.templatetags.lean_fields import as_lean_field
from opportunities.web.forms import FormRenderer
from tests.friends.owner_helpers import make_round

pytestmark = pytest.mark.django_db


def squeezed(html: str) -> str:
    return re.sub(r">\s<", "><", re.sub(r"\s+", " ", str(html))).strip()


def forms_for(user, criterion):
    def make():
        auto_id = f"id_c{criterion.pk}_%s" if criterion else "id_new_%s"
        return CriterionForm(instance=criterion, owner=user, auto_id=auto_id)

    return make(), make()


def criteria_of(user):
    pay = Criterion.objects.for_user(user).get(kind=CriterionKind.PAY)
    by_hand = Criterion.objects.for_user(user).exclude(kind__in=[CriterionKind.PAY]).first()
    number = Criterion.objects.create(
        owner=user,
        name="Commute",
        low_meaning="0 = two hours",
        high_meaning="10 = a walk",
        weight=4,
        minimum=3,
        kind=CriterionKind.NUMBER,
        unit="minutes <a day>",
        worst=Decimal("90"),
        best=Decimal("10"),
        position=99,
    )
    return [None, pay, by_hand, number]


def test_every_field_of_an_unsubmitted_form_is_marked_up_as_crispy_does(user):
    for criterion in criteria_of(user):
        lean, crispy = forms_for(user, criterion)
        names = [name for name in lean.fields if not lean[name].is_hidden]
        assert names
        for name in names:
            assert squeezed(as_lean_field(lean[name])) == squeezed(as_crispy_field(crispy[name]))
        # Rendering a field twice (the page's share partial redraws) changes nothing.
        assert squeezed(as_lean_field(lean["name"])) == squeezed(as_crispy_field(crispy["name"]))


def test_a_hidden_field_is_the_plain_input(user):
    criterion = criteria_of(user)[2]
    form, _ = forms_for(user, criterion)
    assert as_lean_field(form["loaded_version"]) == str(form["loaded_version"])


def same_as_crispy(make) -> None:
    """Every field of two copies of a form, one drawn by each (crispy changes the widgets'
    classes as it draws them); and again, drawn a second time."""
    lean, crispy = make(), make()
    for _ in range(2):
        for name in lean.fields:
            assert squeezed(as_lean_field(lean[name])) == squeezed(as_crispy_field(crispy[name]))


def test_a_submitted_forms_fields_are_marked_up_as_crispy_does(user):
    criterion = criteria_of(user)[2]
    data = {"name": "", "scored_as": "nonsense", "weight": "x"}

    def make():
        return CriterionForm(data, instance=criterion, owner=user, auto_id="id_x_%s")

    assert not make().is_valid()
    same_as_crispy(make)
    assert "is-invalid" in as_lean_field(make()["name"])
    assert 'class="invalid-feedback"' in as_lean_field(make()["scored_as"])


def test_the_curve_forms_fields_are_marked_up_as_crispy_does(user):
    profile = pay_profile(user)
    for criterion in criteria_of(user)[1:]:
        lean, crispy = (
            CurveForm(criterion=criterion, profile=profile),
            CurveForm(criterion=criterion, profile=profile),
        )
        for name in lean.fields:
            if name != "shape":  # drawn radio by radio in the template, not by crispy
                assert squeezed(as_lean_field(lean[name])) == squeezed(
                    as_crispy_field(crispy[name])
                )


def decision_of(user, opportunity):
    return record_decision(
        opportunity=opportunity,
        decision=Decision(choice="accept", gut_check="yes", decided_on=timezone.localdate()),
    )


def test_the_commit_steps_fields_are_marked_up_as_crispy_does(user, opportunity):
    decision = decision_of(user, opportunity)
    same_as_crispy(lambda: CommitStepForm(decision=decision))
    data = {
        "door": "nonsense",
        "premortem_1_mine": "on",
        "kill_1_criterion": "Pay",
        "forecast_1_template": "nonsense",
        "forecast_1_probability": "140",
        "forecast_1_resolves_on": "not a day",
    }
    form = CommitStepForm(data, decision=decision)
    assert not form.is_valid()
    assert {"door", "forecast_1_probability", "forecast_1_resolves_on"} <= set(form.errors)
    same_as_crispy(lambda: CommitStepForm(data, decision=decision))


def test_a_friends_rounds_link_form_is_marked_up_as_crispy_does(user, opportunity):
    friend_round = make_round(user, opportunity)

    def make(data=None):
        return lambda: InviteForm(data, owner=user, friend_round=friend_round)

    same_as_crispy(make())
    data = {"name": "", "email": "not an address", "days": "0"}
    form = make(data)()
    assert not form.is_valid()
    assert {"email", "days"} <= set(form.errors)
    same_as_crispy(make(data))


@pytest.mark.parametrize(
    "data",
    [None, {"year": "2025", "decision": "accept", "outcome": "pending"}, {"year": "1850"}],
    ids=["unfiltered", "filtered", "refused"],
)
def test_the_journals_filters_are_the_markup_djangos_templates_write(data):
    """The journal's selects, written in Python, against the same form drawn through
    Django's widget templates: chosen options, an unusable year and all."""
    quick = JournalFilterForm(data, years=[2026, 2025])
    slow = JournalFilterForm(data, years=[2026, 2025], renderer=FormRenderer())
    assert quick.renderer is not slow.renderer
    for name in ("year", "decision", "outcome"):
        assert squeezed(quick[name]) == squeezed(slow[name])
    if data and "decision" in data:
        assert '<option value="accept" selected>' in str(quick["decision"])
