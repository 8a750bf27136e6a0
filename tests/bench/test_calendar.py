"""The benchmark's calendar feed (B3p): every ordinary user's feed turned on (stored as a
hash, the token in the manifest), the scenario rotating over them from an address of its
own per request, its requests answered by the real app with a calendar, within the
feed's rate limits as deployed, and in a few queries."""

from __future__ import annotations

import io
import json
import math

import pytest
from django.core.management import call_command
from django.test import Client

from bench import scenarios as bench_scenarios
from bench.management.commands.generate_bench_data import Command
from bench.run import parse_args
from opportunities.friends.core import hash_token, looks_like_token
from opportunities.learning.views.feed import PER_ADDRESS, PER_FEED
from opportunities.models import CalendarFeed

SMALL = {
    "users": 2,
    "opportunities": 6,
    "criteria": 9,
    "checkpoints": 1,
    "decided": 0.5,
    "compare_sizes": "3",
    "story": 5,
}


def generate(tmp_path) -> dict:
    manifest = tmp_path / "manifest.json"
    call_command(Command(), manifest=manifest, stdout=io.StringIO(), **SMALL)
    return json.loads(manifest.read_text())


@pytest.mark.django_db
def test_every_ordinary_user_has_a_feed_stored_as_a_hash(tmp_path):
    manifest = generate(tmp_path)
    assert manifest["counts"]["calendar feeds"] == 2
    for user in manifest["users"]:
        token = user["calendar"]
        assert looks_like_token(token)
        feed = CalendarFeed.objects.get(owner__username=user["username"])
        assert feed.token_hash == hash_token(token)
    assert manifest["compare"]["3"].get("calendar") is None


def test_a_whole_run_stays_below_the_feeds_limits():
    """Requests go round robin over the rotation, and the rotation over every ordinary
    user's feed, so a run reads each feed at most its total over the users, and each
    address its total over the rotation (plus one). The default run measures throughput
    for 2 + 20 s and latency for 3 + at most 54 s at 40 req/s: even at 1,000 req/s of
    saturation every feed and address stays within its allowance for one window."""
    args = parse_args([])
    saturation_s = min(args.warmup, 2.0) + args.saturation
    latency_s = args.warmup + 3 * args.duration
    total = 1_000 * saturation_s + args.rate * latency_s
    assert math.ceil(total / args.users) + 1 <= PER_FEED.hits
    assert math.ceil(total / bench_scenarios.ROTATION) + 1 <= PER_ADDRESS.hits
    assert PER_FEED.per_seconds >= 600
    assert PER_ADDRESS.per_seconds >= 600


@pytest.mark.django_db
def test_the_scenario_reads_every_feed_from_addresses_of_its_own(
    tmp_path, django_assert_max_num_queries
):
    manifest = generate(tmp_path)
    built = bench_scenarios.build(manifest)
    (scenario,) = [s for s in built if s.key == "B3p"]
    assert scenario.name == "Calendar feed"
    assert scenario.budget is bench_scenarios.PAGE
    assert {spec.username for spec in scenario.specs} == {None}
    tokens = {user["calendar"] for user in manifest["users"]}
    assert {spec.path for spec in scenario.specs} == {f"/cal/{t}.ics" for t in tokens}
    sources = [spec.source for spec in scenario.specs]
    assert len(set(sources)) == len(sources) == bench_scenarios.ROTATION
    others = {s.source for other in built if other is not scenario for s in other.specs}
    assert not set(sources) & others
    for spec in scenario.specs[:3]:
        client = Client(REMOTE_ADDR=spec.source)
        # 11 once the window's counters exist; the first read of a window starts them.
        with django_assert_max_num_queries(20):
            response = client.get(spec.path)
        assert response.status_code == scenario.expected_status == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response.content.startswith(b"BEGIN:VCALENDAR")
