"""The benchmark's amount save (B2c): each ordinary user gets a criterion measured as a
number, and the scenario's requests are answered by the real app."""

import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from bench import scenarios as bench_scenarios
from bench import weighing
from bench.management.commands.generate_bench_data import Command
from opportunities.models import Criterion, CriterionKind, Score

SMALL = {
    "users": 2,
    "opportunities": 3,
    "criteria": 5,
    "checkpoints": 1,
    "decided": 0.5,
    "compare_sizes": "3",
    "story": 5,
}


@pytest.mark.django_db
def test_the_amount_save_scenario_is_answered_by_the_app(tmp_path):
    manifest_path = tmp_path / "manifest.json"
    call_command(Command(), manifest=manifest_path, stdout=io.StringIO(), **SMALL)
    manifest = json.loads(manifest_path.read_text())
    for user in manifest["users"]:
        number = Criterion.objects.get(pk=user["number"])
        assert number.kind == CriterionKind.NUMBER
        assert len(user["criteria"]) == SMALL["criteria"]  # one of them, not one more
    assert manifest["compare"]["3"].get("number") is None

    built = {s.key: s for s in bench_scenarios.build(manifest)}
    scenario = built["B2c"]
    assert scenario.name == "Amount save"
    client = Client()
    for spec in scenario.specs[:4]:
        client.force_login(get_user_model().objects.get(username=spec.username))
        response = client.post(spec.path, spec.form, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "→" in response.text
    (key,) = {spec.path.rsplit("/", 2)[-2] for spec in scenario.specs[:1]}
    assert Score.objects.filter(criterion_id=int(key), amount__isnull=False).exists()
    assert Score.objects.filter(amount=Decimal(5)).exists()


def test_without_number_criteria_there_is_no_amount_scenario():
    assert weighing.numbers([{"username": "u", "opportunities": [1]}]) == []
