"""The benchmark's swing page (B3g): built over the largest comparison the page takes
whole, and answered by the real app with every option's swing on it."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from bench import scenarios as bench_scenarios
from bench import weighing
from bench.management.commands.generate_bench_data import Command

SMALL = {
    "users": 1,
    "opportunities": 3,
    "criteria": 5,
    "checkpoints": 1,
    "decided": 0.5,
    "compare_sizes": "3,4",
    "story": 5,
}


@pytest.mark.django_db
def test_the_swing_page_scenario_is_answered_by_the_app(tmp_path):
    manifest_path = tmp_path / "manifest.json"
    call_command(Command(), manifest=manifest_path, stdout=io.StringIO(), **SMALL)
    manifest = json.loads(manifest_path.read_text())
    built = {s.key: s for s in bench_scenarios.build(manifest)}
    swing = built["B3g"]
    assert swing.name == "Swing page 4"
    (spec,) = swing.specs
    assert spec.username == manifest["compare"]["4"]["username"]
    client = Client()
    client.force_login(get_user_model().objects.get(username=spec.username))
    response = client.get(spec.path)
    assert response.status_code == 200
    assert len(response.context["data"].options) == 4


def test_without_a_comparison_there_is_no_swing_scenario():
    assert weighing.swing({}) == []
