"""The slider's save (``save_live_score``): SQL for speed, the ORM's rules.

It checks ownership in the statement that locks, so what used to be caught by a
separate lookup is tested here for a *valid* score too: someone else's opportunity or
criterion is a 404 and nothing is written. Because its steady state is hand-written
SQL, it is also checked against a model of what any run of saves must leave behind.
"""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opportunities.criteria.queries import active_criteria
from opportunities.criteria.services import set_archived
from opportunities.models import Criterion, CriterionKind, Evaluation, Opportunity, Score
from opportunities.scoring.core import compute_decision_score, rated_live, rated_values
from opportunities.scoring.services import save_live_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def save(client, opportunity_id: int, criterion_id: int, value: str, **headers):
    url = reverse("opportunities:score_save", args=[opportunity_id, criterion_id])
    return client.post(url, {f"{criterion_id}-value": value}, headers=headers)


def live(opportunity) -> Evaluation:
    return Evaluation.objects.live().get(opportunity=opportunity)


def test_a_valid_score_on_someone_elses_opportunity_is_a_404(
    client_in, other_user, criteria, htmx_headers
):
    theirs = OpportunityFactory(owner=other_user)
    response = save(client_in, theirs.pk, criteria[0].pk, "7", **htmx_headers("score-summary"))
    assert response.status_code == 404
    assert not Score.objects.exists()


def test_a_valid_score_for_someone_elses_criterion_is_a_404_and_writes_nothing(
    client_in, opportunity, other_user
):
    their_criterion = Criterion.objects.filter(owner=other_user).first()
    before = live(opportunity)
    response = save(client_in, opportunity.pk, their_criterion.pk, "7")
    assert response.status_code == 404
    assert not Score.objects.exists()
    assert live(opportunity).updated_at == before.updated_at


def test_an_unknown_opportunity_is_a_404(client_in, criteria):
    assert save(client_in, 987654, criteria[0].pk, "7").status_code == 404


def test_a_missing_live_evaluation_is_created_on_the_first_score(client_in, opportunity, criteria):
    Evaluation.objects.filter(opportunity=opportunity).delete()
    response = save(client_in, opportunity.pk, criteria[0].pk, "7")
    assert response.status_code == 302
    assert live(opportunity).scored_count == 1
    assert Score.objects.get().value == 7


def test_the_stored_total_is_a_fresh_recomputation(user, opportunity, criteria):
    for value, criterion in zip([3, 9, None, 10], criteria, strict=False):
        saved = save_live_score(
            user=user, opportunity_id=opportunity.pk, criterion_id=criterion.pk, value=value
        )
    scores = Score.objects.filter(evaluation=live(opportunity))
    fresh = compute_decision_score(rated_live(criteria, scores))
    assert saved.result == fresh
    evaluation = live(opportunity)
    assert (evaluation.decision_score, evaluation.scored_count) == (fresh.value, fresh.scored)
    assert [c.pk for c in saved.criteria] == [c.pk for c in criteria]


def test_a_derived_score_set_by_hand_is_marked_overridden(user, opportunity, criteria):
    pay = next(c for c in criteria if c.kind == CriterionKind.PAY)
    save_live_score(user=user, opportunity_id=opportunity.pk, criterion_id=pay.pk, value=4)
    assert Score.objects.get(criterion=pay).overridden


def test_the_service_refuses_what_is_not_the_users(user, other_user, opportunity, criteria):
    theirs = OpportunityFactory(owner=other_user)
    with pytest.raises(Opportunity.DoesNotExist):
        save_live_score(user=user, opportunity_id=theirs.pk, criterion_id=criteria[0].pk, value=5)
    archived = set_archived(criterion=criteria[1], archived=True)
    with pytest.raises(Criterion.DoesNotExist):
        save_live_score(user=user, opportunity_id=opportunity.pk, criterion_id=archived.pk, value=5)
    assert not Score.objects.exists()


def test_the_criteria_it_returns_are_the_active_ones_in_order_with_their_scores(
    user, opportunity, criteria
):
    Criterion.objects.filter(pk=criteria[0].pk).update(position=99)  # moved to the end
    manual = [c for c in criteria[1:] if c.kind == CriterionKind.MANUAL]
    set_archived(criterion=manual[0], archived=True)
    pay = next(c for c in criteria if c.kind == CriterionKind.PAY)
    save_live_score(user=user, opportunity_id=opportunity.pk, criterion_id=pay.pk, value=4)
    saved = save_live_score(
        user=user, opportunity_id=opportunity.pk, criterion_id=criteria[0].pk, value=5
    )
    active = list(active_criteria(user))
    fields = ["id", "name", "weight", "minimum", "kind"]
    assert [[getattr(c, f) for f in fields] for c in saved.criteria] == [
        [getattr(c, f) for f in fields] for c in active
    ]
    before = {c.id: (c.score_value, c.score_overridden) for c in saved.criteria}
    assert before[pay.pk] == (4, True)
    assert before[criteria[0].pk] == (None, False)  # as it was before this save


@dataclass
class Stored:
    value: int | None
    note: str
    overridden: bool


notes = st.none() | st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=500
)
moves = st.lists(
    st.tuples(st.integers(0, 6), st.none() | st.integers(0, 10), notes), min_size=1, max_size=25
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=moves)
def test_any_run_of_saves_leaves_what_the_rules_say(user, opportunity, criteria, moves):
    """Each example runs in a transaction of its own, rolled back at the end."""
    with transaction.atomic():
        expected: dict[int, Stored] = {}
        for index, value, note in moves:
            criterion = criteria[index % len(criteria)]
            derived = criterion.kind != CriterionKind.MANUAL
            before = expected.get(criterion.pk)
            if before is None:
                after = Stored(value, note or "", derived and value is not None)
            else:
                after = Stored(
                    value,
                    before.note if note is None else note,
                    before.overridden or (derived and value != before.value),
                )
            expected[criterion.pk] = after
            saved = save_live_score(
                user=user,
                opportunity_id=opportunity.pk,
                criterion_id=criterion.pk,
                value=value,
                note=note,
            )
            assert saved.overridden == after.overridden

        evaluation = live(opportunity)
        stored = {
            score.criterion_id: Stored(score.value, score.note, score.overridden)
            for score in Score.objects.filter(evaluation=evaluation)
        }
        assert stored == expected
        fresh = compute_decision_score(
            rated_values(criteria, {pk: s.value for pk, s in expected.items()})
        )
        assert saved.result == fresh
        assert (evaluation.decision_score, evaluation.scored_count) == (fresh.value, fresh.scored)
        assert evaluation.must_have_failures == len(fresh.failures)
        transaction.set_rollback(True)
