"""Many tabs and devices saving at once (PostgreSQL: real row locks, real parallelism)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from opportunities.criteria.queries import active_criteria
from opportunities.models import Evaluation, Score
from opportunities.scoring.core import compute_decision_score, rated_live
from tests.factories import OpportunityFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent writes"
    ),
]

THREADS = 8
WRITES_PER_THREAD = 25


def test_concurrent_slider_saves_never_fail_and_totals_match_the_scores(user):
    opportunities = [OpportunityFactory(owner=user) for _ in range(2)]
    criteria = list(active_criteria(user))
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        client = Client()
        client.force_login(user)
        try:
            for n in range(WRITES_PER_THREAD):
                opportunity = opportunities[(index + n) % 2]
                # Half the threads hammer the same criterion, the rest spread out.
                criterion = criteria[0] if index % 2 else criteria[(index + n) % len(criteria)]
                response = client.post(
                    reverse("opportunities:score_save", args=[opportunity.pk, criterion.pk]),
                    {f"{criterion.pk}-value": str((index + n) % 11)},
                    headers={"HX-Request": "true"},
                )
                with lock:
                    statuses.append(response.status_code)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(worker, range(THREADS)))

    print(f"\nconcurrent writes made: {len(statuses)} from {THREADS} threads")
    assert len(statuses) == THREADS * WRITES_PER_THREAD
    assert set(statuses) == {200}
    for opportunity in opportunities:
        live = Evaluation.objects.get(opportunity=opportunity, frozen_at=None)
        scores = list(Score.objects.filter(evaluation=live))
        assert len(scores) == len({s.criterion_id for s in scores})  # one row per criterion
        fresh = compute_decision_score(rated_live(criteria, scores))
        assert live.decision_score == fresh.value
        assert live.scored_count == fresh.scored
