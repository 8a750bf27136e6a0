"""The benchmark's weights in money and hours: the criteria page (every criterion priced, the
gut fit) and the comparison's "In money and hours" redrawn for a chosen pair, built from the
dataset's users and accepted by the real app, with their query counts."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from bench import scenarios as bench_scenarios
from bench.management.commands.generate_bench_data import Command

SMALL = {
    "users": 2,
    "opportunities": 4,
    "criteria": 7,
    "checkpoints": 1,
    "decided": 0.5,
    "compare_sizes": "3,12",
    "story": 5,
}


def generate(tmp_path) -> dict:
    manifest = tmp_path / "manifest.json"
    call_command(Command(), manifest=manifest, stdout=io.StringIO(), **SMALL)
    return json.loads(manifest.read_text())


def signed_in(spec: bench_scenarios.Spec, users: dict) -> Client:
    client = Client()
    client.force_login(users[spec.username])
    return client


def send(client: Client, spec: bench_scenarios.Spec):
    headers = {"HX-Request": "true", "HX-Target": spec.htmx_target} if spec.htmx_target else {}
    return client.get(spec.path, headers=headers)


@pytest.mark.django_db
def test_the_weights_scenarios_have_keys_of_their_own(tmp_path):
    manifest = generate(tmp_path)
    built = bench_scenarios.build(manifest)
    keys = [(s.key, s.name) for s in built]
    assert ("B3i", "Criteria page") in keys
    assert ("B3l", "Money pair 3") in keys
    criteria = next(s for s in built if s.key == "B3i")
    assert {spec.username for spec in criteria.specs} == {u["username"] for u in manifest["users"]}


@pytest.mark.django_db
def test_the_weights_requests_are_answered_with_money(
    tmp_path, django_user_model, django_assert_max_num_queries
):
    manifest = generate(tmp_path)
    users = {u.username: u for u in django_user_model.objects.all()}
    built = {s.key: s for s in bench_scenarios.build(manifest)}
    for spec in built["B3i"].specs[:2]:
        client = signed_in(spec, users)
        # session, user, criteria, pay settings, gut rankings, the latest swing answers
        with django_assert_max_num_queries(6):
            response = send(client, spec)
        assert response.status_code == 200
        assert "Your weights trade 1 point of" in response.content.decode()
    (spec,) = built["B3l"].specs
    client = signed_in(spec, users)
    # as the comparison page: money and the gut fit add none
    with django_assert_max_num_queries(8):
        response = send(client, spec)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="money-check"')
    assert "Altogether" in content
