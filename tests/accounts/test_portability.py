"""Export all my data, import it into a fresh account, delete my account."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from opportunities.accounts import queries as accounts_queries
from opportunities.accounts.queries import CSV_TABLES, export_user_data
from opportunities.accounts.services import ImportProblem, import_user_data
from opportunities.criteria.queries import active_criteria
from opportunities.criteria.services import create_default_criteria
from opportunities.learning.services.calendar import issue_feed
from opportunities.models import (
    CalendarFeed,
    CheckIn,
    Commitment,
    Criterion,
    Decision,
    Evaluation,
    Forecast,
    GutRanking,
    KillCriterion,
    Opportunity,
    PremortemReason,
    Score,
    StageChange,
    WeightSource,
    WeightVersion,
)
from opportunities.scoring.core import compute_decision_score, rated_frozen, rated_live
from opportunities.scoring.services import live_evaluation
from opportunities.weights.services import record_weights
from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

OWNED = (Opportunity, Criterion, Evaluation, Score, Decision, StageChange, GutRanking)


@pytest.fixture
def rich_user():
    """The demo story plus a frozen checkpoint, a decision and a gut ranking."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = get_user_model().objects.get(username="demo")
    opportunities = list(Opportunity.objects.for_user(user).order_by("id"))
    live = live_evaluation(opportunities[0])
    frozen_scores = list(Score.objects.filter(evaluation=live))
    criteria = {c.id: c for c in active_criteria(user)}
    for score in frozen_scores:
        criterion = criteria[score.criterion_id]
        score.weight, score.minimum, score.criterion_name = (
            criterion.weight,
            criterion.minimum,
            criterion.name,
        )
    Score.objects.bulk_update(frozen_scores, ["weight", "minimum", "criterion_name"])
    live.frozen_at, live.label = live.created_at, "After the interview"
    live.save()
    live_evaluation(opportunities[0])  # a fresh live one, empty
    Decision.objects.create(
        owner=user,
        opportunity=opportunities[0],
        evaluation=live,
        choice="pursue",
        confidence=70,
        rationale='=HYPERLINK("http://evil")',
        gut_check="yes",
        outcome="not_selected",
        reflection="The thinking itself was the value.",
    )
    order = [o.id for o in reversed(opportunities)]
    GutRanking.objects.create(
        owner=user, selection="-".join(str(i) for i in sorted(order)), order=order
    )
    first = next(iter(criteria.values()))
    record_weights(  # a swing weighting, its ids the file's to remap (tests/weights)
        user,
        source=WeightSource.SWING,
        options=[{"id": o.id, "title": o.title} for o in opportunities[:2]],
        answers=[{"criterion": first.id, "worst": 3, "best": 9, "rating": 100}],
    )
    return user


def snapshot(user) -> dict:
    """The user's data with ids replaced by what they point at, for comparison."""
    data = export_user_data(user)
    names = {c["id"]: c["name"] for c in data["criteria"]}
    people = {p["id"]: p["name"] for p in data.get("people", [])}
    titles = {o["id"]: o["title"] for o in data["opportunities"]}
    labels = {
        e["id"]: (o["title"], e.get("label") or "live")
        for o in data["opportunities"]
        for e in o["evaluations"]
    }
    for person in data.get("people", []):
        del person["id"]
    for opportunity in data["opportunities"]:
        del opportunity["id"]
        for name in ("arose_from", "variant_of"):
            opportunity[name] = titles.get(opportunity.get(name))
        opportunity["arose_from_person"] = people.get(opportunity.get("arose_from_person"))
        opportunity["contacts"] = sorted(people[p] for p in opportunity.get("contacts", []))
        changes = {}
        for change in opportunity["stage_changes"]:
            changes[change.pop("id", None)] = (change["to_stage"], change["changed_at"])
        for evaluation in opportunity["evaluations"]:
            del evaluation["id"]
            for score in evaluation["scores"]:
                score["criterion"] = names[score["criterion"]]
        decisions = {}
        check_ins = {}
        for decision in opportunity["decisions"]:
            decisions[decision.pop("id", None)] = (decision["choice"], decision["decided_on"])
            decision["evaluation"] = labels[decision["evaluation"]]
            for alternative in decision.get("alternatives", []):
                alternative["opportunity"] = titles.get(alternative["opportunity"])
                alternative["evaluation"] = labels[alternative["evaluation"]]
            # Learning from it (issue 20): ids of kill criteria, check-ins and re-scored
            # criteria become what they name (tests/learning/test_portability.py).
            kills = {k.pop("id"): k["condition"] for k in decision.get("kill_criteria", [])}
            for check_in in decision.get("check_ins", []):
                check_ins[check_in.pop("id")] = (check_in["kind"], check_in["due_on"])
                check_in["kill_criterion"] = kills.get(check_in["kill_criterion"])
                check_in["rescored"] = {
                    names[int(key)]: value for key, value in check_in["rescored"].items()
                }
        asked = {}
        for question in opportunity.get("questions", []):
            asked[question.pop("id")] = question["text"]
            question["criterion"] = names.get(question["criterion"])
        for entry in opportunity.get("timeline", []):
            entry["question"] = asked.get(entry.get("question"))
            entry["person"] = people.get(entry["person"])
            entry["stage_change"] = changes.get(entry["stage_change"])
            entry["evaluation"] = labels.get(entry["evaluation"])
            entry["decision"] = decisions.get(entry["decision"])
            entry["check_in"] = check_ins.get(entry.get("check_in"))
    for friend_round in data.get("friend_rounds", []):
        del friend_round["id"]
        friend_round["opportunities"] = sorted(titles[i] for i in friend_round["opportunities"])
        for link in friend_round["invitations"]:
            link["person"] = people.get(link["person"])
            del link["revoked_at"]  # an imported link comes back revoked (tests/friends)
            for answer in link["answers"]:
                answer["opportunity"] = titles[answer["opportunity"]]
                for score in answer["scores"]:
                    score["criterion"] = names[score["criterion"]]
    for criterion in data["criteria"]:
        del criterion["id"]
    data["gut_rankings"] = [[titles[i] for i in r["order"]] for r in data["gut_rankings"]]
    for version in data.get("weight_versions", []):
        for row in version["weights"] + version["answers"]:
            row["criterion"] = names[row["criterion"]]
        for option in version["options"]:
            option["id"] = titles[option["id"]]
    del data["exported_at"]
    return data


