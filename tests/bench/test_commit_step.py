"""The benchmark's "Commit step page": built from the user whose decisions have aged, one
page per decision, each answered by the real app in a fixed number of queries."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from bench import scenarios as bench_scenarios
from bench.judgement import decisions_for
from bench.management.commands.generate_bench_data import Command

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
def test_the_commit_step_page_of_each_aged_decision(tmp_path, django_assert_max_num_queries):
    manifest = generate(tmp_path, judgement_forecasts=20)
    built = {s.key: s for s in bench_scenarios.build(manifest)}
    scenario = built["B3o"]
    assert scenario.name == "Commit step page"
    assert len(scenario.specs) == decisions_for(20)
    client = Client()
    client.force_login(get_user_model().objects.get(username=scenario.specs[0].username))
    for spec in scenario.specs:
        # session, user, the decision (with its commitment), premortem, kill criteria,
        # forecasts
        with django_assert_max_num_queries(6):
            response = client.get(spec.path)
        assert response.status_code == scenario.expected_status
        assert 'data-testid="forecast-row"' in response.text or "commit-closed" in response.text


@pytest.mark.django_db
def test_without_an_aged_user_there_is_no_commit_step_scenario(tmp_path):
    manifest = generate(tmp_path)
    assert "B3o" not in {s.key for s in bench_scenarios.build(manifest)}
