"""What operators rely on: health checks, request ids, logs, reminders, error pages."""

import io
import json
import logging
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from opportunities.friends.services import add_link, create_round, revoke_link
from opportunities.models import Decision, FriendRound, RevisitReminder
from opportunities.web.observability import JsonFormatter, RequestContextFilter, request_id_var
from tests.factories import CheckpointFactory, OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_healthz_is_public_cheap_and_says_nothing_private(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_reports_pending_migrations(client, monkeypatch):
    from opportunities.web import health as system

    monkeypatch.setattr(system, "_migrations_applied", False)
    monkeypatch.setattr(system.MigrationExecutor, "migration_plan", lambda self, targets: ["x"])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"


def test_every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-12345678"})
    assert kept["X-Request-ID"] == "lb-12345678"
    hostile = client.get("/healthz", headers={"X-Request-ID": "<script>" * 3})
    assert "<" not in hostile["X-Request-ID"]


def test_404_page_is_friendly_and_quotes_the_request_id(client_in, settings):
    settings.DEBUG = False
    response = client_in.get("/no/such/page/", headers={"X-Request-ID": "req-abcdef123"})
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "req-abcdef123" in response.text


def test_500_page_is_friendly_and_quotes_the_request_id(settings, monkeypatch):
    from opportunities.scoring import views

    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    user = UserFactory()
    opportunity = OpportunityFactory(owner=user)
    monkeypatch.setattr(views, "active_criteria", broken)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get(
        f"/opportunities/{opportunity.pk}/", headers={"X-Request-ID": "req-500-abcdef"}
    )
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "req-500-abcdef" in response.text


def test_json_log_lines_carry_request_and_user_ids():
    record = logging.LogRecord("crossroads.access", logging.INFO, "", 0, "GET / 200", (), None)
    record.status = 200
    record.duration_ms = 1.5
    token = request_id_var.set("req-1234567890")
    try:
        RequestContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-1234567890"
    assert line["status"] == 200
    assert line["duration_ms"] == 1.5
    assert line["level"] == "INFO"
    assert {"time", "user_id", "message"} <= set(line)


def _decision(owner, *, revisit_on):
    opportunity = OpportunityFactory(owner=owner, title="Marketing role")
    checkpoint = CheckpointFactory(opportunity=opportunity, owner=owner)
    return Decision.objects.create(
        owner=owner,
        opportunity=opportunity,
        evaluation=checkpoint,
        choice="pursue",
        decided_on=date(2026, 3, 1),
        revisit_on=revisit_on,
    )


def test_revisit_reminders_are_sent_once_per_due_date():
    owner = UserFactory(email="person@example.org")
    due = _decision(owner, revisit_on=date(2026, 6, 1))
    _decision(owner, revisit_on=date(2026, 12, 1))  # not due yet
    _decision(UserFactory(), revisit_on=None)  # never
    call_command("send_revisit_reminders", today="2026-06-02")
    call_command("send_revisit_reminders", today="2026-06-03")
    assert list(RevisitReminder.objects.values_list("decision_id", "due_on")) == [
        (due.pk, date(2026, 6, 1))
    ]
    assert len(mail.outbox) == 1
    assert "Marketing role" in mail.outbox[0].subject
    assert "you decided to pursue “Marketing role”" in mail.outbox[0].body
    assert mail.outbox[0].to == ["person@example.org"]
    due.revisit_on = date(2026, 9, 1)  # asked to look again later: a new reminder then
    due.save()
    call_command("send_revisit_reminders", today="2026-09-01")
    assert RevisitReminder.objects.count() == 2


def test_reminders_without_an_email_address_are_still_recorded(capsys):
    _decision(UserFactory(email=""), revisit_on=timezone.localdate())
    call_command("send_revisit_reminders")
    assert RevisitReminder.objects.count() == 1
    assert mail.outbox == []
    assert "1 reminder(s) sent." in capsys.readouterr().out


def test_a_database_outage_is_a_friendly_503_not_a_500(client_in, monkeypatch):
    from django.db import OperationalError

    from opportunities.pipeline import views

    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed")

    monkeypatch.setattr(views.Opportunity.objects, "for_user", unreachable)
    response = client_in.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "briefly unavailable" in response.text


@pytest.mark.django_db
def test_no_log_line_carries_the_token_of_a_friends_link(client):
    """The path of a friend's link is its secret: the access line and Django's own
    warnings (404, 410, 429) keep only its shape."""
    opportunity = OpportunityFactory()
    friend_round = create_round(
        user=opportunity.owner, friend_round=FriendRound(), opportunity_ids=[opportunity.pk]
    )
    issued = add_link(friend_round=friend_round, name="Sam", send_email=False)
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("crossroads.access", "django.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    made_up = "x" * 43
    try:
        assert client.get(f"/f/{issued.token}/").status_code == 200
        assert client.get(f"/f/{made_up}/").status_code == 404
        revoke_link(invitation=issued.invitation)
        assert client.get(f"/f/{issued.token}/").status_code == 410
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
    logged = lines.getvalue()
    assert logged.count("/f/…/") >= 5  # three access lines, the 404's and the 410's warnings
    assert issued.token not in logged
    assert made_up not in logged
