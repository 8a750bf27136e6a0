"""The security of the personal links (issue 17, item 3): tokens of 256 random bits stored
only as their hash, refused unshapely without a query; every other object's id tried
through the friend's page, which reads and writes only what the link's round holds; the
owner's log-in counting for nothing on it; CSRF on the form; rate limits per link, per
address and on links that open nothing, counted in the database; oversized and hostile
answers; and a page that sets no session, sends no referrer, and is kept by no cache."""

from __future__ import annotations

import hashlib
import re
import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opportunities.criteria.services import create_default_criteria
from opportunities.friends import public_views
from opportunities.friends.core import hash_token, looks_like_token, new_token
from opportunities.friends.public_forms import COMMENT_LIMIT, WHY_LIMIT
from opportunities.friends.public_views import PER_LINK, UNKNOWN_PER_ADDRESS
from opportunities.friends.queries.shared import invitation_for_token
from opportunities.models import (
    Criterion,
    FriendAnswer,
    FriendInvitation,
    FriendScore,
    Opportunity,
    Throttle,
)
from opportunities.web import throttle
from opportunities.web.throttle import Limit
from tests.factories import OpportunityFactory, UserFactory
from tests.friends.test_friend_page import gut, make_link, page_url, row

pytestmark = pytest.mark.django_db

SECRET = "THEIRS-5b1e"
HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, private",
    "X-Robots-Tag": "noindex, nofollow",
}


@pytest.fixture
def role(user):
    return OpportunityFactory(owner=user, title="Agency role")


@pytest.fixture
def link(user, role):
    return make_link(user, role, share_scores=True)


@pytest.fixture
def someone_else():
    """Another account, its text marked with ``SECRET``: an opportunity in a round of its
    own, and criteria."""
    other = UserFactory(username=f"{SECRET}-user")
    create_default_criteria(other)
    Criterion.objects.filter(owner=other).update(name=Concat(Value(f"{SECRET} "), "name"))
    opportunity = OpportunityFactory(owner=other, title=f"{SECRET} role", notes=SECRET)
    _, token = make_link(other, opportunity, message=SECRET)
    return other, opportunity, token


# --- The tokens ----------------------------------------------------------------------------------


def test_a_token_holds_256_random_bits_and_is_never_the_same_twice():
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(len(token) >= 43 and looks_like_token(token) for token in tokens)
    # 43 characters of a 64-letter alphabet: 258 bits of room, 256 of them random.
    assert min(len(token) for token in tokens) * 6 >= 256
    letters = set("".join(tokens))
    assert len(letters) == 64  # the whole URL-safe alphabet turns up


def test_only_the_tokens_sha256_is_stored(user, role, link):
    invitation, token = link
    stored = FriendInvitation.objects.filter(pk=invitation.pk).values().get()
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", stored["token_hash"])
    assert token not in repr(stored)
    # The rate-limit counters key the link by its hash too: the raw token is stored nowhere.
    Client().get(page_url(token))
    assert Throttle.objects.exists()
    assert not Throttle.objects.filter(key__contains=token).exists()
    assert Throttle.objects.filter(key__contains=hash_token(token)).exists()


@pytest.mark.parametrize(
    "token",
    ["", "a", "x" * 42, "x" * 44, "x" * 43 + "\n", "a/b" + "c" * 40, "%00" * 15, "é" * 43],
)
def test_anything_not_shaped_like_a_token_is_refused_without_a_query(token):
    with CaptureQueriesContext(connection) as queries:
        assert invitation_for_token(token) is None
    assert len(queries) == 0


def test_a_token_is_found_by_its_hash_alone(link):
    invitation, token = link
    assert invitation_for_token(token).pk == invitation.pk
    assert invitation_for_token(invitation.token_hash) is None  # the hash is no key
    assert Client().get(page_url(invitation.token_hash[:43])).status_code == 404


# --- Nothing beyond the round --------------------------------------------------------------------


