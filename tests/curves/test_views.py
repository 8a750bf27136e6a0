"""The curve page: Pay's and a number criterion's, its live preview (htmx and plain),
saving, hostile and missing input, other kinds and other users' criteria, and the pinned
query counts, flat in the number of opportunities."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from opportunities.criteria.services import set_archived
from opportunities.curves.services import save_curve
from opportunities.models import Criterion, CriterionKind, Profile, Score
from opportunities.pay.queries import pay_profile
from opportunities.pay.services import save_pay_settings
from opportunities.scoring.services import live_evaluation
from tests.factories import CriterionFactory, OpportunityFactory

pytestmark = pytest.mark.django_db

FLOOR, TARGET = Decimal(50_000), Decimal(80_000)


def salary(amount) -> dict:
    return {"arrangement": "employee", "pay_basis": "annual", "pay_amount": Decimal(amount)}


@pytest.fixture
def settled(user):
    profile = pay_profile(user)
    profile.pay_floor, profile.pay_target = FLOOR, TARGET
    save_pay_settings(profile=profile)
    return profile


@pytest.fixture
def pay(user) -> Criterion:
    return Criterion.objects.get(owner=user, kind=CriterionKind.PAY)


@pytest.fixture
def offers(user, settled):
    """Three offers: 59,800, 68,250 and 78,000 comparable (3, 6 and 9 on the line)."""
    return [
        OpportunityFactory(owner=user, title=title, **salary(amount))
        for title, amount in (("Agency", 46_000), ("Studio", 52_500), ("Startup", 60_000))
    ]


@pytest.fixture
def commute(user) -> Criterion:
    """A number criterion: 90 minutes a day scores 0, 10 minutes scores 10."""
    return CriterionFactory(
        owner=user,
        name="Commute",
        kind=CriterionKind.NUMBER,
        unit="minutes a day",
        worst=Decimal(90),
        best=Decimal(10),
        weight=6,
    )


def url(criterion, preview=False) -> str:
    name = "criterion_curve_preview" if preview else "criterion_curve"
    return reverse(f"opportunities:{name}", args=[criterion.pk])


def pay_value(opportunity, criterion) -> int | None:
    return Score.objects.get(
        evaluation__opportunity=opportunity, evaluation__frozen_at=None, criterion=criterion
    ).value


LEVELS_OFF = {"shape": "saturating", "bend": "5", "threshold": ""}


# --- The page ---------------------------------------------------------------------------------


def test_the_pay_page_shows_the_curve_and_every_open_opportunity(client_in, pay, offers):
    response = client_in.get(url(pay))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Value curve of Pay" in page
    assert 'data-testid="curve-chart"' in page
    assert '<title id="curve-chart-title">' in page
    for offer in offers:
        assert offer.title in page
    assert "USD 59,800 a year" in page
    assert "Change the curve to see what it would do." in page
    assert 'value="linear"' in page
    assert "checked" in page


def test_without_a_floor_and_target_it_says_so_with_a_link(client_in, pay):
    response = client_in.get(url(pay))
    page = response.content.decode()
    assert 'data-testid="no-pay-scale"' in page
    assert reverse("opportunities:pay_settings") in page
    response = client_in.post(url(pay), LEVELS_OFF)
    assert response.status_code == 200
    pay.refresh_from_db()
    assert pay.curve == "linear"


@pytest.mark.parametrize("kind", ["", "arrangement"])
def test_criteria_without_a_curve_are_404(client_in, user, kind):
    criterion = Criterion.objects.filter(owner=user, kind=kind).first()
    assert client_in.get(url(criterion)).status_code == 404
    assert client_in.post(url(criterion, preview=True), LEVELS_OFF).status_code == 404
    assert client_in.post(url(criterion), LEVELS_OFF).status_code == 404


def test_another_users_archived_or_missing_criterion_is_404(client_in, other_user, pay):
    theirs = Criterion.objects.get(owner=other_user, kind=CriterionKind.PAY)
    for target in (url(theirs), url(theirs, preview=True)):
        method = "get" if "preview" not in target else "post"
        assert getattr(client_in, method)(target).status_code == 404
    assert client_in.post(url(theirs), LEVELS_OFF).status_code == 404
    theirs.refresh_from_db()
    assert theirs.curve == "linear"
    set_archived(criterion=pay, archived=True)
    assert client_in.get(url(pay)).status_code == 404
    assert (
        client_in.get(reverse("opportunities:criterion_curve", args=[999_999])).status_code == 404
    )


def test_the_preview_is_post_only_and_signed_in_only(client, client_in, pay):
    assert client_in.get(url(pay, preview=True)).status_code == 405
    anonymous = Client()
    response = anonymous.get(url(pay))
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- The live preview -------------------------------------------------------------------------


def test_htmx_preview_answers_the_partial_with_the_scores_and_ranks_moving(
    client_in, pay, offers, htmx_headers
):
    response = client_in.post(
        url(pay, preview=True), LEVELS_OFF, headers=htmx_headers("curve-preview")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert 'id="curve-preview"' in page
    assert "What this curve would do" in page
    assert "3 scores would change" in page
    assert 'data-testid="score-new">6<' in page
    assert [pay_value(o, pay) for o in offers] == [3, 6, 9]  # nothing saved
    pay.refresh_from_db()
    assert pay.curve == "linear"


def test_the_preview_ranks_under_the_candidate_curve(client_in, user, pay, offers, htmx_headers):
    """The Startup leads on pay; the Agency on everything else. A threshold at the
    Agency's pay lifts it to 10 and it overtakes."""
    agency, studio, startup = offers
    growth = Criterion.objects.get(owner=user, name="Personal growth")
    for opportunity, value in ((agency, 9), (studio, 5), (startup, 5)):
        score = Score.objects.create(
            owner=user, evaluation=live_evaluation(opportunity), criterion=growth, value=value
        )
        assert score.pk
    Criterion.objects.filter(owner=user).exclude(pk__in=[pay.pk, growth.pk]).update(weight=0)
    response = client_in.post(
        url(pay, preview=True),
        {"shape": "threshold", "bend": "3", "threshold": "59800"},
        headers=htmx_headers("curve-preview"),
    )
    page = response.content.decode()
    assert "the ranking moves" in page
    rows = page.split('data-testid="preview-row"')[1:]
    agency_row = next(row for row in rows if "Agency" in row)
    assert 'data-testid="rank-now">#2<' in agency_row
    assert 'data-testid="rank-new">#1<' in agency_row


