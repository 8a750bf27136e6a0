"""Adding an opportunity is idempotent: the same form sent again (a double click, a
retried request, Back and submit) adds it once and shows the first one."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from opportunities.models import Evaluation, Opportunity, StageChange, UsedFormToken
from opportunities.pipeline.services import create_opportunity_once
from opportunities.web.once import submission_of

pytestmark = pytest.mark.django_db

CREATE = reverse("opportunities:opportunity_create")
VALID = {
    "title": "Part-time strategist",
    "organisation": "A marketing firm",
    "source": "informational_interview",
    "arrangement": "employee",
    "schedule": "part_time",
    "hours_per_week": "24",
    "stage": "lead",
}


def detail(opportunity) -> str:
    return reverse("opportunities:opportunity_detail", args=[opportunity.pk])


def token_from(client) -> str:
    """The one-time token of a freshly opened "Add an opportunity" form."""
    html = client.get(CREATE).text
    return re.search(r'name="form_token" value="([0-9a-f-]{36})"', html).group(1)


def test_each_add_form_carries_a_fresh_one_time_token(client_in):
    first, second = token_from(client_in), token_from(client_in)
    assert first != second
    edit = client_in.get(
        reverse("opportunities:opportunity_edit", args=[_create(client_in).pk])
    ).text
    assert 'name="form_token"' not in edit  # editing twice is harmless


def _create(client) -> Opportunity:
    client.post(CREATE, VALID | {"form_token": token_from(client)})
    return Opportunity.objects.latest("pk")


def test_the_same_form_sent_twice_adds_one_opportunity_and_shows_it(client_in, user):
    data = VALID | {"form_token": token_from(client_in)}
    first = client_in.post(CREATE, data)
    again = client_in.post(CREATE, data, follow=True)
    opportunity = Opportunity.objects.get(owner=user)
    assert first["Location"] == detail(opportunity)
    assert again.redirect_chain == [(detail(opportunity), 302)]
    assert "“Part-time strategist at A marketing firm” was already saved" in again.text
    assert "Nothing was added twice" in again.text
    assert Evaluation.objects.filter(opportunity=opportunity).count() == 1
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_the_same_form_sent_twice_by_htmx_is_sent_to_the_first(client_in, user, htmx_headers):
    data = VALID | {"form_token": token_from(client_in)}
    client_in.post(CREATE, data, headers=htmx_headers())
    again = client_in.post(CREATE, data, headers=htmx_headers())
    assert again["HX-Redirect"] == detail(Opportunity.objects.get(owner=user))


def test_back_and_submit_again_is_recognised_by_what_was_typed(client_in, user):
    """Back fetches the form afresh (with a new token) and the browser refills it."""
    client_in.post(CREATE, VALID | {"form_token": token_from(client_in)})
    again = client_in.post(CREATE, VALID | {"form_token": token_from(client_in)})
    opportunity = Opportunity.objects.get(owner=user)
    assert again["Location"] == detail(opportunity)


def test_changed_after_going_back_it_is_a_new_opportunity(client_in, user):
    client_in.post(CREATE, VALID | {"form_token": token_from(client_in)})
    client_in.post(
        CREATE, VALID | {"title": "Senior strategist", "form_token": token_from(client_in)}
    )
    assert sorted(Opportunity.objects.values_list("title", flat=True)) == [
        "Part-time strategist",
        "Senior strategist",
    ]


def test_the_status_quo_form_sent_again_shows_it_rather_than_an_error(client_in, user):
    data = VALID | {"title": "Stay as I am", "is_status_quo": "on"}
    token = token_from(client_in)
    client_in.post(f"{CREATE}?status_quo=1", data | {"form_token": token})
    again = client_in.post(f"{CREATE}?status_quo=1", data | {"form_token": token})
    assert again["Location"] == detail(Opportunity.objects.get(owner=user, is_status_quo=True))


def test_once_deleted_the_same_form_can_add_it_again(client_in, user):
    data = VALID | {"form_token": token_from(client_in)}
    client_in.post(CREATE, data)
    client_in.post(reverse("opportunities:opportunity_delete", args=[Opportunity.objects.get().pk]))
    response = client_in.post(CREATE, data)
    opportunity = Opportunity.objects.get(owner=user)
    assert response["Location"] == detail(opportunity)
    assert UsedFormToken.objects.get().object_id == opportunity.pk


def test_an_invalid_form_sent_twice_is_refused_twice_and_adds_nothing(client_in):
    data = VALID | {"title": "", "form_token": token_from(client_in)}
    for _ in range(2):
        response = client_in.post(CREATE, data)
        assert response.status_code == 200
        assert "This field is required" in response.text
        assert f'value="{data["form_token"]}"' in response.text  # still the same form
    assert not Opportunity.objects.exists()
    assert not UsedFormToken.objects.exists()


@pytest.mark.parametrize("token", ["", "not-a-uuid", "x" * 10_000, "<script>alert(1)</script>"])
def test_a_missing_or_forged_token_still_adds_once(client_in, user, token):
    first = client_in.post(CREATE, VALID | {"form_token": token})
    again = client_in.post(CREATE, VALID | {"form_token": token})
    opportunity = Opportunity.objects.get(owner=user)
    assert first["Location"] == again["Location"] == detail(opportunity)


def test_another_users_token_does_not_lead_to_their_opportunity(client, user, other_user):
    client.force_login(other_user)
    token = token_from(client)
    client.post(CREATE, VALID | {"form_token": token})
    theirs = Opportunity.objects.get(owner=other_user)
    client.force_login(user)
    response = client.post(CREATE, VALID | {"form_token": token})
    mine = Opportunity.objects.get(owner=user)
    assert response["Location"] == detail(mine) != detail(theirs)


def test_two_requests_with_one_token_at_the_same_moment_add_one(user):
    """Both passed the view's "sent before?" check before either had committed: the
    unique constraint lets only the first create, and the second gets the first one."""
    submission = submission_of(VALID | {"form_token": str(uuid.uuid4())})
    first = create_opportunity_once(
        user=user, opportunity=Opportunity(title="Twice"), submission=submission
    )
    second = create_opportunity_once(
        user=user, opportunity=Opportunity(title="Twice"), submission=submission
    )
    assert first.created
    assert not second.created
    assert second.object == first.object
    assert Opportunity.objects.count() == 1


def test_the_database_refuses_a_token_used_twice(user, other_user):
    token = uuid.uuid4()
    UsedFormToken.objects.create(owner=user, token=token, kind="opportunities.opportunity")
    UsedFormToken.objects.create(owner=other_user, token=token, kind="opportunities.opportunity")
    with pytest.raises(IntegrityError), transaction.atomic():
        UsedFormToken.objects.create(owner=user, token=token, kind="opportunities.opportunity")