def test_export_then_import_into_a_fresh_account_round_trips_exactly(rich_user):
    exported = json.loads(json.dumps(export_user_data(rich_user)))
    fresh = UserFactory()
    create_default_criteria(fresh)  # a brand-new account, as signup leaves it
    counts = import_user_data(fresh, exported)
    assert counts == {
        "opportunities": Opportunity.objects.for_user(rich_user).count(),
        "evaluations": Evaluation.objects.for_user(rich_user).count(),
        "scores": Score.objects.for_user(rich_user).count(),
        "decisions": Decision.objects.for_user(rich_user).count(),
    }
    assert counts["decisions"] == 2
    assert snapshot(fresh) == snapshot(rich_user)
    for evaluation in Evaluation.objects.for_user(fresh).checkpoints():
        frozen = compute_decision_score(rated_frozen(Score.objects.filter(evaluation=evaluation)))
        assert frozen.value == evaluation.decision_score
    for evaluation in Evaluation.objects.for_user(fresh).live():
        criteria = list(active_criteria(fresh))
        live = compute_decision_score(
            rated_live(criteria, Score.objects.filter(evaluation=evaluation))
        )
        assert live.value == evaluation.decision_score


def test_export_holds_only_my_data(rich_user):
    stranger = UserFactory()
    OpportunityFactory(owner=stranger, title="Stranger's secret")
    text = json.dumps(export_user_data(rich_user))
    assert "Stranger's secret" not in text
    data = json.loads(text)
    assert len(data["opportunities"]) == Opportunity.objects.for_user(rich_user).count() == 5


def test_import_refuses_a_non_empty_account(rich_user):
    exported = export_user_data(rich_user)
    with pytest.raises(ImportProblem, match="no opportunities"):
        import_user_data(rich_user, exported)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="something-else"), "not a Crossroads export"),
        (lambda d: d.update(version=99), "version 99"),
        (
            lambda d: d["criteria"][0].update(weight=11),
            r"criterion 1, weight: Ensure this value is less than or equal to 10",
        ),
        (
            lambda d: d["criteria"][0].update(name="x" * 10_000),
            r"criterion 1, name: Ensure this value has at most 80 characters",
        ),
        (
            lambda d: d["opportunities"][0].update(stage="<script>"),
            "opportunity 1, stage: Value '<script>' is not a valid choice",
        ),
        (
            lambda d: d["opportunities"][0].update(archived_at="yesterday"),
            "opportunity 1, archived_at: is not a readable date",
        ),
        (lambda d: d["opportunities"][2].update(is_status_quo=True), "contradicts itself"),
        (
            lambda d: d["opportunities"][0]["evaluations"][0]["scores"][0].update(criterion=-5),
            "criterion that is not in the file",
        ),
        (lambda d: d.pop("criteria"), "incomplete or damaged: its “criteria” are missing"),
        (lambda d: d["opportunities"][0].update(evaluations="nope"), "“evaluations” is not a list"),
        (lambda d: d["gut_rankings"][0].update(order=["x"]), "its order is not a list of ids"),
    ],
)
def test_a_bad_import_file_is_refused_with_a_reason_and_nothing_saved(rich_user, mutate, message):
    exported = json.loads(json.dumps(export_user_data(rich_user)))
    mutate(exported)
    fresh = UserFactory()
    create_default_criteria(fresh)
    with pytest.raises(ImportProblem, match=message):
        import_user_data(fresh, exported)
    assert not Opportunity.objects.for_user(fresh).exists()
    assert Criterion.objects.for_user(fresh).count() == 7  # the defaults, untouched


