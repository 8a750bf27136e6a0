"""The swing weighting page: options from the URL (or every open scored one), swings and
what they mean, the answers as a plain form and as htmx, saving them (used or only kept),
and every kind of wrong input answered without a 500 and without losing what was typed."""

import pytest
from django.urls import reverse

from opportunities.criteria.services import set_archived
from opportunities.models import Criterion, Opportunity, WeightSource, WeightVersion
from tests.compare.test_views import build, score, skip_gut_ranking
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

SWING = reverse("opportunities:swing")
PREVIEW = reverse("opportunities:swing_preview")
CRITERIA = reverse("opportunities:criteria")


@pytest.fixture
def story(user, criteria):
    """Three options on the default criteria (weights 8,7,6,6,8,4,7); Gut feeling is the
    same on each, so it has no swing."""
    marketing = OpportunityFactory(owner=user, title="Marketing role")
    freelancing = OpportunityFactory(owner=user, title="Return to freelancing")
    stay = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    names = [c.name for c in criteria]
    score(marketing, dict(zip(names, [8, 6, 7, 8, 6, 4, 5], strict=True)), criteria)
    score(freelancing, dict(zip(names, [7, 7, 5, 5, 4, 9, 5], strict=True)), criteria)
    score(stay, dict(zip(names, [6, 5, 4, 4, 8, 9, 5], strict=True)), criteria)
    return marketing, freelancing, stay


def ids(*opportunities) -> str:
    return ",".join(str(o.pk) for o in opportunities)


def by_name(user) -> dict[str, Criterion]:
    return {c.name: c for c in Criterion.objects.filter(owner=user, archived_at__isnull=True)}


def answers(user, story, ratings: dict[str, int], *, order=None, **extra) -> dict:
    """A POST of the swing form: ``ratings`` by criterion name, in ``order`` (the ratings'
    order by default)."""
    criteria = by_name(user)
    names = order or list(ratings)
    data = {"ids": ids(*story), "order": [str(criteria[n].pk) for n in names]}
    data |= {f"r{criteria[n].pk}": str(v) for n, v in ratings.items()}
    return data | extra


RATINGS = {
    "Daily & weekly life": 100,
    "Employee vs. subcontractor": 80,
    "Values fit": 60,
    "Professional development": 40,
    "Pay": 20,
    "Personal growth": 10,
}


def test_without_ids_every_open_scored_option_is_on_the_table(client_in, story, user):
    OpportunityFactory(owner=user, title="Not scored yet")
    response = client_in.get(SWING)
    assert response.status_code == 200
    titles = [o.title for o in response.context["data"].options]
    assert sorted(titles) == ["Marketing role", "Return to freelancing", "Stay as I am"]
    page = response.text
    assert "Which of these improvements would you want most?" in page
    assert (
        "from <strong>4</strong> (Return to freelancing) to <strong>8</strong> (Stay as I am)"
        in page
    )
    assert "0 = it would upend my life · 10 = the week I want" in page
    assert (
        "from <strong>4</strong> (Marketing role) to <strong>9</strong> (Stay as I am, Return"
        in page
    )
    flat = response.context["flat"]
    assert [row.criterion.name for row in flat] == ["Gut feeling"]
    assert "No weight in this choice" in page
    assert page.count('data-testid="swing-item"') == 6


def test_it_starts_from_the_current_weights_in_the_order_they_imply(client_in, story):
    response = client_in.get(SWING)
    form = response.context["form"]
    names = [row.criterion.name for row, _ in response.context["swung"]]
    # weights 8 (Values), 8 (Daily), 7 (Pay), 6, 6, 4 among the swings
    assert names == [
        "Values fit",
        "Daily & weekly life",
        "Pay",
        "Personal growth",
        "Professional development",
        "Employee vs. subcontractor",
    ]
    assert list(form.ratings().values()) == [100, 100, 88, 75, 75, 50]
    weights = {w.criterion.name: (w.now, w.then) for w in response.context["results"]["weights"]}
    assert weights["Values fit"] == (8, 10)
    assert weights["Employee vs. subcontractor"] == (4, 5)
    assert weights["Gut feeling"] == (7, 0)
    assert len(response.context["results"]["ranks"]) == 3


