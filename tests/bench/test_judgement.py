"""The benchmark's look back: a user whose decisions have aged, holding exactly the
resolved forecasts asked for, the scenario "Calibration page with 50 resolved forecasts"
built from it and accepted by the real app in a fixed number of queries, and the keys of
the other scenarios untouched."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from bench import scenarios as bench_scenarios
from bench.judgement import PER_DECISION, decisions_for
from bench.management.commands.generate_bench_data import Command
from bench.run import parse_args
from opportunities.models import CheckIn, Commitment, Decision, Forecast, Resolution

SMALL = {
    "users": 1,
    "opportunities": 4,
    "criteria": 9,
    "checkpoints": 1,
    "decided": 0.5,
    "compare_sizes": "3",
    "story": 5,
}


def generate(tmp_path, **options) -> dict:
    manifest = tmp_path / "manifest.json"
    call_command(Command(), manifest=manifest, stdout=io.StringIO(), **(SMALL | options))
    return json.loads(manifest.read_text())


@pytest.mark.django_db
def test_the_judging_user_holds_exactly_the_resolved_forecasts_asked_for(tmp_path):
    manifest = generate(tmp_path, judgement_forecasts=50, range_sizes="3")
    holder = manifest["judgement"]
    assert holder == {"username": "bench-judgement", "forecasts": 50}
    mine = {"owner__username": holder["username"]}
    decisions = Decision.objects.filter(**mine).count()
    assert decisions == decisions_for(50) == 13
    resolved = Forecast.objects.filter(
        **mine, resolution__in=[Resolution.TRUE, Resolution.FALSE]
    ).count()
    assert resolved == 50
    assert Forecast.objects.filter(**mine).count() == decisions * (PER_DECISION + 1)
    assert Commitment.objects.filter(**mine).count() == decisions
    done = CheckIn.objects.filter(**mine, done_on__isnull=False, glad__isnull=False)
    assert done.count() == 2 * decisions
    assert manifest["counts"]["resolved forecasts"] == 50
    # Nobody else looks back: the other scenarios measure what they did before.
    assert not Forecast.objects.exclude(**mine).exists()
    assert set(manifest["ranges"]) == {"3"}


@pytest.mark.django_db
def test_the_scenario_is_the_calibration_page_with_every_part(
    tmp_path, django_assert_max_num_queries
):
    manifest = generate(tmp_path, judgement_forecasts=50)
    built = bench_scenarios.build(manifest)
    [scenario] = [s for s in built if s.key == "B3h"]
    assert scenario.name == "Calibration page with 50 resolved forecasts"
    [spec] = scenario.specs
    client = Client()
    client.force_login(get_user_model().objects.get(username=spec.username))
    with django_assert_max_num_queries(6):
        response = client.get(spec.path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>50</strong> forecasts resolved" in html
    assert 'data-chart="calibration"' in html
    assert 'data-testid="predictors-table"' in html
    assert 'data-testid="rescore-counts"' in html


@pytest.mark.django_db
def test_without_the_option_there_is_no_judging_user_and_the_keys_stay(tmp_path):
    plain = generate(tmp_path)
    assert plain["judgement"] == {}
    assert not get_user_model().objects.filter(username__endswith="-judgement").exists()
    before = [(s.key, s.name) for s in bench_scenarios.build(plain)]
    with_judgement = dict(plain, judgement={"username": "x", "forecasts": 50})
    after = [(s.key, s.name) for s in bench_scenarios.build(with_judgement)]
    assert [s for s in after if s[0] != "B3h"] == before
    assert ("B3h", "Calibration page with 50 resolved forecasts") in after


def test_make_bench_asks_for_50_resolved_forecasts():
    assert parse_args([]).judgement_forecasts == 50


@pytest.mark.django_db
def test_a_negative_count_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--judgement-forecasts must be at least 0"):
        generate(tmp_path, judgement_forecasts=-1)
    assert not get_user_model().objects.exists()
