"""Curves frozen with checkpoints and decisions: what ``save_checkpoint`` stores, for at
most one query more; the journal's sentence for a curve that was not a straight line; and
the curves (with a number's amount) through the export and back, hostile copies refused."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from opportunities.accounts.queries import export_user_data
from opportunities.accounts.services import ImportProblem, import_user_data
from opportunities.criteria.services import create_default_criteria
from opportunities.curves.core import read_frozen_curves
from opportunities.curves.queries import curves_then, frozen_curves
from opportunities.curves.services import save_curve
from opportunities.journal.services import record_decision
from opportunities.models import Criterion, CriterionKind, Decision, Evaluation, Score
from opportunities.pay.queries import pay_profile
from opportunities.pay.services import save_pay_settings
from opportunities.scoring.services import live_evaluation, save_checkpoint
from tests.factories import CriterionFactory, OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

SALARY = {"arrangement": "employee", "pay_basis": "annual", "pay_amount": Decimal(46_000)}


@pytest.fixture
def world(user):
    profile = pay_profile(user)
    profile.pay_floor, profile.pay_target = Decimal(50_000), Decimal(80_000)
    save_pay_settings(profile=profile)
    pay = Criterion.objects.get(owner=user, kind=CriterionKind.PAY)
    commute = CriterionFactory(
        owner=user,
        name="Commute",
        kind=CriterionKind.NUMBER,
        unit="minutes a day",
        worst=Decimal(90),
        best=Decimal(10),
        curve="threshold",
        curve_threshold=Decimal(30),
    )
    opportunity = OpportunityFactory(owner=user, title="Agency", **SALARY)
    Score.objects.create(
        owner=user,
        evaluation=live_evaluation(opportunity),
        criterion=commute,
        amount=Decimal(25),
        value=10,
    )
    save_curve(pay, shape="saturating", bend=5, threshold=None)
    return pay, commute, opportunity


def test_a_checkpoint_freezes_pay_and_every_number_criterion(user, world):
    pay, commute, opportunity = world
    checkpoint = save_checkpoint(opportunity=opportunity, label="After the interview")
    checkpoint.refresh_from_db()
    frozen = read_frozen_curves(checkpoint.curves)
    assert set(frozen) == {str(pay.pk), str(commute.pk)}
    assert frozen[str(pay.pk)].curve.shape == "saturating"
    assert frozen[str(pay.pk)].amount == Decimal(59_800)
    assert frozen[str(pay.pk)].unit == "USD"
    assert checkpoint.curves[str(pay.pk)]["amount"] == "59800.00"
    assert frozen[str(commute.pk)].amount == Decimal(25)
    assert frozen[str(commute.pk)].curve.threshold == Decimal(30)
    # the copy carried on in keeps the amount; only a checkpoint keeps curves
    live = Evaluation.objects.live().get(opportunity=opportunity)
    assert live.curves == {}
    assert Score.objects.get(evaluation=live, criterion=commute).amount == Decimal(25)


def test_a_later_change_of_curve_leaves_the_checkpoint_as_it_was(user, world):
    pay, _, opportunity = world
    checkpoint = save_checkpoint(opportunity=opportunity, label="Then")
    save_curve(pay, shape="linear", bend=3, threshold=None)
    checkpoint.refresh_from_db()
    assert checkpoint.curves[str(pay.pk)]["shape"] == "saturating"


def test_a_straight_line_is_frozen_and_says_nothing(user):
    opportunity = OpportunityFactory(owner=user, **SALARY)
    profile = pay_profile(user)
    profile.pay_floor, profile.pay_target = Decimal(50_000), Decimal(80_000)
    save_pay_settings(profile=profile)
    checkpoint = save_checkpoint(opportunity=opportunity, label="Plain")
    checkpoint.refresh_from_db()
    [entry] = checkpoint.curves.values()
    assert entry["shape"] == "linear"
    assert curves_then(checkpoint) == []


def test_without_a_pay_scale_or_curved_criteria_nothing_is_frozen(user, opportunity):
    checkpoint = save_checkpoint(opportunity=opportunity, label="No scale")
    checkpoint.refresh_from_db()
    assert checkpoint.curves == {}


def test_freezing_costs_at_most_one_query_more(user, world, django_assert_max_num_queries):
    pay, commute, opportunity = world
    criteria = [pay, commute]
    with django_assert_max_num_queries(1):
        frozen = frozen_curves(opportunity, criteria=criteria, scores=[])
    assert set(frozen) == {str(pay.pk), str(commute.pk)}
    with django_assert_max_num_queries(0):
        assert frozen_curves(opportunity, criteria=[commute], scores=[]) != {}


def test_the_sentences_of_the_journal(user, world):
    _pay, _commute, opportunity = world
    checkpoint = save_checkpoint(opportunity=opportunity, label="Then")
    checkpoint.refresh_from_db()
    sentences = curves_then(checkpoint)
    assert (
        "Pay was scored on a curve that levels off, from USD 50,000 (0) to USD 80,000 (10); "
        "USD 59,800 a year scored 6." in sentences
    )
    assert (
        "Commute was scored as enough or not: 10 from 30 minutes a day, 0 short of it (its "
        "scale ran from 90 minutes a day (0) to 10 minutes a day (10)); 25 minutes a day "
        "scored 10." in sentences
    )


@pytest.mark.parametrize("junk", [[], "x", {"1": "x"}, {"1": {"worst": "NaN"}}])
def test_a_copy_that_cannot_be_read_shows_nothing(user, world, junk):
    _, _, opportunity = world
    checkpoint = save_checkpoint(opportunity=opportunity, label="Then")
    Evaluation.objects.filter(pk=checkpoint.pk).update(curves=junk)
    checkpoint.refresh_from_db()
    assert curves_then(checkpoint) == []


def test_the_checkpoint_and_decision_pages_show_the_frozen_curve(client_in, user, world):
    _, _, opportunity = world
    checkpoint = save_checkpoint(opportunity=opportunity, label="Then")
    page = client_in.get(
        reverse("opportunities:checkpoint_detail", args=[opportunity.pk, checkpoint.pk])
    ).content.decode()
    assert 'data-testid="curves-then"' in page
    assert "Pay was scored on a curve that levels off, from USD 50,000 (0)" in page
    decision = record_decision(
        opportunity=opportunity,
        decision=Decision(
            choice="pursue", decided_on=dt.date(2026, 3, 1), confidence=60, gut_check="yes"
        ),
        alternatives=[],
    )
    page = client_in.get(reverse("opportunities:decision_detail", args=[decision.pk]))
    assert "Pay was scored on a curve that levels off" in page.content.decode()


# --- The export and the import ----------------------------------------------------------------


def _fresh():
    person = UserFactory()
    create_default_criteria(person)
    return person


def _export(user) -> dict:
    return json.loads(json.dumps(export_user_data(user)))


def _frozen_evaluation(data) -> dict:
    return next(e for o in data["opportunities"] for e in o["evaluations"] if e.get("curves"))


def test_the_curves_travel_with_the_export_and_come_back(user, world):
    _pay, _commute, opportunity = world
    save_checkpoint(opportunity=opportunity, label="Then")
    data = _export(user)
    exported = {c["name"]: c for c in data["criteria"]}
    assert exported["Pay"]["curve"] == "saturating"
    assert exported["Pay"]["curve_bend"] == 5
    assert {
        k: exported["Commute"][k] for k in ("curve", "curve_threshold", "unit", "worst", "best")
    } == {
        "curve": "threshold",
        "curve_threshold": "30.00",
        "unit": "minutes a day",
        "worst": "90.00",
        "best": "10.00",
    }
    assert any(
        s["amount"] == "25.00"
        for o in data["opportunities"]
        for e in o["evaluations"]
        for s in e["scores"]
    )
    fresh = _fresh()
    import_user_data(fresh, data)
    their_pay = Criterion.objects.get(owner=fresh, kind=CriterionKind.PAY)
    assert (their_pay.curve, their_pay.curve_bend) == ("saturating", 5)
    their_commute = Criterion.objects.get(owner=fresh, name="Commute")
    assert their_commute.curve_threshold == Decimal(30)
    frozen = Evaluation.objects.for_user(fresh).checkpoints().get()
    assert "Pay was scored on a curve that levels off" in " ".join(curves_then(frozen))
    assert Score.objects.filter(owner=fresh, amount=Decimal(25)).count() == 2


@pytest.mark.parametrize(
    ("where", "change", "said"),
    [
        ("evaluation", {"curves": []}, "curves"),
        ("evaluation", {"curves": "levels off"}, "curves"),
        ("evaluation", {"curves": {"1": {"worst": "NaN", "best": "1", "name": "Pay"}}}, "curves"),
        (
            "evaluation",
            {"curves": {"1": {"worst": "1", "best": "9", "bend": 99, "name": "P"}}},
            "bend",
        ),
        ("evaluation", {"curves": {"x" * 40: {}}}, "curves"),
        ("criterion", {"curve_bend": 99}, "curve_bend"),
        ("criterion", {"curve_bend": "3"}, "curve_bend"),
        ("criterion", {"curve": "wavy"}, "curve"),
        ("criterion", {"curve_threshold": "NaN"}, "curve_threshold"),
        ("criterion", {"curve_threshold": "1e400"}, "curve_threshold"),
        ("criterion", {"worst": "Infinity"}, "worst"),
        ("criterion", {"unit": "x" * 30}, "unit"),
        ("criterion", {"unit": "min\x00"}, "unit"),
        ("score", {"amount": "NaN"}, "amount"),
        ("score", {"amount": [1]}, "amount"),
    ],
)
def test_a_hostile_file_is_refused_with_a_clear_message(user, world, where, change, said):
    _pay, _, opportunity = world
    save_checkpoint(opportunity=opportunity, label="Then")
    data = _export(user)
    if where == "evaluation":
        _frozen_evaluation(data).update(change)
    elif where == "criterion":
        next(c for c in data["criteria"] if c["name"] == "Commute").update(change)
    else:
        row = next(
            s
            for o in data["opportunities"]
            for e in o["evaluations"]
            for s in e["scores"]
            if s["amount"] is not None
        )
        row.update(change)
    fresh = _fresh()
    with pytest.raises(ImportProblem) as refused:
        import_user_data(fresh, data)
    assert said in str(refused.value)
    assert not Criterion.objects.filter(owner=fresh, name="Commute").exists()


def test_curves_on_a_live_evaluation_are_refused(user, world):
    data = _export(user)
    live = next(e for o in data["opportunities"] for e in o["evaluations"] if not e["frozen_at"])
    live["curves"] = {"1": {"worst": "1", "best": "2", "name": "Pay"}}
    with pytest.raises(ImportProblem, match="only a checkpoint keeps the value curves"):
        import_user_data(_fresh(), data)


def test_a_hostile_upload_is_a_page_not_a_500(user, world):
    _, _, opportunity = world
    save_checkpoint(opportunity=opportunity, label="Then")
    data = _export(user)
    _frozen_evaluation(data)["curves"] = {"1": {"worst": "1e999", "best": "2", "name": "P"}}
    fresh = _fresh()
    client = Client()
    client.force_login(fresh)
    upload = SimpleUploadedFile("export.json", json.dumps(data).encode(), "application/json")
    response = client.post(reverse("import_json"), {"file": upload})
    assert response.status_code in (200, 302)
    assert not Criterion.objects.filter(owner=fresh, name="Commute").exists()
