"""A reduced run of bench/two_instances.py: two gunicorn instances on one PostgreSQL,
people working across both, one instance restarted halfway."""

import pytest
from django.conf import settings

from tests.reliability import two_instances
from tests.reliability.appserver import fresh_database, server_url_of

DB = settings.DATABASES["default"]

pytestmark = [
    pytest.mark.serial,
    pytest.mark.skipif(
        not DB["ENGINE"].endswith("postgresql"), reason="two app servers share one PostgreSQL"
    ),
]


def test_two_instances_lose_nothing_and_agree_on_every_score():
    with fresh_database(server_url_of(DB), prefix="crossroads_two_test") as database_url:
        report = two_instances.run(
            database_url=database_url, people=3, seconds=8, ports=(8751, 8752)
        )
    print("\n" + "\n".join(report.lines()))
    assert report.requests > 100
    assert all(report.by_instance.values())
    assert report.acknowledged["scores"] > 0
    assert report.acknowledged["checkpoints"] > 0
    assert report.acknowledged["decisions"] > 0
    assert report.errors == 0
    assert report.lost_writes == []
    assert report.score_mismatches == []
