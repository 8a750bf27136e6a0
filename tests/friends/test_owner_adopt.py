"""The owner decides what counts: "Use friends' 3" makes the friends' median their own
score, recorded in the opportunity's story; keeping one's own needs nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from opportunities.friends.services import AdoptProblem, adopt_friends_score
from opportunities.models import EntryKind, Score, TimelineEntry
from opportunities.scoring.services import save_score
from tests.factories import CriterionFactory, OpportunityFactory, UserFactory
from tests.friends.owner_helpers import CANT_SAY, answer, by_name, make_link, make_round, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def growth(owner):
    return CriterionFactory(owner=owner, name="Growth", weight=8, position=1)


@pytest.fixture
def setting(owner, growth):
    """The agency role (Growth 9, the owner's) and the status quo (Growth 5); three
    friends gave the agency role's Growth 2, 3 and 4, a fourth could not say."""
    agency = OpportunityFactory(owner=owner, title="Agency role")
    stay = OpportunityFactory(owner=owner, title="Stay as I am", is_status_quo=True)
    save_score(opportunity=agency, criterion=growth, value=9)
    save_score(opportunity=stay, criterion=growth, value=5)
    friend_round = make_round(owner, agency)
    for name, value in (("Ana", 2), ("Ben", 3), ("Cleo", 4), ("Dan", CANT_SAY)):
        link, _ = make_link(friend_round, name)
        answer(link, agency, {growth: value})
    return friend_round, agency


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def live_score(opportunity, criterion) -> int | None:
    return Score.objects.get(
        evaluation__opportunity=opportunity, evaluation__frozen_at=None, criterion=criterion
    ).value


def adopt_url(friend_round, opportunity, criterion) -> str:
    return url("friends_adopt", friend_round.pk, opportunity.pk, criterion.pk)


def test_taking_the_friends_score_changes_mine_and_tells_the_story(owner_client, setting, growth):
    friend_round, agency = setting
    response = owner_client.post(adopt_url(friend_round, agency, growth), {"median": "3"})
    assert response.status_code == 302
    assert response["Location"] == url("friends_round", friend_round.pk) + (
        f"#result-{agency.pk}-{growth.pk}"
    )
    assert live_score(agency, growth) == 3
    entry = TimelineEntry.objects.get(kind=EntryKind.FRIENDS)
    assert entry.opportunity_id == agency.pk
    assert entry.title == "Took my friends' Growth score: 3 (was 9)"
    assert entry.happened_on == timezone.localdate()
    assert entry.body.startswith(
        f"The median of 3 friends' scores, asked on {timezone.localdate():%-d %B %Y} "
        "(they ranged from 2 to 4)."
    )
    assert "1 said they could not say." in entry.body
    page = owner_client.get(response["Location"]).text
    assert escape("Growth is now 3, your friends' score (was 9).") in page
    assert escape("You 3 · friends 3 (2–4), 3 answers") in page
    # The story on the opportunity's page says so.
    assert escape(entry.title) in owner_client.get(agency.get_absolute_url()).text


def test_by_htmx_the_row_and_what_it_would_change_come_back(
    owner_client, setting, growth, htmx_headers
):
    friend_round, agency = setting
    before = owner_client.get(url("friends_round", friend_round.pk)).text
    sentence = escape("With your friends' Growth scores, Agency role falls below Stay as I am.")
    assert sentence in before
    response = owner_client.post(
        adopt_url(friend_round, agency, growth),
        {"median": "3"},
        headers=htmx_headers(f"result-{agency.pk}-{growth.pk}"),
    )
    assert response.status_code == 200
    fragment = response.text
    assert "<html" not in fragment
    assert f'id="result-{agency.pk}-{growth.pk}"' in fragment
    assert escape("You 3 · friends 3 (2–4), 3 answers") in fragment
    assert "✓ Yours is theirs" in fragment
    assert 'id="what-it-would-change"' in fragment
    assert sentence not in fragment  # it is yours now: nothing left to change
    assert escape("With your friends' scores, the order stays as it is.") in fragment
    assert 'hx-swap-oob="innerHTML:#toasts"' in fragment
    assert live_score(agency, growth) == 3


def test_taking_it_twice_writes_once(owner_client, setting, growth):
    friend_round, agency = setting
    owner_client.post(adopt_url(friend_round, agency, growth), {"median": "3"})
    response = owner_client.post(adopt_url(friend_round, agency, growth), follow=True)
    assert "Growth already was 3: nothing changed." in response.text
    assert TimelineEntry.objects.filter(kind=EntryKind.FRIENDS).count() == 1


def test_a_median_moved_by_new_answers_is_not_taken_unseen(owner_client, setting, growth):
    friend_round, agency = setting
    late, _ = make_link(friend_round, "Eve")
    answer(late, agency, {growth: 10})
    late2, _ = make_link(friend_round, "Fay")
    answer(late2, agency, {growth: 10})
    response = owner_client.post(
        adopt_url(friend_round, agency, growth), {"median": "3"}, follow=True
    )
    assert "More answers came in: your friends&#x27; Growth score is now 4, not 3." in (
        response.text
    )
    assert live_score(agency, growth) == 9
    assert not TimelineEntry.objects.filter(kind=EntryKind.FRIENDS).exists()


@pytest.mark.parametrize("median", ["", "abc", "9" * 5000, "-1", "1e400"])
def test_an_unreadable_median_sent_is_ignored_not_a_500(owner_client, setting, growth, median):
    friend_round, agency = setting
    response = owner_client.post(adopt_url(friend_round, agency, growth), {"median": median})
    assert response.status_code == 302
    assert live_score(agency, growth) == 3


def test_nothing_to_take_where_no_friend_gave_a_score(owner_client, owner, setting):
    friend_round, agency = setting
    other = CriterionFactory(owner=owner, name="Pay", position=2)
    save_score(opportunity=agency, criterion=other, value=6)
    response = owner_client.post(adopt_url(friend_round, agency, other), follow=True)
    assert "No friend has given Pay a score here yet." in response.text
    assert live_score(agency, other) == 6


def test_a_derived_score_taken_from_friends_is_set_by_hand_and_says_so(client_in, user, criteria):
    pay = by_name(criteria, "Pay")
    agency = OpportunityFactory(owner=user, title="Agency role")
    friend_round = make_round(user, agency)
    link, _ = make_link(friend_round, "Ana")
    answer(link, agency, {pay: 2})
    page = client_in.get(url("friends_round", friend_round.pk)).text
    assert "Pay is derived; taking their score sets it by hand" in page
    response = client_in.post(adopt_url(friend_round, agency, pay), {"median": "2"}, follow=True)
    score = Score.objects.get(
        evaluation__opportunity=agency, evaluation__frozen_at=None, criterion=pay
    )
    assert (score.value, score.overridden) == (2, True)
    assert "It is set by hand now, no longer derived" in response.text
    entry = TimelineEntry.objects.get(kind=EntryKind.FRIENDS)
    assert entry.title == "Took my friends' Pay score: 2 (was not scored)"
    assert "Pay is now set by hand, no longer derived" in entry.body


def test_only_an_opportunity_of_the_round_and_an_active_criterion_of_mine(
    owner_client, owner, setting, growth, other_user
):
    friend_round, agency = setting
    elsewhere = OpportunityFactory(owner=owner)
    archived = CriterionFactory(owner=owner, name="Old", archived_at=timezone.now())
    theirs = CriterionFactory(owner=other_user, name="Theirs")
    for address in (
        adopt_url(friend_round, elsewhere, growth),
        adopt_url(friend_round, agency, archived),
        adopt_url(friend_round, agency, theirs),
        url("friends_adopt", friend_round.pk, agency.pk, 10**18),
    ):
        assert owner_client.post(address).status_code == 404, address
    assert live_score(agency, growth) == 9


def test_the_service_refuses_what_it_cannot_take(owner, setting, growth):
    friend_round, agency = setting
    with pytest.raises(AdoptProblem):
        adopt_friends_score(
            user=owner,
            round_id=friend_round.pk,
            opportunity_id=agency.pk,
            criterion_id=growth.pk,
            expected=5,
        )
    adopted = adopt_friends_score(
        user=owner, round_id=friend_round.pk, opportunity_id=agency.pk, criterion_id=growth.pk
    )
    assert (adopted.before, adopted.after, adopted.changed) == (9, 3, True)
    assert adopted.friends.count == 3


def test_taking_it_by_htmx_needs_the_csrf_token(owner, setting, growth):
    friend_round, agency = setting
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    address = adopt_url(friend_round, agency, growth)
    htmx = {"HX-Request": "true", "HX-Target": f"result-{agency.pk}-{growth.pk}"}
    assert client.post(address, {"median": "3"}, headers=htmx).status_code == 403
    page = client.get(url("friends_round", friend_round.pk))
    token = page.cookies["csrftoken"].value
    response = client.post(address, {"median": "3"}, headers={**htmx, "X-CSRFToken": token})
    assert response.status_code == 200
    assert live_score(agency, growth) == 3