def test_csv_export_escapes_formulas(rich_user):
    text = accounts_queries.export_csv(rich_user, "decisions")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text
    assert ",=HYPERLINK" not in text


def test_views_export_import_and_delete(client, rich_user, password):
    rich_user.set_password(password)
    rich_user.save()
    client.force_login(rich_user)
    assert client.get(reverse("account")).status_code == 200
    response = client.get(reverse("export_json"))
    assert response["Content-Disposition"].startswith('attachment; filename="crossroads-')
    exported = response.content
    for table in CSV_TABLES:
        csv_response = client.get(reverse("export_csv", args=[table]))
        assert csv_response.status_code == 200
        assert csv_response["Content-Type"].startswith("text/csv")
    assert client.get("/account/export/auth_user.csv").status_code == 404

    client.logout()
    fresh = UserFactory()
    create_default_criteria(fresh)
    client.force_login(fresh)
    upload = SimpleUploadedFile("export.json", exported, content_type="application/json")
    response = client.post(reverse("import_json"), {"file": upload})
    assert response.status_code == 302
    assert Opportunity.objects.for_user(fresh).count() == 5

    garbage = SimpleUploadedFile("export.json", b"\xff\xfe not json")
    response = client.post(reverse("import_json"), {"file": garbage})
    assert response.status_code == 200
    assert "not readable JSON" in response.text

    refused = client.post(reverse("delete_account"), {"password": "wrong", "confirm": "DELETE"})
    assert "That is not your password" in refused.text
    assert get_user_model().objects.filter(pk=fresh.pk).exists()
    fresh.set_password(password)
    fresh.save()
    client.force_login(fresh)
    response = client.post(reverse("delete_account"), {"password": password, "confirm": "DELETE"})
    assert response["Location"] == reverse("login")
    assert not get_user_model().objects.filter(pk=fresh.pk).exists()
    for model in (*OWNED, WeightVersion):
        assert not model.objects.filter(owner_id=fresh.pk).exists()
    assert Opportunity.objects.for_user(rich_user).count() == 5  # others untouched


def test_deleting_an_account_with_decisions_and_checkpoints_removes_everything(rich_user):
    issue_feed(user=rich_user)
    learning = (Commitment, PremortemReason, KillCriterion, Forecast, CheckIn, CalendarFeed)
    assert all(model.objects.filter(owner=rich_user).exists() for model in learning)
    rich_user.delete()
    for model in (*OWNED, WeightVersion, *learning):
        assert not model.objects.exists()


def test_ranges_round_trip_on_live_scores_and_checkpoints(rich_user):
    """ "I'm unsure" ranges (issue 18) leave with the export and come back, frozen ones too."""
    Score.objects.for_user(rich_user).update(low=None, high=None)  # the demo's own aside
    scored = Score.objects.for_user(rich_user).filter(value__gte=2, value__lte=8)
    frozen = scored.filter(evaluation__frozen_at__isnull=False).first()
    live = scored.filter(evaluation__frozen_at__isnull=True).first()
    assert frozen is not None
    assert live is not None
    for score in (frozen, live):
        score.low, score.high = score.value - 2, score.value + 1
        score.save(update_fields=["low", "high"])
    exported = json.loads(json.dumps(export_user_data(rich_user)))
    ranges = [
        (s["value"], s["low"], s["high"])
        for o in exported["opportunities"]
        for e in o["evaluations"]
        for s in e["scores"]
        if s.get("low") is not None
    ]
    assert sorted(ranges) == sorted(
        [(frozen.value, frozen.low, frozen.high), (live.value, live.low, live.high)]
    )
    fresh = UserFactory()
    create_default_criteria(fresh)
    import_user_data(fresh, exported)
    assert snapshot(fresh) == snapshot(rich_user)
    assert Score.objects.for_user(fresh).filter(low__isnull=False).count() == 2