def test_a_link_with_ids_takes_those_options_and_leaves_out_other_peoples(
    client_in, story, other_user
):
    marketing, _, stay = story
    theirs = OpportunityFactory(owner=other_user, title="SENTINEL-not-mine")
    response = client_in.get(f"{SWING}?ids={ids(stay, marketing, theirs)},abc")
    assert [o.title for o in response.context["data"].options] == ["Stay as I am", "Marketing role"]
    assert "SENTINEL-not-mine" not in response.text
    assert response.context["data"].unknown == 1
    assert "“abc” is not an opportunity id" in response.text
    assert "not found among your open ones" in response.text


def test_the_choosers_checkboxes_become_a_link(client_in, story):
    marketing, freelancing, _ = story
    response = client_in.get(f"{SWING}?ids={marketing.pk}&ids={freelancing.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"{SWING}?ids={marketing.pk},{freelancing.pk}"


def test_fewer_than_two_options_is_a_clear_empty_state(client_in, user, story):
    marketing, *_ = story
    response = client_in.get(f"{SWING}?ids={marketing.pk}")
    assert 'data-testid="swing-empty"' in response.text
    assert "Swings need two options or more" in response.text
    assert 'name="ids"' in response.text  # the chooser

    Opportunity.objects.filter(owner=user).delete()
    response = client_in.get(SWING)
    assert "Add an opportunity" in response.text
    assert response.context["results"] is None


def test_options_that_differ_on_nothing_say_so(client_in, user, criteria):
    a = OpportunityFactory(owner=user, title="A")
    b = OpportunityFactory(owner=user, title="B")
    score(a, {"Pay": 5}, criteria)
    score(b, {"Pay": 5}, criteria)
    response = client_in.get(f"{SWING}?ids={ids(a, b)}")
    assert 'data-testid="swing-no-swings"' in response.text
    assert "not scored on these options" in response.text


def test_using_the_weights_sets_them_keeps_a_version_and_says_what_changed(client_in, user, story):
    response = client_in.post(SWING, answers(user, story, RATINGS, action="apply"))
    assert response.status_code == 302
    assert response["Location"] == CRITERIA
    weights = {name: c.weight for name, c in by_name(user).items()}
    assert weights == {
        "Daily & weekly life": 10,
        "Employee vs. subcontractor": 8,
        "Values fit": 6,
        "Professional development": 4,
        "Pay": 2,
        "Personal growth": 1,
        "Gut feeling": 0,
    }
    version = WeightVersion.objects.get(owner=user)
    assert version.source == WeightSource.SWING
    assert version.applied
    assert {o["title"] for o in version.options} == {
        "Marketing role",
        "Return to freelancing",
        "Stay as I am",
    }
    gut = by_name(user)["Gut feeling"].pk
    answered = {a["criterion"]: a for a in version.answers}
    assert answered[gut] == {"criterion": gut, "worst": 5, "best": 5, "rating": None}
    daily = by_name(user)["Daily & weekly life"].pk
    assert answered[daily] == {"criterion": daily, "worst": 4, "best": 8, "rating": 100}
    page = client_in.get(CRITERIA).text
    assert "Weights set from your swing answers: Values fit 6 (was 8)" in page


def test_keeping_the_answers_leaves_the_weights_and_the_criteria_page_says_where_they_differ(
    client_in, user, story
):
    response = client_in.post(SWING, answers(user, story, RATINGS, action="keep"))
    assert response.status_code == 302
    assert {c.weight for c in by_name(user).values()} == {8, 7, 6, 4}  # untouched
    version = WeightVersion.objects.get(owner=user)
    assert not version.applied
    implied = {row["name"]: row["weight"] for row in version.weights}
    assert implied["Personal growth"] == 1
    page = client_in.get(CRITERIA).text
    assert "Your swing answers are kept; your weights are unchanged." in page
    assert "give Personal growth 1; it weighs 6 now." in page
    assert "give Gut feeling" not in page  # no swing among those options: not a view of it
    assert f"{SWING}?ids=" in page
    assert "give Personal growth 1; it weighs 6 now." in client_in.get(SWING).text


def test_a_swing_rated_above_one_put_before_it_is_said_beside_it_and_nothing_is_saved(
    client_in, user, story
):
    ratings = RATINGS | {"Pay": 70}
    response = client_in.post(SWING, answers(user, story, ratings, action="apply"))
    assert response.status_code == 200
    assert not WeightVersion.objects.exists()
    assert by_name(user)["Pay"].weight == 7
    form = response.context["form"]
    pay = by_name(user)["Pay"].pk
    assert form.errors[f"r{pay}"] == [
        "Rated higher than a swing you put before it: reorder or lower it."
    ]
    assert f'id="swing-error-{pay}"' in response.text
    assert 'value="70"' in response.text  # what was typed is kept
    assert 'data-testid="swing-fix"' in response.text


@pytest.mark.parametrize("typed", ["abc", "101", "-1", "1e3", "50.5", "", "9" * 400, "<b>x</b>"])
def test_a_rating_that_is_not_a_whole_number_from_0_to_100_is_refused_and_kept(
    client_in, user, story, typed
):
    data = answers(user, story, RATINGS, action="apply")
    pay = by_name(user)["Pay"].pk
    data[f"r{pay}"] = typed
    response = client_in.post(SWING, data)
    assert response.status_code == 200
    assert not WeightVersion.objects.exists()
    assert "A rating is a whole number from 0 to 100." in response.text
    assert "<b>x</b>" not in response.text


def test_the_first_swing_is_the_reference_whatever_is_sent(client_in, user, story):
    data = answers(user, story, RATINGS, action="apply")
    data[f"r{by_name(user)['Daily & weekly life'].pk}"] = "oops"
    assert client_in.post(SWING, data).status_code == 302
    assert by_name(user)["Daily & weekly life"].weight == 10


def test_the_move_buttons_reorder_without_saving(client_in, user, story):
    pay = by_name(user)["Pay"].pk
    response = client_in.post(SWING, answers(user, story, RATINGS, move=f"up:{pay}"))
    assert response.status_code == 200
    names = [row.criterion.name for row, _ in response.context["swung"]]
    assert names[3:5] == ["Pay", "Professional development"]
    # Pay (20) now sits above Professional development (40): said, as it would be saved.
    assert response.context["form"].errors
    assert not WeightVersion.objects.exists()
    # Moving to the top makes it the reference.
    employee = by_name(user)["Employee vs. subcontractor"].pk
    response = client_in.post(SWING, answers(user, story, RATINGS, move=f"up:{employee}"))
    assert response.context["swung"][0][0].criterion.name == "Employee vs. subcontractor"
    for hostile in ("up:999999999999", "sideways:1", "up:" + "9" * 50, "down:"):
        response = client_in.post(SWING, answers(user, story, RATINGS, move=hostile))
        assert response.status_code == 200


def test_show_the_weights_without_javascript_renders_the_results(client_in, user, story):
    response = client_in.post(SWING, answers(user, story, RATINGS, action="preview"))
    assert response.status_code == 200
    assert not WeightVersion.objects.exists()
    weights = {w.criterion.name: w.then for w in response.context["results"]["weights"]}
    assert weights["Pay"] == 2
    assert "<html" in response.text


def test_a_criterion_archived_meanwhile_is_said_not_a_500(client_in, user, story):
    data = answers(user, story, RATINGS, action="apply")
    set_archived(criterion=by_name(user)["Pay"], archived=True)
    response = client_in.post(SWING, data, follow=True)
    assert response.status_code == 200
    assert "Your criteria or scores changed since this page was opened" in response.text
    assert not WeightVersion.objects.exists()


def test_a_swing_missing_from_the_form_or_a_strange_one_is_stale(
    client_in, user, story, other_user
):
    data = answers(user, story, RATINGS, action="apply")
    data["order"] = data["order"][:-1]
    response = client_in.post(SWING, data)
    assert "changed since this page was opened" in response.text
    theirs = Criterion.objects.filter(owner=other_user).first()
    data = answers(user, story, RATINGS, action="apply")
    data["order"] = [*data["order"], str(theirs.pk), "junk", "9" * 40]
    response = client_in.post(SWING, data)
    assert response.status_code == 200
    assert not WeightVersion.objects.exists()
    assert Criterion.objects.get(pk=theirs.pk).weight == theirs.weight


def test_another_users_options_are_ignored_so_nothing_is_saved(client_in, user, other_user):
    theirs = [OpportunityFactory(owner=other_user) for _ in range(2)]
    response = client_in.post(SWING, {"ids": ids(*theirs), "action": "apply"})
    assert response.status_code == 200
    assert "Swings need two options or more" in response.text
    assert not WeightVersion.objects.exists()


def test_missing_and_empty_posts_do_not_500(client_in, user, story):
    assert client_in.post(SWING, {}).status_code == 200
    assert client_in.post(SWING, {"action": "apply"}).status_code == 200
    assert client_in.post(PREVIEW, {}).status_code == 200
    assert client_in.post(SWING, {"ids": "1," * 500, "action": "keep"}).status_code == 200
    assert not WeightVersion.objects.exists()


def test_the_preview_answers_htmx_with_the_results_and_each_ratings_problem(
    client_in, user, story, htmx_headers
):
    pay = by_name(user)["Pay"].pk
    response = client_in.post(
        PREVIEW, answers(user, story, RATINGS | {"Pay": 70}), headers=htmx_headers("swing-results")
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="swing-results"' in response.text
    error = f'id="swing-error-{pay}" class="text-danger small" data-swing-error hx-swap-oob="true">'
    assert f"{error}Rated higher" in response.text
    response = client_in.post(
        PREVIEW, answers(user, story, RATINGS), headers=htmx_headers("swing-results")
    )
    assert 'data-testid="swing-weights"' in response.text
    assert f"{error}</div>" in response.text
    # Without htmx, the whole page.
    assert "<html" in client_in.post(PREVIEW, answers(user, story, RATINGS)).text


def test_the_page_and_the_preview_are_post_and_get_only_and_need_a_login(client, story):
    assert client.get(SWING).status_code == 302
    assert client.post(PREVIEW).status_code == 302


def test_the_preview_is_post_only(client_in):
    assert client_in.get(PREVIEW).status_code == 405


def test_query_counts_do_not_grow_with_options_or_criteria(
    client_in, user, htmx_headers, django_assert_num_queries
):
    # session, user, opportunities, their live scores, criteria, the latest swing answers
    options, _ = build(user, options=2, criteria=2)
    with django_assert_num_queries(6):
        client_in.get(SWING)
    with django_assert_num_queries(6):
        client_in.post(PREVIEW, {"ids": ids(*options)}, headers=htmx_headers("swing-results"))
    options, _ = build(user, options=25, criteria=20)
    with django_assert_num_queries(6):
        response = client_in.get(SWING)
    assert len(response.context["data"].options) == 27
    data = {"ids": ids(*options), "order": [str(row.key) for row, _ in response.context["swung"]]}
    with django_assert_num_queries(6):
        client_in.post(PREVIEW, data, headers=htmx_headers("swing-results"))


def test_the_links_in_from_the_criteria_page_and_the_comparison(client_in, story):
    assert f'href="{SWING}"' in client_in.get(CRITERIA).text
    skip_gut_ranking(client_in, *story)
    compare = client_in.get(f"{reverse('opportunities:compare')}?ids={ids(*story)}")
    assert "Set weights from these options" in compare.text
