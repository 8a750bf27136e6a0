"""Many tabs and devices writing at once (PostgreSQL: real row locks, real parallelism).

Eight signed-in clients, each on its own thread and connection, send over a thousand
writes of every kind at once on two opportunities: slider saves, checkpoints, decisions
and criteria moves, interleaved. Every write must succeed, none may be lost, and every
stored total must equal a recomputation from the scores beneath it.

Each (opportunity, criterion) is scored by one thread only, and every score carries the
thread's write number in its note, so the value it ends on is known, and each checkpoint
must show a write number no older than the checkpoint before it.
"""

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

import opportunities.web.middleware as middleware
from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, Decision, Evaluation, Score
from opportunities.scoring.core import compute_decision_score, rated_frozen, rated_live
from opportunities.scoring.services import live_evaluation, save_checkpoint, save_score
from tests.factories import OpportunityFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent writes"
    ),
]

THREADS = 8
WRITES_PER_THREAD = 130
OPPORTUNITIES = 2
MIX = {"score": 65, "checkpoint": 12, "decision": 8, "move": 15}
"""How often each kind of write comes up in a thread's schedule (out of 100)."""


@dataclass(frozen=True, slots=True)
class Sent:
    """One write and how it was answered; ``problem`` is None when it was answered right."""

    kind: str
    opportunity_id: int | None
    key: str  # the checkpoint's label, the decision's rationale, the score's note
    status: int
    problem: str | None
    criterion_id: int | None = None
    decision_id: int | None = None


def _score(client: Client, opportunity_id: int, criterion_id: int, value: int, note: str) -> Sent:
    response = client.post(
        reverse("opportunities:score_save", args=[opportunity_id, criterion_id]),
        {f"{criterion_id}-value": str(value), f"{criterion_id}-note": note},
        headers={"HX-Request": "true"},
    )
    saved = response.status_code == 200 and "scoreChanged" in response.get(
        "HX-Trigger-After-Settle", ""
    )
    problem = None if saved else "score not saved"
    return Sent("score", opportunity_id, note, response.status_code, problem, criterion_id)


def _checkpoint(client: Client, opportunity_id: int, label: str, *, htmx: bool) -> Sent:
    response = client.post(
        reverse("opportunities:checkpoint_create", args=[opportunity_id]),
        {"label": label},
        headers={"HX-Request": "true"} if htmx else {},
    )
    # The redirect back to the page; htmx gets it as HX-Redirect on a 200.
    if htmx:
        saved = response.status_code == 200 and response.has_header("HX-Redirect")
    else:
        saved = response.status_code == 302
    problem = None if saved else "checkpoint not saved"
    return Sent("checkpoint", opportunity_id, label, response.status_code, problem)


def _decision(client: Client, opportunity_id: int, rationale: str) -> Sent:
    response = client.post(
        reverse("opportunities:decision_create", args=[opportunity_id]),
        {
            "choice": "pursue",
            "decided_on": timezone.localdate().isoformat(),
            "confidence": "70",
            "rationale": rationale,
            "gut_check": "yes",
        },
    )
    if response.status_code != 302:
        return Sent("decision", opportunity_id, rationale, response.status_code, "not recorded")
    decision_id = resolve(response["Location"]).kwargs["pk"]
    return Sent("decision", opportunity_id, rationale, 302, None, decision_id=decision_id)


def _move(client: Client, criterion_id: int, direction: str) -> Sent:
    response = client.post(
        reverse("opportunities:criterion_move", args=[criterion_id]), {"direction": direction}
    )
    problem = None if response.status_code == 302 else "criterion not moved"
    return Sent("move", None, direction, response.status_code, problem)


