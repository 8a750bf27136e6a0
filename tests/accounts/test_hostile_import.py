"""An import file made to break an account is refused whole, with the reason, and the
account it was sent to still works (issue 15, findings 5 to 7)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from opportunities.accounts.queries import export_user_data
from opportunities.accounts.services import ImportProblem, import_user_data, read_export
from opportunities.criteria.services import create_default_criteria
from opportunities.models import Criterion, Opportunity, Score
from opportunities.models.limits import MAX_CRITERIA
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HUGE = "__HUGE__"

PAGES = [
    "/",
    "/journal/",
    "/journal/priorities/",
    "/criteria/",
    "/settings/pay/",
    "/account/",
    "/account/export.json",
    "/account/export/decisions.csv",
]


@pytest.fixture(scope="module")
def export(django_db_setup, django_db_blocker):
    """The demo's export, with a decision: a file as a real person would have."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        demo = get_user_model().objects.get(username="demo")
        data = export_user_data(demo)
        demo.delete()
    return json.loads(json.dumps(data))


def _fresh():
    user = UserFactory()
    create_default_criteria(user)
    return user


def _upload(user, text: str):
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile("export.json", text.encode(), content_type="application/json")
    return client, client.post(reverse("import_json"), {"file": upload})


def _assert_refused_and_intact(user, client, response, message: str) -> None:
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert message in response.text
    assert not Opportunity.objects.for_user(user).exists()
    assert Criterion.objects.for_user(user).count() == 7
    for page in PAGES:
        assert client.get(page).status_code == 200, page


def test_the_unaltered_export_imports(export):
    user = _fresh()
    counts = import_user_data(user, json.loads(json.dumps(export)))
    assert counts["opportunities"] == len(export["opportunities"])


def test_a_file_nested_a_hundred_thousand_deep_is_refused_not_a_500():
    user = _fresh()
    client, response = _upload(user, "[" * 100_000 + "]" * 100_000)
    _assert_refused_and_intact(user, client, response, "thousands of levels deep")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_that_are_not_numbers_are_refused(constant):
    with pytest.raises(ImportProblem, match=f"holds {constant}"):
        read_export(f'{{"a": {constant}}}'.encode())


def _place(export, where):
    data = json.loads(json.dumps(export))
    where(data)
    return data


HUGE_PLACES = {
    "criterion id": lambda d: d["criteria"][0].update(id=HUGE),
    "criterion position": lambda d: d["criteria"][0].update(position=HUGE),
    "score": lambda d: d["opportunities"][0]["evaluations"][0]["scores"][0].update(value=HUGE),
    "confidence": lambda d: next(o for o in d["opportunities"] if o["decisions"])["decisions"][
        0
    ].update(confidence=HUGE),
    "gut ranking": lambda d: d.setdefault("gut_rankings", []).append(
        {"selection": "1", "order": [HUGE]}
    ),
}


@pytest.mark.parametrize("place", HUGE_PLACES, ids=list(HUGE_PLACES))
def test_1e400_where_a_whole_number_goes_is_refused(export, place):
    text = json.dumps(_place(export, HUGE_PLACES[place])).replace(f'"{HUGE}"', "1e400")
    user = _fresh()
    client, response = _upload(user, text)
    _assert_refused_and_intact(user, client, response, "too large to be real (1e400)")


@pytest.mark.parametrize("value", ["9" * 30, 1.5, True, "7"])
def test_a_score_that_is_not_a_small_whole_number_is_refused(export, value):
    data = _place(
        export,
        lambda d: d["opportunities"][0]["evaluations"][0]["scores"][0].update(value=value),
    )
    user = _fresh()
    client, response = _upload(user, json.dumps(data))
    _assert_refused_and_intact(user, client, response, "opportunity 1, evaluation 1, score 1")


NUL_PLACES = {
    "title": lambda d: d["opportunities"][0].update(title="Designer\x00"),
    "notes": lambda d: d["opportunities"][0].update(notes="a\x00b"),
    "criterion name": lambda d: d["criteria"][0].update(name="Pay\x00"),
    "rationale": lambda d: next(o for o in d["opportunities"] if o["decisions"])["decisions"][
        0
    ].update(rationale="why\x00"),
    "a bell": lambda d: d["opportunities"][0].update(title="Ding\x07"),
    "a lone surrogate": lambda d: d["opportunities"][0].update(title="\ud800"),
}


