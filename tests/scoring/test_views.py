"""The scoring panel: one slider's score saved over htmx, or the whole panel without JS."""

import pytest
from django.test import Client
from django.urls import reverse

from opportunities.criteria.services import set_archived
from opportunities.models import Criterion, Evaluation, Score
from tests.factories import CriterionFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def score_url(opportunity, criterion) -> str:
    return reverse("opportunities:score_save", args=[opportunity.pk, criterion.pk])


def scores_url(opportunity) -> str:
    return reverse("opportunities:scores_save", args=[opportunity.pk])


def live(opportunity) -> Evaluation:
    return Evaluation.objects.get(opportunity=opportunity, frozen_at=None)


@pytest.fixture
def values_fit(criteria):
    return criteria[0]  # weight 8


def test_each_row_takes_its_status_from_the_answer_to_its_save(client_in, opportunity, criteria):
    page = client_in.get(reverse("opportunities:opportunity_detail", args=[opportunity.pk])).text
    for criterion in criteria:
        p = criterion.pk
        assert f'hx-select-oob="#score-status-{p},#score-derivation-{p}"' in page
        assert f'id="score-status-{p}"' in page


def test_htmx_save_returns_the_new_total_coverage_and_row_status_only(
    client_in, opportunity, values_fit, htmx_headers
):
    p = values_fit.pk
    response = client_in.post(
        score_url(opportunity, values_fit),
        {f"{p}-value": "7", f"{p}-note": "Good people"},
        headers=htmx_headers("score-summary"),
    )
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html
    assert html.strip().startswith('<section id="score-summary"')
    assert "70.0" in html  # 100 · 8·7 / (10 · 8)
    assert "1 of 7 scored" in html
    assert f'id="score-status-{p}"' in html  # which the row picks out with hx-select-oob
    assert "hx-swap-oob" not in html
    assert "✓ Saved" in html
    assert "scoreChanged" in response["HX-Trigger-After-Settle"]
    score = Score.objects.get()
    assert (score.value, score.note) == (7, "Good people")
    assert live(opportunity).decision_score == pytest.approx(70.0)


def test_plain_post_saves_and_returns_to_the_full_page(client_in, opportunity, values_fit):
    p = values_fit.pk
    response = client_in.post(score_url(opportunity, values_fit), {f"{p}-value": "3"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "opportunities:opportunity_detail", args=[opportunity.pk]
    )
    page = Client()
    page.force_login(opportunity.owner)
    assert Score.objects.get().value == 3


def test_an_empty_value_unscores_and_a_missing_note_is_left_alone(
    client_in, opportunity, values_fit, htmx_headers
):
    p = values_fit.pk
    url = score_url(opportunity, values_fit)
    client_in.post(url, {f"{p}-value": "9", f"{p}-note": "keep me"}, headers=htmx_headers())
    response = client_in.post(url, {f"{p}-value": ""}, headers=htmx_headers())
    assert "0 of 7 scored" in response.text
    score = Score.objects.get()
    assert (score.value, score.note) == (None, "keep me")
    assert live(opportunity).decision_score is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11", "A score is a whole number from 0 to 10."),
        ("-1", "A score is a whole number from 0 to 10."),
        ("seven", "A score is a whole number from 0 to 10."),
        ("NaN", "A score is a whole number from 0 to 10."),
        ("1e309", "A score is a whole number from 0 to 10."),
        ("9" * 10_000, "A score is a whole number from 0 to 10."),
        (None, "No score was sent."),
    ],
)
def test_bad_scores_get_a_clear_message_and_save_nothing(
    client_in, opportunity, values_fit, htmx_headers, value, message
):
    p = values_fit.pk
    data = {} if value is None else {f"{p}-value": value}
    response = client_in.post(score_url(opportunity, values_fit), data, headers=htmx_headers())
    assert response.status_code == 200
    assert "Not saved: " + message in response.text
    assert not Score.objects.exists()


def test_an_oversized_note_is_refused_and_the_score_not_saved(
    client_in, opportunity, values_fit, htmx_headers
):
    p = values_fit.pk
    response = client_in.post(
        score_url(opportunity, values_fit),
        {f"{p}-value": "5", f"{p}-note": "n" * 10_000},
        headers=htmx_headers(),
    )
    assert "Keep the note to 500 characters; it has 10000" in response.text
    assert not Score.objects.exists()


def test_hostile_note_is_escaped_on_the_page(client_in, opportunity, values_fit, htmx_headers):
    p = values_fit.pk
    payload = '"><script>alert(1)</script><div hx-get="/evil" hx-trigger="load">'
    client_in.post(
        score_url(opportunity, values_fit),
        {f"{p}-value": "5", f"{p}-note": payload},
        headers=htmx_headers(),
    )
    page = client_in.get(reverse("opportunities:opportunity_detail", args=[opportunity.pk]))
    assert "<script>alert(1)</script>" not in page.text
    assert 'hx-get="/evil"' not in page.text
    assert "&lt;script&gt;" in page.text


def test_must_have_failure_is_reported_in_the_response(
    client_in, opportunity, criteria, htmx_headers
):
    daily = next(c for c in criteria if c.name == "Daily & weekly life")
    daily.minimum = 5
    daily.save()
    response = client_in.post(
        score_url(opportunity, daily), {f"{daily.pk}-value": "4"}, headers=htmx_headers()
    )
    assert "Fails a must-have" in response.text
    assert "Below your must-have minimum of 5" in response.text
    assert live(opportunity).must_have_failures == 1


