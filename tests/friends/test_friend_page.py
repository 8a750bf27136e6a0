"""The friend's page, with no account (issue 17, item 2): what a personal link shows as the
owner chose to share it, the one form of ratings, "I can't say", comments and the gut
answer, the thank-you state with the answer still editable, the owner's scores only after
answering, the pages of a link that opens nothing, and a query count that does not grow
with the criteria or the opportunities."""

from __future__ import annotations

import time
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opportunities.criteria.services import add_criterion
from opportunities.friends.core import hash_token, new_token
from opportunities.friends.public_forms import BOTH_ERROR, NOTHING_TO_SEND, SCORE_ERROR
from opportunities.friends.queries.shared import invitation_for_token
from opportunities.friends.services.answers import (
    USE_RECORDED_EVERY,
    LinkNoLongerOpen,
    OpportunityAnswer,
    Rating,
    save_answers,
    touch,
)
from opportunities.models import (
    Criterion,
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
    Opportunity,
    PageVersion,
    TimelineEntry,
)
from opportunities.scoring.services import save_score
from opportunities.web import throttle
from tests.factories import OpportunityFactory, PersonFactory

pytestmark = pytest.mark.django_db


# --- Building links ------------------------------------------------------------------------------


def make_link(
    owner, *opportunities: Opportunity, name: str = "Sam", days: int = 14, **round_fields
) -> tuple[FriendInvitation, str]:
    """A round asking about ``opportunities`` and one friend's link to it: the invitation
    and the raw token (which only the friend holds)."""
    asked = FriendRound.objects.create(owner=owner, **round_fields)
    asked.opportunities.add(*opportunities)
    token = new_token()
    invitation = FriendInvitation.objects.create(
        owner=owner,
        round=asked,
        name=name,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return invitation, token


def page_url(token: str) -> str:
    return reverse("opportunities:friend_page", args=[token])


def row(opportunity, criterion, field: str) -> str:
    return f"o{opportunity.pk}-c{criterion.pk}-{field}"


def gut(opportunity, field: str = "gut") -> str:
    return f"o{opportunity.pk}-{field}"


@pytest.fixture
def role(user):
    return OpportunityFactory(
        owner=user,
        title="Agency role",
        organisation="Northwind",
        contact="Priya, private contact",
        location="Lisbon",
        workplace="hybrid",
        notes="A small agency; the team seemed kind.",
        pay_basis="annual",
        pay_amount=62_000,
        currency="USD",
    )


@pytest.fixture
def stay(user):
    return OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)


@pytest.fixture
def link(user, role, stay):
    return make_link(user, role, stay, message="Which would you pick, and why?")


@pytest.fixture
def friend():
    """Someone with no account and nothing in this browser."""
    return Client()


# --- What the page shows -------------------------------------------------------------------------


def test_the_page_shows_the_options_as_shared_in_order_with_every_criterion(
    friend, user, criteria, role, stay, link
):
    person = PersonFactory(owner=user, name="Priya Secretname")
    TimelineEntry.objects.create(
        owner=user,
        opportunity=role,
        person=person,
        kind="conversation",
        happened_on=date(2026, 2, 20),
        title="Coffee with the founder",
        body="They want someone who writes.",
    )
    TimelineEntry.objects.create(
        owner=user, opportunity=role, kind="stage", title="Stage moved by the app"
    )
    response = friend.get(page_url(link[1]))
    assert response.status_code == 200
    text = response.text
    assert "Which would you pick, and why?" in text
    assert "Hello Sam" in text
    assert text.index("Agency role") < text.index("Stay as I am")  # the options, then staying
    for shown in ("Northwind", "Lisbon", "Hybrid", "Employee", "Full-time"):
        assert shown in text
    # The description and the hand-written notes (never the people in them, never what the
    # app wrote), since the round shares them (the default).
    assert "A small agency; the team seemed kind." in text
    assert "Coffee with the founder" in text
    assert "They want someone who writes." in text
    assert "20 Feb 2026 · Conversation" in text
    assert "Priya" not in text
    assert "Stage moved by the app" not in text
    # The criteria in the owner's order, each with its description and what 0 and 10 mean.
    positions = [text.index(f'<legend class="h6 mb-1">{escape(c.name)}</legend>') for c in criteria]
    assert positions[:7] == sorted(positions[:7])
    assert text.count('data-testid="friend-row"') == 2 * len(criteria)
    assert escape(criteria[0].description) in text
    assert escape(criteria[0].low_meaning) in text
    assert escape(criteria[0].high_meaning) in text
    # Pay, scores and the owner's own notes stay hidden unless shared.
    assert 'data-testid="friend-pay"' not in text
    assert 'data-testid="owner-score"' not in text
    assert text.count('data-testid="friend-gut"') == 2
    assert "Would you take it in my place?" in text
    assert "Send my answer" in text


