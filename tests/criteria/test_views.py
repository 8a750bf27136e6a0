import pytest
from django.urls import reverse

from opportunities.models import Criterion, Evaluation
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

CRITERIA = reverse("opportunities:criteria")
ADD = reverse("opportunities:criterion_add")


SCALE = {"low_meaning": "over an hour each way", "high_meaning": "a short walk"}
"""What 0 and 10 mean: asked of every criterion added."""


def url(name: str, criterion) -> str:
    return reverse(f"opportunities:criterion_{name}", args=[criterion.pk])


def form_data(criterion, **changes) -> dict:
    data = {
        "name": criterion.name,
        "description": criterion.description,
        "low_meaning": criterion.low_meaning,
        "high_meaning": criterion.high_meaning,
        "weight": criterion.weight,
        "minimum": "" if criterion.minimum is None else criterion.minimum,
    }
    return data | changes


def test_page_lists_active_criteria_with_shares(client_in):
    response = client_in.get(CRITERIA)
    assert response.status_code == 200
    assert "Values fit" in response.text
    assert "Total weight 46 across 7 criteria" in response.text
    assert ">17%<" in response.text  # 8 / 46


def test_weight_slider_htmx_saves_and_returns_every_share_only(client_in, criteria, htmx_headers):
    values_fit = criteria[0]
    response = client_in.post(
        url("weight", values_fit), {"weight": "0"}, headers=htmx_headers("weight-summary")
    )
    html = response.text
    assert "<html" not in html
    assert html.strip().startswith('<p id="weight-summary"')
    assert "Total weight 38" in html
    for criterion in criteria:
        assert f'id="share-{criterion.pk}"' in html
    assert "hx-swap-oob" not in html
    # ...and each slider picks every share out of the answer.
    page = client_in.get(reverse("opportunities:criteria")).text
    shares = ",".join(f"#share-{criterion.pk}" for criterion in criteria[1:])
    # (then what a point of each is worth in money, and the gut fit: tests/weights)
    assert page.count(f'hx-select-oob="#share-{criteria[0].pk},{shares},#money-') == len(criteria)
    assert ">18%<" in html  # Pay: 7 / 38
    values_fit.refresh_from_db()
    assert values_fit.weight == 0


def test_weight_change_recomputes_stored_live_scores(client_in, user, criteria, htmx_headers):
    opportunity = OpportunityFactory(owner=user)
    save_score(opportunity=opportunity, criterion=criteria[0], value=10)
    save_score(opportunity=opportunity, criterion=criteria[1], value=0)
    client_in.post(url("weight", criteria[1]), {"weight": "2"}, headers=htmx_headers())
    live = Evaluation.objects.get(opportunity=opportunity, frozen_at=None)
    assert live.decision_score == pytest.approx(100 * (8 * 10 + 2 * 0) / (10 * (8 + 2)))


@pytest.mark.parametrize("weight", ["11", "-1", "heavy", "", "5.5", "1" * 10_000])
def test_bad_weight_is_refused_with_a_message(client_in, criteria, htmx_headers, weight):
    response = client_in.post(
        url("weight", criteria[0]), {"weight": weight}, headers=htmx_headers()
    )
    assert response.status_code == 200
    assert "Not saved:" in response.text
    criteria[0].refresh_from_db()
    assert criteria[0].weight == 8


def test_weight_plain_post_redirects_back(client_in, criteria):
    response = client_in.post(url("weight", criteria[0]), {"weight": "3"})
    assert response["Location"] == CRITERIA


def test_add_a_criterion_goes_last(client_in, user):
    response = client_in.post(
        ADD,
        {"name": "Commute", "weight": "3", "minimum": "2", "description": "Time on the road"}
        | SCALE,
    )
    assert response["Location"] == CRITERIA
    added = Criterion.objects.get(owner=user, name="Commute")
    assert added.position == 7
    assert (added.weight, added.minimum) == (3, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "weight": "3"}, "This field is required"),
        ({"name": "values FIT", "weight": "3"}, "You already have a criterion with this name"),
        ({"name": "x" * 10_000, "weight": "3"}, "80 characters"),
        ({"name": "Commute", "weight": "12"}, "less than or equal to 10"),
        ({"name": "Commute", "weight": "3", "minimum": "-2"}, "greater than or equal to 0"),
        ({"name": "Commute", "weight": "3", "description": "d" * 10_000}, "300 characters"),
        ({"name": "Commute", "weight": "3", "low_meaning": ""}, "Say what a score of 0 means"),
        ({"name": "Commute", "weight": "3", "high_meaning": " "}, "Say what a score of 10 means"),
        ({"name": "Commute", "weight": "3", "low_meaning": "0 = "}, "Say what a score of 0 means"),
        ({"name": "Commute", "weight": "3", "high_meaning": "m" * 191}, "190 characters"),
    ],
)
def test_add_rejects_bad_input_and_keeps_it(client_in, user, data, message):
    response = client_in.post(ADD, SCALE | data)
    assert response.status_code == 200
    assert message in response.text
    assert "was not added" in response.text
    assert Criterion.objects.filter(owner=user).count() == 7


