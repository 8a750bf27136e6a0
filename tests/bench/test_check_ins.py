"""The benchmark's "Check-in submit": built from the user whose decisions have aged, one
12-month check-in per decision, each accepted by the real app (and accepted again, as an
edit) in a fixed number of queries; the other scenarios' keys untouched."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from bench import scenarios as bench_scenarios
from bench.judgement import decisions_for
from bench.management.commands.generate_bench_data import Command
from opportunities.models import CheckIn, TimelineEntry

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
def test_check_in_submit_answers_each_decisions_12_month_check_in(
    tmp_path, django_assert_max_num_queries
):
    manifest = generate(tmp_path, judgement_forecasts=20)
    built = bench_scenarios.build(manifest)
    (scenario,) = [s for s in built if s.key == "B2e"]
    assert scenario.budget is bench_scenarios.SAVE
    assert scenario.name == "Check-in submit"
    assert scenario.expected_status == 302
    assert len(scenario.specs) == decisions_for(20)
    spec = scenario.specs[0]
    client = Client()
    client.force_login(get_user_model().objects.get(username=spec.username))
    for _ in range(2):  # answered, then answered again: an edit
        # session, user, the check-in, forecasts, kill criteria, frozen scores; then, in a
        # transaction, the forecast resolved, the check-in saved, its entry in the story
        # written (its opportunity read) or edited; the page-cache counter (the message
        # goes in its cookie)
        with django_assert_max_num_queries(14):
            response = client.post(spec.path, spec.form)
        assert response.status_code == scenario.expected_status
    check_in = CheckIn.objects.get(pk=int(spec.path.rstrip("/").rsplit("/", 1)[1]))
    assert check_in.done_on is not None
    assert TimelineEntry.objects.filter(check_in=check_in).count() == 1


@pytest.mark.django_db
def test_without_an_aged_user_there_is_no_check_in_scenario(tmp_path):
    manifest = generate(tmp_path)
    assert manifest["check_ins"] == []
    assert "B2e" not in {s.key for s in bench_scenarios.build(manifest)}