def test_a_round_that_shares_less_shows_less(friend, user, criteria, role):
    TimelineEntry.objects.create(owner=user, opportunity=role, kind="note", title="A private note")
    _, token = make_link(user, role, share_description=False, share_meanings=False)
    text = friend.get(page_url(token)).text
    assert "A small agency" not in text
    assert "A private note" not in text
    assert escape(criteria[0].low_meaning) not in text
    assert "0 = poor" in text
    assert "10 = excellent" in text
    assert escape(criteria[0].description) in text  # what the criterion is about, always


def test_pay_is_shown_as_comparable_pay_only_when_shared(friend, user, criteria, role):
    from opportunities.pay.queries import comparable_pay, pay_profile
    from opportunities.templatetags.money import money

    pay = comparable_pay(role, pay_profile(user))
    expected = money(pay.breakdown.annual, pay.currency)
    _, hidden = make_link(user, role)
    assert expected not in friend.get(page_url(hidden)).text
    _, shared = make_link(user, role, share_pay=True, name="Ana")
    text = friend.get(page_url(shared)).text
    assert f"{expected} a year" in text


def test_a_criterion_archived_is_not_asked_about_and_a_new_one_is(friend, user, criteria, link):
    archived = criteria[0]
    Criterion.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    add_criterion(user=user, criterion=Criterion(name="Commute", weight=3))
    text = friend.get(page_url(link[1])).text
    assert f">{escape(archived.name)}</legend>" not in text
    assert ">Commute</legend>" in text


def test_a_round_whose_opportunities_are_gone_says_there_is_nothing_to_answer(friend, user):
    gone = OpportunityFactory(owner=user, title="Deleted since")
    _, token = make_link(user, gone)
    gone.delete()
    response = friend.get(page_url(token))
    assert response.status_code == 200
    assert 'data-testid="nothing-to-answer"' in response.text
    assert "Send my answer" not in response.text
    assert friend.post(page_url(token), {f"o{gone.pk}-gut": "yes"}).status_code == 200
    assert not FriendAnswer.objects.exists()


# --- Answering -----------------------------------------------------------------------------------


def test_an_answer_is_saved_whole_then_shown_for_changing(friend, criteria, role, stay, link):
    invitation, token = link
    growth, pay = criteria[0], criteria[1]
    response = friend.post(
        page_url(token),
        {
            row(role, growth, "value"): "8",
            row(role, growth, "comment"): "They'd let you lead.",
            row(role, pay, "cant_say"): "on",
            gut(role): "yes",
            gut(role, "gut_reason"): "It is what you talk about.",
            gut(stay): "unsure",
        },
    )
    assert response.status_code == 303
    assert response["Location"] == page_url(token) + "?sent=1#thanks"
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    assert invitation.last_used_at == invitation.answered_at
    first_answered = invitation.answered_at
    on_role = FriendAnswer.objects.get(invitation=invitation, opportunity=role)
    assert (on_role.gut, on_role.gut_reason) == ("yes", "It is what you talk about.")
    assert on_role.owner_id == invitation.owner_id
    ratings = {s.criterion_id: s for s in FriendScore.objects.filter(answer=on_role)}
    assert set(ratings) == {growth.pk, pay.pk}  # nothing kept for what was left empty
    assert (ratings[growth.pk].value, ratings[growth.pk].comment) == (8, "They'd let you lead.")
    assert (ratings[pay.pk].value, ratings[pay.pk].cant_say) == (None, True)
    on_stay = FriendAnswer.objects.get(invitation=invitation, opportunity=stay)
    assert on_stay.gut == "unsure"
    assert not FriendScore.objects.filter(answer=on_stay).exists()

    # The thank-you state on the same page, with the answer filled in to change.
    page = friend.get(response["Location"])
    assert 'data-testid="thanks"' in page.text
    assert "Thank you — your answer was sent" in page.text
    assert (
        f'name="{row(role, growth, "value")}" id="id_{row(role, growth, "value")}" value="8"'
        in (page.text)
    )
    assert f'id="id_{row(role, pay, "cant_say")}" data-friend-cant-say checked' in page.text
    assert "They&#x27;d let you lead." in page.text
    assert "Send my changes" in page.text

    # A change replaces what was said; what is emptied goes; the first answer's time stays.
    response = friend.post(
        page_url(token),
        {
            row(role, growth, "value"): "6",
            row(role, pay, "value"): "4",
            gut(role): "no",
        },
    )
    assert response.status_code == 303
    invitation.refresh_from_db()
    assert invitation.answered_at == first_answered
    ratings = {s.criterion_id: s for s in FriendScore.objects.filter(answer=on_role)}
    assert (ratings[growth.pk].value, ratings[growth.pk].comment) == (6, "")
    assert (ratings[pay.pk].value, ratings[pay.pk].cant_say) == (4, False)
    on_role.refresh_from_db()
    assert (on_role.gut, on_role.gut_reason) == ("no", "")
    assert not FriendAnswer.objects.filter(invitation=invitation, opportunity=stay).exists()
    assert FriendAnswer.objects.count() == 1


