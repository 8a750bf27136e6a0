"""The server the browser tests and the bench's harness test talk to.

On SQLite the test database is one in-memory database in shared-cache mode, which every
request thread of the live server opens a connection to. There, SQLite locks table by
table and does not wait for a lock: two saves at once get "database table is locked", or
both read that a score is missing and both insert it. A real server puts them one after
the other (``BEGIN IMMEDIATE`` on a SQLite file, ``FOR UPDATE`` on PostgreSQL);
tests/conftest.py makes the test server do the same while its database is in memory.
"""

import pytest

from bench import loadgen
from opportunities.criteria.services import create_default_criteria
from opportunities.models import Score
from tests.bench.own_loop import in_own_loop
from tests.factories import PASSWORD, OpportunityFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_first_saves_of_one_score_sent_at_once_all_land(live_server):
    user = UserFactory()
    criteria = create_default_criteria(user)
    opportunities = [OpportunityFactory(owner=user) for _ in range(4)]
    session = in_own_loop(loadgen.log_in(live_server.url, [user.username], PASSWORD))[user.username]
    saves = [
        loadgen.as_user(
            session,
            "POST",
            f"/opportunities/{opportunity.pk}/scores/{criterion.pk}/",
            htmx_target="score-summary",
            form={f"{criterion.pk}-value": "7"},
        )
        for opportunity in opportunities
        for criterion in criteria[:2]
        for _ in range(3)
    ]
    # 24 requests 2 ms apart: each takes longer than that, so they overlap.
    run = in_own_loop(loadgen.fixed_rate(live_server.url, saves, rate=500, duration=0.048))

    assert run.count == len(saves)
    assert [s.status for s in run.samples if s.status != 200] == []
    assert Score.objects.filter(evaluation__opportunity__in=opportunities).count() == 8
