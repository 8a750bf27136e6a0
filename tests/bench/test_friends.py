"""The benchmark's friends: the data (rounds, answers, links stored as hashes), the three
scenarios built from it (the owner's round page, the friend's page and its submit), their
requests accepted by the real app, and a whole run staying below the friend's page's rate
limits as deployed (a link and a loopback address per request of the rotation)."""

import io
import json
import math
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench import loadgen, report
from bench import scenarios as bench_scenarios
from bench.database import GROWING_TABLES
from bench.friends import ANSWERED, ASKED_ABOUT, RATED, links_per_scenario
from bench.management.commands.generate_bench_data import Command
from bench.run import parse_args, throughput_tool, to_request
from opportunities.friends.core import MAX_LINKS_PER_ROUND, hash_token, looks_like_token
from opportunities.friends.public_views import PER_ADDRESS, PER_LINK, UNKNOWN_PER_ADDRESS
from opportunities.models import (
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
    Opportunity,
    Throttle,
)
from tests.bench.own_loop import in_own_loop

SMALL = {
    "users": 2,
    "opportunities": 6,
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


def by_name(manifest: dict) -> dict[str, bench_scenarios.Scenario]:
    return {scenario.name: scenario for scenario in bench_scenarios.build(manifest)}


FORM = "application/x-www-form-urlencoded"


def send(spec: bench_scenarios.Spec, users: dict | None = None):
    """``spec`` through the whole app in-process, as ``bench.database`` sends it."""
    client = Client(REMOTE_ADDR=spec.source or "127.0.0.1")
    if spec.username is not None:
        client.force_login(users[spec.username])
    if spec.method == "POST":
        return client.post(spec.path, urlencode(spec.form), content_type=FORM)
    return client.get(spec.path)


# --- The data -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_ordinary_user_asks_five_friends_about_two_options(tmp_path):
    manifest = generate(tmp_path)

    assert manifest["counts"]["friends' rounds"] == 2
    for user in manifest["users"]:
        friends = user["friends"]
        asked = FriendRound.objects.get(pk=friends["round"], owner__username=user["username"])
        options = list(asked.opportunities.order_by("pk"))
        assert [o.pk for o in options] == sorted(friends["opportunities"])
        assert len(options) == ASKED_ABOUT
        # Neither the status quo nor the opportunity with the long story (its 300 entries
        # would be on the friend's page): two ordinary open ones.
        assert not any(o.is_status_quo or o.archived_at for o in options)
        assert user["storied"] not in friends["opportunities"]
        assert friends["criteria"] == user["criteria"][:RATED]
        answered = FriendInvitation.objects.filter(round=asked, answered_at__isnull=False)
        assert answered.count() == ANSWERED
        answers = FriendAnswer.objects.filter(invitation__round=asked)
        assert answers.count() == ANSWERED * ASKED_ABOUT
        assert all(answer.gut for answer in answers)
        scores = FriendScore.objects.filter(answer__invitation__round=asked)
        assert scores.count() == ANSWERED * ASKED_ABOUT * RATED
        assert set(scores.values_list("criterion_id", flat=True)) == set(friends["criteria"])
        assert all(s.value is None if s.cant_say else 0 <= s.value <= 10 for s in scores)
        assert set(scores.values_list("owner_id", flat=True)) == {asked.owner_id}
        assert FriendInvitation.objects.filter(round=asked).count() <= MAX_LINKS_PER_ROUND


@pytest.mark.django_db
def test_links_are_stored_as_hashes_and_handed_over_once_in_the_manifest(tmp_path):
    manifest = generate(tmp_path)

    tokens = [
        token
        for user in manifest["users"]
        for key in ("page_tokens", "submit_tokens")
        for token in user["friends"][key]
    ]
    assert len(tokens) == len(set(tokens)) == 2 * 2 * links_per_scenario(2)
    assert all(looks_like_token(token) for token in tokens)
    stored = set(FriendInvitation.objects.values_list("token_hash", flat=True))
    assert {hash_token(token) for token in tokens} <= stored
    assert not stored & set(tokens)
    fresh = FriendInvitation.objects.filter(token_hash__in=[hash_token(t) for t in tokens])
    assert not fresh.filter(answered_at__isnull=False).exists()


def test_links_per_scenario_fill_the_rotation_within_a_round():
    assert links_per_scenario(50) * 50 >= bench_scenarios.FRIEND_ROTATION
    assert ANSWERED + 2 * links_per_scenario(1) <= MAX_LINKS_PER_ROUND
    assert links_per_scenario(10_000) == 1


# --- The scenarios --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_friends_scenarios_have_their_keys_and_budgets(tmp_path):
    manifest = generate(tmp_path)

    built = bench_scenarios.build(manifest)

    keys = {s.name: (s.key, s.budget) for s in built}
    assert keys["Friends' round"] == ("B3m", bench_scenarios.PAGE)
    assert keys["Friend's page"] == ("B3d", bench_scenarios.PAGE)
    assert keys["Friend's submit"] == ("B2d", bench_scenarios.SAVE)
    scenarios = by_name(manifest)
    assert scenarios["Friend's submit"].expected_status == 303
    assert scenarios["Friend's page"].expected_status == 200
    assert "5 friends' answers on 2 options × 7 criteria" in scenarios["Friends' round"].what
    # The owners are signed in; friends are not.
    assert {s.username for s in scenarios["Friends' round"].specs} == {
        u["username"] for u in manifest["users"]
    }
    assert set(bench_scenarios.usernames(built)) == {u["username"] for u in manifest["users"]} | {
        manifest["compare"]["3"]["username"]
    }


@pytest.mark.django_db
def test_each_friends_request_has_a_link_and_an_address_of_its_own(tmp_path):
    manifest = generate(tmp_path, users=50, opportunities=3, criteria=7, compare_sizes="")
    scenarios = by_name(manifest)

    page, submit = scenarios["Friend's page"], scenarios["Friend's submit"]
    for scenario in (page, submit):
        specs = scenario.specs
        assert len(specs) == bench_scenarios.FRIEND_ROTATION
        assert all(spec.username is None for spec in specs)
        assert len({spec.path for spec in specs}) == len(specs)
        assert len({spec.source for spec in specs}) == len(specs)
        assert all(spec.source.startswith("127.77.") for spec in specs)
        assert all(len(spec.csrf) == 32 and spec.csrf.isalnum() for spec in specs)
    assert not {s.source for s in page.specs} & {s.source for s in submit.specs}
    assert not {s.path for s in page.specs} & {s.path for s in submit.specs}


def test_a_whole_run_stays_below_the_friends_pages_limits():
    """Requests go round robin over the rotation, so per link and per address a run sends
    at most its total over the rotation (plus one). The default run measures throughput
    for 2 + 20 s and latency for 3 + at most 54 s at 40 req/s: even at 1,000 req/s of
    saturation (the page manages about a tenth of that) every link and address stays
    within its allowance for one window (and the windows are ten minutes)."""
    args = parse_args([])
    saturation_s = min(args.warmup, 2.0) + args.saturation
    latency_s = args.warmup + 3 * args.duration
    total = 1_000 * saturation_s + args.rate * latency_s
    per_each = math.ceil(total / bench_scenarios.FRIEND_ROTATION) + 1
    assert per_each <= PER_LINK.hits
    assert per_each <= PER_ADDRESS.hits
    assert PER_LINK.per_seconds >= 600
    assert PER_ADDRESS.per_seconds >= 600


# --- Accepted by the app ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_requests_are_answered_as_the_scenarios_expect(tmp_path, django_user_model):
    manifest = generate(tmp_path)
    users = {u.username: u for u in django_user_model.objects.all()}
    scenarios = by_name(manifest)

    for name in ("Friends' round", "Friend's page", "Friend's submit"):
        scenario = scenarios[name]
        for spec in scenario.specs[:4]:
            response = send(spec, users)
            assert response.status_code == scenario.expected_status, (name, spec.path)

    # The round page shows what the five friends said.
    owner_spec = scenarios["Friends' round"].specs[0]
    assert owner_spec.path == reverse(
        "opportunities:friends_round", args=[manifest["users"][0]["friends"]["round"]]
    )
    # The submit saved the form: a rating of each rated criterion, a gut answer, per option.
    spec = scenarios["Friend's submit"].specs[0]
    token = spec.path.split("/")[2]
    invitation = FriendInvitation.objects.get(token_hash=hash_token(token))
    assert invitation.answered_at is not None
    answers = FriendAnswer.objects.filter(invitation=invitation)
    assert answers.count() == ASKED_ABOUT
    for answer in answers:
        assert answer.gut == spec.form[f"o{answer.opportunity_id}-gut"]
        saved = dict(FriendScore.objects.filter(answer=answer).values_list("criterion_id", "value"))
        assert saved == {
            int(key.split("-")[1][1:]): int(value)
            for key, value in spec.form.items()
            if key.startswith(f"o{answer.opportunity_id}-c") and key.endswith("-value") and value
        }
    # Counted per address: the friend's own, never the loopback default.
    assert Throttle.objects.filter(key=f"{PER_ADDRESS.name}:{spec.source}").exists()
    assert not Throttle.objects.filter(key=f"{PER_ADDRESS.name}:127.0.0.1").exists()
    assert not Throttle.objects.filter(key__startswith=f"{UNKNOWN_PER_ADDRESS.name}:").exists()


@pytest.mark.django_db
def test_sending_the_same_answer_again_replaces_it(tmp_path):
    manifest = generate(tmp_path)
    spec = by_name(manifest)["Friend's submit"].specs[0]

    for _ in range(3):
        assert send(spec).status_code == 303

    token = spec.path.split("/")[2]
    assert FriendAnswer.objects.filter(invitation__token_hash=hash_token(token)).count() == 2


# --- Over HTTP, from addresses of their own ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_friends_requests_over_http_come_from_their_own_addresses(tmp_path, live_server):
    """One request at a time (SQLite's test database takes one writer at a time, and each
    friend's request writes its counters): the closed loop on one connection, and the
    fixed-rate client with one request."""
    manifest = generate(tmp_path)
    scenarios = by_name(manifest)
    requests = {
        name: [to_request(spec, {}) for spec in scenarios[name].specs[:6]]
        for name in ("Friend's page", "Friend's submit")
    }
    assert all(r.headers["Cookie"].startswith("csrftoken=") for r in requests["Friend's page"])

    page = in_own_loop(
        loadgen.saturate_with_python(
            live_server.url, requests["Friend's page"], duration=1.0, connections=1
        )
    )
    submit = in_own_loop(
        loadgen.saturate_with_python(
            live_server.url,
            requests["Friend's submit"],
            duration=1.0,
            connections=1,
            expected_status=303,
        )
    )
    once = in_own_loop(
        loadgen.fixed_rate(
            live_server.url,
            requests["Friend's submit"][:1],
            rate=1,
            duration=1,
            expected_status=303,
        )
    )

    assert page.requests > 0
    assert page.errors == 0
    assert submit.requests > 0
    assert submit.errors == 0  # the CSRF cookie and token pass
    assert (once.count, once.errors) == (1, 0)
    assert "from 6 loopback addresses" in page.tool
    counted = set(
        Throttle.objects.filter(key__startswith=f"{PER_ADDRESS.name}:").values_list(
            "key", flat=True
        )
    )
    sent_from = {r.source for rs in requests.values() for r in rs}
    assert counted
    assert counted <= {f"{PER_ADDRESS.name}:{source}" for source in sent_from}


@pytest.mark.django_db(transaction=True)
def test_a_friends_post_without_its_csrf_token_is_refused(tmp_path, live_server):
    manifest = generate(tmp_path)
    spec = by_name(manifest)["Friend's submit"].specs[0]
    request = to_request(spec, {})
    forged = loadgen.Request(
        "POST",
        request.path,
        {k: v for k, v in request.headers.items() if k != "Cookie"},
        request.body,
        source=request.source,
    )

    run = in_own_loop(
        loadgen.fixed_rate(live_server.url, [forged], rate=10, duration=0.1, expected_status=303)
    )

    assert run.samples[0].status == 403
    assert not FriendAnswer.objects.filter(
        invitation__token_hash=hash_token(spec.path.split("/")[2])
    ).exists()
    assert Opportunity.objects.exists()


# --- The report ---------------------------------------------------------------------------------


def test_the_report_says_which_scenarios_the_python_client_loaded():
    def measured(key: str, tool: str) -> report.Measured:
        scenario = bench_scenarios.Scenario(key, key, "", ())
        run = loadgen.LatencyRun(
            rate=10,
            duration=1,
            samples=(loadgen.Sample(0, 0.01, 200),),
            expected_status=200,
        )
        return report.Measured(scenario, run, loadgen.Throughput(100, 1, 0, tool), [3])

    wrk, python = "wrk, 1 thread(s)", "Python closed loop (from 600 loopback addresses)"
    results = report.Results(
        started="",
        elapsed_s=1,
        machine={},
        server={},
        client={},
        dataset={},
        measured=[measured("B1", wrk), measured("B2d", python), measured("B3d", python)],
        slider=None,
    )

    assert report._tool(results) == f"{python}: B2d, B3d; {wrk}: B1"
    results.measured = results.measured[:1]
    assert report._tool(results) == wrk


@pytest.mark.django_db
def test_the_method_names_the_scenarios_sent_from_many_addresses(tmp_path):
    built = bench_scenarios.build(generate(tmp_path))
    many = ("Calendar feed", "Friend's page", "Friend's submit")  # the feed: issue 20
    keys = [s.key for s in built if s.name in many]

    with_wrk = throughput_tool(parse_args([]), True, built)
    without = throughput_tool(parse_args([]), False, built)

    assert with_wrk.startswith("wrk, 1 thread")
    assert f"; {', '.join(keys)} by the Python closed loop instead" in with_wrk
    assert without.startswith("Python closed loop (wrk missing)")
    assert "instead" not in without


@pytest.mark.django_db
def test_the_plans_watch_the_friends_tables_that_grow():
    friends = {table for table in GROWING_TABLES if "friend" in table or "throttle" in table}
    assert friends == {
        "opportunities_friendround",
        "opportunities_friendround_opportunities",
        "opportunities_friendinvitation",
        "opportunities_friendanswer",
        "opportunities_friendscore",
        "opportunities_throttle",
    }
    tables = set(connection.introspection.table_names())
    assert not GROWING_TABLES - tables
