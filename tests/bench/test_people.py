"""The benchmark's people and the scenarios new with issue 21: the person's page (B3c), over
each ordinary user's people, linked as the app links them, and the range save (B2b)."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from bench import scenarios as bench_scenarios
from bench.management.commands.generate_bench_data import Command
from bench.people import CONTACT_OF, CONVERSATIONS, PEOPLE
from opportunities.models import EntryKind, Opportunity, Person, Score, TimelineEntry

pytestmark = pytest.mark.django_db

SMALL = {
    "users": 2,
    "opportunities": 6,
    "criteria": 5,
    "checkpoints": 1,
    "decided": 0.5,
    "compare_sizes": "3",
    "story": 5,
}
Contacts = Opportunity.contacts.through


def generate(tmp_path) -> dict:
    manifest = tmp_path / "manifest.json"
    call_command(Command(), manifest=manifest, stdout=io.StringIO(), **SMALL)
    return json.loads(manifest.read_text())


def test_each_ordinary_user_has_people_linked_as_the_app_links_them(tmp_path):
    manifest = generate(tmp_path)

    for user in manifest["users"]:
        people = Person.objects.filter(owner__username=user["username"])
        assert sorted(user["people"]) == sorted(people.values_list("pk", flat=True))
        assert len(user["people"]) == PEOPLE
        contacts = Contacts.objects.filter(person__in=people)
        assert contacts.count() == PEOPLE * CONTACT_OF
        assert set(contacts.values_list("opportunity_id", flat=True)) <= set(user["opportunities"])
        assert Opportunity.objects.filter(arose_from_person__in=people).count() == 1
        conversations = TimelineEntry.objects.filter(person__in=people)
        assert conversations.count() == PEOPLE * CONVERSATIONS
        assert set(conversations.values_list("kind", flat=True)) == {EntryKind.CONVERSATION}
        # The long story is left as it was: its scenario measures what it did.
        assert not conversations.filter(opportunity_id=user["storied"]).exists()
        assert not contacts.filter(opportunity_id=user["storied"]).exists()
        assert people.filter(follow_up_on__isnull=False).count() == 2
    assert not TimelineEntry.objects.exclude(owner_id=F("opportunity__owner_id")).exists()
    assert not Person.objects.filter(owner__username=manifest["compare"]["3"]["username"])
    assert manifest["compare"]["3"]["people"] == []
    assert manifest["counts"]["people"] == PEOPLE * SMALL["users"]


def test_the_persons_page_scenario_is_answered_by_the_app(tmp_path, django_assert_max_num_queries):
    manifest = generate(tmp_path)
    built = {s.key: s for s in bench_scenarios.build(manifest)}
    scenario = built["B3c"]
    assert (scenario.name, scenario.budget) == ("Person's page", bench_scenarios.PAGE)
    everyone = {(u["username"], p) for u in manifest["users"] for p in u["people"]}
    asked = {(spec.username, int(spec.path.split("/")[2])) for spec in scenario.specs}
    assert asked == everyone
    client = Client()
    for spec in scenario.specs[: 2 * PEOPLE]:
        client.force_login(get_user_model().objects.get(username=spec.username))
        person = Person.objects.get(pk=int(spec.path.split("/")[2]))
        # session, user, the person, their opportunities, their entries (and their count)
        with django_assert_max_num_queries(6):
            response = client.get(spec.path)
        assert response.status_code == scenario.expected_status == 200
        assert person.name in response.text


def test_the_range_save_scenario_saves_a_range_through_the_htmx_endpoint(tmp_path):
    manifest = generate(tmp_path)
    built = {s.key: s for s in bench_scenarios.build(manifest)}
    scenario, slider = built["B2b"], built["B2a"]
    assert (scenario.name, scenario.budget) == ("Range save", bench_scenarios.SAVE)
    # The slider save's rotation: the same scores, each with a range around it.
    assert [spec.path for spec in scenario.specs] == [spec.path for spec in slider.specs]
    for spec in scenario.specs:
        key = spec.path.rstrip("/").rsplit("/", 1)[1]
        low, value, high = (int(spec.form[f"{key}-{end}"]) for end in ("low", "value", "high"))
        assert 0 <= low < value < high <= 10
        assert spec.htmx_target == "score-summary"
    client = Client()
    for spec in scenario.specs[:4]:
        client.force_login(get_user_model().objects.get(username=spec.username))
        response = client.post(
            spec.path, spec.form, headers={"HX-Request": "true", "HX-Target": spec.htmx_target}
        )
        assert response.status_code == scenario.expected_status == 200
        _, _, opportunity, _, criterion, _ = spec.path.split("/")
        score = Score.objects.get(
            evaluation__opportunity_id=int(opportunity),
            evaluation__frozen_at__isnull=True,
            criterion_id=int(criterion),
        )
        assert (score.low, score.value, score.high) == tuple(
            int(spec.form[f"{criterion}-{end}"]) for end in ("low", "value", "high")
        )