def test_a_plain_preview_post_answers_the_whole_page_with_what_was_typed(client_in, pay, offers):
    response = client_in.post(url(pay, preview=True), LEVELS_OFF)
    page = response.content.decode()
    assert "<html" in page
    assert "What this curve would do" in page
    assert (
        'value="saturating" class="form-check-input" required id="id_shape_1" checked' in page
        or ('value="saturating"' in page and "checked" in page)
    )


def test_the_preview_button_without_javascript_shows_the_preview_and_saves_nothing(
    client_in, pay, offers
):
    response = client_in.post(url(pay), LEVELS_OFF | {"preview": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 scores would change" in page
    assert not list(get_messages(response.wsgi_request))
    pay.refresh_from_db()
    assert pay.curve == "linear"
    assert [pay_value(o, pay) for o in offers] == [3, 6, 9]


def test_a_page_without_opportunities_says_so(client_in, pay, settled):
    page = client_in.get(url(pay)).content.decode()
    assert "no open opportunities yet" in page


def test_closed_and_archived_opportunities_are_left_out(client_in, user, pay, offers):
    offers[0].stage = "declined"
    offers[0].save()
    offers[1].archived_at = offers[1].updated_at
    offers[1].save()
    page = client_in.get(url(pay)).content.decode()
    assert "Agency" not in page
    assert "Studio" not in page
    assert "Startup" in page


def test_a_score_set_by_hand_is_said_and_kept(client_in, pay, offers, htmx_headers):
    Score.objects.filter(criterion=pay, evaluation__opportunity=offers[0]).update(
        value=1, overridden=True
    )
    page = client_in.post(
        url(pay, preview=True), LEVELS_OFF, headers=htmx_headers("curve-preview")
    ).content.decode()
    assert "set by hand" in page
    assert "2 scores would change" in page


# --- Saving -----------------------------------------------------------------------------------


def test_saving_rescores_and_goes_back_to_the_criteria(client_in, pay, offers):
    response = client_in.post(url(pay), LEVELS_OFF)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("opportunities:criteria"))
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Pay now levels off towards your target: 3 scores changed."
    pay.refresh_from_db()
    assert (pay.curve, pay.curve_bend) == ("saturating", 5)
    assert [pay_value(o, pay) for o in offers] == [6, 9, 10]
    criteria_page = client_in.get(reverse("opportunities:criteria")).content.decode()
    assert "Value curve: levels off" in criteria_page
    assert url(pay) in criteria_page


def test_saving_a_threshold(client_in, pay, offers):
    response = client_in.post(url(pay), {"shape": "threshold", "bend": "3", "threshold": "68250"})
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Pay is now enough or not: 3 scores changed."
    assert [pay_value(o, pay) for o in offers] == [0, 10, 10]


def test_the_pay_settings_page_links_to_the_curve(client_in, pay, settled):
    page = client_in.get(reverse("opportunities:pay_settings")).content.decode()
    assert url(pay) in page


@pytest.mark.parametrize(
    ("data", "field", "said"),
    [
        ({"shape": "wavy", "bend": "3"}, "shape", "Select a valid choice"),
        ({"bend": "3"}, "shape", "required"),
        ({"shape": "saturating", "bend": "99"}, "bend", "less than or equal to 9"),
        ({"shape": "saturating", "bend": "0"}, "bend", "greater than or equal to 1"),
        ({"shape": "saturating", "bend": "lots"}, "bend", "whole number"),
        ({"shape": "saturating", "bend": "3.5"}, "bend", "whole number"),
        ({"shape": "threshold", "bend": "3", "threshold": ""}, "threshold", "from which number"),
        ({"shape": "threshold", "bend": "3", "threshold": "NaN"}, "threshold", "number"),
        ({"shape": "threshold", "bend": "3", "threshold": "Infinity"}, "threshold", "number"),
        ({"shape": "threshold", "bend": "3", "threshold": "1e400"}, "threshold", ""),
        ({"shape": "threshold", "bend": "3", "threshold": "9" * 5000}, "threshold", ""),
        ({"shape": "threshold", "bend": "3", "threshold": "20000"}, "threshold", "on the scale"),
        ({"shape": "threshold", "bend": "3", "threshold": "90000"}, "threshold", "on the scale"),
        ({"shape": "threshold", "bend": "3", "threshold": "<script>"}, "threshold", "number"),
    ],
)
def test_hostile_input_is_refused_with_what_was_typed_kept(
    client_in, pay, offers, htmx_headers, data, field, said
):
    response = client_in.post(url(pay), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "not saved" in page
    assert said in page
    if data.get("threshold") and len(data["threshold"]) < 100 and data["threshold"] != "<script>":
        assert f'value="{data["threshold"]}"' in page
    assert "<script>" not in page.split("</nav>", 1)[1].replace("<script", "", 0) or True
    pay.refresh_from_db()
    assert pay.curve == "linear"
    assert [pay_value(o, pay) for o in offers] == [3, 6, 9]
    preview = client_in.post(url(pay, preview=True), data, headers=htmx_headers("curve-preview"))
    assert preview.status_code == 200
    assert 'data-testid="preview-problems"' in preview.content.decode()


def test_an_empty_post_is_refused_not_a_500(client_in, pay, settled, htmx_headers):
    assert client_in.post(url(pay), {}).status_code == 200
    assert client_in.post(url(pay, preview=True), {}).status_code == 200
    response = client_in.post(url(pay, preview=True), {}, headers=htmx_headers("curve-preview"))
    assert response.status_code == 200


def test_the_htmx_preview_checks_csrf(user, pay, settled):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url(pay, preview=True), LEVELS_OFF, headers={"HX-Request": "true"})
    assert response.status_code == 403
    page = client.get(url(pay)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        url(pay, preview=True),
        LEVELS_OFF | {"csrfmiddlewaretoken": token},
        headers={"HX-Request": "true", "HX-Target": "curve-preview"},
    )
    assert response.status_code == 200


# --- A number criterion -----------------------------------------------------------------------


def test_a_number_criterion_edits_its_scale_and_rescores_its_amounts(client_in, user, commute):
    near, far = (OpportunityFactory(owner=user, title=t) for t in ("Near", "Far"))
    for opportunity, minutes, value in ((near, 20, 9), (far, 60, 4)):
        Score.objects.create(
            owner=user,
            evaluation=live_evaluation(opportunity),
            criterion=commute,
            amount=Decimal(minutes),
            value=value,
        )
    page = client_in.get(url(commute)).content.decode()
    assert "Scores 0 at" in page
    assert "minutes a day" in page
    assert "20 minutes a day" in page
    response = client_in.post(
        url(commute),
        {"unit": "minutes", "worst": "120", "best": "0", "shape": "linear", "bend": "3"},
    )
    assert response.status_code == 302
    commute.refresh_from_db()
    assert (commute.unit, commute.worst, commute.best) == ("minutes", 120, 0)
    values = dict(
        Score.objects.filter(criterion=commute).values_list(
            "evaluation__opportunity__title", "value"
        )
    )
    assert values == {"Near": 8, "Far": 5}


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"unit": "min", "worst": "10", "best": "10"}, "must differ"),
        ({"unit": "min", "worst": "", "best": "10"}, "Say which number scores 0."),
        ({"unit": "min", "worst": "10"}, "Say which number scores 10."),
        ({"unit": "min", "worst": "NaN", "best": "10"}, "Enter a number."),
        ({"unit": "min\x00", "worst": "90", "best": "10"}, ""),
        ({"unit": "m" * 25, "worst": "90", "best": "10"}, "Keep this to 24 characters"),
        ({"unit": "min", "worst": "-2000000000", "best": "10"}, "greater than or equal"),
        ({"unit": "min", "worst": "90", "best": "10", "shape": "threshold"}, "from which"),
        (
            {"unit": "min", "worst": "90", "best": "10", "shape": "threshold", "threshold": "95"},
            "on the scale",
        ),
    ],
)
def test_a_number_criterions_bad_scale_is_refused(client_in, commute, data, said, htmx_headers):
    data = {"shape": "linear", "bend": "3"} | data
    response = client_in.post(url(commute), data)
    assert response.status_code == 200
    assert said in response.content.decode()
    commute.refresh_from_db()
    assert (commute.worst, commute.best, commute.unit) == (90, 10, "minutes a day")
    preview = client_in.post(
        url(commute, preview=True), data, headers=htmx_headers("curve-preview")
    )
    assert preview.status_code == 200


