"""Starting a round of asking friends (from an opportunity or a comparison), the list of
rounds, closing, reopening and deleting one, and the card on the opportunity's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from opportunities.friends.core import MAX_ROUNDS
from opportunities.friends.services import MAX_OPPORTUNITIES_PER_ROUND
from opportunities.models import FriendAnswer, FriendInvitation, FriendRound, FriendScore
from tests.factories import OpportunityFactory
from tests.friends.owner_helpers import answer, make_link, make_round, url

pytestmark = pytest.mark.django_db

ROUND_FORM = {"message": "Which would you take?", "share_description": "on", "share_meanings": "on"}


def ids_of(*opportunities) -> str:
    return ",".join(str(opportunity.pk) for opportunity in opportunities)


# --- Starting a round -----------------------------------------------------------------------------


def test_the_form_from_an_opportunity_shares_little_by_default_and_says_why(client_in, opportunity):
    response = client_in.get(url("friends_round_create"), {"opportunity": opportunity.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["share_description"].value() is True
    assert form["share_meanings"].value() is True
    assert form["share_pay"].value() is False
    assert form["share_scores"].value() is False
    page = response.text
    assert opportunity.title in page
    assert "never shown before they have answered" in page
    assert f'name="ids" value="{opportunity.pk}"' in page


def test_starting_a_round_asks_about_the_opportunity_and_goes_to_its_links(client_in, user):
    role = OpportunityFactory(owner=user, title="Agency role")
    response = client_in.post(
        url("friends_round_create"), {**ROUND_FORM, "ids": str(role.pk), "share_pay": "on"}
    )
    friend_round = FriendRound.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == url("friends_round", friend_round.pk) + "#links"
    assert list(friend_round.opportunities.values_list("pk", flat=True)) == [role.pk]
    assert friend_round.message == "Which would you take?"
    assert (friend_round.share_pay, friend_round.share_scores) == (True, False)
    page = client_in.get(response["Location"]).text
    assert "Round started" in page
    assert "Add a link for each friend to ask" in page


def test_a_comparison_round_keeps_its_order_and_leaves_out_what_is_not_the_users(
    client_in, user, other_user
):
    role, stay = OpportunityFactory(owner=user), OpportunityFactory(owner=user, is_status_quo=True)
    archived = OpportunityFactory(owner=user, archived_at=timezone.now())
    closed = OpportunityFactory(owner=user, stage="not_selected")
    theirs = OpportunityFactory(owner=other_user, title="Someone else's role")
    query = {"ids": f"{stay.pk},{theirs.pk},{role.pk},abc,{archived.pk},{closed.pk}"}
    response = client_in.get(url("friends_round_create"), query)
    assert response.status_code == 200
    assert [o.pk for o in response.context["opportunities"]] == [stay.pk, role.pk, closed.pk]
    assert response.context["left_out"] == 3
    assert "Someone else's role" not in response.text
    posted = client_in.post(
        url("friends_round_create"), {**ROUND_FORM, "ids": query["ids"]}, follow=True
    )
    friend_round = FriendRound.objects.get(owner=user)
    asked = FriendRound.opportunities.through.objects.filter(friendround=friend_round)
    assert list(asked.order_by("pk").values_list("opportunity_id", flat=True)) == [
        stay.pk,
        role.pk,
        closed.pk,
    ]
    assert posted.status_code == 200


def test_another_users_opportunity_or_a_malformed_one_is_a_404(client_in, other_user):
    theirs = OpportunityFactory(owner=other_user)
    for value in (theirs.pk, "abc", "9" * 40, "-1", "0"):
        response = client_in.get(url("friends_round_create"), {"opportunity": value})
        assert response.status_code == 404, value
    assert not FriendRound.objects.exists()


def test_an_archived_opportunity_is_left_out_and_said_not_a_404(client_in, user):
    archived = OpportunityFactory(owner=user, archived_at=timezone.now())
    response = client_in.get(url("friends_round_create"), {"opportunity": archived.pk})
    assert response.status_code == 200
    assert response.context["left_out"] == 1
    assert 'data-testid="choose-opportunities"' in response.text


def test_nothing_chosen_offers_the_opportunities_to_choose_from(client_in, user, other_user):
    mine = OpportunityFactory(owner=user, title="Mine to ask about")
    OpportunityFactory(owner=other_user, title="Not mine")
    response = client_in.get(url("friends_round_create"), {"ids": "123456789"})
    assert response.status_code == 200
    assert "form" not in response.context
    assert f'name="ids" value="{mine.pk}"' in response.text
    assert "Not mine" not in response.text
    assert response.context["left_out"] == 1
    # A POST with nothing chosen creates nothing.
    assert client_in.post(url("friends_round_create"), ROUND_FORM).status_code == 200
    assert not FriendRound.objects.exists()


def test_more_than_ten_opportunities_are_refused_with_a_reason(client_in, user):
    many = [OpportunityFactory(owner=user) for _ in range(MAX_OPPORTUNITIES_PER_ROUND + 1)]
    response = client_in.get(url("friends_round_create"), {"ids": ids_of(*many)})
    assert response.status_code == 200
    assert "at most 10 opportunities" in response.text
    assert "form" not in response.context
    response = client_in.post(url("friends_round_create"), {**ROUND_FORM, "ids": ids_of(*many)})
    assert response.status_code == 200
    assert not FriendRound.objects.exists()
    ten = client_in.post(url("friends_round_create"), {**ROUND_FORM, "ids": ids_of(*many[:10])})
    assert ten.status_code == 302


def test_bad_round_input_is_refused_with_everything_kept(client_in, opportunity):
    for message, error in (
        ("x" * 2001, "Keep this to 2000 characters"),
        ("a\x00b", "control character"),
        ("a\x1b[31m", "control character"),
    ):
        response = client_in.post(
            url("friends_round_create"), {"ids": str(opportunity.pk), "message": message}
        )
        assert response.status_code == 200
        assert error in response.text
        assert response.context["form"]["message"].value() == message
    assert not FriendRound.objects.exists()


def test_a_round_sent_twice_is_started_once(client_in, opportunity):
    form = client_in.get(url("friends_round_create"), {"opportunity": opportunity.pk})
    token = form.context["form"]["form_token"].value()
    data = {**ROUND_FORM, "ids": str(opportunity.pk), "form_token": token}
    first = client_in.post(url("friends_round_create"), data)
    second = client_in.post(url("friends_round_create"), data)
    assert FriendRound.objects.count() == 1
    assert second["Location"] == url("friends_round", FriendRound.objects.get().pk)
    assert first.status_code == second.status_code == 302


def test_the_limit_on_rounds_is_said_not_crashed_into(client_in, user, opportunity):
    FriendRound.objects.bulk_create(FriendRound(owner=user) for _ in range(MAX_ROUNDS))
    response = client_in.post(url("friends_round_create"), {**ROUND_FORM, "ids": opportunity.pk})
    assert response.status_code == 200
    assert "holds at most 500 rounds" in response.text
    assert FriendRound.objects.count() == MAX_ROUNDS


def test_starting_a_round_takes_a_fixed_number_of_queries(
    client_in, user, django_assert_max_num_queries
):
    options = [OpportunityFactory(owner=user) for _ in range(MAX_OPPORTUNITIES_PER_ROUND)]
    with django_assert_max_num_queries(3):  # session, user, the opportunities
        client_in.get(url("friends_round_create"), {"ids": ids_of(*options)})
    # + the form sent before?, the count of rounds (the form's, then the service's), the
    # opportunities checked again, the once token (insert, update), the round, its
    # opportunities in one insert, and the savepoints around them, then the page-cache
    # counter: 19 however many.
    with django_assert_max_num_queries(19):
        response = client_in.post(
            url("friends_round_create"), {**ROUND_FORM, "ids": ids_of(*options)}
        )
    assert response.status_code == 302


def test_starting_a_round_needs_the_csrf_token(user, opportunity):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    data = {**ROUND_FORM, "ids": str(opportunity.pk)}
    assert client.post(url("friends_round_create"), data).status_code == 403
    page = client.get(url("friends_round_create"), {"opportunity": opportunity.pk})
    token = page.cookies["csrftoken"].value
    assert client.post(url("friends_round_create"), data, HTTP_X_CSRFTOKEN=token).status_code == 302
    assert FriendRound.objects.count() == 1


# --- The list of rounds ---------------------------------------------------------------------------


def test_no_rounds_yet_says_how_to_start(client_in):
    response = client_in.get(url("friends"))
    assert response.status_code == 200
    assert 'data-testid="no-rounds"' in response.text


def test_rounds_are_listed_newest_first_with_their_links_and_answers(client_in, user):
    role = OpportunityFactory(owner=user, title="Agency role")
    older = make_round(user, role)
    FriendRound.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    newer = make_round(user, role, OpportunityFactory(owner=user, title="Freelancing"))
    ana, _ = make_link(newer, "Ana")
    make_link(newer, "Ben")
    answer(ana, role, gut="yes")
    response = client_in.get(url("friends"))
    rounds = response.context["rounds"]
    assert [summary.round.pk for summary in rounds] == [newer.pk, older.pk]
    assert [o.title for o in rounds[0].opportunities] == ["Agency role", "Freelancing"]
    assert "2 links · 1 answered · 2 still open" in response.text
    assert "✓ answered" in response.text


def test_the_list_of_rounds_takes_a_fixed_number_of_queries(
    client_in, user, django_assert_num_queries
):
    role = OpportunityFactory(owner=user)
    for n in range(3):
        make_link(make_round(user, role), f"Friend {n}")
    # session, user, the page of rounds (and one more), their opportunities, their links
    with django_assert_num_queries(5):
        client_in.get(url("friends"))
    for _ in range(25):
        friend_round = make_round(user, role, OpportunityFactory(owner=user))
        for m in range(3):
            make_link(friend_round, f"Friend {m}")
    with django_assert_num_queries(6):  # and the count, with more than a page holds
        response = client_in.get(url("friends"))
    assert response.text.count('data-testid="round"') == 20
    assert client_in.get(url("friends"), {"page": "2"}).text.count('data-testid="round"') == 8


# --- Closing, reopening, deleting -----------------------------------------------------------------


def test_closing_and_reopening_a_round(client_in, user, opportunity):
    friend_round = make_round(user, opportunity)
    make_link(friend_round, "Ana")
    response = client_in.post(url("friends_round_close", friend_round.pk), follow=True)
    friend_round.refresh_from_db()
    assert friend_round.closed_at is not None
    assert "Round closed" in response.text
    assert 'data-testid="closed-note"' in response.text
    assert "Round closed</span>" in response.text  # the link's state
    response = client_in.post(url("friends_round_reopen", friend_round.pk), follow=True)
    friend_round.refresh_from_db()
    assert friend_round.closed_at is None
    assert "Round reopened" in response.text


def test_a_round_whose_links_all_expired_is_not_reopened_and_says_why(client_in, user, opportunity):
    friend_round = make_round(user, opportunity)
    link, _ = make_link(friend_round, "Ana", days=1)
    revoked, _ = make_link(friend_round, "Ben")
    FriendInvitation.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    FriendInvitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    client_in.post(url("friends_round_close", friend_round.pk))
    page = client_in.get(url("friends_round", friend_round.pk)).text
    assert "Every link of this round has expired or been revoked" in page
    assert url("friends_round_reopen", friend_round.pk) not in page
    response = client_in.post(url("friends_round_reopen", friend_round.pk), follow=True)
    assert "Not reopened." in response.text
    friend_round.refresh_from_db()
    assert friend_round.closed_at is not None


def test_deleting_a_round_asks_first_then_takes_its_links_and_answers(
    client_in, user, opportunity, criteria
):
    friend_round = make_round(user, opportunity)
    ana, _ = make_link(friend_round, "Ana")
    answer(ana, opportunity, {criteria[0]: 4}, gut="no", reason="Too far")
    page = client_in.get(url("friends_round_delete", friend_round.pk))
    assert page.status_code == 200
    assert "with its 1 link and the answers of the 1 friend who answered" in page.text
    assert FriendRound.objects.exists()
    response = client_in.post(url("friends_round_delete", friend_round.pk))
    assert response["Location"] == url("friends")
    assert not FriendRound.objects.exists()
    assert not FriendInvitation.objects.exists()
    assert not FriendAnswer.objects.exists()
    assert not FriendScore.objects.exists()


def test_every_owner_url_of_another_users_round_is_a_404(client_in, other_user, criteria):
    theirs = OpportunityFactory(owner=other_user)
    friend_round = make_round(other_user, theirs)
    link, _ = make_link(friend_round, "Ana")
    criterion = criteria[0]
    other_criterion = other_user.criteria.first()
    gets = [url("friends_round", friend_round.pk), url("friends_round_delete", friend_round.pk)]
    posts = [
        url("friends_invite", friend_round.pk),
        url("friends_link_reissue", friend_round.pk, link.pk),
        url("friends_link_revoke", friend_round.pk, link.pk),
        url("friends_round_close", friend_round.pk),
        url("friends_round_reopen", friend_round.pk),
        url("friends_round_delete", friend_round.pk),
        url("friends_adopt", friend_round.pk, theirs.pk, criterion.pk),
        url("friends_adopt", friend_round.pk, theirs.pk, other_criterion.pk),
    ]
    for address in gets:
        assert client_in.get(address).status_code == 404, address
    for address in posts:
        assert client_in.post(address, {"name": "X", "days": "3"}).status_code == 404, address
    assert FriendRound.objects.get().closed_at is None
    assert FriendInvitation.objects.get().revoked_at is None


def test_a_link_of_one_round_is_not_reached_through_another(client_in, user, opportunity):
    first, second = make_round(user, opportunity), make_round(user, opportunity)
    link, _ = make_link(first, "Ana")
    assert client_in.post(url("friends_link_revoke", second.pk, link.pk)).status_code == 404
    assert client_in.post(url("friends_link_reissue", second.pk, link.pk)).status_code == 404


# --- The card on the opportunity's page ---------------------------------------------------------


def test_the_opportunity_page_offers_to_ask_friends_and_lists_its_rounds(
    client_in, user, opportunity, criteria
):
    page = client_in.get(opportunity.get_absolute_url()).text
    assert f"{url('friends_round_create')}?opportunity={opportunity.pk}" in page
    assert 'data-testid="friends-card"' in page
    friend_round = make_round(user, opportunity, OpportunityFactory(owner=user))
    ana, _ = make_link(friend_round, "Ana")
    make_link(friend_round, "Ben")
    answer(ana, opportunity, {criteria[0]: 5})
    page = client_in.get(opportunity.get_absolute_url()).text
    assert url("friends_round", friend_round.pk) in page
    assert "1 of 2 friends answered" in page
