"""The benchmark's value curve page (B3j) and its live preview (B3k), over each ordinary
user's number criterion: answered by the real app in a fixed number of queries."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from bench import scenarios as bench_scenarios
from bench import weighing
from bench.management.commands.generate_bench_data import Command
from opportunities.models import Criterion

SMALL = {
    "users": 2,
    "opportunities": 4,
    "criteria": 5,
    "checkpoints": 1,
    "decided": 0.5,
    "compare_sizes": "3",
    "story": 5,
}


@pytest.mark.django_db
def test_the_curve_scenarios_are_answered_by_the_app(tmp_path, django_assert_max_num_queries):
    manifest_path = tmp_path / "manifest.json"
    call_command(Command(), manifest=manifest_path, stdout=io.StringIO(), **SMALL)
    manifest = json.loads(manifest_path.read_text())
    built = {s.key: s for s in bench_scenarios.build(manifest)}
    page, preview = built["B3j"], built["B3k"]
    assert (page.name, preview.name) == ("Curve page", "Curve preview")
    assert len(page.specs) == SMALL["users"]
    client = Client()
    for spec in page.specs:
        client.force_login(get_user_model().objects.get(username=spec.username))
        with django_assert_max_num_queries(6):
            response = client.get(spec.path)
        assert response.status_code == 200
        assert 'data-testid="curve-chart"' in response.text
    for spec in preview.specs[:4]:
        client.force_login(get_user_model().objects.get(username=spec.username))
        with django_assert_max_num_queries(6):
            response = client.post(
                spec.path,
                spec.form,
                headers={"HX-Request": "true", "HX-Target": spec.htmx_target},
            )
        assert response.status_code == 200
        assert 'id="curve-preview"' in response.text
        assert "<html" not in response.text
    # nothing saved by a preview
    assert set(Criterion.objects.filter(kind="number").values_list("curve", flat=True)) == {
        "linear"
    }


def test_without_number_criteria_there_is_no_curve_scenario():
    assert weighing.curves([{"username": "u", "opportunities": [1]}]) == []