def test_every_other_objects_id_posted_through_the_page_is_never_read_or_written(
    user, criteria, role, link, someone_else
):
    """Field names built from every other id there is: another account's criteria and
    opportunities, the owner's opportunities in other rounds and their archived criteria,
    and ids that do not exist. Only the round's own ratings are written."""
    invitation, token = link
    other, theirs, _ = someone_else
    elsewhere = OpportunityFactory(owner=user, title="In another round only")
    make_link(user, elsewhere, name="Ana")
    Criterion.objects.create(owner=user, name="Old one", archived_at=timezone.now())
    opportunity_ids = set(Opportunity.objects.values_list("pk", flat=True)) | {0, 10**6}
    criterion_ids = set(Criterion.objects.values_list("pk", flat=True)) | {0, 10**6}
    own = {(role.pk, criterion.pk) for criterion in criteria}
    data = {gut(role): "yes", row(role, criteria[0], "value"): "7"}
    for opportunity_id in opportunity_ids:
        if opportunity_id != role.pk:
            data[f"o{opportunity_id}-gut"] = "no"
            data[f"o{opportunity_id}-gut_reason"] = SECRET
        for criterion_id in criterion_ids:
            if (opportunity_id, criterion_id) not in own:
                data[f"o{opportunity_id}-c{criterion_id}-value"] = "1"
                data[f"o{opportunity_id}-c{criterion_id}-comment"] = SECRET
    data |= {"owner": other.pk, "invitation": 1, "opportunity": theirs.pk, "round": 1}
    assert len(data) > 150
    response = Client().post(page_url(token), data)
    assert response.status_code == 303
    answers = FriendAnswer.objects.all()
    assert [(a.invitation_id, a.opportunity_id) for a in answers] == [(invitation.pk, role.pk)]
    assert (answers[0].gut, answers[0].gut_reason) == ("yes", "")
    scores = FriendScore.objects.all()
    assert [(s.answer_id, s.criterion_id, s.value) for s in scores] == [
        (answers[0].pk, criteria[0].pk, 7)
    ]
    assert {s.owner_id for s in scores} | {a.owner_id for a in answers} == {user.pk}
    assert FriendAnswer.objects.filter(opportunity__owner=other).count() == 0
    page = Client().get(page_url(token)).text
    assert SECRET not in page
    assert "In another round only" not in page
    assert ">Old one<" not in page
    assert f"{SECRET} role" not in page
    assert f"{SECRET} criterion" not in page


def test_a_link_shows_its_own_round_only_whoever_is_logged_in(
    user, criteria, role, link, someone_else
):
    """The owner, another account, and someone logged out all see the friend's page of the
    link as it is, and nothing of the account they are logged in to."""
    _, token = link
    other, theirs, their_token = someone_else
    owner = Client()
    owner.force_login(user)
    stranger = Client()
    stranger.force_login(other)
    pages = [client.get(page_url(token)) for client in (owner, stranger, Client())]
    for response in pages:
        assert response.status_code == 200
        assert "Agency role" in response.text
        assert SECRET not in response.text
        assert user.username in response.text  # named as the one who asks, in every case
        assert "Log out" not in response.text
        assert 'href="/account/"' not in response.text
    # The owner opening another account's link is treated like anyone.
    response = owner.get(page_url(their_token))
    assert response.status_code == 200
    assert f"{SECRET} role" in response.text
    assert "Agency role" not in response.text
    # An answer sent by a logged-in account is the friend's, not the account's.
    owner.post(page_url(their_token), {gut(theirs): "yes"})
    assert FriendAnswer.objects.get().owner_id == other.pk


# --- CSRF ----------------------------------------------------------------------------------------


def test_the_form_needs_its_csrf_token(role, link):
    _, token = link
    friend = Client(enforce_csrf_checks=True)
    refused = friend.post(page_url(token), {gut(role): "yes"})
    assert refused.status_code == 403
    assert not FriendAnswer.objects.exists()
    accepted = friend.post(
        page_url(token), {gut(role): "yes", "csrfmiddlewaretoken": _form_token(friend, token)}
    )
    assert accepted.status_code == 303
    assert FriendAnswer.objects.get().gut == "yes"


def _form_token(friend: Client, token: str) -> str:
    page = friend.get(page_url(token))
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