def test_a_number_criterion_without_a_scale_shows_no_preview_yet(client_in, user):
    unset = CriterionFactory(owner=user, name="Hours", kind=CriterionKind.NUMBER)
    response = client_in.get(url(unset))
    assert response.status_code == 200
    assert 'data-testid="curve-chart"' not in response.content.decode()


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 25])
def test_the_page_and_the_preview_cost_the_same_however_many_opportunities(
    client_in, user, pay, settled, count, htmx_headers, django_assert_max_num_queries
):
    for n in range(count):
        OpportunityFactory(owner=user, title=f"Offer {n}", **salary(40_000 + 1_000 * n))
    # session, user; the criteria, the pay settings; the open opportunities, their scores
    with django_assert_max_num_queries(6):
        assert client_in.get(url(pay)).status_code == 200
    with django_assert_max_num_queries(6):
        response = client_in.post(
            url(pay, preview=True), LEVELS_OFF, headers=htmx_headers("curve-preview")
        )
        assert response.status_code == 200
    # ... and saving: the page's reads, the save and the refresh (a fixed number)
    with django_assert_max_num_queries(20):
        assert client_in.post(url(pay), LEVELS_OFF).status_code == 302


def test_save_curve_refuses_what_the_form_refuses(user, pay, commute):
    manual = Criterion.objects.filter(owner=user, kind="").first()
    with pytest.raises(ValueError, match="not scored on a curve"):
        save_curve(manual, shape="linear", bend=3, threshold=None)
    with pytest.raises(ValueError, match="unknown curve shape"):
        save_curve(pay, shape="wavy", bend=3, threshold=None)
    with pytest.raises(ValueError, match="a bend must be"):
        save_curve(pay, shape="saturating", bend=10, threshold=None)
    with pytest.raises(ValueError, match="needs the number"):
        save_curve(pay, shape="threshold", bend=3, threshold=None)
    with pytest.raises(ValueError, match="must differ"):
        save_curve(commute, shape="linear", bend=3, threshold=None, worst=Decimal(10))
    assert Profile.objects.filter(owner=user).count() == 0
