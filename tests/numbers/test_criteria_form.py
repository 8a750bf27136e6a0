"""Marking a criterion as a number on the criteria page: added with its unit and scale,
refused in words next to the fields with what was typed kept, and an existing criterion
turned into one only when no hand scores would be lost."""

from decimal import Decimal

import pytest
from django.urls import reverse

from opportunities.criteria.services import set_archived
from opportunities.models import Criterion, CriterionKind, Score
from opportunities.scoring.amounts import save_amount
from opportunities.scoring.services import save_checkpoint, save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

CRITERIA = reverse("opportunities:criteria")
ADD = reverse("opportunities:criterion_add")
SCALE = {"low_meaning": "over an hour each way", "high_meaning": "a short walk"}
COMMUTE = {
    "name": "Commute",
    "weight": "5",
    "scored_as": "number",
    "unit": "minutes a day",
    "worst": "90",
    "best": "10",
} | SCALE


def update_url(criterion) -> str:
    return reverse("opportunities:criterion_update", args=[criterion.pk])


def edit_data(criterion, **changes) -> dict:
    data = {
        "name": criterion.name,
        "description": criterion.description,
        "low_meaning": criterion.low_meaning,
        "high_meaning": criterion.high_meaning,
        "weight": criterion.weight,
        "minimum": "" if criterion.minimum is None else criterion.minimum,
    }
    return data | changes


def test_the_add_form_asks_how_it_is_scored_with_the_commute_example(client_in):
    body = client_in.get(CRITERIA).content.decode()
    assert "How is it scored?" in body
    assert 'name="scored_as"' in body
    assert 'value="number"' in body
    assert 'name="worst"' in body
    assert 'name="best"' in body
    assert 'name="unit"' in body
    assert "90 minutes scores 0 and 10 minutes scores 10" in body
    assert "js/criteria.js" in body


def test_add_a_number_criterion(client_in, user):
    response = client_in.post(ADD, COMMUTE)

    assert response.status_code == 302
    commute = Criterion.objects.get(owner=user, name="Commute")
    assert commute.kind == CriterionKind.NUMBER
    assert (commute.unit, commute.worst, commute.best) == ("minutes a day", 90, 10)


def test_add_by_hand_ignores_the_number_boxes_and_their_mistakes(client_in, user):
    data = COMMUTE | {"scored_as": "hand", "worst": "abc", "best": "1e99", "unit": "x" * 99}
    response = client_in.post(ADD, data)

    assert response.status_code == 302
    commute = Criterion.objects.get(owner=user, name="Commute")
    assert (commute.kind, commute.unit, commute.worst, commute.best) == ("", "", None, None)


