"""Learning from one's decisions leaves with the export and comes back (issue 20, item 6):
the commit step with what the predictors foresaw, the premortem, kill criteria, forecasts
and check-ins (their re-scores' criterion ids and kill criteria remapped, their entries
in the story linked); never the calendar feed. Hostile files are refused whole with a
reason; deleting the account leaves no row behind. And the demo's story has it all."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from opportunities.accounts.queries import export_user_data
from opportunities.accounts.services import ImportProblem, import_user_data
from opportunities.criteria.services import create_default_criteria
from opportunities.learning.services.calendar import issue_feed
from opportunities.management.demo_learning import (
    GLAD_FORECAST,
    NO_WORD,
    OFFER_FORECAST,
    RESCORED,
)
from opportunities.models import (
    CalendarFeed,
    CheckIn,
    CheckInKind,
    Commitment,
    Criterion,
    Decision,
    EntryKind,
    Forecast,
    KillCriterion,
    Opportunity,
    PremortemReason,
    TimelineEntry,
)
from tests.accounts.test_portability import snapshot
from tests.factories import DecisionFactory, ForecastFactory, UserFactory

pytestmark = pytest.mark.django_db

LEARNING = (Commitment, PremortemReason, KillCriterion, Forecast, CheckIn, CalendarFeed)


@pytest.fixture
def demo():
    """The demo's story, its decision learned from, and a calendar feed turned on."""
    call_command("load_demo", stdout=io.StringIO())
    user = get_user_model().objects.get(username="demo")
    issue_feed(user=user)
    return user


def _fresh():
    user = UserFactory()
    create_default_criteria(user)
    return user


def _exported(user) -> dict:
    return json.loads(json.dumps(export_user_data(user)))


def _decision(data: dict) -> dict:
    return next(d for o in data["opportunities"] for d in o["decisions"] if d["check_ins"])


# --- The demo ------------------------------------------------------------------------------------


def test_the_demo_decision_has_its_commit_step_and_check_ins(demo):
    decision = Decision.objects.get(owner=demo)
    commitment = Commitment.objects.get(decision=decision)
    assert commitment.information == "weak"
    assert commitment.door == "two_way"
    assert commitment.predictors["gut"]["answer"] == "yes"
    assert commitment.predictors["matrix"]["score"] > 0
    assert PremortemReason.objects.filter(decision=decision).count() == 2
    assert KillCriterion.objects.get(decision=decision).condition == NO_WORD
    forecasts = {f.statement: f for f in Forecast.objects.filter(decision=decision)}
    assert forecasts[GLAD_FORECAST].probability == 80
    assert forecasts[OFFER_FORECAST].resolution == "false"
    check_ins = {
        c.kind: c
        for c in CheckIn.objects.filter(decision=decision).select_related("kill_criterion")
    }
    assert set(check_ins) == {"3m", "6m", "12m", "kill"}
    three = check_ins[CheckInKind.MONTHS_3]
    assert three.done_on == three.due_on  # the story's dates have passed
    assert three.glad == 8
    assert {item["name"]: item["lived"] for item in three.rescored.values()} == RESCORED
    assert check_ins[CheckInKind.KILL].kill_criterion.triggered is False
    assert check_ins[CheckInKind.MONTHS_12].done_on is None  # a year on: still ahead
    if check_ins[CheckInKind.MONTHS_6].done_on is not None:
        assert forecasts[GLAD_FORECAST].resolution == "true"
    entries = TimelineEntry.objects.filter(owner=demo, kind=EntryKind.CHECK_IN)
    done = CheckIn.objects.filter(decision=decision, done_on__isnull=False)
    assert sorted(e.check_in_id for e in entries) == sorted(c.pk for c in done)


def test_the_newcomer_sees_it_on_the_decision_page_and_in_the_calendar(demo, client):
    client.force_login(demo)
    decision = Decision.objects.get(owner=demo)
    page = client.get(reverse("opportunities:decision_detail", args=[decision.pk]))
    assert page.status_code == 200
    assert OFFER_FORECAST in page.text
    response = client.post(reverse("opportunities:calendar_settings"), {"action": "renew"})
    token = response.text.split("/cal/")[1].split(".ics")[0]
    feed = Client().get(reverse("opportunities:calendar_feed", args=[token]))
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert "Check in: Part-time content strategist, 12 months on" in summaries


# --- Export and import ---------------------------------------------------------------------------


