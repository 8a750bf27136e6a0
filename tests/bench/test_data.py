"""The benchmark dataset: realistic, consistent with the app's own arithmetic, and fast."""

import io
import itertools
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from bench.management.commands.generate_bench_data import Command
from opportunities.compare.core import selection_key
from opportunities.criteria.queries import active_criteria
from opportunities.criteria.services import DEFAULT_CRITERIA
from opportunities.models import (
    Criterion,
    Decision,
    Evaluation,
    GutRanking,
    Opportunity,
    Score,
    StageChange,
)
from opportunities.scoring.core import compute_decision_score, rated_frozen, rated_live

pytestmark = pytest.mark.django_db

SMALL = {
    "users": 2,
    "opportunities": 6,
    "criteria": 9,
    "checkpoints": 2,
    "decided": 0.5,
    "compare_sizes": "3,25",
}


def generate(tmp_path, **options) -> dict:
    manifest = tmp_path / "manifest.json"
    call_command(Command(), manifest=manifest, stdout=io.StringIO(), **(SMALL | options))
    return json.loads(manifest.read_text())


def test_every_user_gets_criteria_opportunities_and_the_shared_password(tmp_path):
    manifest = generate(tmp_path)

    assert [user["username"] for user in manifest["users"]] == ["bench-user-1", "bench-user-2"]
    assert {size: len(user["opportunities"]) for size, user in manifest["compare"].items()} == {
        "3": 3,
        "25": 25,
    }
    users = get_user_model().objects.filter(username__startswith="bench-")
    assert users.count() == 4
    for user in users:
        assert user.check_password(manifest["password"])
        criteria = list(active_criteria(user))
        assert len(criteria) == 9
        assert [c.name for c in criteria[:7]] == [d.name for d in DEFAULT_CRITERIA]
        opportunities = Opportunity.objects.for_user(user)
        assert opportunities.filter(is_status_quo=True).count() == 1
    # The 25-opportunity user also has an archived one (one per 20 held).
    holder = manifest["compare"]["25"]
    assert Opportunity.objects.filter(owner__username=holder["username"]).count() == 26
    assert set(holder["opportunities"]) == set(
        Opportunity.objects.filter(
            owner__username=holder["username"], archived_at__isnull=True
        ).values_list("pk", flat=True)
    )


def test_stored_totals_are_what_the_app_computes(tmp_path):
    generate(tmp_path)

    criteria: dict[int, list[Criterion]] = {}
    for criterion in Criterion.objects.order_by("position", "id"):
        criteria.setdefault(criterion.owner_id, []).append(criterion)
    scores: dict[int, list[Score]] = {}
    for score in Score.objects.all():
        scores.setdefault(score.evaluation_id, []).append(score)
    evaluations = list(Evaluation.objects.all())
    assert sum(e.frozen_at is not None for e in evaluations) > 0
    for evaluation in evaluations:
        rows = scores.get(evaluation.pk, [])
        if evaluation.frozen_at is None:
            rated = rated_live(criteria[evaluation.owner_id], rows)
        else:
            rated = rated_frozen(rows)
            assert len(rows) == 9, "a checkpoint captures every active criterion"
        result = compute_decision_score(rated)
        assert evaluation.decision_score == result.value
        assert evaluation.scored_count == result.scored
        assert evaluation.criteria_count == result.total
        assert evaluation.must_have_failures == len(result.failures)
    live = Evaluation.objects.live()
    assert live.count() == Opportunity.objects.count()


def test_history_is_consistent(tmp_path):
    generate(tmp_path)

    decisions = list(Decision.objects.select_related("evaluation", "opportunity"))
    assert decisions
    for decision in decisions:
        assert decision.evaluation.frozen_at is not None
        assert decision.evaluation.opportunity_id == decision.opportunity_id
        assert decision.owner_id == decision.opportunity.owner_id
        assert decision.evaluation.label.startswith("Decision: ")
    for opportunity in Opportunity.objects.prefetch_related("stage_changes"):
        steps = list(opportunity.stage_changes.all())
        assert steps[0].from_stage == ""
        assert steps[-1].to_stage == opportunity.stage
        assert all(a.to_stage == b.from_stage for a, b in itertools.pairwise(steps))
    assert not StageChange.objects.exclude(owner_id=F("opportunity__owner_id")).exists()


def test_small_comparisons_come_with_a_gut_ranking(tmp_path):
    manifest = generate(tmp_path)

    small = manifest["compare"]["3"]
    ranking = GutRanking.objects.get(owner__username=small["username"])
    assert ranking.selection == selection_key(small["opportunities"])
    assert sorted(ranking.order) == sorted(small["opportunities"])
    # Too many to rank by feel: the comparison page never offers it, so none is made.
    assert not GutRanking.objects.filter(owner__username=manifest["compare"]["25"]["username"])


def test_query_count_does_not_grow_with_the_sizes(tmp_path):
    def count(**options) -> int:
        with CaptureQueriesContext(connection) as queries:
            generate(tmp_path, **options)
        return len(queries.captured_queries)

    # Every opportunity decided, so every table gets rows at both sizes (each of which
    # fits one bulk insert per table: beyond that, one more statement per batch).
    small = count(users=1, opportunities=2, decided=1.0, compare_sizes="2", prefix="a")
    larger = count(users=3, opportunities=8, decided=1.0, compare_sizes="3", prefix="b")
    assert small == larger


def test_refuses_to_mix_with_existing_users(tmp_path):
    generate(tmp_path)
    with pytest.raises(CommandError, match="already exist"):
        generate(tmp_path)
    assert get_user_model().objects.count() == 4


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"opportunities": 0}, "--opportunities must be at least 1"),
        ({"criteria": 99}, "--criteria can be at most 15"),
        ({"decided": 1.5}, "--decided must be between 0 and 1"),
        ({"compare_sizes": "5,x"}, "--compare-sizes takes whole numbers"),
        ({"compare_sizes": "0"}, "--compare-sizes must be positive"),
    ],
)
def test_bad_sizes_are_refused_before_anything_is_written(tmp_path, options, message):
    with pytest.raises(CommandError, match=message):
        generate(tmp_path, **options)
    assert not get_user_model().objects.exists()
