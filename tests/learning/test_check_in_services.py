"""record_check_in: every answer kept, a partial one, an edit without a second story
entry, and anything out of range or of another decision refused."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from opportunities.learning.core import check_in_state, check_in_title
from opportunities.learning.queries.checkins import check_in_questions, check_ins_due
from opportunities.learning.services.checkins import record_check_in, send_check_in_reminders
from opportunities.models import CheckIn, EntryKind, Forecast, KillCriterion, TimelineEntry
from tests.factories import CheckInFactory, ForecastFactory
from tests.learning.check_in_helpers import decided

pytestmark = pytest.mark.django_db


def answer(check_in, **overrides):
    values = {
        "glad": 8,
        "how_it_goes": "Better than I feared.",
        "resolutions": {},
        "kill_triggers": {},
        "rescored": {},
        "done_on": timezone.localdate(),
    }
    return record_check_in(check_in, **{**values, **overrides})


# --- The pure parts ------------------------------------------------------------------------------


def test_a_check_in_is_done_due_or_upcoming():
    today = timezone.localdate()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    assert check_in_state(due_on=yesterday, done_on=None, today=today) == "due"
    assert check_in_state(due_on=today, done_on=None, today=today) == "due"
    assert check_in_state(due_on=tomorrow, done_on=None, today=today) == "upcoming"
    assert check_in_state(due_on=tomorrow, done_on=today, today=today) == "done"


def test_the_title_says_when_and_how_glad():
    assert check_in_title("3m", 8) == "Check-in 3 months on: glad 8 of 10"
    assert check_in_title("12m", 0) == "Check-in 12 months on: glad 0 of 10"
    assert check_in_title("kill", None) == "Check-in on a kill criterion"


# --- Every answer ------------------------------------------------------------------------------


def test_every_answer_is_kept(user):
    d = decided(user)
    today = timezone.localdate()
    answer(
        d.check_in,
        resolutions={d.forecast.pk: "true"},
        kill_triggers={d.kill.pk: True},
        rescored={d.daily.pk: 5, d.growth.pk: 9},
    )
    check_in = CheckIn.objects.get(pk=d.check_in.pk)
    assert (check_in.glad, check_in.how_it_goes, check_in.done_on) == (
        8,
        "Better than I feared.",
        today,
    )
    assert check_in.rescored == {
        str(d.daily.pk): {"name": "Daily & weekly life", "expected": 8, "lived": 5},
        str(d.growth.pk): {"name": "Personal growth", "expected": 7, "lived": 9},
    }
    forecast = Forecast.objects.get(pk=d.forecast.pk)
    assert (forecast.resolution, forecast.resolved_on) == ("true", today)
    kill = KillCriterion.objects.get(pk=d.kill.pk)
    assert (kill.triggered, kill.checked_on) == (True, today)
    entry = TimelineEntry.objects.get(check_in=check_in)
    assert entry.kind == EntryKind.CHECK_IN
    assert entry.title == "Check-in 3 months on: glad 8 of 10"
    assert entry.body == "Better than I feared."
    assert entry.happened_on == today
    assert entry.opportunity_id == d.decision.opportunity_id
    assert entry.decision_id == d.decision.pk


@pytest.mark.parametrize("extra", [0, 4])
def test_forecasts_and_kill_criteria_are_resolved_in_one_update_each_however_many(
    user, extra, django_assert_num_queries
):
    d = decided(user)
    forecasts = [d.forecast] + [
        ForecastFactory(decision=d.decision, statement=f"Forecast {n}", probability=60)
        for n in range(extra)
    ]
    kills = [d.kill] + [
        KillCriterion.objects.create(
            owner=user, decision=d.decision, condition=f"Condition {n}", check_on=d.kill.check_on
        )
        for n in range(extra)
    ]
    resolutions = {f.pk: ("true" if n % 2 else "false") for n, f in enumerate(forecasts)}
    triggers = {k.pk: bool(n % 2) for n, k in enumerate(kills)}
    # in a savepoint: the forecasts read and one UPDATE, the kill criteria read and one
    # UPDATE, the check-in saved, its entry (none to edit; its opportunity read; written)
    with django_assert_num_queries(10):
        answer(d.check_in, resolutions=resolutions, kill_triggers=triggers, rescored={})
    today = timezone.localdate()
    assert {
        f.pk: (f.resolution, f.resolved_on) for f in Forecast.objects.filter(decision=d.decision)
    } == {pk: (resolution, today) for pk, resolution in resolutions.items()}
    assert {
        k.pk: (k.triggered, k.checked_on) for k in KillCriterion.objects.filter(decision=d.decision)
    } == {pk: (triggered, today) for pk, triggered in triggers.items()}
    # again, as it was: the two reads, the check-in and its entry edited, no other UPDATE
    with django_assert_num_queries(6):
        answer(d.check_in, resolutions=resolutions, kill_triggers=triggers, rescored={})


def test_a_partial_answer_leaves_the_rest_as_it_was(user):
    d = decided(user)
    answer(d.check_in, glad=None, how_it_goes="", rescored={d.daily.pk: 6})
    check_in = CheckIn.objects.get(pk=d.check_in.pk)
    assert check_in.glad is None
    assert check_in.done_on is not None
    assert list(check_in.rescored) == [str(d.daily.pk)]
    assert Forecast.objects.get(pk=d.forecast.pk).resolution == ""
    assert KillCriterion.objects.get(pk=d.kill.pk).triggered is None
    assert TimelineEntry.objects.get(check_in=check_in).title == "Check-in 3 months on"


def test_cant_tell_yet_is_not_resolved(user):
    d = decided(user)
    answer(d.check_in, resolutions={d.forecast.pk: "unknown"})
    forecast = Forecast.objects.get(pk=d.forecast.pk)
    assert (forecast.resolution, forecast.resolved_on) == ("unknown", None)


def test_answering_again_edits_without_a_second_entry(user):
    d = decided(user)
    first_day = timezone.localdate() - timedelta(days=3)
    answer(d.check_in, done_on=first_day, resolutions={d.forecast.pk: "false"})
    answer(
        d.check_in,
        glad=3,
        how_it_goes="Harder now.",
        resolutions={d.forecast.pk: "false"},
        rescored={d.growth.pk: 2},
    )
    entries = TimelineEntry.objects.filter(check_in=d.check_in)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.title == "Check-in 3 months on: glad 3 of 10"
    assert entry.body == "Harder now."
    assert entry.happened_on == timezone.localdate()
    check_in = CheckIn.objects.get(pk=d.check_in.pk)
    assert list(check_in.rescored) == [str(d.growth.pk)]
    # An unchanged resolution keeps the day it was resolved.
    assert Forecast.objects.get(pk=d.forecast.pk).resolved_on == first_day


def test_a_kill_criterion_can_be_taken_back(user):
    d = decided(user)
    answer(d.check_in, kill_triggers={d.kill.pk: True})
    answer(d.check_in, kill_triggers={d.kill.pk: False})
    kill = KillCriterion.objects.get(pk=d.kill.pk)
    assert kill.triggered is False
    assert kill.checked_on == timezone.localdate()


@pytest.mark.parametrize(
    "overrides",
    [
        {"glad": 11},
        {"glad": -1},
        {"glad": True},
        {"glad": "8"},
        {"how_it_goes": "x" * 501},
        {"how_it_goes": "nul\x00byte"},
        {"done_on": lambda: timezone.localdate() + timedelta(days=1)},
    ],
    ids=["glad-11", "glad-negative", "glad-bool", "glad-text", "too-long", "nul", "future"],
)
def test_out_of_range_answers_are_refused(user, overrides):
    # Tomorrow as of the run, not of collection: a run can cross midnight.
    overrides = {name: value() if callable(value) else value for name, value in overrides.items()}
    d = decided(user)
    with pytest.raises(ValueError, match=r"\S"):
        answer(d.check_in, **overrides)
    assert CheckIn.objects.get(pk=d.check_in.pk).done_on is None
    assert not TimelineEntry.objects.filter(check_in=d.check_in).exists()


def test_rows_of_another_decision_are_refused(user, other_user):
    mine, theirs = decided(user), decided(other_user)
    for overrides in (
        {"resolutions": {theirs.forecast.pk: "true"}},
        {"resolutions": {mine.forecast.pk: "maybe"}},
        {"kill_triggers": {theirs.kill.pk: True}},
        {"kill_triggers": {mine.kill.pk: "yes"}},
        {"rescored": {theirs.daily.pk: 5}},
        {"rescored": {mine.daily.pk: 11}},
        {"rescored": {mine.daily.pk: True}},
    ):
        with pytest.raises(ValueError, match=r"not |must be|is triggered"):
            answer(mine.check_in, **overrides)
    assert Forecast.objects.get(pk=theirs.forecast.pk).resolution == ""
    assert KillCriterion.objects.get(pk=theirs.kill.pk).triggered is None
    assert CheckIn.objects.get(pk=mine.check_in.pk).done_on is None


def test_the_expected_score_comes_from_the_checkpoint_not_from_today(user):
    from opportunities.scoring.services import save_score

    d = decided(user)
    save_score(opportunity=d.decision.opportunity, criterion=d.daily, value=2)
    answer(d.check_in, rescored={d.daily.pk: 5})
    assert CheckIn.objects.get(pk=d.check_in.pk).rescored[str(d.daily.pk)]["expected"] == 8


# --- What the page asks about ------------------------------------------------------------------


def test_a_kill_criterion_is_asked_about_once_its_day_has_come(user):
    d = decided(user, months_ago=2)
    check_in = CheckIn.objects.select_related("decision").get(pk=d.check_in.pk)
    assert check_in_questions(check_in).kill_criteria == [d.kill]  # done early: by its day
    later = KillCriterion.objects.create(
        owner=user,
        decision=d.decision,
        condition="Later",
        check_on=timezone.localdate() + timedelta(days=400),
    )
    assert later not in check_in_questions(check_in).kill_criteria
    own = CheckInFactory(
        decision=d.decision, kind="kill", kill_criterion=later, due_on=later.check_on
    )
    own = CheckIn.objects.select_related("decision").get(pk=own.pk)
    assert later in check_in_questions(own).kill_criteria


def test_the_rescore_rows_are_the_scores_frozen_with_the_decision(user):
    d = decided(user)
    check_in = CheckIn.objects.select_related("decision").get(pk=d.check_in.pk)
    rows = check_in_questions(check_in).rescore
    assert [(r.name, r.expected, r.lived) for r in rows] == [
        ("Personal growth", 7, None),
        ("Daily & weekly life", 8, None),
    ]


# --- Due, and reminded ---------------------------------------------------------------------------


def test_due_check_ins_are_the_ones_not_done_whose_day_has_come_oldest_first(user, other_user):
    older = decided(user, months_ago=8)
    newer = decided(user, months_ago=4, title="Agency role")
    decided(other_user)
    due = check_ins_due(user).check_ins
    # 8 months on: the 3- and 6-month check-ins and the kill criterion's; 4 months on, two.
    assert [(c.decision_id, c.kind) for c in due] == [
        (older.decision.pk, "3m"),
        (older.decision.pk, "kill"),
        (older.decision.pk, "6m"),
        (newer.decision.pk, "3m"),
        (newer.decision.pk, "kill"),
    ]
    assert [c.due_on for c in due] == sorted(c.due_on for c in due)
    answer(older.check_in)
    assert older.check_in not in check_ins_due(user).check_ins
    assert len(check_ins_due(user).check_ins) == 4


def test_reminders_are_sent_once_per_check_in(user, mailoutbox):
    user.email = "me@example.com"
    user.save(update_fields=["email"])
    d = decided(user)
    upcoming = CheckIn.objects.get(decision=d.decision, kind="6m")
    today = timezone.localdate()
    assert send_check_in_reminders(today=today) == 2  # the 3-month one, the kill criterion's
    assert send_check_in_reminders(today=today) == 0
    call_command("send_check_in_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if "3 months on" in m.body)
    assert message.to == ["me@example.com"]
    assert "Part-time strategist" in message.subject
    assert f"/journal/{d.decision.pk}/check-ins/{d.check_in.pk}/" in message.body
    assert CheckIn.objects.get(pk=d.check_in.pk).reminded_on == today
    assert CheckIn.objects.get(pk=upcoming.pk).reminded_on is None


def test_a_done_check_in_is_not_reminded_and_one_without_an_address_is_recorded(user, mailoutbox):
    d = decided(user)
    done = decided(user, title="Another")
    answer(done.check_in)
    assert send_check_in_reminders(today=timezone.localdate()) == 3
    assert mail.outbox == []
    assert CheckIn.objects.get(pk=d.check_in.pk).reminded_on is not None
    assert CheckIn.objects.get(pk=done.check_in.pk).reminded_on is None


def test_the_forecast_factory_still_works_with_a_check_in(user):
    d = decided(user)
    extra = ForecastFactory(decision=d.decision)
    answer(d.check_in, resolutions={extra.pk: "false", d.forecast.pk: "true"})
    assert set(
        Forecast.objects.filter(decision=d.decision).values_list("resolution", flat=True)
    ) == {
        "true",
        "false",
    }


def test_a_kill_criterion_answered_at_another_check_in_is_no_longer_due(user, mailoutbox):
    d = decided(user)
    own = CheckIn.objects.get(decision=d.decision, kind="kill")
    assert own in check_ins_due(user).check_ins
    answer(d.check_in, kill_triggers={d.kill.pk: False})
    assert own not in check_ins_due(user).check_ins
    assert send_check_in_reminders(today=timezone.localdate()) == 0
