"""Questions travel with the export and come back with an import (their criterion, and
their entries in the story linked to them); a broken question in a file is refused with
where and why, never a 500."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from opportunities.accounts.queries import export_user_data
from opportunities.accounts.services import import_user_data
from opportunities.criteria.services import create_default_criteria
from opportunities.management.demo_ranges import DAY_TO_DAY
from opportunities.models import EntryKind, Opportunity, Question, TimelineEntry
from opportunities.models.limits import MAX_QUESTIONS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def export(django_db_setup, django_db_blocker):
    """The demo's export: a question asked before the interview and answered by it."""
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


def _role(data):
    return next(o for o in data["opportunities"] if o["title"] == "Part-time content strategist")


def _copy(export):
    return json.loads(json.dumps(export))


def _upload(user, data):
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile(
        "export.json", json.dumps(data).encode(), content_type="application/json"
    )
    return client.post(reverse("import_json"), {"file": upload})


def test_the_export_carries_the_question_its_criterion_and_its_entries(export):
    role = _role(export)
    [question] = role["questions"]
    assert question["text"] == DAY_TO_DAY
    criteria = {c["id"]: c["name"] for c in export["criteria"]}
    assert criteria[question["criterion"]] == "Daily & weekly life"
    assert question["answered_on"]
    assert question["answer"]
    assert question["asked_on"]
    linked = [e["title"] for e in role["timeline"] if e["question"] == question["id"]]
    assert linked == [f"Asked: {DAY_TO_DAY}", f"Found out: {DAY_TO_DAY}"]


def test_an_import_brings_them_back_linked(export):
    user = _fresh()
    import_user_data(user, _copy(export))
    question = Question.objects.for_user(user).select_related("criterion", "opportunity").get()
    assert question.text == DAY_TO_DAY
    assert question.criterion.name == "Daily & weekly life"
    assert question.criterion.owner_id == user.pk
    assert question.opportunity.title == "Part-time content strategist"
    assert not question.is_open
    entries = TimelineEntry.objects.filter(question=question, kind=EntryKind.QUESTION)
    assert entries.count() == 2
    assert set(entries.values_list("owner_id", flat=True)) == {user.pk}
    # And out again, the same.
    again = export_user_data(user)
    assert _role(again)["questions"][0]["text"] == DAY_TO_DAY


def test_a_file_from_before_questions_still_imports(export):
    data = _copy(export)
    for opportunity in data["opportunities"]:
        opportunity.pop("questions", None)
        for entry in opportunity["timeline"]:
            if entry.get("question") is None:
                entry.pop("question", None)
        opportunity["timeline"] = [e for e in opportunity["timeline"] if "question" not in e]
    user = _fresh()
    import_user_data(user, data)
    assert not Question.objects.for_user(user).exists()


def _question(data):
    return _role(data)["questions"][0]


BREAKS = {
    "text too long": (lambda q, d: q.update(text="x" * 301), "question 1, text"),
    "empty text": (lambda q, d: q.update(text=""), "question 1, text"),
    "a control character": (lambda q, d: q.update(text="a\x00b"), "control character"),
    "a lone surrogate": (lambda q, d: q.update(answer="\ud800"), "control character"),
    "answer too long": (lambda q, d: q.update(answer="x" * 2001), "question 1, answer"),
    "a bad date": (lambda q, d: q.update(asked_on="2026-02-30"), "question 1, asked_on"),
    "a date as words": (lambda q, d: q.update(answered_on="yesterday"), "question 1, answered_on"),
    "a date far ahead": (
        lambda q, d: q.update(answered_on="2999-01-01"),
        "question 1, answered_on",
    ),
    "answered before asked": (
        lambda q, d: q.update(asked_on="2025-01-02", answered_on="2025-01-01"),
        "answered before it was asked",
    ),
    "an answer with no day": (lambda q, d: q.update(answered_on=None), "not the day it was found"),
    "a criterion not in the file": (
        lambda q, d: q.update(criterion=987654),
        "refers to a criterion that is not in the file",
    ),
    "a criterion as text": (
        lambda q, d: q.update(criterion="abc"),
        "refers to a criterion that is not in the file",
    ),
    "no id": (lambda q, d: q.pop("id"), "has no whole-number id"),
    "not an object": (
        lambda q, d: _role(d)["questions"].append("nope"),
        "question 2: is not an object",
    ),
    "questions not a list": (
        lambda q, d: _role(d).update(questions={"a": 1}),
        "“questions” is not a list",
    ),
    "an entry naming a missing question": (
        lambda q, d: _role(d)["timeline"][0].update(question=424242),
        "refers to a question that is not in the file",
    ),
}


@pytest.mark.parametrize("case", BREAKS, ids=list(BREAKS))
def test_a_broken_question_is_refused_with_where_and_why(export, case):
    data = _copy(export)
    change, message = BREAKS[case]
    change(_question(data), data)
    user = _fresh()
    response = _upload(user, data)
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert message in response.text.replace("&#x27;", "'")
    assert not Opportunity.objects.for_user(user).exists()
    assert not Question.objects.for_user(user).exists()


def test_too_many_open_questions_are_refused(export):
    data = _copy(export)
    role = _role(data)
    role["questions"] = [
        {"id": 10_000 + n, "criterion": None, "text": f"Q{n}", "asked_on": "2026-01-01"}
        for n in range(MAX_QUESTIONS + 1)
    ]
    for entry in role["timeline"]:
        entry["question"] = None
    user = _fresh()
    response = _upload(user, data)
    assert "Nothing was imported" in response.text
    assert f"{MAX_QUESTIONS + 1} open questions" in response.text
    assert not Question.objects.for_user(user).exists()
