"""What is frozen with every decision, the check-ins it schedules, and saving the commit
step (the service's own checks, whatever the form let through)."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opportunities.friends.core import hash_token, new_token
from opportunities.journal.services import record_decision
from opportunities.learning.core import months_after
from opportunities.learning.queries.commit import commit_step_of, foreseen, is_open
from opportunities.learning.services.commit import (
    CommitStep,
    CommitStepProblem,
    ForecastItem,
    KillItem,
    PremortemItem,
    freeze_predictors,
    save_commit_step,
    schedule_check_ins,
)
from opportunities.models import (
    CheckIn,
    CheckInKind,
    Commitment,
    Criterion,
    Decision,
    Forecast,
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    KillCriterion,
    PremortemReason,
)
from opportunities.scoring.services import save_score
from tests.factories import DecisionFactory, OpportunityFactory

DAY = dt.date(2026, 1, 31)


def values_fit(opportunity, user, value, score_range=None):
    """Score only "Values fit": the total is ten times ``value``."""
    criterion = Criterion.objects.for_user(user).get(name="Values fit")
    save_score(opportunity=opportunity, criterion=criterion, value=value, score_range=score_range)


def decide(opportunity, alternatives=(), **fields):
    fields.setdefault("choice", "pursue")
    fields.setdefault("decided_on", DAY)
    return record_decision(
        opportunity=opportunity, decision=Decision(**fields), alternatives=alternatives
    )


def friend_says(user, opportunity, gut: str, name: str) -> None:
    asked = FriendRound.objects.create(owner=user, message="What do you think?")
    asked.opportunities.add(opportunity)
    link = FriendInvitation.objects.create(
        owner=user,
        round=asked,
        name=name,
        token_hash=hash_token(new_token()),
        expires_at=timezone.now() + dt.timedelta(days=14),
        answered_at=timezone.now(),
    )
    FriendAnswer.objects.create(owner=user, invitation=link, opportunity=opportunity, gut=gut)


# --- Frozen with every decision -----------------------------------------------------------------


def test_the_matrix_the_gut_and_friends_are_frozen_with_a_decision(user, opportunity):
    values_fit(opportunity, user, 6)
    status_quo = OpportunityFactory(owner=user, is_status_quo=True)
    values_fit(status_quo, user, 8)
    other = OpportunityFactory(owner=user)
    values_fit(other, user, 4)
    for gut, name in (("yes", "Ann"), ("yes", "Bo"), ("no", "Cy"), ("unsure", "Di")):
        friend_says(user, opportunity, gut, name)
    decision = decide(opportunity, alternatives=[status_quo, other], gut_check="unsure")
    assert decision.commitment.predictors == {
        "version": 1,
        "matrix": {"score": 60.0, "rank": 2, "of": 3},
        "gut": {"answer": "unsure", "value": 0.5},
        "friends": {"take_it": 2, "answered": 4, "share": 0.5},
    }
    seen = foreseen(decision.commitment.predictors)
    assert seen.predictions == {"matrix": 60.0, "gut": 0.5, "friends": 0.5}
    assert (seen.rank, seen.of, seen.p_first) == (2, 3, None)


def test_with_ranges_the_chance_of_coming_out_on_top_is_frozen_too(user, opportunity):
    values_fit(opportunity, user, 6, score_range=(2, 10))
    status_quo = OpportunityFactory(owner=user, is_status_quo=True)
    values_fit(status_quo, user, 6)
    decision = decide(opportunity, alternatives=[status_quo], gut_check="yes")
    matrix = decision.commitment.predictors["matrix"]
    assert (matrix["score"], matrix["rank"], matrix["of"]) == (60.0, 1, 2)
    assert 0.3 < matrix["p_first"] < 0.7
    certain = OpportunityFactory(owner=user)
    values_fit(certain, user, 6)
    again = decide(certain, alternatives=[OpportunityFactory(owner=user)], gut_check="yes")
    assert "p_first" not in again.commitment.predictors["matrix"]
    # The same inputs give the same figure: the seed comes from them, as the comparison's.
    twin = OpportunityFactory(owner=user)
    values_fit(twin, user, 6, score_range=(2, 10))
    other = OpportunityFactory(owner=user)
    values_fit(other, user, 6)
    assert (
        decide(twin, alternatives=[other]).commitment.predictors["matrix"]["p_first"]
        == (matrix["p_first"])
    )


def test_a_decision_with_nothing_to_foresee_freezes_only_the_version(user, opportunity):
    decision = decide(opportunity)
    assert decision.commitment.predictors == {"version": 1}
    assert not foreseen(decision.commitment.predictors).any


def test_a_must_have_failure_ranks_after_the_options_that_pass(user, opportunity):
    criterion = Criterion.objects.for_user(user).get(name="Values fit")
    Criterion.objects.filter(pk=criterion.pk).update(minimum=5)
    values_fit(opportunity, user, 4)
    other = OpportunityFactory(owner=user)
    values_fit(other, user, 5)
    decision = decide(opportunity, alternatives=[other])
    assert decision.commitment.predictors["matrix"] == {"score": 40.0, "rank": 2, "of": 2}


@pytest.mark.parametrize(
    "predictors",
    [
        None,
        [],
        "matrix",
        {"matrix": {"score": 500, "rank": -1, "of": "3", "p_first": 2}},
        {"gut": {"answer": "maybe", "value": 7}, "friends": {"take_it": 5, "answered": 2}},
        {"friends": {"take_it": True, "answered": 0}},
    ],
)
def test_a_hostile_copy_of_the_predictors_reads_as_not_said(predictors):
    seen = foreseen(predictors)
    assert not seen.any
    assert seen.predictions == {"matrix": None, "gut": None, "friends": None}


def test_recording_a_decision_adds_four_queries_for_the_commit_step(user, opportunity):
    """freeze_predictors (1 insert) and schedule_check_ins (2: what is there, 1 insert; the
    kill criteria, 1): record_decision on one option costs four queries more than before."""
    values_fit(opportunity, user, 6)
    decide(opportunity)  # warm the caches a first decision fills
    with CaptureQueriesContext(connection) as captured:
        decide(OpportunityFactory(owner=user))
    learning = [
        q["sql"]
        for q in captured.captured_queries
        if "commitment" in q["sql"] or "checkin" in q["sql"] or "killcriterion" in q["sql"]
    ]
    assert len(learning) == 4


def test_the_check_ins_are_scheduled_once_at_3_6_and_12_months(user, opportunity):
    decision = decide(opportunity)
    assert list(CheckIn.objects.filter(decision=decision).values_list("kind", "due_on")) == [
        (CheckInKind.MONTHS_3, dt.date(2026, 4, 30)),
        (CheckInKind.MONTHS_6, dt.date(2026, 7, 31)),
        (CheckInKind.MONTHS_12, dt.date(2027, 1, 31)),
    ]
    assert schedule_check_ins(decision) == []
    assert schedule_check_ins(decision) == []
    assert CheckIn.objects.filter(decision=decision).count() == 3
    assert set(CheckIn.objects.values_list("owner_id", flat=True)) == {user.pk}


def test_each_kill_criterion_gets_its_check_in_which_follows_its_date(user, opportunity):
    decision = decide(opportunity)
    kill = KillCriterion.objects.create(
        owner=user, decision=decision, condition="no client", check_on=dt.date(2026, 9, 1)
    )
    assert [c.kind for c in schedule_check_ins(decision)] == [CheckInKind.KILL]
    assert schedule_check_ins(decision) == []
    KillCriterion.objects.filter(pk=kill.pk).update(check_on=dt.date(2026, 10, 1))
    schedule_check_ins(decision)
    check_in = CheckIn.objects.get(kill_criterion=kill)
    assert (check_in.kind, check_in.due_on) == (CheckInKind.KILL, dt.date(2026, 10, 1))
    CheckIn.objects.filter(pk=check_in.pk).update(done_on=dt.date(2026, 9, 20))
    KillCriterion.objects.filter(pk=kill.pk).update(check_on=dt.date(2026, 11, 1))
    schedule_check_ins(decision)
    assert CheckIn.objects.get(pk=check_in.pk).due_on == dt.date(2026, 10, 1)  # done: kept
    assert CheckIn.objects.filter(decision=decision).count() == 4


def test_freezing_again_is_refused_by_the_database(user, opportunity):
    decision = decide(opportunity)
    with pytest.raises(IntegrityError), transaction.atomic():
        freeze_predictors(decision)


# --- The commit step ------------------------------------------------------------------------------


FULL = CommitStep(
    answers={"frame": "strong", "information": "weak", "values": "ok"},
    door="one_way",
    change_cost="  Three months' notice  ",
    premortem=[PremortemItem("The team falls apart", False), PremortemItem("I overwork", True)],
    kill_criteria=[KillItem("no project of my own", dt.date(2026, 7, 1))],
    forecasts=[
        ForecastItem("I'm still glad I did it at 6 months", 80, "glad_6m"),
        ForecastItem("The pay rises", 40, resolves_on=dt.date(2026, 12, 1)),
    ],
)


def test_the_commit_step_is_saved_whole(user, opportunity):
    decision = decide(opportunity)
    save_commit_step(decision=decision, step=FULL)
    commitment = Commitment.objects.get(decision=decision)
    assert (commitment.frame, commitment.information, commitment.values) == (
        "strong",
        "weak",
        "ok",
    )
    assert (commitment.alternatives, commitment.reasoning, commitment.commitment) == ("", "", "")
    assert (commitment.door, commitment.change_cost) == ("one_way", "Three months' notice")
    assert commitment.predictors == {"version": 1}  # the frozen predictors are kept
    assert list(PremortemReason.objects.values_list("reason", "in_my_control", "position")) == [
        ("The team falls apart", False, 0),
        ("I overwork", True, 1),
    ]
    assert list(Forecast.objects.values_list("probability", "template", "resolves_on")) == [
        (80, "glad_6m", months_after(DAY, 6)),
        (40, "", dt.date(2026, 12, 1)),
    ]
    kill = KillCriterion.objects.get()
    assert CheckIn.objects.get(kill_criterion=kill).due_on == dt.date(2026, 7, 1)
    read = commit_step_of(Decision.objects.select_related("commitment").get(pk=decision.pk))
    assert read.weakest == "Weakest: the information that matters"
    assert read.filled


def test_saving_again_replaces_row_by_row_keeping_what_stays(user, opportunity):
    decision = decide(opportunity)
    save_commit_step(decision=decision, step=FULL)
    forecast = Forecast.objects.get(position=0)
    Forecast.objects.filter(pk=forecast.pk).update(resolution="true")
    kill = KillCriterion.objects.get()
    save_commit_step(
        decision=decision,
        step=CommitStep(
            forecasts=[ForecastItem("I'm still glad I did it at 6 months", 85, "glad_6m")],
            kill_criteria=[KillItem("no project of my own", dt.date(2026, 8, 1))],
        ),
    )
    assert list(Forecast.objects.values_list("pk", "probability", "resolution")) == [
        (forecast.pk, 85, "true")
    ]
    assert not PremortemReason.objects.exists()
    assert KillCriterion.objects.get().pk == kill.pk
    assert CheckIn.objects.get(kill_criterion=kill).due_on == dt.date(2026, 8, 1)
    assert Commitment.objects.get().door == ""
    save_commit_step(decision=decision, step=CommitStep())
    assert not KillCriterion.objects.exists()
    assert CheckIn.objects.filter(kind=CheckInKind.KILL).count() == 0
    assert CheckIn.objects.count() == 3


def test_a_decision_recorded_before_the_commit_step_gets_one(user, opportunity):
    decision = decide(opportunity)
    Commitment.objects.all().delete()
    save_commit_step(decision=decision, step=CommitStep(door="two_way"))
    assert Commitment.objects.get(decision=decision).predictors == {}


@pytest.mark.parametrize(
    ("step", "problem"),
    [
        (CommitStep(answers={"frame": "great"}), "weak, OK or strong"),
        (CommitStep(answers={"mood": "weak"}), "not one of the decision-quality questions"),
        (CommitStep(door="revolving"), "one-way or a two-way door"),
        (CommitStep(change_cost="x" * 301), "keep it to 300"),
        (CommitStep(premortem=[PremortemItem("r")] * 6), "Keep to 5 premortem reasons"),
        (CommitStep(premortem=[PremortemItem("  ")]), "Premortem reason 1 is empty"),
        (CommitStep(premortem=[PremortemItem("a\x00b")]), "control character"),
        (CommitStep(premortem=[PremortemItem(7)]), "is not text"),
        (CommitStep(kill_criteria=[KillItem("c", dt.date(2026, 6, 1))] * 4), "Keep to 3 kill"),
        (CommitStep(kill_criteria=[KillItem("c", DAY)]), "comes after the decision"),
        (CommitStep(kill_criteria=[KillItem("c", dt.date(2031, 2, 1))]), "within 5 years"),
        (CommitStep(kill_criteria=[KillItem("c", "2026-06-01")]), "is not a date"),
        (CommitStep(forecasts=[ForecastItem("f", 101)]), "0 to 100"),
        (CommitStep(forecasts=[ForecastItem("f", -1)]), "0 to 100"),
        (CommitStep(forecasts=[ForecastItem("f", True)]), "0 to 100"),
        (CommitStep(forecasts=[ForecastItem("f", 50.5)]), "0 to 100"),
        (CommitStep(forecasts=[ForecastItem("f", 50, "nope")]), "does not exist"),
        (CommitStep(forecasts=[ForecastItem("f", 50)] * 6), "Keep to 5 forecasts"),
        (CommitStep(forecasts=[ForecastItem("x" * 301, 50)]), "Forecast 1 is 301"),
    ],
)
def test_the_service_checks_again_whatever_the_form_let_through(opportunity, step, problem):
    decision = decide(opportunity)
    with pytest.raises(CommitStepProblem) as raised:
        save_commit_step(decision=decision, step=step)
    assert problem in str(raised.value)
    assert not PremortemReason.objects.exists()
    assert not Forecast.objects.exists()
    assert not KillCriterion.objects.exists()


def test_the_step_is_open_the_day_the_decision_was_recorded(user, opportunity):
    decision = DecisionFactory(opportunity=opportunity, decided_on=dt.date(2025, 5, 1))
    today = timezone.localdate()
    assert is_open(decision, today=today)  # recorded late, back-dated: it gets its day
    assert not is_open(decision, today=today + dt.timedelta(days=1))