@pytest.mark.parametrize("place", NUL_PLACES, ids=list(NUL_PLACES))
def test_control_characters_in_text_are_refused(export, place):
    user = _fresh()
    client, response = _upload(user, json.dumps(_place(export, NUL_PLACES[place])))
    _assert_refused_and_intact(user, client, response, "invisible control character")


BREAKS_LATER = {
    "archived in year 10000": (
        lambda d: d["opportunities"][0].update(archived_at="9999-12-31T23:00:00-05:00"),
        "archived_at: is dated out of any sense",
    ),
    "archived in year 0": (
        lambda d: d["opportunities"][0].update(archived_at="0001-01-01T00:30:00+01:00"),
        "archived_at: is dated out of any sense",
    ),
    "archived in 1900": (
        lambda d: d["opportunities"][0].update(archived_at="1900-01-01T00:00:00+00:00"),
        "archived_at: is dated 1900-01-01",
    ),
    "decided on 9999-12-31": (
        lambda d: next(o for o in d["opportunities"] if o["decisions"])["decisions"][0].update(
            decided_on="9999-12-31"
        ),
        "decided_on: is dated 9999-12-31",
    ),
    "a full-time week of 0 hours": (
        lambda d: d["profile"].update(full_time_hours_per_week="0"),
        "pay settings, full_time_hours_per_week",
    ),
    "an exchange rate of 0": (
        lambda d: d["opportunities"][0].update(exchange_rate="0"),
        "exchange_rate: The exchange rate must be more than 0",
    ),
    "an hourly rate of a billion": (
        lambda d: d["opportunities"][0].update(pay_basis="hourly", pay_amount="1000000000"),
        "check for extra zeros",
    ),
}


@pytest.mark.parametrize("case", BREAKS_LATER, ids=list(BREAKS_LATER))
def test_values_that_would_break_the_account_afterwards_are_refused(export, case):
    mutate, message = BREAKS_LATER[case]
    user = _fresh()
    client, response = _upload(user, json.dumps(_place(export, mutate)))
    _assert_refused_and_intact(user, client, response, message)


def test_more_criteria_than_an_account_holds_are_refused_with_the_limit(export):
    template = export["criteria"][0]
    many = [
        template | {"id": 10_000 + n, "name": f"Criterion {n}", "kind": "manual"}
        for n in range(MAX_CRITERIA + 1)
    ]
    user = _fresh()
    client, response = _upload(user, json.dumps(_place(export, lambda d: d.update(criteria=many))))
    _assert_refused_and_intact(user, client, response, "101 criteria; Crossroads keeps 100")


def test_a_refusal_names_the_first_few_problems_and_counts_the_rest(export):
    def many_problems(data):
        for criterion in data["criteria"]:
            criterion["name"] = "x\x00"

    user = _fresh()
    with pytest.raises(ImportProblem) as refused:
        import_user_data(user, _place(export, many_problems))
    message = str(refused.value)
    count = len(export["criteria"])
    assert count > 5
    assert message.startswith(f"Nothing was imported: the file breaks {count} rules")
    assert "(1) criterion 1, name: It holds an invisible control character (U+0000)" in message
    assert "(5) criterion 5, name:" in message
    assert "(6) " not in message
    assert message.endswith(f"And {count - 5} more.")


def _role(data):
    return next(o for o in data["opportunities"] if o["title"] == "Part-time content strategist")


def _other(data):
    return next(o for o in data["opportunities"] if o["title"] == "Return to full-time freelancing")


BROKEN_LINKS = {
    "a contact who is not in the file": (
        lambda d: _role(d).update(contacts=[987_654]),
        "contacts: refers to a person who is not in the file",
    ),
    "an origin that is not in the file": (
        lambda d: _role(d).update(arose_from=987_654),
        "arose_from: refers to an opportunity that is not in the file",
    ),
    "a story entry recording another opportunity's checkpoint": (
        lambda d: _role(d)["timeline"][0].update(evaluation=_other(d)["evaluations"][0]["id"]),
        "refers to an evaluation that is not in the file",
    ),
    "an alternative frozen nowhere": (
        lambda d: _role(d)["decisions"][0]["alternatives"][0].update(evaluation=987_654),
        "refers to an evaluation that is not in the file",
    ),
    "a story entry of an unknown kind": (
        lambda d: _role(d)["timeline"][0].update(kind="<script>"),
        "is not a valid choice",
    ),
}