def test_a_comment_alone_is_kept_beside_a_rating_elsewhere(friend, criteria, role, link):
    _, token = link
    friend.post(
        page_url(token),
        {row(role, criteria[0], "value"): "5", row(role, criteria[1], "comment"): "No idea."},
    )
    kept = FriendScore.objects.get(criterion=criteria[1])
    assert (kept.value, kept.cant_say, kept.comment) == (None, False, "No idea.")


def test_nothing_answered_is_nothing_to_send_and_nothing_is_saved(friend, criteria, role, link):
    invitation, token = link
    for data in (
        {},
        {row(role, criteria[0], "value"): ""},
        {row(role, criteria[0], "comment"): "Only a comment", gut(role, "gut_reason"): "why"},
    ):
        response = friend.post(page_url(token), data)
        assert response.status_code == 200
        assert escape(NOTHING_TO_SEND) in response.text
        assert 'id="error-summary"' in response.text
    assert "Only a comment" in response.text  # kept for the next try
    assert not FriendAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.parametrize("bad", ["11", "-1", "5.5", "abc", "1e3", "9" * 5000, "NaN", "١٢"])
def test_a_rating_outside_0_to_10_whole_is_refused_with_everything_kept(
    friend, criteria, role, link, bad
):
    _, token = link
    value, comment = row(role, criteria[0], "value"), row(role, criteria[1], "comment")
    response = friend.post(
        page_url(token),
        {value: bad, comment: "kept while I fix it", gut(role): "yes"},
    )
    assert response.status_code == 200
    assert escape(SCORE_ERROR) in response.text
    assert f'<a href="#id_{value}">' in response.text  # the summary leads to the field
    prefix = f"o{role.pk}-c{criteria[0].pk}"
    assert f'aria-describedby="{prefix}-about {prefix}-meaning id_{value}-error"' in response.text
    assert f'id="id_{value}-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "kept while I fix it" in response.text
    assert f'id="id_o{role.pk}-gut_0" value="yes" checked' in response.text
    assert not FriendAnswer.objects.exists()


def test_a_rating_and_i_cant_say_together_are_refused(friend, criteria, role, link):
    _, token = link
    response = friend.post(
        page_url(token),
        {row(role, criteria[0], "value"): "3", row(role, criteria[0], "cant_say"): "on"},
    )
    assert response.status_code == 200
    assert escape(BOTH_ERROR) in response.text
    assert not FriendAnswer.objects.exists()


def test_a_gut_answer_alone_is_an_answer(friend, role, link):
    _, token = link
    assert friend.post(page_url(token), {gut(role): "no"}).status_code == 303
    assert FriendAnswer.objects.get().gut == "no"


def test_the_owners_scores_show_only_after_answering_and_only_if_shared(
    friend, user, criteria, role, stay
):
    save_score(opportunity=role, criterion=criteria[0], value=9)
    save_score(opportunity=role, criterion=criteria[1], value=2)
    _, token = make_link(user, role, stay, share_scores=True)
    before = friend.get(page_url(token))
    assert 'data-testid="owner-score"' not in before.text
    assert "own score" not in before.text
    # Errors do not count as answering.
    refused = friend.post(page_url(token), {row(role, criteria[0], "value"): "12"})
    assert "own score" not in refused.text
    friend.post(page_url(token), {row(role, criteria[0], "value"): "4"})
    after = friend.get(page_url(token)).text
    assert after.count('data-testid="owner-score"') == 2 * len(criteria)
    assert "own score: <strong>9</strong>" in after
    assert "own score: <strong>2</strong>" in after
    assert "own score: <strong>not scored</strong>" in after  # the status quo, unscored

    _, hidden = make_link(user, role, name="Ana")  # share_scores is off by default
    friend.post(page_url(hidden), {row(role, criteria[0], "value"): "4"})
    assert "own score" not in friend.get(page_url(hidden)).text