def _writer(
    index: int,
    *,
    user,
    own_pairs: list[tuple[int, int]],
    opportunity_ids: list[int],
    criterion_ids: list[int],
) -> list[Sent]:
    """One client's schedule: WRITES_PER_THREAD writes of every kind, in a seeded order.

    Scores go only to ``own_pairs`` (opportunity id, criterion id), noted with the write's
    number; checkpoints, decisions and moves go anywhere."""
    rng = random.Random(index)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    sent: list[Sent] = []
    try:
        for n in range(WRITES_PER_THREAD):
            kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
            key = f"{index}-{n}"
            if kind == "score":
                opportunity_id, criterion_id = own_pairs[n % len(own_pairs)]
                sent.append(_score(client, opportunity_id, criterion_id, rng.randint(0, 10), key))
            elif kind == "checkpoint":
                opportunity_id = rng.choice(opportunity_ids)
                sent.append(_checkpoint(client, opportunity_id, key, htmx=bool(n % 2)))
            elif kind == "decision":
                sent.append(_decision(client, rng.choice(opportunity_ids), key))
            else:
                sent.append(_move(client, rng.choice(criterion_ids), rng.choice(["up", "down"])))
    finally:
        connections.close_all()
    return sent


def _write_number(note: str) -> int:
    """The writer's number for the write a score came from; -1 for the score set up first."""
    return int(note.split("-")[1]) if note else -1


def test_a_thousand_mixed_writes_at_once_all_land_and_every_total_adds_up(user, monkeypatch):
    opportunities = [OpportunityFactory(owner=user) for _ in range(OPPORTUNITIES)]
    criteria = list(active_criteria(user))
    for opportunity in opportunities:
        for criterion in criteria:
            save_score(opportunity=opportunity, criterion=criterion, value=5)
    pairs = [(o.pk, c.pk) for o in opportunities for c in criteria]
    assert len(pairs) >= THREADS  # every thread scores something of its own

    retries: Counter[str] = Counter()
    retries_lock = threading.Lock()
    is_transient = middleware.is_transient

    def counting_is_transient(exc):
        transient = is_transient(exc)
        with retries_lock:
            retries[getattr(exc.__cause__, "sqlstate", None) or "other"] += 1
        return transient

    monkeypatch.setattr(middleware, "is_transient", counting_is_transient)

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        schedules = [
            pool.submit(
                _writer,
                index,
                user=user,
                own_pairs=pairs[index::THREADS],
                opportunity_ids=[o.pk for o in opportunities],
                criterion_ids=[c.pk for c in criteria],
            )
            for index in range(THREADS)
        ]
        sent = [write for schedule in schedules for write in schedule.result()]
    seconds = time.perf_counter() - started

    kinds = Counter(write.kind for write in sent)
    print(
        f"\n{len(sent)} concurrent writes from {THREADS} threads on {OPPORTUNITIES} opportunities"
        f" in {seconds:.1f} s ({len(sent) / seconds:.0f} writes/s): {dict(kinds)};"
        f" statuses {dict(Counter(write.status for write in sent))};"
        f" retried after a conflict: {sum(retries.values())} {dict(retries)}"
    )
    assert len(sent) == THREADS * WRITES_PER_THREAD >= 1_000
    assert all(kinds[kind] for kind in MIX)
    assert [write for write in sent if write.problem] == []

    # Nothing lost: every checkpoint and decision posted is there, once, where it was sent.
    for opportunity in opportunities:
        mine = [write for write in sent if write.opportunity_id == opportunity.pk]
        labels = sorted(w.key for w in mine if w.kind == "checkpoint")
        decisions = [w for w in mine if w.kind == "decision"]
        frozen = Evaluation.objects.filter(opportunity=opportunity, frozen_at__isnull=False)
        assert (
            sorted(frozen.exclude(label__startswith="Decision:").values_list("label", flat=True))
            == labels
        )
        assert frozen.filter(label__startswith="Decision:").count() == len(decisions)
        recorded = Decision.objects.filter(opportunity=opportunity)
        assert sorted(recorded.values_list("pk", "rationale")) == sorted(
            (w.decision_id, w.key) for w in decisions
        )
        assert set(recorded.values_list("evaluation_id", flat=True)) == set(
            frozen.filter(label__startswith="Decision:").values_list("pk", flat=True)
        )

    # Each (opportunity, criterion) ends on the last value its one writer sent, and every
    # checkpoint along the way holds a write no older than the one before it.
    last_sent = {
        (write.opportunity_id, write.criterion_id): write.key
        for write in sent
        if write.kind == "score"
    }
    for opportunity in opportunities:
        evaluations = list(Evaluation.objects.filter(opportunity=opportunity).order_by("pk"))
        live = [e for e in evaluations if e.frozen_at is None]
        assert [e.pk for e in live] == [evaluations[-1].pk]  # one, and the newest
        frozen_at = [e.frozen_at for e in evaluations[:-1]]
        assert frozen_at == sorted(frozen_at)  # the checkpoints froze one after the other
        scores: dict[int, list[Score]] = {e.pk: [] for e in evaluations}
        for score in Score.objects.filter(evaluation__in=evaluations):
            scores[score.evaluation_id].append(score)
        seen = dict.fromkeys((c.pk for c in criteria), -1)
        for evaluation in evaluations:
            for score in scores[evaluation.pk]:
                assert _write_number(score.note) >= seen[score.criterion_id]
                seen[score.criterion_id] = _write_number(score.note)
        final = {s.criterion_id: s.note for s in scores[live[0].pk]}
        expected = {c: note for (o, c), note in last_sent.items() if o == opportunity.pk}
        assert {c: final[c] for c in expected} == expected

        # Every stored total is what its scores recompute to: today's criteria for the
        # live evaluation, the weights captured at the time for each checkpoint.
        for evaluation in evaluations:
            if evaluation.frozen_at is None:
                fresh = compute_decision_score(rated_live(criteria, scores[evaluation.pk]))
            else:
                fresh = compute_decision_score(rated_frozen(scores[evaluation.pk]))
            stored = (evaluation.decision_score, evaluation.scored_count)
            assert stored == (fresh.value, fresh.scored), evaluation.label

    positions = list(Criterion.objects.filter(owner=user).values_list("position", flat=True))
    assert sorted(positions) == list(range(len(criteria)))


