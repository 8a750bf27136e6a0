"""Entering a number criterion's amount on an opportunity: saved live with htmx and as a
plain form, scored through its curve, refused in words, never a 500."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from opportunities.models import Criterion, CriterionKind, Evaluation, Score
from opportunities.scoring.amounts import save_amount
from opportunities.scoring.services import live_evaluation, save_score
from tests.factories import CriterionFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def url(opportunity, criterion) -> str:
    return reverse("opportunities:amount_save", args=[opportunity.pk, criterion.pk])


def post(client, opportunity, criterion, amount, *, htmx=True, **extra):
    data = {f"{criterion.pk}-amount": amount} if amount is not None else {}
    data |= {f"{criterion.pk}-{name}": value for name, value in extra.items()}
    headers = {"HX-Request": "true", "HX-Target": "score-summary"} if htmx else {}
    return client.post(url(opportunity, criterion), data, headers=headers)


def stored(opportunity, criterion) -> Score | None:
    return Score.objects.filter(
        evaluation__opportunity=opportunity, evaluation__frozen_at=None, criterion=criterion
    ).first()


def live(opportunity) -> Evaluation:
    return Evaluation.objects.get(opportunity=opportunity, frozen_at=None)


def test_htmx_saves_the_amount_and_answers_with_its_score_and_the_total(
    client_in, opportunity, commute
):
    response = post(client_in, opportunity, commute, "35")

    assert response.status_code == 200
    assert "scoreChanged" in response.headers["HX-Trigger-After-Settle"]
    body = response.content.decode()
    assert 'id="score-summary"' in body
    assert f'id="amount-line-{commute.pk}"' in body
    assert "35 minutes a day → <strong" in body
    assert "✓ Saved" in body
    score = stored(opportunity, commute)
    assert (score.amount, score.value) == (Decimal(35), 7)  # (90 - 35) / 80 -> 6.875 -> 7
    assert live(opportunity).scored_count == 1
    assert live(opportunity).decision_score == Decimal(70)


def test_a_plain_post_saves_and_goes_back_to_the_page(client_in, opportunity, commute):
    response = post(client_in, opportunity, commute, "10.5", htmx=False, note="By train")

    assert response.status_code == 302
    assert response.url == reverse("opportunities:opportunity_detail", args=[opportunity.pk])
    score = stored(opportunity, commute)
    assert (score.amount, score.value, score.note) == (Decimal("10.5"), 10, "By train")
    page = client_in.get(response.url).content.decode()
    assert "Commute saved: 10.5 minutes a day scores 10." in page
    assert 'value="10.5"' in page


def test_empty_clears_the_amount_and_the_score(client_in, opportunity, commute):
    post(client_in, opportunity, commute, "35")
    response = post(client_in, opportunity, commute, "")

    assert response.status_code == 200
    score = stored(opportunity, commute)
    assert (score.amount, score.value) == (None, None)
    assert live(opportunity).scored_count == 0


def test_without_a_scale_the_amount_is_kept_unscored_and_the_page_says_where_to_set_it(
    client_in, user, opportunity
):
    unset = CriterionFactory(owner=user, name="Desk days", kind=CriterionKind.NUMBER)
    response = post(client_in, opportunity, unset, "3")

    body = response.content.decode()
    assert "not scored yet" in body
    assert "Set its scale to score it" in body
    assert reverse("opportunities:criterion_curve", args=[unset.pk]) in body
    score = stored(opportunity, unset)
    assert (score.amount, score.value) == (Decimal(3), None)
    page = client_in.get(opportunity.get_absolute_url()).content.decode()
    assert "Set its scale to score it" in page


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("abc", "Type a number"),
        ("35,5", "Type a number"),
        ("NaN", "Type a number"),
        ("Infinity", "Type a number"),
        ("-inf", "Type a number"),
        ("1e999999", "between"),
        ("10000000000", "between"),
        ("1.234", "at most 2 decimals"),
        ("9" * 5000, "between"),
        ("<script>alert(1)</script>", "Type a number"),
    ],
)
def test_wrong_and_hostile_amounts_are_refused_in_words_and_nothing_changes(
    client_in, opportunity, commute, typed, said
):
    post(client_in, opportunity, commute, "35")
    response = post(client_in, opportunity, commute, typed)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Not saved:" in body
    assert said in body
    assert "<script>alert" not in body
    assert stored(opportunity, commute).amount == Decimal(35)


def test_a_refused_amount_without_javascript_is_said_in_a_message(client_in, opportunity, commute):
    response = post(client_in, opportunity, commute, "abc", htmx=False)

    assert response.status_code == 302
    page = client_in.get(response.url).content.decode()
    assert "Commute: Type a number, like 35 or 12.5." in page


def test_nothing_sent_is_refused(client_in, opportunity, commute):
    response = post(client_in, opportunity, commute, None)
    assert "No number was sent" in response.content.decode()
    assert stored(opportunity, commute) is None


def test_an_oversized_note_is_refused_and_kept_out(client_in, opportunity, commute):
    response = post(client_in, opportunity, commute, "35", note="x" * 501)
    assert "Keep the note to 500 characters" in response.content.decode()
    assert stored(opportunity, commute) is None


def test_another_users_opportunity_or_criterion_is_a_404(
    client_in, other_user, opportunity, commute
):
    theirs = OpportunityFactory(owner=other_user)
    their_criterion = CriterionFactory(
        owner=other_user, kind=CriterionKind.NUMBER, worst=Decimal(0), best=Decimal(1)
    )
    assert post(client_in, theirs, commute, "35").status_code == 404
    assert post(client_in, opportunity, their_criterion, "35").status_code == 404
    assert post(client_in, theirs, commute, "abc").status_code == 404
    assert post(client_in, opportunity, their_criterion, "abc").status_code == 404
    assert not Score.objects.filter(amount__isnull=False).exists()


def test_an_archived_number_criterion_is_a_404(client_in, opportunity, commute):
    Criterion.objects.filter(pk=commute.pk).update(archived_at="2024-01-01T00:00Z")
    assert post(client_in, opportunity, commute, "35").status_code == 404


def test_a_criterion_scored_by_hand_takes_no_amount_and_says_so(client_in, opportunity, criteria):
    manual = next(c for c in criteria if c.kind == CriterionKind.MANUAL)
    pay = next(c for c in criteria if c.kind == CriterionKind.PAY)
    for criterion in (manual, pay):
        for typed in ("35", "abc"):
            response = post(client_in, opportunity, criterion, typed)
            assert response.status_code == 400
            assert "is not measured as a number" in response.content.decode()
    assert not Score.objects.filter(amount__isnull=False).exists()


def test_a_score_set_by_hand_follows_a_new_amount_and_stays_for_the_same_one(opportunity, commute):
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(35))
    save_score(opportunity=opportunity, criterion=commute, value=2)  # a friend's median
    score = stored(opportunity, commute)
    assert (score.value, score.overridden) == (2, True)

    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(35))
    score = stored(opportunity, commute)
    assert (score.value, score.overridden) == (2, True)

    saved = save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(50))
    score = stored(opportunity, commute)
    assert (score.value, score.overridden, saved.value) == (5, False, 5)


def test_a_range_stays_while_it_holds_the_new_score(opportunity, commute):
    evaluation = live_evaluation(opportunity)
    Score.objects.create(
        owner=opportunity.owner, evaluation=evaluation, criterion=commute, value=6, low=4, high=8
    )
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(35))  # 7
    assert (stored(opportunity, commute).low, stored(opportunity, commute).high) == (4, 8)
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(10))  # 10
    assert (stored(opportunity, commute).low, stored(opportunity, commute).high) == (None, None)


def test_the_page_shows_a_number_box_with_its_unit_instead_of_a_slider(
    client_in, opportunity, commute
):
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(35))
    body = client_in.get(opportunity.get_absolute_url()).content.decode()

    row = body[body.index(f'id="score-row-{commute.pk}"') :]
    row = row[: row.index("</fieldset>")]
    assert f'name="{commute.pk}-amount"' in row
    assert 'value="35"' in row
    assert "Minutes a day" in row
    assert "35 minutes a day → <strong" in row
    assert "90 minutes a day scores 0, 10 minutes a day scores 10" in row
    assert 'type="range"' not in row
    assert reverse("opportunities:amount_save", args=[opportunity.pk, commute.pk]) in row


def test_the_plain_form_saves_amounts_with_the_scores(client_in, opportunity, commute, criteria):
    manual = next(c for c in criteria if c.kind == CriterionKind.MANUAL)
    response = client_in.post(
        reverse("opportunities:scores_save", args=[opportunity.pk]),
        {f"{commute.pk}-amount": "50", f"{manual.pk}-value": "8"},
    )
    assert response.status_code == 302
    assert (stored(opportunity, commute).amount, stored(opportunity, commute).value) == (
        Decimal(50),
        5,
    )
    assert stored(opportunity, manual).value == 8


def test_the_plain_form_keeps_what_was_typed_when_an_amount_is_wrong(
    client_in, opportunity, commute, criteria
):
    manual = next(c for c in criteria if c.kind == CriterionKind.MANUAL)
    response = client_in.post(
        reverse("opportunities:scores_save", args=[opportunity.pk]),
        {f"{commute.pk}-amount": "35.555", f"{manual.pk}-value": "8"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="35.555"' in body
    assert "Use at most 2 decimals." in body
    assert stored(opportunity, manual) is None


def test_csrf_is_enforced_for_htmx(user, opportunity, commute):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = post(client, opportunity, commute, "35")
    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 12])
def test_the_htmx_save_takes_as_many_queries_as_a_sliders(
    client_in, user, commute, count, django_assert_max_num_queries
):
    for index in range(count):
        CriterionFactory(owner=user, name=f"Extra {index}")
    opportunity = OpportunityFactory(owner=user)
    post(client_in, opportunity, commute, "35")  # the score row exists: an update
    with django_assert_max_num_queries(9):  # a slider save's, with the page-cache counter
        response = post(client_in, opportunity, commute, "40")
    assert response.status_code == 200
    another = OpportunityFactory(owner=user)
    with django_assert_max_num_queries(9):
        response = post(client_in, another, commute, "40")  # an insert
    assert response.status_code == 200


def test_number_criteria_add_no_query_to_the_opportunity_page(
    client_in, user, opportunity, django_assert_max_num_queries
):
    client_in.get(opportunity.get_absolute_url())  # warm: the session, the live evaluation
    with django_assert_max_num_queries(60) as without:
        client_in.get(opportunity.get_absolute_url())
    for index in range(6):
        number = CriterionFactory(
            owner=user,
            name=f"Number {index}",
            kind=CriterionKind.NUMBER,
            unit="km",
            worst=Decimal(index + 10),
            best=Decimal(0),
        )
        save_amount(opportunity=opportunity, criterion=number, amount=Decimal(index))
    with django_assert_max_num_queries(len(without.captured_queries)):
        response = client_in.get(opportunity.get_absolute_url())
    assert response.text.count('data-testid="amount-row"') == 6