def test_export_then_import_into_a_fresh_account_round_trips_exactly(demo):
    exported = _exported(demo)
    decision = _decision(exported)
    assert decision["commitment"]["predictors"]["gut"]["answer"] == "yes"
    assert len(decision["check_ins"]) == 4
    text = json.dumps(exported)
    assert "token" not in text
    assert "calendar_feed" not in text.lower()
    assert CalendarFeed.objects.get(owner=demo).token_hash not in text
    fresh = _fresh()
    import_user_data(fresh, exported)
    assert snapshot(fresh) == snapshot(demo)
    again = _exported(fresh)
    assert _decision(again)["commitment"] == decision["commitment"]
    # An imported account starts without a calendar feed.
    assert not CalendarFeed.objects.filter(owner=fresh).exists()


def test_rescores_kill_criteria_and_story_entries_point_at_the_imported_rows(demo):
    fresh = _fresh()
    import_user_data(fresh, _exported(demo))
    criteria = {c.pk: c.name for c in Criterion.objects.for_user(fresh)}
    three = CheckIn.objects.get(owner=fresh, kind=CheckInKind.MONTHS_3)
    assert {criteria[int(key)]: item["lived"] for key, item in three.rescored.items()} == RESCORED
    kill = CheckIn.objects.select_related("kill_criterion").get(owner=fresh, kind=CheckInKind.KILL)
    assert kill.kill_criterion.owner_id == fresh.pk
    assert kill.kill_criterion.decision_id == kill.decision_id
    entries = TimelineEntry.objects.filter(owner=fresh, kind=EntryKind.CHECK_IN).select_related(
        "check_in__decision"
    )
    assert entries.exists()
    for entry in entries:
        assert entry.check_in.owner_id == fresh.pk
        assert entry.check_in.decision.opportunity_id == entry.opportunity_id


def test_the_export_reads_learning_in_a_fixed_number_of_queries(
    demo, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30) as before:
        export_user_data(demo)
    for opportunity in Opportunity.objects.for_user(demo).filter(decisions__isnull=True):
        decision = DecisionFactory(opportunity=opportunity, owner=demo)
        ForecastFactory(decision=decision, owner=demo)
        PremortemReason.objects.create(owner=demo, decision=decision, reason="A reason")
    assert CheckIn.objects.filter(owner=demo).count() > 10
    with django_assert_num_queries(len(before.captured_queries)):
        export_user_data(demo)


# --- Hostile files -------------------------------------------------------------------------------


def _check_in(data: dict, kind: str) -> dict:
    return next(c for c in _decision(data)["check_ins"] if c["kind"] == kind)


def _story_entry(data: dict) -> dict:
    return next(e for o in data["opportunities"] for e in o["timeline"] if e.get("check_in"))