def test_add_without_saying_how_is_by_hand(client_in, user):
    client_in.post(ADD, {"name": "Commute", "weight": "3"} | SCALE)
    assert Criterion.objects.get(owner=user, name="Commute").kind == CriterionKind.MANUAL


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"worst": ""}, "worst", "Say which number scores 0."),
        ({"best": ""}, "best", "Say which number scores 10."),
        ({"best": "90"}, "best", "must differ"),
        ({"worst": "abc"}, "worst", "Type a number, like 35 or 12.5."),
        ({"worst": "NaN"}, "worst", "Type a number"),
        ({"best": "Infinity"}, "best", "Type a number"),
        ({"best": "1e10"}, "best", "Use a number between"),
        ({"worst": "9" * 3000}, "worst", "Use a number between"),
        ({"worst": "1.005"}, "worst", "Use at most 2 decimals."),
        ({"unit": "m" * 25}, "unit", "Keep the unit to 24 characters"),
        ({"scored_as": "<b>both</b>"}, "scored_as", "Choose by hand or as a number."),
    ],
)
def test_add_refuses_a_bad_scale_next_to_the_field_and_keeps_what_was_typed(
    client_in, user, changes, field, message
):
    data = COMMUTE | changes
    response = client_in.post(ADD, data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "was not added" in body
    assert message in body
    error_at = body.index(message)
    assert body.rfind(f'id="id_new_{field}', 0, error_at) != -1  # said after its own box
    assert "<b>both</b>" not in body
    for name in ("worst", "best"):
        typed = data[name]
        if typed and len(typed) < 100:
            assert f'value="{typed}"' in body
    assert 'value="minutes a day"' in body or field == "unit"
    assert not Criterion.objects.filter(owner=user, name="Commute").exists()


def test_pay_and_the_arrangement_are_never_asked_and_never_become_numbers(client_in, criteria):
    pay = next(c for c in criteria if c.kind == CriterionKind.PAY)
    body = client_in.get(CRITERIA, {"edit": pay.pk}).content.decode()
    assert f'id="id_c{pay.pk}_name"' in body  # its form is drawn, without the question
    assert f'id="id_c{pay.pk}_scored_as' not in body

    data = edit_data(pay, scored_as="number", worst="0", best="10", unit="hours")
    response = client_in.post(update_url(pay), data)

    assert response.status_code == 302
    pay.refresh_from_db()
    assert (pay.kind, pay.worst, pay.unit) == (CriterionKind.PAY, None, "")


def test_a_criterion_not_yet_scored_on_an_open_opportunity_becomes_a_number(
    client_in, user, criteria
):
    daily = next(c for c in criteria if c.name == "Daily & weekly life")
    opportunity = OpportunityFactory(owner=user)
    save_score(opportunity=opportunity, criterion=daily, value=6)
    save_checkpoint(opportunity=opportunity, label="Before")  # a checkpoint keeps its score
    save_score(opportunity=opportunity, criterion=daily, value=None)

    data = edit_data(daily, scored_as="number", unit="hours a week", worst="50", best="30")
    response = client_in.post(update_url(daily), data)

    assert response.status_code == 302
    daily.refresh_from_db()
    assert (daily.kind, daily.worst, daily.best) == (CriterionKind.NUMBER, 50, 30)
    body = client_in.get(opportunity.get_absolute_url()).content.decode()
    assert f'name="{daily.pk}-amount"' in body


def test_a_criterion_scored_by_hand_on_an_open_opportunity_says_why_it_stays(
    client_in, user, criteria
):
    daily = next(c for c in criteria if c.name == "Daily & weekly life")
    save_score(opportunity=OpportunityFactory(owner=user), criterion=daily, value=6)

    data = edit_data(daily, scored_as="number", unit="hours a week", worst="50", best="30")
    response = client_in.post(update_url(daily), data)

    assert response.status_code == 200
    body = response.content.decode()
    assert "It is scored by hand on 1 opportunity already" in body
    assert "those scores would be replaced" in body
    assert 'value="hours a week"' in body
    daily.refresh_from_db()
    assert daily.kind == CriterionKind.MANUAL


def test_a_changed_scale_rescores_the_amounts(client_in, user, commute):
    opportunity = OpportunityFactory(owner=user)
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(50))
    assert Score.objects.get(criterion=commute).value == 5

    data = edit_data(commute, scored_as="number", unit="minutes a day", worst="60", best="20")
    assert client_in.post(update_url(commute), data).status_code == 302

    assert Score.objects.get(criterion=commute).value == 3  # (60 - 50) / 40 -> 2.5 -> 3


def test_an_edit_that_does_not_ask_leaves_the_scale_alone(client_in, commute):
    assert client_in.post(update_url(commute), edit_data(commute, weight=8)).status_code == 302
    commute.refresh_from_db()
    assert (commute.kind, commute.worst, commute.best, commute.weight) == ("number", 90, 10, 8)


def test_a_number_criterion_can_go_back_to_being_scored_by_hand(client_in, user, commute):
    opportunity = OpportunityFactory(owner=user)
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(50))
    response = client_in.post(update_url(commute), edit_data(commute, scored_as="hand"))
    assert response.status_code == 302
    commute.refresh_from_db()
    assert commute.kind == CriterionKind.MANUAL
    assert Score.objects.get(criterion=commute).value == 5  # its score stays, now by hand


def test_restoring_a_number_criterion_rescores_it(user, commute):
    opportunity = OpportunityFactory(owner=user)
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(50))
    set_archived(criterion=commute, archived=True)
    Criterion.objects.filter(pk=commute.pk).update(worst=Decimal(100))  # as if edited meanwhile
    commute.refresh_from_db()

    set_archived(criterion=commute, archived=False)

    assert Score.objects.get(criterion=commute).value == 6  # (100 - 50) / 90 -> 5.6 -> 6


def test_another_users_criterion_cannot_be_edited(client_in, other_user):
    theirs = Criterion.objects.filter(owner=other_user).first()
    data = edit_data(theirs, scored_as="number", worst="1", best="2")
    assert client_in.post(update_url(theirs), data).status_code == 404
