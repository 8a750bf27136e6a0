"""A write that loses a deadlock or a serialisation conflict is run again, not reported."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from opportunities.criteria import services as criteria_services
from opportunities.criteria.queries import active_criteria
from opportunities.web.middleware import ATTEMPTS, is_transient

pytestmark = pytest.mark.django_db


class _Cause(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _error(sqlstate: str | None, text: str = "conflict") -> OperationalError:
    error = OperationalError(text)
    if sqlstate:
        error.__cause__ = _Cause(sqlstate)
    return error


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (_error("40P01", "deadlock detected"), True),
        (_error("40001", "could not serialize access"), True),
        (_error(None, "database is locked"), True),
        (_error("08006", "connection failure"), False),
        (_error(None, "connection to server at 127.0.0.1 failed"), False),
    ],
)
def test_only_conflicts_between_writes_count_as_transient(error, transient):
    assert is_transient(error) is transient


def _flaky_move(monkeypatch, failures: int, error: OperationalError) -> list[int]:
    real = criteria_services.move_criterion
    calls: list[int] = []

    def move(**kwargs):
        calls.append(1)
        if len(calls) <= failures:
            raise error
        return real(**kwargs)

    monkeypatch.setattr(criteria_services, "move_criterion", move)
    return calls


def test_a_write_that_lost_a_deadlock_is_run_again_and_lands(client_in, user, monkeypatch):
    first, second = list(active_criteria(user))[:2]
    calls = _flaky_move(monkeypatch, ATTEMPTS - 1, _error("40P01", "deadlock detected"))

    response = client_in.post(reverse("opportunities:criterion_move", args=[first.pk]))

    assert response.status_code == 302
    assert len(calls) == ATTEMPTS
    assert [c.pk for c in active_criteria(user)][:2] == [second.pk, first.pk]


def test_a_write_that_keeps_losing_says_busy_not_unavailable(client_in, user, monkeypatch):
    criterion = active_criteria(user).first()
    calls = _flaky_move(monkeypatch, ATTEMPTS, _error("40001", "could not serialize access"))

    response = client_in.post(reverse("opportunities:criterion_move", args=[criterion.pk]))

    assert response.status_code == 503
    assert "busy with your other changes" in response.text
    assert len(calls) == ATTEMPTS


def test_a_database_that_is_down_is_not_retried(client_in, user, monkeypatch):
    criterion = active_criteria(user).first()
    calls = _flaky_move(monkeypatch, 99, _error("08006", "connection failure"))

    response = client_in.post(reverse("opportunities:criterion_move", args=[criterion.pk]))

    assert response.status_code == 503
    assert "briefly unavailable" in response.text
    assert len(calls) == 1