def test_every_visit_records_when_the_link_was_used_in_one_update(friend, link):
    invitation, token = link
    with CaptureQueriesContext(connection) as queries:
        friend.get(page_url(token))
    updates = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("UPDATE") and "friendinvitation" in q["sql"]
    ]
    assert len(updates) == 1
    assert "last_used_at" in updates[0]
    invitation.refresh_from_db()
    assert invitation.last_used_at is not None
    assert invitation.answered_at is None


def test_a_look_within_the_minute_writes_nothing_and_leaves_the_owners_pages(friend, link):
    invitation, token = link
    friend.get(page_url(token))
    invitation.refresh_from_db()
    first = invitation.last_used_at
    counter = PageVersion.objects.filter(scope=invitation.owner_id).values_list("version")
    owner_version = list(counter)
    assert owner_version, "the first look was written down, and bumped the owner's pages"
    with CaptureQueriesContext(connection) as queries:
        assert friend.get(page_url(token)).status_code == 200
    assert not [q for q in queries if "friendinvitation" in q["sql"] and "UPDATE" in q["sql"]]
    assert list(counter.all()) == owner_version
    invitation.refresh_from_db()
    assert invitation.last_used_at == first


def test_a_look_after_the_minute_is_written_down_again(link):
    invitation, _ = link
    now = timezone.now()
    assert touch(invitation, now=now)
    assert not touch(invitation, now=now + USE_RECORDED_EVERY - timedelta(seconds=1))
    later = now + USE_RECORDED_EVERY + timedelta(seconds=1)
    assert touch(invitation, now=later)
    invitation.refresh_from_db()
    assert invitation.last_used_at == later
    stale_copy = FriendInvitation.objects.get(pk=invitation.pk)
    stale_copy.last_used_at = now  # another request's copy, read before the write above
    assert not touch(stale_copy, now=later + timedelta(seconds=2))  # the row says: recent


# --- Links that open nothing ---------------------------------------------------------------------


def test_an_unknown_link_is_a_clear_404_page_naming_no_one(friend, user, link):
    for token in ("x" * 43, new_token(), "short", link[1][:-1], link[1] + "A"):
        response = friend.get(page_url(token))
        assert response.status_code == 404
        assert "This link doesn't open anything" in response.text
        assert "copied whole" in response.text
        assert user.username not in response.text


def test_a_revoked_link_is_a_410_page_saying_so_and_whom_to_ask(friend, user, role, link):
    invitation, token = link
    user.first_name = "Maya"
    user.save()
    FriendInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    for response in (friend.get(page_url(token)), friend.post(page_url(token), {gut(role): "yes"})):
        assert response.status_code == 410
        assert "This link was withdrawn" in response.text
        assert "ask Maya for a new link" in response.text
    assert not FriendAnswer.objects.exists()


def test_an_expired_link_is_a_410_page(friend, user, role, link):
    invitation, token = link
    FriendInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = friend.post(page_url(token), {gut(role): "yes"})
    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert f"ask {user.username} for a new link" in response.text
    assert not FriendAnswer.objects.exists()


def test_a_link_expires_when_the_clock_passes_its_day(friend, role, link, monkeypatch):
    invitation, token = link
    assert friend.get(page_url(token)).status_code == 200
    later = invitation.expires_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = friend.get(page_url(token))
    assert response.status_code == 410
    assert "This link has expired" in response.text
    monkeypatch.setattr(timezone, "now", lambda: invitation.expires_at - timedelta(seconds=1))
    assert friend.post(page_url(token), {gut(role): "yes"}).status_code == 303


def test_a_closed_round_is_a_410_page_and_an_answer_given_is_said_to_be_received(
    friend, user, role, link
):
    invitation, token = link
    friend.post(page_url(token), {gut(role): "yes"})
    FriendRound.objects.filter(pk=invitation.round_id).update(closed_at=timezone.now())
    response = friend.get(page_url(token))
    assert response.status_code == 410
    assert "This question is closed" in response.text
    assert "yours was received" in response.text


