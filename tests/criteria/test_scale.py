"""Issue 14, items 11 and 15: a criterion the user adds keeps its scale (what 0 and 10
mean), shown on the criteria page and the scoring panel; "Add a criterion" sits at the
top; a criterion's Save button is there for what the weight slider does not save."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from opportunities.criteria.forms import on_the_scale
from opportunities.models import Criterion
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

CRITERIA = reverse("opportunities:criteria")
ADD = reverse("opportunities:criterion_add")


@pytest.mark.parametrize(
    ("end", "typed", "stored"),
    [
        (0, "over an hour each way", "0 = over an hour each way"),
        (0, "  0 = over an hour  ", "0 = over an hour"),
        (0, "0: over an hour", "0 = over an hour"),
        (0, "0 - over an hour", "0 = over an hour"),
        (0, "0 means over an hour", "0 = over an hour"),
        (0, "0 days at home", "0 = 0 days at home"),
        (10, "a short walk", "10 = a short walk"),
        (10, "10=a short walk", "10 = a short walk"),
        (10, "10 – a short walk", "10 = a short walk"),
        (0, "0 =", ""),
        (10, "   ", ""),
    ],
)
def test_a_scale_end_reads_as_the_defaults_do(end, typed, stored):
    assert on_the_scale(end, typed) == stored


def test_adding_a_criterion_asks_what_0_and_10_mean_and_shows_it(client_in, user):
    form = (
        client_in.get(CRITERIA).text.split('data-testid="add-criterion"')[1].split("</details>")[0]
    )
    assert "What a 0 means" in form
    assert "What a 10 means" in form

    client_in.post(
        ADD,
        {
            "name": "Commute",
            "weight": "3",
            "low_meaning": "over an hour each way",
            "high_meaning": "10: a short walk",
        },
    )

    commute = Criterion.objects.get(owner=user, name="Commute")
    assert (commute.low_meaning, commute.high_meaning) == (
        "0 = over an hour each way",
        "10 = a short walk",
    )
    card = client_in.get(CRITERIA).text.split(f'id="criterion-title-{commute.pk}"')[1]
    scale = card.split('data-testid="criterion-scale"')[1].split("</p>")[0]
    assert "0 = over an hour each way" in scale
    assert "10 = a short walk" in scale
    # ...and beside its slider on every opportunity.
    opportunity = OpportunityFactory(owner=user)
    panel = client_in.get(reverse("opportunities:opportunity_detail", args=[opportunity.pk])).text
    meanings = panel.split(f'id="meaning-{commute.pk}"')[1].split("</div>")[0]
    assert "0 = over an hour each way" in meanings
    assert "10 = a short walk" in meanings


def test_a_criterion_without_a_scale_is_refused_with_the_form_kept_open(client_in, user):
    response = client_in.post(
        ADD, {"name": "Commute", "description": "Time on the road", "weight": "3"}
    )
    assert response.status_code == 200
    page = response.text
    assert "Say what a score of 0 means for this criterion" in page
    assert "Say what a score of 10 means for this criterion" in page
    assert 'data-testid="add-criterion" open' in page
    assert 'value="Commute"' in page
    assert "Time on the road" in page
    assert not Criterion.objects.filter(owner=user, name="Commute").exists()


def test_a_criterion_from_before_says_it_has_no_scale_and_editing_asks_for_one(
    client_in, user, criteria
):
    old = Criterion.objects.create(owner=user, name="Commute", weight=3, position=9)
    card = client_in.get(CRITERIA).text.split(f'id="criterion-title-{old.pk}"')[1]
    scale = card.split('data-testid="criterion-scale"')[1].split("</p>")[0]
    assert "No scale yet: say what 0 and 10 mean" in scale

    response = client_in.post(
        reverse("opportunities:criterion_update", args=[old.pk]),
        {"name": "Commute", "weight": "3", "low_meaning": "", "high_meaning": "a short walk"},
    )
    assert "Say what a score of 0 means for this criterion" in response.text
    old.refresh_from_db()
    assert (old.low_meaning, old.high_meaning) == ("", "")


def test_add_a_criterion_comes_before_the_criteria_and_opens_when_there_are_none(
    client_in, user, criteria
):
    page = client_in.get(CRITERIA).text
    assert page.index('id="add-criterion"') < page.index(f'id="criterion-title-{criteria[0].pk}"')
    assert 'data-testid="add-criterion">' in page  # closed while there are criteria
    Criterion.objects.filter(owner=user).delete()
    assert 'data-testid="add-criterion" open' in client_in.get(CRITERIA).text


def test_each_card_has_a_save_button_for_without_javascript_and_one_in_its_details(
    client_in, criteria
):
    page = client_in.get(CRITERIA).text
    # The cards' edit fields are not drawn until asked for: each card's one button saves
    # its weight alone (the rest of its form is not on the page to be sent).
    for criterion in criteria:
        assert page.count(f">Save {escape(criterion.name)}</button>") == 1
        weight_url = reverse("opportunities:criterion_weight", args=[criterion.pk])
        assert f'nojs-only" formaction="{weight_url}">Save' in page
    assert "btn-primary js-only" not in page
    assert page.count("btn-primary mt-2 nojs-only") == len(criteria)

    # Asked to edit one, its fields are drawn with their own button, and its card's other
    # button saves them with the weight.
    opened = criteria[2]
    page = client_in.get(CRITERIA, {"edit": opened.pk}).text
    assert page.count(f">Save {escape(opened.name)}</button>") == 2
    assert page.count("btn-primary js-only") == 1
    assert page.count("formaction=") == len(criteria) - 1
