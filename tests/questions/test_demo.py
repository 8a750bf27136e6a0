"""The demo's unsure scores: guesses with wide ranges before the interview, a question
about the day-to-day asked that day and answered by the interview, narrower ranges after."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from opportunities.management.demo_ranges import AFTER_THE_INTERVIEW, DAY_TO_DAY, GUESSES
from opportunities.models import EntryKind, Evaluation, Opportunity, Question, Score, TimelineEntry

pytestmark = pytest.mark.django_db


def _ranges(checkpoint: Evaluation) -> dict[str, tuple[int, int, int]]:
    return {
        name: (value, low, high)
        for name, value, low, high in Score.objects.filter(
            evaluation=checkpoint, low__isnull=False
        ).values_list("criterion__name", "value", "low", "high")
    }


def test_the_demo_guesses_then_narrows_and_the_interview_answers_its_question(client):
    call_command("load_demo", stdout=io.StringIO())
    demo = get_user_model().objects.get(username="demo")
    role = Opportunity.objects.for_user(demo).get(title="Part-time content strategist")
    checkpoints = {
        c.label: c for c in Evaluation.objects.filter(opportunity=role, frozen_at__isnull=False)
    }
    before = _ranges(checkpoints["Before the interview (guesses)"])
    after = _ranges(checkpoints["After the interview"])
    assert before == GUESSES
    assert 3 <= len(before) <= 4
    assert set(after) == set(before)
    for name, (low, high) in AFTER_THE_INTERVIEW.items():
        assert after[name][1:] == (low, high)
        # Narrower than the guess, around the score.
        assert high - low < before[name][2] - before[name][1]
        assert low <= after[name][0] <= high

    question = Question.objects.for_user(demo).select_related("criterion").get()
    interview = TimelineEntry.objects.get(opportunity=role, title="The interview")
    invited = TimelineEntry.objects.get(opportunity=role, title="Invited to interview")
    assert question.text == DAY_TO_DAY
    assert question.criterion.name == "Daily & weekly life"
    assert question.asked_on == invited.happened_on
    assert question.answered_on == interview.happened_on
    assert question.answer
    assert list(
        TimelineEntry.objects.filter(question=question, kind=EntryKind.QUESTION)
        .order_by("happened_on")
        .values_list("title", "happened_on")
    ) == [
        (f"Asked: {DAY_TO_DAY}", invited.happened_on),
        (f"Found out: {DAY_TO_DAY}", interview.happened_on),
    ]

    client.force_login(demo)
    page = client.get(reverse("opportunities:opportunity_detail", args=[role.pk])).text
    assert 'data-testid="found-out"' in page
    assert DAY_TO_DAY in page
    story = client.get(reverse("opportunities:story", args=[role.pk])).text
    assert "Found out: What would the day-to-day actually be?" in story
    assert 'data-testid="still-to-find-out"' not in story
    # Loading it again changes nothing.
    call_command("load_demo", stdout=io.StringIO())
    assert Question.objects.for_user(demo).count() == 1