@pytest.mark.parametrize("secure", [False, True], ids=["http", "https"])
def test_the_form_sent_with_no_referrer_passes_and_a_foreign_origin_does_not(role, link, secure):
    """The page asks for no referrer, so a browser sends its form with ``Origin: null`` and
    no Referer: the form's token is what counts. An Origin or a Referer naming another
    site is refused all the same, and so is a form without its token."""
    _, token = link
    friend = Client(enforce_csrf_checks=True)
    data = {gut(role): "unsure", "csrfmiddlewaretoken": _form_token(friend, token)}
    foreign = [{"Origin": "https://evil.example"}, {"Origin": "null", "X-CSRFToken": "x" * 64}]
    if secure:  # as with Django's own check, a Referer is read over HTTPS only
        foreign.append({"Referer": "https://evil.example/page"})
    for headers in foreign:
        sent = data if "X-CSRFToken" not in headers else {gut(role): "unsure"}
        refused = friend.post(page_url(token), sent, headers=headers, secure=secure)
        assert refused.status_code == 403, headers
        for header, value in HEADERS.items():
            assert refused[header] == value
    assert not FriendAnswer.objects.exists()
    accepted = friend.post(page_url(token), data, headers={"Origin": "null"}, secure=secure)
    assert accepted.status_code == 303
    assert FriendAnswer.objects.get().gut == "unsure"


# --- Rate limits ---------------------------------------------------------------------------------


@pytest.fixture
def still_clock(monkeypatch):
    """The rate-limit windows hold still: a test crossing a window's edge would start over."""
    moment = time.time()
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: moment))


def test_a_link_is_rate_limited_and_the_next_request_is_a_clear_429(role, link, still_clock):
    invitation, token = link
    friend = Client()
    for _ in range(PER_LINK.hits):
        assert friend.get(page_url(token)).status_code == 200
    refused = friend.post(page_url(token), {gut(role): "yes"})
    assert refused.status_code == 429
    assert "Too many requests" in refused.text
    assert 0 < int(refused["Retry-After"]) <= PER_LINK.per_seconds
    for header, value in HEADERS.items():
        assert refused[header] == value
    assert not FriendAnswer.objects.exists()
    # Counted in the database every app server shares, and per link: another link works.
    assert Throttle.objects.get(key=f"friend-link:{invitation.token_hash}").hits == 61
    _, other_token = make_link(invitation.owner, role, name="Ana")
    assert friend.get(page_url(other_token)).status_code == 200


def test_links_that_open_nothing_are_capped_per_address(link, still_clock):
    _, token = link
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(UNKNOWN_PER_ADDRESS.hits):
        assert guesser.get(page_url(new_token())).status_code == 404
    refused = guesser.get(page_url(new_token()))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) <= UNKNOWN_PER_ADDRESS.per_seconds
    assert guesser.get(page_url("not-a-token")).status_code == 429
    # A real link still opens from there, and guesses from elsewhere are counted apart.
    assert guesser.get(page_url(token)).status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.7").get(page_url(new_token())).status_code == 404


def test_every_request_from_one_address_is_capped(monkeypatch, link, still_clock):
    _, token = link
    limit = Limit("friend-address", hits=5, per_seconds=600)
    monkeypatch.setattr(public_views, "PER_ADDRESS", limit)
    busy = Client(REMOTE_ADDR="192.0.2.1")
    statuses = [busy.get(page_url(token)).status_code for _ in range(limit.hits + 1)]
    assert statuses == [200] * limit.hits + [429]
    assert busy.get(page_url(new_token())).status_code == 429
    assert Client(REMOTE_ADDR="192.0.2.2").get(page_url(token)).status_code == 200


# --- Oversized and hostile answers ---------------------------------------------------------------


def test_oversized_answers_are_refused_whole_with_the_text_kept(criteria, role, link):
    _, token = link
    comment, why = "c" * (COMMENT_LIMIT + 1), "w" * (WHY_LIMIT + 1)
    response = Client().post(
        page_url(token),
        {
            row(role, criteria[0], "value"): "5",
            row(role, criteria[0], "comment"): comment,
            gut(role): "yes",
            gut(role, "gut_reason"): why,
        },
    )
    assert response.status_code == 200
    assert f"Keep the comment to {COMMENT_LIMIT} characters; it has {COMMENT_LIMIT + 1}" in (
        response.text
    )
    assert f"Keep this to {WHY_LIMIT} characters; it has {WHY_LIMIT + 1}" in response.text
    assert f'value="{comment}"' in response.text
    assert f"\n{why}</textarea>" in response.text
    assert not FriendAnswer.objects.exists()
    huge = Client().post(page_url(token), {row(role, criteria[0], "comment"): "x" * 100_000})
    assert huge.status_code == 200
    assert not FriendAnswer.objects.exists()