def test_a_revoke_that_lands_while_the_answer_is_on_its_way_wins(user, criteria, role, link):
    invitation, token = link
    stale = invitation_for_token(token)
    FriendInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    answer = OpportunityAnswer(role.pk, "yes", "", (Rating(criteria[0].pk, 7, False, ""),))
    with pytest.raises(LinkNoLongerOpen):
        save_answers(invitation=stale, answers=[answer], now=timezone.now())
    assert not FriendAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.parametrize("what", ["revoked", "closed", "deleted"])
def test_a_send_that_meets_a_link_closed_meanwhile_gets_the_page_saying_so(
    friend, monkeypatch, user, role, link, what
):
    """The owner acts between the friend's page being read and their answer being kept:
    nothing is kept, and the friend is told what happened (a deleted round's link now
    opens nothing)."""
    from opportunities.friends import public_views

    invitation, token = link
    keep = public_views.save_answers

    def owner_acts_first(**kwargs):
        if what == "revoked":
            FriendInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
        elif what == "closed":
            FriendRound.objects.filter(pk=invitation.round_id).update(closed_at=timezone.now())
        else:
            FriendRound.objects.filter(pk=invitation.round_id).delete()
        return keep(**kwargs)

    monkeypatch.setattr(public_views, "save_answers", owner_acts_first)
    response = friend.post(page_url(token), {gut(role): "yes"})
    expected = {"revoked": (410, "withdrawn"), "closed": (410, "closed"), "deleted": (404, "")}
    status, words = expected[what]
    assert response.status_code == status
    assert words in response.text
    assert not FriendAnswer.objects.exists()


# --- Queries -------------------------------------------------------------------------------------


def _answer_everything(opportunities, criteria) -> dict[str, str]:
    data = {}
    for opportunity in opportunities:
        data[gut(opportunity)] = "unsure"
        for n, criterion in enumerate(criteria):
            data[row(opportunity, criterion, "value")] = str(n % 11)
            data[row(opportunity, criterion, "comment")] = "c"
    return data


GET_QUERIES = 8
"""Two rate-limit counters (one upsert each), the link, the options, their notes,
the pay settings, the criteria and the friend's answers. The first look in a minute adds
two: the UPDATE of when it was used, and the owner's page-cache counter that write bumps
(``web.data_version``); the looks measured here come within the minute of another."""
ANSWERED_GET_QUERIES = GET_QUERIES + 2
"""Once answered: the ratings of the answers, and the owner's scores (shared here)."""
POST_QUERIES = 11
"""The rate-limit counters (one upsert each) and the link, then what the sheet is read
against (the options and the criteria: none of what the page only shows), a savepoint, the
link's UPDATE, the answers' and the ratings' upserts, the release, and the owner's
page-cache counter."""
CHANGED_POST_QUERIES = POST_QUERIES


@pytest.mark.parametrize("extra", [0, 8])
def test_the_page_and_the_send_take_a_fixed_number_of_queries(
    friend, user, role, stay, django_assert_num_queries, monkeypatch, extra
):
    """As many with 15 criteria and three options as with 7 and two: nothing is read or
    written per criterion or per option."""
    # The rate-limit windows stay where they are: a new one would add its first INSERT.
    moment = time.time()
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: moment))
    for n in range(extra):
        add_criterion(user=user, criterion=Criterion(name=f"Extra {n}", weight=2))
    opportunities = [role, stay] + ([OpportunityFactory(owner=user)] if extra else [])
    for opportunity in opportunities:
        TimelineEntry.objects.create(owner=user, opportunity=opportunity, title="A note")
    criteria = list(Criterion.objects.filter(owner=user, archived_at__isnull=True))
    _, token = make_link(user, *opportunities, share_pay=True, share_scores=True)
    friend.get(page_url(token))  # the rate-limit counters' rows exist from here on
    with django_assert_num_queries(GET_QUERIES):
        assert friend.get(page_url(token)).status_code == 200
    data = _answer_everything(opportunities, criteria)
    with django_assert_num_queries(POST_QUERIES):
        assert friend.post(page_url(token), data).status_code == 303
    with django_assert_num_queries(CHANGED_POST_QUERIES):
        assert friend.post(page_url(token), data).status_code == 303
    with django_assert_num_queries(ANSWERED_GET_QUERIES):
        assert friend.get(page_url(token)).status_code == 200
    assert FriendScore.objects.count() == len(opportunities) * len(criteria)
