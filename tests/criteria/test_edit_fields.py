"""A criterion card's "Rename, describe, set the scale or a must-have minimum" fields are
drawn only when asked for (issue 21: every card's form on every view was most of the
criteria page's cost): ``?edit=<pk>`` draws that card open, htmx fetches its fields alone
as its details open, and without JavaScript the card's Save button saves its weight."""

import pytest
from django.urls import reverse

from opportunities.models import Criterion, CriterionKind

pytestmark = pytest.mark.django_db

CRITERIA = reverse("opportunities:criteria")


def test_the_page_draws_no_card_form_only_what_fetches_it(client_in, criteria):
    page = client_in.get(CRITERIA).text
    for criterion in criteria:
        assert f'id="id_c{criterion.pk}_name"' not in page
        assert f'id="id_c{criterion.pk}_weight"' in page  # the slider is always there
        assert f'hx-get="{CRITERIA}?edit={criterion.pk}"' in page
        assert f'href="{CRITERIA}?edit={criterion.pk}#criterion-title-{criterion.pk}"' in page
    assert 'data-testid="edit-criterion" open' not in page
    assert 'id="id_new_name"' in page  # the add form is drawn: it is one form


def test_asked_to_edit_one_the_page_draws_it_open_and_only_it(client_in, criteria):
    opened, other = criteria[2], criteria[3]
    response = client_in.get(CRITERIA, {"edit": opened.pk})
    assert response.status_code == 200
    page = response.text
    card = page.split(f'id="criterion-title-{opened.pk}"')[1].split("criterion-row")[0]
    assert 'data-testid="edit-criterion" open' in card
    assert f'id="id_c{opened.pk}_name"' in card
    assert f'value="{opened.name}"' in card
    assert 'name="loaded_version"' in card
    assert f'id="id_c{other.pk}_name"' not in page
    assert page.count('data-testid="edit-criterion" open') == 1


def test_htmx_gets_the_card_fields_alone(client_in, user, criteria, htmx_headers):
    number = Criterion.objects.create(
        owner=user,
        name="Commute",
        low_meaning="0 = two hours",
        high_meaning="10 = a walk",
        weight=4,
        position=99,
        kind=CriterionKind.NUMBER,
        unit="minutes a day",
        worst=90,
        best=10,
    )
    response = client_in.get(CRITERIA, {"edit": number.pk}, headers=htmx_headers("edit-fields"))
    assert response.status_code == 200
    html = response.text.strip()
    assert "<html" not in html
    assert html.startswith(f'<div class="mt-2" id="edit-fields-{number.pk}">')
    assert f'id="id_c{number.pk}_name"' in html
    assert 'name="loaded_version"' in html
    assert " checked" in html.split('value="number"')[1].split(">")[0]  # scored as a number
    assert 'value="minutes a day"' in html
    assert ">Save Commute</button>" in html
    assert "weight-summary" not in html


def test_the_fetched_fields_save_with_the_card(client_in, criteria, htmx_headers):
    """What htmx fetched posts to the card's form as the page drawn open would."""
    criterion = criteria[1]
    fields = client_in.get(CRITERIA, {"edit": criterion.pk}, headers=htmx_headers()).text
    version = fields.split('name="loaded_version" value="')[1].split('"')[0]
    response = client_in.post(
        reverse("opportunities:criterion_update", args=[criterion.pk]),
        {
            "loaded_version": version,
            "name": "Money",
            "low_meaning": criterion.low_meaning,
            "high_meaning": criterion.high_meaning,
            "weight": "5",
        },
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.name, criterion.weight) == ("Money", 5)


@pytest.mark.parametrize(
    "asked", ["abc", "-1", "1.5", "", " 1", "٣", "9" * 19, "0", "<script>", "999999"]
)
def test_an_edit_that_names_no_criterion_of_yours_is_a_404(
    client_in, criteria, htmx_headers, asked
):
    for headers in ({}, htmx_headers("edit-fields")):
        response = client_in.get(CRITERIA, {"edit": asked}, headers=headers)
        assert response.status_code == 404, (asked, headers)


def test_another_users_or_an_archived_criterion_is_a_404(
    client_in, user, other_user, criteria, htmx_headers
):
    theirs = Criterion.objects.create(
        owner=other_user, name="Secret", weight=3, low_meaning="0 = a", high_meaning="10 = b"
    )
    archived = criteria[4]
    client_in.post(reverse("opportunities:criterion_archive", args=[archived.pk]))
    for pk in (theirs.pk, archived.pk):
        for headers in ({}, htmx_headers("edit-fields")):
            response = client_in.get(CRITERIA, {"edit": pk}, headers=headers)
            assert response.status_code == 404
            assert "Secret" not in response.text


def test_without_javascript_a_cards_save_button_saves_its_weight(client_in, criteria):
    criterion = criteria[0]
    response = client_in.post(
        reverse("opportunities:criterion_weight", args=[criterion.pk]), {"weight": "2"}, follow=True
    )
    assert response.redirect_chain == [(CRITERIA, 302)]
    assert f"“{criterion.name}” saved." in response.text
    criterion.refresh_from_db()
    assert criterion.weight == 2

    response = client_in.post(
        reverse("opportunities:criterion_weight", args=[criterion.pk]),
        {"weight": "eleven"},
        follow=True,
    )
    assert f"{criterion.name}: " in response.text
    assert f"“{criterion.name}” saved." not in response.text
    criterion.refresh_from_db()
    assert criterion.weight == 2


def test_a_refused_edit_keeps_what_was_typed_in_its_card_open(client_in, criteria):
    criterion = criteria[1]
    response = client_in.post(
        reverse("opportunities:criterion_update", args=[criterion.pk]),
        {"name": "", "weight": "7", "low_meaning": "typed <b>this</b>", "high_meaning": ""},
    )
    assert response.status_code == 200
    page = response.text
    card = page.split(f'id="criterion-title-{criterion.pk}"')[1].split("criterion-row")[0]
    assert 'data-testid="edit-criterion" open' in card
    assert "typed &lt;b&gt;this&lt;/b&gt;" in card
    assert f'id="id_c{criterion.pk}_weight" value="7"' in card
    # Every other card is drawn closed, its fields fetched when opened.
    assert page.count('data-testid="edit-criterion" open') == 1
    assert page.count(f'hx-get="{CRITERIA}?edit=') == len(criteria) - 1


def test_the_fields_cost_three_queries_and_the_open_page_no_more_than_the_page(
    client_in, user, criteria, htmx_headers, django_assert_max_num_queries
):
    # session and user, the criterion (its form asks nothing more of the database).
    with django_assert_max_num_queries(3):
        response = client_in.get(CRITERIA, {"edit": criteria[0].pk}, headers=htmx_headers())
    assert response.status_code == 200
    with django_assert_max_num_queries(6):  # as the page (tests/criteria/test_views.py)
        client_in.get(CRITERIA, {"edit": criteria[0].pk})
