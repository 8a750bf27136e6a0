from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from opportunities.criteria.services import add_criterion
from opportunities.models import Criterion, Decision, Evaluation, Opportunity, Person, Score
from opportunities.scoring.core import compute_decision_score, rated_live
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_save_score_stores_a_total_equal_to_a_fresh_recomputation(user, criteria):
    opportunity = OpportunityFactory(owner=user)
    for criterion, value in zip(criteria, [8, 6, 7, 8, 6, 4, 8], strict=True):
        save_score(opportunity=opportunity, criterion=criterion, value=value)
    live = Evaluation.objects.get(opportunity=opportunity, frozen_at=None)
    weights = [8, 7, 6, 6, 8, 4, 7]
    values = [8, 6, 7, 8, 6, 4, 8]
    expected = 100 * sum(w * v for w, v in zip(weights, values, strict=True)) / (10 * sum(weights))
    assert live.decision_score == pytest.approx(expected)
    assert (live.scored_count, live.criteria_count, live.must_have_failures) == (7, 7, 0)
    fresh = compute_decision_score(rated_live(criteria, Score.objects.filter(evaluation=live)))
    assert fresh.value == live.decision_score


def test_saving_again_updates_the_one_row(user, criteria):
    opportunity = OpportunityFactory(owner=user)
    save_score(opportunity=opportunity, criterion=criteria[0], value=2, note="first")
    save_score(opportunity=opportunity, criterion=criteria[0], value=9)
    score = Score.objects.get()
    assert (score.value, score.note) == (9, "first")


def test_scoring_a_derived_criterion_by_hand_marks_it_overridden(user, criteria):
    pay = next(c for c in criteria if c.kind == "pay")
    opportunity = OpportunityFactory(owner=user)
    save_score(opportunity=opportunity, criterion=pay, value=6)
    assert Score.objects.get().overridden is True


def test_adding_a_criterion_updates_coverage_of_live_evaluations(user):
    opportunity = OpportunityFactory(owner=user)
    add_criterion(user=user, criterion=Criterion(name="Commute", weight=3))
    live = Evaluation.objects.get(opportunity=opportunity, frozen_at=None)
    assert live.criteria_count == 8


def test_demo_data_loads_once_and_tells_the_story_with_its_dates(capsys):
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Demo data already loaded." in out
    assert "Demo login: username 'demo', password 'crossroads-demo'" in out
    demo = get_user_model().objects.get(username="demo")
    opportunities = Opportunity.objects.for_user(demo)
    assert opportunities.count() == 5
    assert opportunities.filter(is_status_quo=True, title="Stay as I am", stage="now").exists()
    chat = opportunities.get(title="Informational interview at Brightwater")
    role = opportunities.get(title="Part-time content strategist")
    variant = opportunities.get(variant_of=role)
    # The jobs are scored on every criterion; the informational interview is not a job.
    scored = Evaluation.objects.filter(owner=demo).exclude(opportunity=chat)
    assert set(scored.values_list("scored_count", flat=True)) == {7}
    assert role.arose_from_id == chat.pk
    assert Person.objects.get(pk=role.arose_from_person_id).name == "Maya Okafor (fictional)"
    assert variant.arrangement == "contractor"
    # The story's whole arc, with its dates: a year ago in November, the spring after.
    checkpoints = list(Evaluation.objects.filter(opportunity=role).checkpoints())
    assert [c.label for c in checkpoints] == [
        "Before the interview (guesses)",  # issue 18: wide ranges, see tests/questions
        "After the interview",
        "After talking to friends",
        "Decision: pursue it",
    ]
    assert checkpoints[1].decision_score < checkpoints[2].decision_score
    decision = Decision.objects.get(owner=demo)
    assert (decision.outcome, decision.evaluation_id) == ("not_selected", checkpoints[3].pk)
    assert decision.outcome_on - decision.decided_on == timedelta(days=3)
    assert "hired someone else" in decision.reflection
    assert sorted(a.title for a in decision.alternatives.all()) == [
        "Part-time content strategist, as subcontractor",
        "Stay as I am",
    ]
    story = list(role.timeline.order_by("happened_on", "id").values_list("kind", "happened_on"))
    assert [kind for kind, _ in story][:2] == ["stage", "message"]
    assert story == sorted(story, key=lambda entry: entry[1])
    assert story[0][1].month == 3
    # The reflection ends the story as told; the check-ins look back on it after (issue 20).
    assert [kind for kind, _ in story if kind != "check_in"][-1] == "reflection"
    assert {kind for kind, day in story if day > decision.outcome_on + timedelta(days=7)} <= {
        "check_in"
    }
    assert chat.timeline.filter(kind="meeting", happened_on__month=11).exists()
    role.refresh_from_db()
    assert role.stage == "not_selected"
