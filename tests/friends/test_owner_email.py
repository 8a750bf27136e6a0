"""A friend's link by email: through Django's tasks framework, never inside the request,
with the token sealed in the queued task's arguments; a link revoked or renewed before
the worker gets to it sends nothing."""

from __future__ import annotations

import logging
import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from opportunities.friends.services import add_link, deliver_invitation
from opportunities.models import FriendInvitation
from tests.factories import OpportunityFactory, PersonFactory, UserFactory
from tests.friends.owner_helpers import make_link, make_round, url

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LINK = re.compile(r"http://127\.0\.0\.1:8000/f/([A-Za-z0-9_-]{43})/")


@pytest.fixture
def owner(db):
    return UserFactory(username="robin77", first_name="Robin")


@pytest.fixture
def friend_round(owner):
    return make_round(
        owner,
        OpportunityFactory(owner=owner, title="Agency role"),
        OpportunityFactory(owner=owner, title="Stay as I am", is_status_quo=True),
        message="Would you take it, in my place?",
    )


@pytest.fixture
def owner_client(owner):
    client = Client()
    client.force_login(owner)
    return client


def invite(client, friend_round, **data):
    data = {"days": "7", "send_email": "on", **data}
    return client.post(url("friends_invite", friend_round.pk), data)


@pytest.mark.django_db
def test_the_link_is_emailed_and_opens_the_friends_page(
    owner_client, owner, friend_round, mailoutbox, django_capture_on_commit_callbacks
):
    ana = PersonFactory(owner=owner, name="Ana", email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(owner_client, friend_round, person=str(ana.pk))
    token = response.context["issued"].token
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ana@example.org"]
    assert mail.subject == "Robin asks what you think"
    assert "Would you take it, in my place?" in mail.body
    assert "Agency role; Stay as I am" in mail.body
    assert LINK.search(mail.body).group(1) == token
    invitation = FriendInvitation.objects.get()
    assert f"works until {invitation.expires_at:%-d %B %Y}" in mail.body
    assert "No account is needed" in mail.body
    assert invitation.emailed_at is not None
    assert Client().get(url("friend_page", token)).status_code == 200


@pytest.mark.django_db
def test_without_a_first_name_the_username_asks(friend_round, owner, mailoutbox):
    owner.first_name = ""
    owner.save()
    _, token = make_link(friend_round, "Ana", email="ana@example.org")
    assert deliver_invitation(invitation_id=FriendInvitation.objects.get().pk, token=token)
    assert mailoutbox[0].subject == "robin77 asks what you think"


@pytest.mark.django_db
def test_a_name_with_line_breaks_cannot_break_the_subject(friend_round, owner, mailoutbox):
    owner.first_name = "Robin\nBcc: everyone@example.org"
    owner.save()
    _, token = make_link(friend_round, "Ana", email="ana@example.org")
    assert deliver_invitation(invitation_id=FriendInvitation.objects.get().pk, token=token)
    assert mailoutbox[0].subject == "Robin Bcc: everyone@example.org asks what you think"
    assert mailoutbox[0].bcc == []


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_with_the_database_backend_the_request_only_queues_and_the_worker_sends(
    owner_client, friend_round, mailoutbox, caplog
):
    caplog.set_level(logging.DEBUG)
    response = invite(owner_client, friend_round, name="Ana", email="ana@example.org")
    token = response.context["issued"].token
    assert mailoutbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "opportunities.friends.tasks.send_invitation"
    stored = " ".join(str(value) for value in DBTaskResult.objects.values().get().values())
    assert token not in stored
    assert FriendInvitation.objects.get().emailed_at is None

    call_command("db_worker", batch=True, startup_delay=False, interval=0)
    assert len(mailoutbox) == 1
    assert LINK.search(mailoutbox[0].body).group(1) == token
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value is True
    assert FriendInvitation.objects.get().emailed_at is not None
    assert token not in caplog.text


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_link_revoked_before_the_worker_runs_is_not_sent(owner_client, friend_round, mailoutbox):
    invite(owner_client, friend_round, name="Ana", email="ana@example.org")
    link = FriendInvitation.objects.get()
    owner_client.post(url("friends_link_revoke", friend_round.pk, link.pk))
    call_command("db_worker", batch=True, startup_delay=False, interval=0)
    assert mailoutbox == []
    assert DBTaskResult.objects.get().return_value is False


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_link_renewed_before_the_worker_runs_sends_only_the_new_one(
    owner_client, friend_round, mailoutbox
):
    invite(owner_client, friend_round, name="Ana", email="ana@example.org")
    link = FriendInvitation.objects.get()
    response = owner_client.post(
        url("friends_link_reissue", friend_round.pk, link.pk), {"send_email": "on"}
    )
    new = response.context["issued"].token
    call_command("db_worker", batch=True, startup_delay=False, interval=0)
    assert len(mailoutbox) == 1
    assert LINK.search(mailoutbox[0].body).group(1) == new
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [False, True]


@pytest.mark.django_db
def test_a_closed_round_or_an_expired_link_sends_nothing(friend_round, mailoutbox):
    invitation = add_link(
        friend_round=friend_round, name="Ana", email="ana@example.org", send_email=False
    )
    friend_round.closed_at = friend_round.created_at
    friend_round.save()
    assert not deliver_invitation(invitation_id=invitation.invitation.pk, token=invitation.token)
    friend_round.closed_at = None
    friend_round.save()
    later = invitation.invitation.expires_at
    assert not deliver_invitation(
        invitation_id=invitation.invitation.pk, token=invitation.token, now=later
    )
    assert not deliver_invitation(invitation_id=invitation.invitation.pk, token="x" * 43)
    assert mailoutbox == []