def test_rename_and_set_a_must_have(client_in, criteria):
    gut = criteria[-1]
    response = client_in.post(url("update", gut), form_data(gut, name="Instinct", minimum=4))
    assert response["Location"] == CRITERIA
    gut.refresh_from_db()
    assert (gut.name, gut.minimum) == ("Instinct", 4)


def test_rename_to_an_existing_name_is_refused(client_in, criteria):
    gut = criteria[-1]
    response = client_in.post(url("update", gut), form_data(gut, name="Pay"))
    assert "You already have a criterion with this name" in response.text
    assert '<details class="mt-2" data-testid="edit-criterion" open>' in response.text
    gut.refresh_from_db()
    assert gut.name == "Gut feeling"


def test_archive_and_restore(client_in, criteria):
    pay = criteria[1]
    client_in.post(url("archive", pay))
    pay.refresh_from_db()
    assert pay.archived_at is not None
    page = client_in.get(CRITERIA)
    assert "Archived" in page.text
    assert "Total weight 39 across 6 criteria" in page.text
    client_in.post(url("restore", pay))
    pay.refresh_from_db()
    assert pay.archived_at is None


def test_restore_refuses_a_name_clash(client_in, user, criteria):
    pay = criteria[1]
    client_in.post(url("archive", pay))
    client_in.post(ADD, {"name": "Pay", "weight": "5"} | SCALE)
    response = client_in.post(url("restore", pay), follow=True)
    assert "already have an active criterion called “Pay”" in response.text
    pay.refresh_from_db()
    assert pay.archived_at is not None


def test_move_up_and_down(client_in, user, criteria):
    client_in.post(url("move", criteria[1]), {"direction": "up"})
    names = list(Criterion.objects.filter(owner=user).values_list("name", flat=True))
    assert names[:2] == ["Pay", "Values fit"]
    client_in.post(url("move", criteria[1]), {"direction": "down"})
    client_in.post(url("move", criteria[-1]), {"direction": "down"})  # already last: no-op
    names = list(Criterion.objects.filter(owner=user).values_list("name", flat=True))
    assert names[:2] == ["Values fit", "Pay"]
    assert names[-1] == "Gut feeling"


def test_another_users_criterion_is_a_404(client_in, other_user):
    theirs = Criterion.objects.filter(owner=other_user).first()
    for name in ("update", "weight", "move", "archive", "restore"):
        assert client_in.post(url(name, theirs), form_data(theirs, weight=1)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.weight != 1
    assert theirs.archived_at is None


def test_mutating_endpoints_refuse_get(client_in, criteria):
    for name in ("update", "weight", "move", "archive", "restore"):
        assert client_in.get(url(name, criteria[0])).status_code == 405
    assert client_in.get(ADD).status_code == 405


def test_posted_owner_is_ignored_when_adding(client_in, user, other_user):
    client_in.post(ADD, {"name": "Commute", "weight": "3", "owner": other_user.pk} | SCALE)
    assert Criterion.objects.get(name="Commute").owner_id == user.pk


def test_criteria_page_query_count_does_not_grow(client_in, user, django_assert_max_num_queries):
    # session, user, criteria; the pay settings (weights in money), the gut rankings (and,
    # when there are some, their options' live scores: tests/weights/test_gut_views.py),
    # the latest swing answers
    with django_assert_max_num_queries(6):
        client_in.get(CRITERIA)
    Criterion.objects.bulk_create(
        Criterion(owner=user, name=f"Extra {i}", weight=3, position=10 + i) for i in range(30)
    )
    with django_assert_max_num_queries(6):
        client_in.get(CRITERIA)
