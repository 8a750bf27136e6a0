"""The same write sent several times at once — a double click, two tabs — on PostgreSQL,
where the rows are really locked and the requests really run side by side."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, Decision, Evaluation
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent writes"
    ),
]

AT_ONCE = 6
ROUNDS = 5  # the window is a few milliseconds wide: several rounds make sure it is hit


def _all_at_once(user, send: Callable[[Client, int], int]) -> list[int]:
    """Run ``send`` from AT_ONCE threads released together; their status codes."""
    start = threading.Barrier(AT_ONCE)

    def worker(index: int) -> int:
        client = Client()
        client.force_login(user)
        try:
            start.wait()
            return send(client, index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return list(pool.map(worker, range(AT_ONCE)))


def _scored_opportunity(user):
    opportunity = OpportunityFactory(owner=user)
    for value, criterion in enumerate(active_criteria(user)):
        save_score(opportunity=opportunity, criterion=criterion, value=value)
    return opportunity


def _one_live_evaluation(opportunity) -> Evaluation:
    return Evaluation.objects.get(opportunity=opportunity, frozen_at=None)


@pytest.mark.parametrize("htmx", [True, False])
def test_checkpoints_saved_at_once_all_land_one_after_the_other(user, htmx):
    opportunity = _scored_opportunity(user)
    url = reverse("opportunities:checkpoint_create", args=[opportunity.pk])
    headers = {"HX-Request": "true"} if htmx else {}

    statuses = []
    for round_ in range(ROUNDS):
        statuses += _all_at_once(
            user,
            lambda client, i, round_=round_: (
                client.post(url, {"label": f"{round_}-{i}"}, headers=headers).status_code
            ),
        )

    # A redirect; htmx gets it as HX-Redirect on a 200 (web.middleware).
    assert statuses == [200 if htmx else 302] * AT_ONCE * ROUNDS
    frozen = Evaluation.objects.filter(opportunity=opportunity, frozen_at__isnull=False)
    assert frozen.count() == AT_ONCE * ROUNDS
    live = _one_live_evaluation(opportunity)
    assert live.scored_count == len(active_criteria(user))


def test_decisions_recorded_at_once_never_fail(user):
    opportunity = _scored_opportunity(user)
    url = reverse("opportunities:decision_create", args=[opportunity.pk])
    form = {
        "choice": "pursue",
        "decided_on": timezone.localdate().isoformat(),
        "confidence": "70",
        "rationale": "why",
        "gut_check": "yes",
    }

    statuses = []
    for _ in range(ROUNDS):
        statuses += _all_at_once(user, lambda client, i: client.post(url, form).status_code)

    assert set(statuses) == {302}, statuses
    decisions = Decision.objects.filter(opportunity=opportunity)
    assert decisions.count() == statuses.count(302)
    assert (
        len({d.evaluation_id for d in decisions}) == decisions.count()
    )  # each its own frozen matrix
    _one_live_evaluation(opportunity)


def test_criteria_moved_at_once_never_deadlock_and_keep_one_order(user):
    criteria = list(active_criteria(user))

    def move(client, i):
        criterion = criteria[i % len(criteria)]
        direction = "up" if i % 2 else "down"
        url = reverse("opportunities:criterion_move", args=[criterion.pk])
        return client.post(url, {"direction": direction}).status_code

    statuses = []
    for _ in range(ROUNDS):
        statuses += _all_at_once(user, move)

    assert set(statuses) == {302}, statuses
    positions = sorted(Criterion.objects.filter(owner=user).values_list("position", flat=True))
    assert positions == list(range(len(criteria)))