@pytest.mark.parametrize("case", BROKEN_LINKS, ids=list(BROKEN_LINKS))
def test_links_that_lead_outside_the_file_are_refused(export, case):
    mutate, message = BROKEN_LINKS[case]
    user = _fresh()
    client, response = _upload(user, json.dumps(_place(export, mutate)))
    _assert_refused_and_intact(user, client, response, message)


def test_the_story_people_variants_and_alternatives_come_back(export):
    user = _fresh()
    import_user_data(user, json.loads(json.dumps(export)))
    role = Opportunity.objects.for_user(user).get(title="Part-time content strategist")
    assert role.arose_from_id is not None
    assert list(role.contacts.values_list("name", flat=True)) == ["Maya Okafor (fictional)"]
    assert role.timeline.count() == len(_role(export)["timeline"])
    assert Opportunity.objects.for_user(user).filter(variant_of=role).count() == 1
    decision = role.decisions.get()
    assert decision.alternatives.count() == 2


def _scored(data):
    """The first score of the file that has a value (an "I'm unsure" range needs one)."""
    for o, opportunity in enumerate(data["opportunities"], start=1):
        for e, evaluation in enumerate(opportunity["evaluations"], start=1):
            for k, score in enumerate(evaluation["scores"], start=1):
                if score["value"] is not None and 2 <= score["value"] <= 8:
                    return score, f"opportunity {o}, evaluation {e}, score {k}"
    raise AssertionError("the demo has no score to put a range on")


RANGE_BREAKS = {
    "low above the score": (lambda v: {"low": v + 1, "high": v + 2}, "low ≤ score ≤ high"),
    "high below the score": (lambda v: {"low": v - 2, "high": v - 1}, "low ≤ score ≤ high"),
    "a low end only": (lambda v: {"low": v - 1, "high": None}, "low ≤ score ≤ high"),
    "a high end only": (lambda v: {"low": None, "high": v + 1}, "low ≤ score ≤ high"),
    "a range without a score": (
        lambda v: {"value": None, "low": v - 1, "high": v + 1},
        "A range needs a score",
    ),
    "a high end of 11": (lambda v: {"low": v, "high": 11}, "high: Ensure this value is less"),
    "a low end of -1": (lambda v: {"low": -1, "high": v}, "low: Ensure this value is greater"),
    "a low end of a billion": (lambda v: {"low": 10**9, "high": v}, "low: Ensure this value"),
    "a low end of abc": (lambda v: {"low": "abc", "high": v}, "low: is not a whole number"),
    "a high end of 7.5": (lambda v: {"low": v, "high": 7.5}, "high: is not a whole number"),
}


@pytest.mark.parametrize("case", RANGE_BREAKS, ids=list(RANGE_BREAKS))
def test_a_broken_range_on_a_score_is_refused_with_where_and_why(export, case):
    """Issue 18: a score's low and high are read by the form's rules (both or neither,
    low ≤ score ≤ high, whole numbers 0-10); anything else is refused, never a 500."""
    change, message = RANGE_BREAKS[case]
    data = json.loads(json.dumps(export))
    score, where = _scored(data)
    score.update(change(score["value"]))
    user = _fresh()
    client, response = _upload(user, json.dumps(data))
    _assert_refused_and_intact(user, client, response, message)
    assert where in response.text


def test_a_good_range_imports(export):
    data = json.loads(json.dumps(export))
    for opportunity in data["opportunities"]:  # the demo's own ranges aside: only this one
        for evaluation in opportunity["evaluations"]:
            for other in evaluation["scores"]:
                other.update(low=None, high=None)
    score, _ = _scored(data)
    score.update(low=score["value"] - 1, high=score["value"] + 2)
    user = _fresh()
    import_user_data(user, data)
    stored = Score.objects.for_user(user).get(low__isnull=False)
    assert (stored.low, stored.value, stored.high) == (
        score["value"] - 1,
        score["value"],
        score["value"] + 2,
    )