def test_hostile_text_is_kept_as_typed_and_escaped_on_the_page(user, criteria, role, link):
    _, token = link
    script = '<script>alert("hi")</script>'
    markup = '"><img src=x onerror=alert(1)>{{ 7|add:7 }}'
    response = Client().post(
        page_url(token),
        {
            row(role, criteria[0], "value"): "5",
            row(role, criteria[0], "comment"): script,
            gut(role): "unsure",
            gut(role, "gut_reason"): markup,
        },
    )
    assert response.status_code == 303
    assert FriendScore.objects.get().comment == script
    assert FriendAnswer.objects.get().gut_reason == markup
    page = Client().get(page_url(token)).text
    assert script not in page
    assert "<img src=x" not in page
    assert escape(script) in page
    assert escape(markup) in page


@pytest.mark.parametrize("text", ["bell\x07", "nul\x00", "esc\x1b[31m"])
def test_control_characters_are_refused_like_everywhere_else(criteria, role, link, text):
    _, token = link
    response = Client().post(
        page_url(token),
        {row(role, criteria[0], "value"): "5", row(role, criteria[0], "comment"): text},
    )
    assert response.status_code == 200
    assert "invisible control character" in response.text
    assert not FriendAnswer.objects.exists()


@pytest.mark.parametrize("value", ["maybe", "YES", "<script>", "1"])
def test_a_gut_answer_outside_the_three_is_refused(role, link, value):
    _, token = link
    response = Client().post(page_url(token), {gut(role): value})
    assert response.status_code == 200
    assert "Choose yes, unsure or no" in response.text
    assert "<script>" not in response.text.split("<body", 1)[1]
    assert not FriendAnswer.objects.exists()


# --- No session, no referrer, no cache -----------------------------------------------------------


def _no_session(response) -> None:
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not response.wsgi_request.session.accessed
    assert not response.wsgi_request.session.modified


def test_the_page_sets_no_session_and_sends_no_referrer_whatever_it_answers(user, role, link):
    _, token = link
    friend = Client()
    gone, gone_token = make_link(user, role, name="Ana")
    FriendInvitation.objects.filter(pk=gone.pk).update(revoked_at=timezone.now())
    responses = {
        "page": friend.get(page_url(token)),
        "errors": friend.post(page_url(token), {gut(role): "perhaps"}),
        "sent": friend.post(page_url(token), {gut(role): "yes"}),
        "thanks": friend.get(page_url(token) + "?sent=1"),
        "unknown": friend.get(page_url(new_token())),
        "malformed": friend.get(page_url("nope")),
        "gone": friend.get(page_url(gone_token)),
        "not allowed": friend.put(page_url(token)),
    }
    assert [r.status_code for r in responses.values()] == [200, 200, 303, 200, 404, 404, 410, 405]
    for name, response in responses.items():
        for header, value in HEADERS.items():
            assert response[header] == value, (name, header)
        _no_session(response)
        assert "Cookie" not in response.get("Vary", "") or name in ("page", "errors", "thanks")
    # Where a form is, Django's CSRF cookie (not a session) is what varies on cookies.
    assert set(responses["page"].cookies) == {settings.CSRF_COOKIE_NAME}
    assert '<meta name="referrer" content="no-referrer">' in responses["page"].text
    assert '<meta name="robots" content="noindex, nofollow">' in responses["page"].text


def test_a_logged_in_owner_opening_the_link_keeps_their_session_untouched(user, role, link):
    _, token = link
    owner = Client()
    owner.force_login(user)
    before = owner.cookies[settings.SESSION_COOKIE_NAME].value
    for response in (
        owner.get(page_url(token)),
        owner.post(page_url(token), {gut(role): "yes"}),
        owner.get(page_url(token) + "?sent=1"),
    ):
        _no_session(response)
        assert response["Cache-Control"] == "no-store, private"
    assert owner.cookies[settings.SESSION_COOKIE_NAME].value == before
    assert owner.get(reverse("opportunities:dashboard")).status_code == 200  # still logged in


def test_a_gone_links_page_names_the_owner_and_nothing_else(user, role, link):
    invitation, token = link
    user.first_name, user.last_name, user.email = "Maya", "Lastname", "maya@example.org"
    user.save()
    FriendInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    response = Client().get(page_url(token))
    assert response.status_code == 410
    assert "Maya" in response.text
    for private in ("Lastname", "maya@example.org", user.username, "Agency role"):
        assert private not in response.text
    for header, value in HEADERS.items():
        assert response[header] == value