def _wait_until_blocked(pid: Callable[[], int | None]) -> None:
    """Return once the backend whose id ``pid()`` gives waits for a lock (fail after 10 s)."""
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid()])
            if cursor.fetchone() == ("Lock",):
                return
            time.sleep(0.01)
    pytest.fail("the second transaction never waited for the lock")


def test_a_live_evaluation_frozen_while_waited_for_gives_way_to_the_new_one_locked(user):
    """A slider save waiting for the live evaluation while a checkpoint freezes it must go
    on to lock the evaluation the checkpoint carried on in. Unlocked, a second checkpoint
    could freeze that one under the save, which would then land in the frozen copy and be
    lost from the live one (found by the thousand writes above)."""
    opportunity = OpportunityFactory(owner=user)
    save_score(opportunity=opportunity, criterion=active_criteria(user)[0], value=5)
    frozen, may_commit, returned, checked = (threading.Event() for _ in range(4))
    waiter: dict[str, int] = {}

    def checkpoint() -> None:
        try:
            with transaction.atomic():
                save_checkpoint(opportunity=opportunity, label="first")
                frozen.set()
                may_commit.wait(10)
        finally:
            connections.close_all()

    def lock_the_live_one() -> None:
        try:
            assert frozen.wait(10)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    waiter["pid"] = cursor.fetchone()[0]
                waiter["evaluation"] = live_evaluation(opportunity, lock=True).pk
                returned.set()
                checked.wait(10)  # the lock is held until the test has looked
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        running = [pool.submit(checkpoint), pool.submit(lock_the_live_one)]
        try:
            assert frozen.wait(10)
            _wait_until_blocked(lambda: waiter.get("pid"))
            may_commit.set()
            assert returned.wait(10)
            live = Evaluation.objects.get(opportunity=opportunity, frozen_at=None)
            assert waiter["evaluation"] == live.pk
            with pytest.raises(DatabaseError), transaction.atomic():  # locked by the waiter
                list(Evaluation.objects.select_for_update(nowait=True).filter(pk=live.pk))
        finally:
            may_commit.set()
            checked.set()
        for future in running:
            future.result()