HOSTILE = {
    "a probability of 500": (
        lambda d: _decision(d)["forecasts"][0].update(probability=500),
        "forecasts 1, probability: Ensure this value is less than or equal to 100",
    ),
    "a probability that is text": (
        lambda d: _decision(d)["forecasts"][0].update(probability="80 %"),
        "forecasts 1, probability: is not a whole number",
    ),
    "a glad of -1": (
        lambda d: _check_in(d, "3m").update(glad=-1),
        "glad: Ensure this value is greater than or equal to 0",
    ),
    "a glad of 11": (
        lambda d: _check_in(d, "3m").update(glad=11),
        "glad: Ensure this value is less than or equal to 10",
    ),
    "a re-score that is not an object": (
        lambda d: _check_in(d, "3m").update(rescored=["Values fit", 8]),
        "rescored: is not an object",
    ),
    "a re-score of a criterion not in the file": (
        lambda d: _check_in(d, "3m").update(
            rescored={"999999": {"name": "X", "expected": 5, "lived": 5}}
        ),
        "rescored: refers to a criterion that is not in the file",
    ),
    "a re-score keyed by a name": (
        lambda d: _check_in(d, "3m").update(
            rescored={"Pay": {"name": "Pay", "expected": 5, "lived": 5}}
        ),
        "rescored: refers to a criterion that is not in the file",
    ),
    "a re-score out of range": (
        lambda d: _check_in(d, "3m").update(
            rescored={
                key: value | {"lived": 42} for key, value in _check_in(d, "3m")["rescored"].items()
            }
        ),
        "rescored: holds a re-score that is not a name and two scores 0-10",
    ),
    "a re-score that is not an object per criterion": (
        lambda d: _check_in(d, "3m").update(
            rescored=dict.fromkeys(_check_in(d, "3m")["rescored"], 7)
        ),
        "holds a re-score that is not a name and two scores 0-10",
    ),
    "a kill criterion not in the file": (
        lambda d: _check_in(d, "kill").update(kill_criterion=987654),
        "refers to a kill criterion that is not in the file",
    ),
    "a check-in without an id": (
        lambda d: _check_in(d, "3m").update(id="three"),
        "has no whole-number id",
    ),
    "a story entry naming a check-in not in the file": (
        lambda d: _story_entry(d).update(check_in=424242),
        "refers to a check in that is not in the file",
    ),
    "an unknown kind of check-in": (
        lambda d: _check_in(d, "3m").update(kind="24m"),
        "kind: Value '24m' is not a valid choice",
    ),
    "predictors that are not an object": (
        lambda d: _decision(d)["commitment"].update(predictors=[1, 2, 3]),
        "commit step, predictors: is not an object",
    ),
    "predictors far too long": (
        lambda d: _decision(d)["commitment"].update(predictors={"matrix": "x" * 5000}),
        "predictors: is far longer than what a decision freezes",
    ),
    "a door that is no door": (
        lambda d: _decision(d)["commitment"].update(door="trapdoor"),
        "commit step, door: Value 'trapdoor' is not a valid choice",
    ),
    "too many forecasts": (
        lambda d: _decision(d).update(forecasts=_decision(d)["forecasts"] * 3),
        "6 forecasts; Crossroads keeps 5",
    ),
    "check-ins that are not a list": (
        lambda d: _decision(d).update(check_ins={"3m": {}}),
        "“check_ins” is not a list",
    ),
    "a kill criterion's date that is no date": (
        lambda d: _decision(d)["kill_criteria"][0].update(check_on="soon"),
        "check_on: is not a readable date",
    ),
    "a premortem reason with a NUL": (
        lambda d: _decision(d)["premortem"][0].update(reason="why\x00"),
        "premortem 1, reason",
    ),
}


@pytest.fixture(scope="module")
def demo_export(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
        user = get_user_model().objects.get(username="demo")
        data = _exported(user)
        user.delete()
    return data


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_file_is_refused_with_a_reason_and_nothing_saved(demo_export, case):
    mutate, message = HOSTILE[case]
    data = json.loads(json.dumps(demo_export))
    mutate(data)
    fresh = _fresh()
    with pytest.raises(ImportProblem) as refused:
        import_user_data(fresh, data)
    assert message in str(refused.value)
    assert not Opportunity.objects.for_user(fresh).exists()
    for model in LEARNING:
        assert not model.objects.filter(owner=fresh).exists()


def test_a_hostile_file_through_the_page_is_a_clear_message_not_a_500(demo_export):
    data = json.loads(json.dumps(demo_export))
    _decision(data)["forecasts"][0]["probability"] = 500
    _check_in(data, "3m")["rescored"] = "not a dict"
    fresh = _fresh()
    client = Client(raise_request_exception=False)
    client.force_login(fresh)
    upload = SimpleUploadedFile("export.json", json.dumps(data).encode())
    response = client.post(reverse("import_json"), {"file": upload})
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "probability" in response.text
    assert "rescored: is not an object" in response.text
    assert client.get(reverse("opportunities:journal")).status_code == 200


def test_an_old_file_without_learning_still_imports(demo_export):
    data = json.loads(json.dumps(demo_export))
    for opportunity in data["opportunities"]:
        for decision in opportunity["decisions"]:
            for key in ("commitment", "premortem", "kill_criteria", "forecasts", "check_ins"):
                del decision[key]
        for entry in opportunity["timeline"]:
            entry.pop("check_in")
        opportunity["timeline"] = [e for e in opportunity["timeline"] if e["kind"] != "check_in"]
    fresh = _fresh()
    import_user_data(fresh, data)
    assert Decision.objects.filter(owner=fresh).count() == 1
    assert not CheckIn.objects.filter(owner=fresh).exists()


# --- Deleting the account ------------------------------------------------------------------------


def test_deleting_the_account_leaves_no_learning_row_behind(demo):
    other = _fresh()
    issue_feed(user=other)
    for model in LEARNING:
        assert model.objects.filter(owner=demo).exists(), model
    demo.delete()
    for model in LEARNING:
        assert not model.objects.filter(owner_id=demo.pk).exists(), model
    assert CalendarFeed.objects.filter(owner=other).exists()  # others untouched
