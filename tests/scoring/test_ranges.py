"""A range per score, "I'm unsure" (issue 18, item 1): saved live through htmx and
without JavaScript, refused with a clear reason (and the typed input kept) when it does
not hold the score, shown as the decision score's own band, frozen by checkpoints."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opportunities.journal.services import record_decision
from opportunities.models import CriterionKind, Decision, Evaluation, Score
from opportunities.pay.services import refresh_derived_scores
from opportunities.pipeline.services import duplicate_as_variant
from opportunities.scoring.services import save_checkpoint, save_live_score, save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def score_url(opportunity, criterion):
    return reverse("opportunities:score_save", args=[opportunity.pk, criterion.pk])


def scores_url(opportunity):
    return reverse("opportunities:scores_save", args=[opportunity.pk])


def page_url(opportunity):
    return reverse("opportunities:opportunity_detail", args=[opportunity.pk])


def post_row(client, opportunity, criterion, value, low=None, high=None, **headers):
    p = criterion.pk
    data = {f"{p}-value": value}
    if low is not None:
        data[f"{p}-low"] = low
    if high is not None:
        data[f"{p}-high"] = high
    return client.post(score_url(opportunity, criterion), data, headers=headers)


def stored(opportunity, criterion):
    score = Score.objects.filter(
        evaluation__opportunity=opportunity,
        evaluation__frozen_at__isnull=True,
        criterion=criterion,
    ).first()
    return None if score is None else (score.value, score.low, score.high)


def manual(criteria):
    return [c for c in criteria if c.kind == CriterionKind.MANUAL]


# The good --------------------------------------------------------------------------------


def test_htmx_save_stores_the_range_and_shows_the_band(
    client_in, opportunity, criteria, htmx_headers
):
    first, second = manual(criteria)[:2]
    post_row(client_in, opportunity, second, "6", **htmx_headers("score-summary"))
    response = post_row(
        client_in, opportunity, first, "7", "4", "9", **htmx_headers("score-summary")
    )
    assert response.status_code == 200
    assert stored(opportunity, first) == (7, 4, 9)
    text = response.text
    assert "✓ Saved" in text
    band = re.search(r'data-testid="decision-band">([\d.]+), likely (\d+)–(\d+)', text)
    assert band is not None
    value, low, high = float(band[1]), int(band[2]), int(band[3])
    assert low <= value <= high
    assert low < high
    assert "likely" in re.search(r"data-announce>(.*?)</p>", text)[1]


def test_a_band_moves_with_every_save_and_goes_with_the_last_range(
    client_in, opportunity, criteria, htmx_headers
):
    first = manual(criteria)[0]
    headers = htmx_headers("score-summary")
    narrow = post_row(client_in, opportunity, first, "6", "5", "7", **headers).text
    wide = post_row(client_in, opportunity, first, "6", "0", "10", **headers).text

    def spread(text):
        match = re.search(r"likely (\d+)–(\d+)", text)
        return int(match[2]) - int(match[1])

    assert spread(wide) > spread(narrow)
    gone = post_row(client_in, opportunity, first, "6", "", "", **headers)
    assert stored(opportunity, first) == (6, None, None)
    assert 'data-testid="decision-band"' not in gone.text
    assert "Range removed." in gone.text


def test_the_same_scores_give_the_same_band_on_every_reload(client_in, opportunity, criteria):
    first = manual(criteria)[0]
    save_score(opportunity=opportunity, criterion=first, value=5, score_range=(2, 9))
    bands = {
        re.search(r"likely \d+–\d+", client_in.get(page_url(opportunity)).text)[0] for _ in range(3)
    }
    assert len(bands) == 1


def test_the_plain_form_saves_every_range_without_javascript(client_in, opportunity, criteria):
    data = {f"{c.pk}-value": "" for c in criteria}
    first, second = manual(criteria)[:2]
    data |= {
        f"{first.pk}-value": "6",
        f"{first.pk}-low": "4",
        f"{first.pk}-high": "8",
        f"{second.pk}-value": "3",
        f"{second.pk}-low": "",
        f"{second.pk}-high": "",
    }
    response = client_in.post(scores_url(opportunity), data)
    assert response.status_code == 302
    assert stored(opportunity, first) == (6, 4, 8)
    assert stored(opportunity, second) == (3, None, None)
    page = client_in.get(page_url(opportunity)).text
    # Without JavaScript the boxes are there to type in; the toggle is for scripts only.
    assert f'name="{first.pk}-low"' in page
    assert f'id="id_{first.pk}-low" value="4"' in page
    assert re.search(r"likely \d+–\d+", page)


def test_a_plain_slider_post_saves_the_range_and_says_so(client_in, opportunity, criteria):
    first = manual(criteria)[0]
    response = post_row(client_in, opportunity, first, "5", "3", "8")
    assert response.status_code == 302
    assert stored(opportunity, first) == (5, 3, 8)


def test_the_page_shows_the_toggle_open_only_where_a_range_is_saved(
    client_in, opportunity, criteria
):
    first, second = manual(criteria)[:2]
    save_score(opportunity=opportunity, criterion=first, value=5, score_range=(3, 8))
    save_score(opportunity=opportunity, criterion=second, value=5)
    page = client_in.get(page_url(opportunity)).text
    assert f'aria-expanded="true" aria-controls="range-{first.pk}"' in page
    assert f'aria-expanded="false" aria-controls="range-{second.pk}"' in page
    assert f'id="range-{second.pk}" class="score-range-boxes d-flex' in page
    assert re.search(rf'id="range-{second.pk}" class="[^"]*is-closed', page)
    assert not re.search(rf'id="range-{first.pk}" class="[^"]*is-closed', page)


# A range the user did not send, and a score cleared ---------------------------------------


def test_a_save_without_range_fields_keeps_the_range_while_it_holds_the_score(
    client_in, opportunity, criteria, htmx_headers
):
    first = manual(criteria)[0]
    post_row(client_in, opportunity, first, "6", "4", "8", **htmx_headers())
    post_row(client_in, opportunity, first, "7", **htmx_headers())  # an old page: no range
    assert stored(opportunity, first) == (7, 4, 8)
    response = post_row(client_in, opportunity, first, "9", **htmx_headers())
    assert stored(opportunity, first) == (9, None, None)
    assert "Its range (4–8) no longer held the score, so it was removed." in response.text


def test_clearing_the_score_clears_its_range_and_says_so(
    client_in, opportunity, criteria, htmx_headers
):
    first = manual(criteria)[0]
    post_row(client_in, opportunity, first, "6", "4", "8", **htmx_headers())
    response = post_row(client_in, opportunity, first, "", "", "", **htmx_headers())
    assert stored(opportunity, first) == (None, None, None)
    assert "Its range (4–8) went with the score." in response.text


def test_a_friends_median_outside_the_range_drops_it_instead_of_failing(
    user, opportunity, criteria
):
    first = manual(criteria)[0]
    save_score(opportunity=opportunity, criterion=first, value=6, score_range=(5, 7))
    saved = save_live_score(
        user=user, opportunity_id=opportunity.pk, criterion_id=first.pk, value=2
    )
    assert stored(opportunity, first) == (2, None, None)
    assert saved.range_before == (5, 7)
    assert first.pk not in saved.ranges


def test_the_service_refuses_a_range_that_does_not_hold_the_score(user, opportunity, criteria):
    first = manual(criteria)[0]
    with pytest.raises(ValueError, match="must hold the score"):
        save_live_score(
            user=user,
            opportunity_id=opportunity.pk,
            criterion_id=first.pk,
            value=3,
            score_range=(4, 6),
        )
    assert stored(opportunity, first) is None


# The bad ---------------------------------------------------------------------------------

BAD = {
    "low above the score": ("6", "8", "9", "The low end (8) is above the score (6)."),
    "high below the score": ("6", "2", "5", "The high end (5) is below the score (6)."),
    "a low end only": ("6", "4", "", "The high end of the range is empty"),
    "a high end only": ("6", "", "8", "The low end of the range is empty"),
    "a range without a score": ("", "3", "7", "A range needs a score"),
    "a high end of 11": ("6", "4", "11", "The high end of the range is a whole number from 0"),
    "a low end of -1": ("6", "-1", "8", "The low end of the range is a whole number from 0"),
    "a low end of abc": ("6", "abc", "8", "The low end of the range is a whole number from 0"),
    "a high end of 1e9": ("6", "4", "1e9", "The high end of the range is a whole number"),
    "a high end of a billion": ("6", "4", "1000000000", "The high end of the range is a whole"),
    "a low end of 2.5": ("6", "2.5", "8", "The low end of the range is a whole number"),
    "a low end with a NUL": ("6", "4\x00", "8", "The low end of the range is a whole number"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_range_over_htmx_is_refused_beside_its_row_and_nothing_changes(
    client_in, opportunity, criteria, htmx_headers, case
):
    value, low, high, message = BAD[case]
    first = manual(criteria)[0]
    post_row(client_in, opportunity, first, "5", "4", "6", **htmx_headers())
    response = post_row(
        client_in, opportunity, first, value, low, high, **htmx_headers("score-summary")
    )
    assert response.status_code == 200
    status = re.search(rf'id="score-status-{first.pk}".*?</div>', response.text, re.S)[0]
    assert "Not saved:" in status
    assert message in status
    assert stored(opportunity, first) == (5, 4, 6)
    assert "likely" in response.text  # the saved range still gives the summary its band


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_range_without_javascript_keeps_what_was_typed(
    client_in, opportunity, criteria, case
):
    value, low, high, message = BAD[case]
    first, second = manual(criteria)[:2]
    data = {f"{c.pk}-value": "" for c in criteria}
    data |= {
        f"{first.pk}-value": value,
        f"{first.pk}-low": low,
        f"{first.pk}-high": high,
        f"{second.pk}-value": "4",
    }
    response = client_in.post(scores_url(opportunity), data)
    assert response.status_code == 200
    text = response.text
    assert "Some scores could not be saved. Nothing was changed" in text
    assert message in text
    assert not Score.objects.filter(value__isnull=False).exists()  # all or nothing
    for name, typed in (("value", value), ("low", low), ("high", high)):
        if "\x00" in typed or typed == "":
            continue
        assert re.search(rf'id="id_{first.pk}-{name}" value="{re.escape(typed)}"', text), name
    # The boxes with the typed range stay open, and the bad end is marked.
    assert not re.search(rf'id="range-{first.pk}" class="[^"]*is-closed', text)


@pytest.mark.parametrize("case", ["low above the score", "a range without a score"])
def test_a_bad_range_on_a_plain_slider_post_is_a_message_not_a_500(
    client_in, opportunity, criteria, case
):
    value, low, high, message = BAD[case]
    first = manual(criteria)[0]
    response = post_row(client_in, opportunity, first, value, low, high, follow=False)
    assert response.status_code == 302
    page = client_in.get(page_url(opportunity)).text
    assert message in page
    assert stored(opportunity, first) is None


def test_a_range_on_someone_elses_opportunity_is_a_404(
    client_in, other_user, criteria, htmx_headers
):
    theirs = OpportunityFactory(owner=other_user)
    first = manual(criteria)[0]
    response = post_row(client_in, theirs, first, "5", "3", "7", **htmx_headers())
    assert response.status_code == 404
    assert not Score.objects.exists()


# Derived criteria ------------------------------------------------------------------------


def test_a_derived_criterion_takes_a_range_without_being_set_by_hand(
    client_in, opportunity, criteria, htmx_headers
):
    derived = next(c for c in criteria if c.kind != CriterionKind.MANUAL)
    post_row(client_in, opportunity, derived, "5", **htmx_headers())
    Score.objects.filter(criterion=derived).update(overridden=False)
    post_row(client_in, opportunity, derived, "5", "3", "8", **htmx_headers())
    score = Score.objects.get(criterion=derived)
    assert (score.value, score.low, score.high, score.overridden) == (5, 3, 8, False)


# Query counts ----------------------------------------------------------------------------


def test_a_slider_save_with_a_range_costs_what_one_without_does(
    client_in, opportunity, criteria, htmx_headers, django_assert_num_queries
):
    first = manual(criteria)[0]
    post_row(client_in, opportunity, first, "5", **htmx_headers("score-summary"))
    # As tests/scoring/test_views.py pins it: session, user; in a savepoint, lock the live
    # evaluation, the criteria with their scores (and ranges), update the score, store the
    # total, then the page-cache counter. The band is computed from what the save read.
    with django_assert_num_queries(9):
        post_row(client_in, opportunity, first, "6", "4", "8", **htmx_headers("score-summary"))
    with django_assert_num_queries(9):
        post_row(client_in, opportunity, first, "7", **htmx_headers("score-summary"))


def test_the_page_costs_the_same_with_ranges(
    client_in, opportunity, criteria, django_assert_max_num_queries
):
    first, second = manual(criteria)[:2]
    save_score(opportunity=opportunity, criterion=first, value=5)
    client_in.get(page_url(opportunity))
    with CaptureQueriesContext(connection) as without:
        client_in.get(page_url(opportunity))
    save_score(opportunity=opportunity, criterion=first, value=5, score_range=(3, 8))
    save_score(opportunity=opportunity, criterion=second, value=7, score_range=(6, 9))
    with django_assert_max_num_queries(len(without.captured_queries)):
        response = client_in.get(page_url(opportunity))
    assert "likely" in response.text


def test_a_refused_range_costs_what_a_refused_score_does(
    client_in, opportunity, criteria, htmx_headers, django_assert_max_num_queries
):
    first = manual(criteria)[0]
    post_row(client_in, opportunity, first, "5", "3", "7", **htmx_headers("score-summary"))
    with django_assert_max_num_queries(6):  # session, user, opportunity, criteria, scores
        response = post_row(
            client_in, opportunity, first, "5", "6", "7", **htmx_headers("score-summary")
        )
    assert "Not saved" in response.text


# Checkpoints, decisions and variants ------------------------------------------------------


def test_a_checkpoint_freezes_the_ranges_and_scoring_carries_on_with_them(
    client_in, opportunity, criteria
):
    first, second = manual(criteria)[:2]
    save_score(opportunity=opportunity, criterion=first, value=7, score_range=(5, 8))
    save_score(opportunity=opportunity, criterion=second, value=4)
    checkpoint = save_checkpoint(opportunity=opportunity, label="Before the interview")
    frozen = Score.objects.get(evaluation=checkpoint, criterion=first)
    assert (frozen.value, frozen.low, frozen.high) == (7, 5, 8)
    assert stored(opportunity, first) == (7, 5, 8)
    # Narrowing it now leaves the checkpoint as it was.
    save_score(opportunity=opportunity, criterion=first, value=7, score_range=(6, 8))
    frozen.refresh_from_db()
    assert (frozen.low, frozen.high) == (5, 8)
    page = client_in.get(
        reverse("opportunities:checkpoint_detail", args=[opportunity.pk, checkpoint.pk])
    ).text
    shown = re.findall(r'data-testid="frozen-score">([^<]*)<', page)
    assert "7 (5–8)" in shown
    assert "4" in shown


def test_a_decision_freezes_the_ranges(client_in, user, opportunity, criteria):
    first = manual(criteria)[0]
    save_score(opportunity=opportunity, criterion=first, value=7, score_range=(5, 9))
    decision = record_decision(
        opportunity=opportunity,
        decision=Decision(owner=user, opportunity=opportunity, choice="pursue", confidence=70),
    )
    frozen = Score.objects.get(evaluation=decision.evaluation, criterion=first)
    assert (frozen.value, frozen.low, frozen.high) == (7, 5, 9)
    page = client_in.get(reverse("opportunities:decision_detail", args=[decision.pk])).text
    assert "7 (5–9)" in page


def test_a_variant_copies_the_ranges(client_in, opportunity, criteria):
    first = manual(criteria)[0]
    save_score(opportunity=opportunity, criterion=first, value=7, score_range=(5, 9))
    copy = duplicate_as_variant(opportunity=opportunity)
    assert stored(copy, first) == (7, 5, 9)
    assert Evaluation.objects.live().get(opportunity=copy).scored_count >= 1


def test_a_derived_score_that_moves_out_of_its_range_drops_it_instead_of_failing(
    user, opportunity, criteria
):
    """Pay and the arrangement follow their inputs: when the derived score moves out of
    the range (here to "not scored", as the opportunity has no pay), the range goes."""
    derived = next(c for c in criteria if c.kind == CriterionKind.PAY)
    save_score(opportunity=opportunity, criterion=derived, value=5, score_range=(3, 7))
    Score.objects.filter(criterion=derived).update(overridden=False)
    refresh_derived_scores(user, opportunities=[opportunity])
    assert stored(opportunity, derived) == (None, None, None)