def test_other_users_opportunity_or_criterion_is_a_404_and_saves_nothing(
    client_in, user, other_user, values_fit
):
    theirs = OpportunityFactory(owner=other_user)
    their_criterion = Criterion.objects.filter(owner=other_user).first()
    mine = OpportunityFactory(owner=user)
    assert client_in.post(score_url(theirs, values_fit), {"x": 1}).status_code == 404
    assert client_in.post(score_url(mine, their_criterion), {"x": 1}).status_code == 404
    assert client_in.post(scores_url(theirs), {}).status_code == 404
    assert not Score.objects.exists()


def test_archived_criterion_cannot_be_scored(client_in, opportunity, values_fit):
    set_archived(criterion=values_fit, archived=True)
    p = values_fit.pk
    response = client_in.post(score_url(opportunity, values_fit), {f"{p}-value": "5"})
    assert response.status_code == 404


def test_get_on_the_save_endpoint_is_not_allowed(client_in, opportunity, values_fit):
    assert client_in.get(score_url(opportunity, values_fit)).status_code == 405


def test_csrf_is_enforced_and_the_htmx_header_token_is_accepted(user, opportunity, values_fit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    p = values_fit.pk
    url = score_url(opportunity, values_fit)
    assert client.post(url, {f"{p}-value": "5"}, headers={"HX-Request": "true"}).status_code == 403
    assert not Score.objects.exists()
    page = client.get(reverse("opportunities:opportunity_detail", args=[opportunity.pk]))
    token = page.context["csrf_token"]
    assert f'"X-CSRFToken": "{token}"' in page.text  # sent on every htmx request
    response = client.post(
        url, {f"{p}-value": "5"}, headers={"HX-Request": "true", "X-CSRFToken": str(token)}
    )
    assert response.status_code == 200
    assert Score.objects.get().value == 5


@pytest.mark.parametrize("extra_criteria", [0, 20])
def test_save_query_count_does_not_grow_with_criteria(
    client_in,
    user,
    opportunity,
    values_fit,
    htmx_headers,
    extra_criteria,
    django_assert_num_queries,
):
    CriterionFactory.create_batch(extra_criteria, owner=user)
    OpportunityFactory.create_batch(extra_criteria, owner=user)
    p = values_fit.pk
    # session, user; in the transaction (a savepoint in tests): lock the live evaluation
    # (which checks the opportunity is the user's), the active criteria with the
    # evaluation's scores, insert the first score (then update it), store the new total.
    # The response reuses what the save loaded. Then the page-cache counter.
    for value in ("6", "7"):
        with django_assert_num_queries(9):
            response = client_in.post(
                score_url(opportunity, values_fit), {f"{p}-value": value}, headers=htmx_headers()
            )
    assert response.status_code == 200


def test_whole_panel_without_javascript_saves_every_score(client_in, opportunity, criteria):
    data = {f"{c.pk}-value": str(i) for i, c in enumerate(criteria)}
    data |= {f"{criteria[0].pk}-note": "first"}
    response = client_in.post(scores_url(opportunity), data)
    assert response.status_code == 302
    values = dict(Score.objects.values_list("criterion_id", "value"))
    assert values == {c.pk: i for i, c in enumerate(criteria)}
    assert live(opportunity).scored_count == len(criteria)


def test_whole_panel_with_one_bad_value_saves_nothing_and_keeps_the_input(
    client_in, opportunity, criteria
):
    data = {f"{c.pk}-value": "5" for c in criteria}
    data[f"{criteria[2].pk}-value"] = "12"
    response = client_in.post(scores_url(opportunity), data)
    assert response.status_code == 200
    assert "Nothing was changed" in response.text
    assert 'value="12"' in response.text
    assert "A score is a whole number from 0 to 10." in response.text
    assert not Score.objects.exists()


def test_reload_shows_the_saved_value(client_in, opportunity, values_fit, htmx_headers):
    p = values_fit.pk
    client_in.post(score_url(opportunity, values_fit), {f"{p}-value": "4"}, headers=htmx_headers())
    page = client_in.get(reverse("opportunities:opportunity_detail", args=[opportunity.pk]))
    assert f'name="{p}-value" id="id_{p}-value" value="4"' in page.text


def test_scores_on_archived_criteria_stay_and_come_back_on_restore(
    client_in, opportunity, criteria, htmx_headers
):
    first, second = criteria[0], criteria[1]
    for criterion, value in ((first, 10), (second, 0)):
        client_in.post(
            score_url(opportunity, criterion),
            {f"{criterion.pk}-value": str(value)},
            headers=htmx_headers(),
        )
    # (8·10 + 7·0) / (10·15)
    assert live(opportunity).decision_score == pytest.approx(100 * 80 / 150)
    set_archived(criterion=first, archived=True)
    assert live(opportunity).decision_score == pytest.approx(0.0)
    assert Score.objects.get(criterion=first, evaluation=live(opportunity)).value == 10
    first.refresh_from_db()
    assert first.archived_at is not None
    set_archived(criterion=first, archived=False)
    assert live(opportunity).decision_score == pytest.approx(100 * 80 / 150)
    first.refresh_from_db()
    assert first.archived_at is None
