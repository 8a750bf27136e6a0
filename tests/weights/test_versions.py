"""Versions of the weights: every change is kept with where it came from (a day's slider
moves make one), and priorities over time shows the versions put in force as dated
columns among the decisions; export, import (ids remapped, strangers dropped) and
account deletion."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.accounts.queries import export_user_data
from opportunities.accounts.services import ImportProblem, import_user_data
from opportunities.compare.services import save_weights
from opportunities.criteria.services import create_default_criteria, set_weight, update_criterion
from opportunities.journal.services import record_decision
from opportunities.models import (
    Criterion,
    Decision,
    DecisionChoice,
    Opportunity,
    WeightSource,
    WeightVersion,
)
from opportunities.weights.services import record_weights, save_swing
from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

PRIORITIES = reverse("opportunities:priorities")
CRITERIA = reverse("opportunities:criteria")


def criterion(user, name: str) -> Criterion:
    return Criterion.objects.get(owner=user, name=name, archived_at__isnull=True)


def weights_of(version) -> dict[str, int]:
    return {row["name"]: row["weight"] for row in version.weights}


def test_a_version_snapshots_every_active_criterion(user):
    version = record_weights(user, source=WeightSource.SWING)
    assert version.applied
    assert weights_of(version) == {
        "Values fit": 8,
        "Pay": 7,
        "Personal growth": 6,
        "Professional development": 6,
        "Daily & weekly life": 8,
        "Employee vs. subcontractor": 4,
        "Gut feeling": 7,
    }
    assert {row["criterion"] for row in version.weights} == set(
        Criterion.objects.filter(owner=user).values_list("pk", flat=True)
    )


def test_a_days_slider_moves_make_one_version_and_the_next_day_another(user):
    now = timezone.now()
    first = record_weights(user, source=WeightSource.SLIDERS, now=now)
    set_weight(criterion=criterion(user, "Pay"), weight=2)
    set_weight(criterion=criterion(user, "Pay"), weight=3)
    assert WeightVersion.objects.filter(owner=user).count() == 1
    first.refresh_from_db()
    assert weights_of(first)["Pay"] == 3
    record_weights(user, source=WeightSource.SLIDERS, now=now + timedelta(days=1))
    assert WeightVersion.objects.filter(owner=user).count() == 2


def test_a_slider_move_after_a_swing_weighting_is_a_version_of_its_own(user):
    record_weights(user, source=WeightSource.SWING)
    set_weight(criterion=criterion(user, "Pay"), weight=2)
    set_weight(criterion=criterion(user, "Pay"), weight=1)
    sources = list(WeightVersion.objects.filter(owner=user).values_list("source", flat=True))
    assert sources == [WeightSource.SWING, WeightSource.SLIDERS]


def test_the_weight_slider_view_and_the_plain_form_keep_versions(client_in, user):
    pay = criterion(user, "Pay")
    client_in.post(reverse("opportunities:criterion_weight", args=[pay.pk]), {"weight": "2"})
    version = WeightVersion.objects.get(owner=user)
    assert version.source == WeightSource.SLIDERS
    assert weights_of(version)["Pay"] == 2
    # Renaming without touching the weight adds nothing.
    pay.name = "Money"
    update_criterion(criterion=pay)
    assert WeightVersion.objects.filter(owner=user).count() == 1


def test_saving_a_comparisons_weights_keeps_a_version_when_something_changed(user):
    pay = criterion(user, "Pay")
    save_weights(user=user, weights={pay.pk: 7})  # as saved: nothing changed
    assert not WeightVersion.objects.filter(owner=user).exists()
    save_weights(user=user, weights={pay.pk: 9})
    version = WeightVersion.objects.get(owner=user)
    assert version.source == WeightSource.COMPARISON
    assert weights_of(version)["Pay"] == 9


def test_save_swing_refuses_weights_outside_0_10(user):
    with pytest.raises(ValueError, match="must be 0-10"):
        save_swing(
            user, weights={criterion(user, "Pay").pk: 11}, options=[], answers=[], apply=True
        )
    assert not WeightVersion.objects.exists()


def test_a_swing_kept_without_applying_is_not_on_priorities_over_time(client_in, user):
    save_swing(user, weights={criterion(user, "Pay").pk: 10}, options=[], answers=[], apply=False)
    response = client_in.get(PRIORITIES)
    assert "No decisions yet" in response.text


def test_priorities_over_time_shows_applied_versions_as_dated_columns_among_decisions(
    client_in, user, other_user, django_assert_num_queries
):
    today = timezone.localdate()
    opportunity = OpportunityFactory(owner=user, title="Agency role")
    record_decision(
        opportunity=opportunity,
        decision=Decision(choice=DecisionChoice.PURSUE, decided_on=today - timedelta(days=20)),
    )
    record_weights(user, source=WeightSource.SWING, now=timezone.now() - timedelta(days=10))
    pay = criterion(user, "Pay")
    set_weight(criterion=pay, weight=2)  # today, by the sliders
    record_decision(
        opportunity=opportunity, decision=Decision(choice=DecisionChoice.ACCEPT, decided_on=today)
    )
    record_weights(other_user, source=WeightSource.SWING)  # someone else's: not shown

    # session, user, decisions, their scores, criteria, the versions of the weights
    with django_assert_num_queries(6):
        response = client_in.get(PRIORITIES)

    columns = response.context["columns"]
    kinds = [
        column.weights_set.label if column.weights_set else column.decision.choice
        for column in columns
    ]
    assert kinds == ["pursue", "Swing weighting", "Weight sliders", "accept"]
    rows = {row.name: row for row in response.context["rows"]}
    assert rows["Pay"].weights == (7, 7, 2, 2)
    assert rows["Pay"].today == 2
    labels = response.context["priorities_chart"]["labels"]
    assert labels[1] == f"{(today - timedelta(days=10)):%-d %b %Y} · Swing weighting"
    assert labels[-1] == "Today"
    assert response.text.count('data-testid="weights-column"') == 2
    assert "· Swing weighting" in response.text


def test_priorities_over_time_shows_versions_without_any_decision(client_in, user):
    set_weight(criterion=criterion(user, "Pay"), weight=3)
    response = client_in.get(PRIORITIES)
    assert "No decisions yet" not in response.text
    assert "· Weight sliders" in response.text
    rows = {row.name: row for row in response.context["rows"]}
    assert rows["Pay"].weights == (3,)


def test_versions_leave_with_the_export_and_come_back_with_ids_remapped(user):
    a = OpportunityFactory(owner=user, title="Agency role")
    b = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    pay = criterion(user, "Pay")
    save_swing(
        user,
        weights={pay.pk: 10},
        options=[{"id": a.pk, "title": a.title}, {"id": b.pk, "title": b.title}],
        answers=[{"criterion": pay.pk, "worst": 2, "best": 9, "rating": 100}],
        apply=False,
    )
    set_weight(criterion=pay, weight=3)
    exported = json.loads(json.dumps(export_user_data(user)))
    assert [v["source"] for v in exported["weight_versions"]] == ["swing", "sliders"]

    fresh = UserFactory()
    create_default_criteria(fresh)
    import_user_data(fresh, exported)
    versions = list(WeightVersion.objects.filter(owner=fresh).order_by("created_at", "id"))
    assert [(v.source, v.applied) for v in versions] == [("swing", False), ("sliders", True)]
    new_pay = criterion(fresh, "Pay")
    swing = versions[0]
    assert swing.answers == [{"criterion": new_pay.pk, "worst": 2, "best": 9, "rating": 100}]
    assert {row["criterion"] for row in swing.weights} == set(
        Criterion.objects.filter(owner=fresh).values_list("pk", flat=True)
    )
    new_ids = dict(Opportunity.objects.filter(owner=fresh).values_list("title", "pk"))
    assert sorted(swing.options, key=lambda o: o["title"]) == [
        {"id": new_ids["Agency role"], "title": "Agency role"},
        {"id": new_ids["Stay as I am"], "title": "Stay as I am"},
    ]
    assert new_ids["Agency role"] != a.pk
    assert weights_of(versions[1])["Pay"] == 3
    original = WeightVersion.objects.filter(owner=user).order_by("created_at", "id").first()
    assert versions[0].created_at == original.created_at


def _with_version(user, version: dict) -> dict:
    OpportunityFactory(owner=user, title="Agency role")
    data = json.loads(json.dumps(export_user_data(user)))
    pay = next(c for c in data["criteria"] if c["name"] == "Pay")
    option = data["opportunities"][0]
    base = {
        "source": "swing",
        "applied": True,
        "weights": [{"criterion": pay["id"], "name": "Pay", "weight": 7}],
        "options": [{"id": option["id"], "title": "Agency role"}],
        "answers": [{"criterion": pay["id"], "worst": 1, "best": 8, "rating": 100}],
        "created_at": timezone.now().isoformat(),
    }
    data["weight_versions"] = [base | version]
    return data


def _import(data):
    fresh = UserFactory()
    create_default_criteria(fresh)
    import_user_data(fresh, data)
    return fresh


STRANGERS = {
    "unknown criterion": {"weights": [{"criterion": 999999, "name": "X", "weight": 3}]},
    "criterion id as text": {"answers": [{"criterion": "1", "worst": 1, "best": 2, "rating": 5}]},
    "weight above ten": {"weights": [{"criterion": 1, "name": "Pay", "weight": 11}]},
    "rating of a thousand": {"answers": [{"criterion": 1, "worst": 1, "best": 2, "rating": 1000}]},
    "an option not in the file": {"options": [{"id": 424242, "title": "Someone else's"}]},
    "rows that are not objects": {"options": ["x", 3, None], "answers": [[1, 2]]},
    "a title with a NUL": {"options": [{"id": 1, "title": "bad\x00title"}]},
}


@pytest.mark.parametrize("case", STRANGERS, ids=list(STRANGERS))
def test_ids_and_values_a_version_should_not_hold_are_dropped(user, case):
    data = _with_version(user, STRANGERS[case])
    fresh = _import(data)
    for version in WeightVersion.objects.filter(owner=fresh):
        known = set(Criterion.objects.filter(owner=fresh).values_list("pk", flat=True))
        assert all(row["criterion"] in known for row in version.weights + version.answers)
        assert all(0 <= row["weight"] <= 10 for row in version.weights)
        assert all(row["rating"] is None or 0 <= row["rating"] <= 100 for row in version.answers)
        mine = set(Opportunity.objects.filter(owner=fresh).values_list("pk", flat=True))
        assert all("\x00" not in option["title"] for option in version.options)
        assert all(option["id"] in mine for option in version.options)


REFUSED = {
    "weights not a list": ({"weights": {"a": 1}}, "weights: is not a list"),
    "an unknown source": ({"source": "oracle"}, "source"),
    "applied not a boolean": ({"applied": "yes"}, "applied: is neither true nor false"),
    "a date from the last century": ({"created_at": "1999-01-01T00:00:00Z"}, "created_at"),
    "an unreadable date": ({"created_at": "yesterday"}, "is not a readable date"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_version_that_breaks_a_rule_refuses_the_file_saying_where(user, case):
    change, said = REFUSED[case]
    with pytest.raises(ImportProblem) as refused:
        _import(_with_version(user, change))
    assert "weight version 1" in str(refused.value)
    assert said in str(refused.value)


def test_versions_that_are_not_a_list_or_too_many_are_refused(user):
    data = _with_version(user, {})
    data["weight_versions"] = "many"
    with pytest.raises(ImportProblem, match="is not a list"):
        _import(data)


def test_a_file_without_versions_still_imports(user):
    data = _with_version(user, {})
    del data["weight_versions"]
    fresh = _import(data)
    assert not WeightVersion.objects.filter(owner=fresh).exists()


def test_deleting_an_account_leaves_no_version_behind(user, other_user):
    record_weights(user, source=WeightSource.SWING)
    record_weights(other_user, source=WeightSource.SWING)
    user.delete()
    assert list(WeightVersion.objects.values_list("owner_id", flat=True)) == [other_user.pk]
