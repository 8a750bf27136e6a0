"""The benchmark's stories: written as the app writes them, and one long story per
ordinary user, which the story scenarios ask for."""

import io
import json

import pytest
from django.core.management import call_command

from bench import scenarios as bench_scenarios
from bench.management.commands.generate_bench_data import Command
from opportunities.models import (
    WRITTEN_BY_HAND,
    Decision,
    EntryKind,
    Evaluation,
    StageChange,
    TimelineEntry,
)

pytestmark = pytest.mark.django_db


def generate(tmp_path, **options) -> dict:
    manifest = tmp_path / "manifest.json"
    small = {"users": 2, "opportunities": 4, "criteria": 7, "checkpoints": 2, "decided": 1.0}
    call_command(
        Command(), manifest=manifest, compare_sizes="3", stdout=io.StringIO(), **(small | options)
    )
    return json.loads(manifest.read_text())


def test_every_step_the_app_records_is_in_the_story(tmp_path):
    generate(tmp_path, story=20)
    assert TimelineEntry.objects.filter(kind=EntryKind.STAGE).count() == StageChange.objects.count()
    decisions = Decision.objects.count()
    assert TimelineEntry.objects.filter(kind=EntryKind.DECISION).count() == decisions
    outcomes = Decision.objects.exclude(outcome="").count()
    assert TimelineEntry.objects.filter(kind=EntryKind.OUTCOME).count() == outcomes
    # A decision's own checkpoint has the decision's entry, not one of its own.
    checkpoints = Evaluation.objects.checkpoints().exclude(decisions__isnull=False).count()
    assert TimelineEntry.objects.filter(kind=EntryKind.CHECKPOINT).count() == checkpoints
    assert TimelineEntry.objects.filter(title="Added as the status quo").count() == 3


def test_each_ordinary_user_has_one_long_story(tmp_path):
    manifest = generate(tmp_path, story=120)
    for user in manifest["users"]:
        assert user["storied"] in user["opportunities"]
        hand = TimelineEntry.objects.filter(
            opportunity_id=user["storied"], kind__in=WRITTEN_BY_HAND
        )
        assert hand.count() == 120
    assert manifest["compare"]["3"]["storied"] is None
    assert manifest["sizes"]["story"] == 120


def test_the_story_scenarios_ask_for_the_long_stories(tmp_path):
    manifest = generate(tmp_path)
    built = {scenario.name: scenario for scenario in bench_scenarios.build(manifest)}
    page = built["Opportunity page, 300-entry story"]
    whole = built["Whole story"]
    storied = {(user["username"], user["storied"]) for user in manifest["users"]}
    assert {(spec.username, int(spec.path.split("/")[2])) for spec in page.specs} == storied
    assert all(spec.path.endswith("/story/?order=oldest") for spec in whole.specs)
    assert (page.key, page.budget) == ("B4d", bench_scenarios.BIG_PAGE)
    assert (whole.key, whole.budget) == ("B3n", bench_scenarios.PAGE)


def test_a_manifest_without_stories_has_no_story_scenarios(tmp_path):
    manifest = generate(tmp_path, story=0)
    names = {scenario.name for scenario in bench_scenarios.build(manifest)}
    assert "Whole story" not in names
