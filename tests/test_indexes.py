"""The queries that grow with the data have an index to use (PostgreSQL's EXPLAIN).

On a test database of a few rows PostgreSQL rightly prefers reading a table from start
to end, so each plan is made with ``enable_seqscan = off``: a sequential scan that
remains then is one no index can replace. ``make bench`` does the same on its realistic
dataset for every statement of every page it measures (see ``bench/database.py``).
Skipped on SQLite, whose planner this says nothing about.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from opportunities.journal.queries import journal_decisions
from opportunities.models import Evaluation, Opportunity, Score
from opportunities.scoring.services import save_score
from tests.factories import CheckpointFactory, OpportunityFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"),
]


def plan(queryset) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def assert_indexed(queryset, table: str) -> None:
    text = plan(queryset)
    assert f"Seq Scan on {table}" not in text, text
    assert "Index" in text, text


@pytest.fixture
def history(user, criteria):
    opportunities = OpportunityFactory.create_batch(3, owner=user)
    for opportunity in opportunities:
        for criterion in criteria[:3]:
            save_score(opportunity=opportunity, criterion=criterion, value=6)
        CheckpointFactory(opportunity=opportunity)
    return opportunities


def test_journal_reads_decisions_by_user_and_date(user, history):
    assert_indexed(journal_decisions(user)[:20], "opportunities_decision")


def test_scores_are_read_by_evaluation(history):
    live = Evaluation.objects.live().filter(opportunity=history[0]).get()
    assert_indexed(Score.objects.filter(evaluation=live), "opportunities_score")


def test_the_live_evaluation_is_found_by_opportunity(history):
    assert_indexed(
        Evaluation.objects.live().filter(opportunity=history[0]), "opportunities_evaluation"
    )


def test_a_users_open_opportunities_are_read_by_owner(user, history):
    assert_indexed(
        Opportunity.objects.for_user(user).filter(archived_at__isnull=True),
        "opportunities_opportunity",
    )


def test_a_comparisons_scores_are_read_by_opportunity(user, history):
    queryset = Score.objects.for_user(user).filter(
        evaluation__frozen_at__isnull=True,
        evaluation__opportunity__in=[opportunity.pk for opportunity in history],
    )
    text = plan(queryset)
    assert "Seq Scan on opportunities_score" not in text, text
    assert "Seq Scan on opportunities_evaluation" not in text, text


def test_the_slider_saves_own_statements_use_indexes(user, criteria, history):
    with CaptureQueriesContext(connection) as captured:
        save_score(opportunity=history[0], criterion=criteria[0], value=3)
    statements = [
        query["sql"].strip()
        for query in captured.captured_queries
        if query["sql"].strip().startswith(("SELECT", "UPDATE"))
    ]
    assert len(statements) == 4, statements  # lock, read, update the score, store the total
    for sql in statements:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            text = "\n".join(row[0] for row in cursor.fetchall())
        for table in ("opportunities_score", "opportunities_evaluation", "opportunities_criterion"):
            assert f"Seq Scan on {table}" not in text, f"{sql}\n{text}"
