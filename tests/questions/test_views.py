"""Questions to find out: asking one (the opportunity page's card, the comparison's "Add
as a question"), answering it, deleting it; each with its entries in the story, every
form refusing bad input with what was typed kept, and in a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Criterion, EntryKind, Question, TimelineEntry
from opportunities.models.limits import MAX_QUESTIONS
from opportunities.questions.services import answer_question, ask_question
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"opportunities:{name}", args=args)


def growth(user) -> Criterion:
    return Criterion.objects.get(owner=user, name="Professional development")


def ask(client, opportunity, text="How fast do people grow there?", **fields):
    return client.post(url("question_add", opportunity.pk), {"text": text, **fields})


def entries(opportunity) -> list[tuple[str, str, date]]:
    return list(
        TimelineEntry.objects.filter(opportunity=opportunity, kind=EntryKind.QUESTION)
        .order_by("id")
        .values_list("title", "body", "happened_on")
    )


# --- Asking ---------------------------------------------------------------------------------


def test_a_question_is_asked_from_the_page_and_written_in_the_story(client_in, user, opportunity):
    response = ask(
        client_in, opportunity, "  How fast do people\ngrow there? ", criterion=growth(user).pk
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url('opportunity_detail', opportunity.pk)}#questions"
    question = Question.objects.get()
    assert question.text == "How fast do people grow there?"
    assert question.criterion_id == growth(user).pk
    assert question.owner_id == user.pk
    assert question.asked_on == timezone.localdate()
    assert entries(opportunity) == [
        ("Asked: How fast do people grow there?", "", timezone.localdate())
    ]
    page = client_in.get(response["Location"]).text
    assert "is among the open questions" in page
    assert 'data-testid="open-question"' in page
    assert "about Professional development" in page


def test_a_question_about_no_criterion_is_fine(client_in, opportunity):
    assert ask(client_in, opportunity, criterion="").status_code == 302
    assert Question.objects.get().criterion is None


def test_asking_from_the_comparison_goes_back_there(client_in, user, opportunity):
    back = f"{url('compare')}?ids={opportunity.pk}#find-out"
    response = ask(client_in, opportunity, criterion=growth(user).pk, next=back)
    assert response["Location"] == back


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "compare",
        "\x00/",
        "",
    ],
)
def test_an_unsafe_next_goes_to_the_opportunity_instead(client_in, opportunity, next_url):
    response = ask(client_in, opportunity, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == f"{url('opportunity_detail', opportunity.pk)}#questions"


def test_the_same_open_question_is_not_asked_twice(client_in, user, opportunity):
    ask(client_in, opportunity, "What is the day-to-day?", criterion=growth(user).pk)
    response = ask(client_in, opportunity, "what is  the DAY-to-day?", criterion=growth(user).pk)
    assert Question.objects.count() == 1
    assert len(entries(opportunity)) == 1
    assert "You already asked" in client_in.get(response["Location"]).text
    # About another criterion, or none, it is another question; answered, it may be asked again.
    ask(client_in, opportunity, "What is the day-to-day?")
    assert Question.objects.count() == 2
    answer_question(
        question=Question.objects.get(criterion=growth(user)),
        answer="x",
        answered_on=timezone.localdate(),
    )
    ask(client_in, opportunity, "What is the day-to-day?", criterion=growth(user).pk)
    assert Question.objects.count() == 3


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"text": ""}, "Write the question"),
        ({"text": "   \n "}, "Write the question"),
        ({}, "Write the question"),
        ({"text": "x" * 301}, "Keep this to 300 characters; it has 301"),
        ({"text": "a\x00b"}, "control character"),
        ({"text": "a\x1bb"}, "control character"),
        ({"text": "Fine", "criterion": "999999"}, "Choose one of your criteria"),
        ({"text": "Fine", "criterion": "abc"}, "Choose one of your criteria"),
        ({"text": "Fine", "criterion": "-1"}, "Choose one of your criteria"),
    ],
)
def test_a_bad_question_is_refused_with_what_was_typed_kept(
    client_in, opportunity, fields, problem
):
    fields = {**fields, "next": "/compare/?ids=1"}
    response = client_in.post(url("question_add", opportunity.pk), fields)
    assert response.status_code == 200
    assert problem in response.text
    assert Question.objects.count() == 0
    assert not entries(opportunity)
    if fields.get("text", "").strip() and "\x00" not in fields["text"]:
        assert fields["text"][:50] in response.text
    assert 'value="/compare/?ids=1"' in response.text


def test_a_question_of_exactly_300_characters_is_kept_whole(client_in, opportunity):
    ask(client_in, opportunity, "y" * 300)
    question = Question.objects.get()
    assert question.text == "y" * 300
    assert len(TimelineEntry.objects.get(question=question).title) <= 200


def test_another_users_criterion_is_refused(client_in, opportunity, other_user):
    response = ask(client_in, opportunity, criterion=growth(other_user).pk)
    assert response.status_code == 200
    assert "Choose one of your criteria" in response.text
    assert Question.objects.count() == 0


def test_an_archived_criterion_is_refused(client_in, user, opportunity):
    criterion = growth(user)
    criterion.archived_at = timezone.now()
    criterion.save()
    assert "Choose one of your criteria" in ask(client_in, opportunity, criterion=criterion.pk).text


def test_an_opportunity_holds_at_most_its_limit_of_open_questions(client_in, user, opportunity):
    for n in range(MAX_QUESTIONS):
        ask_question(opportunity=opportunity, text=f"Question {n}")
    page = client_in.get(url("opportunity_detail", opportunity.pk)).text
    assert 'data-testid="questions-full"' in page
    response = ask(client_in, opportunity, "One more")
    assert response.status_code == 200
    assert f"holds at most {MAX_QUESTIONS} open questions" in response.text
    assert "One more" in response.text
    assert Question.objects.count() == MAX_QUESTIONS
    # An answered one makes room.
    answer_question(question=Question.objects.first(), answer="x", answered_on=timezone.localdate())
    assert ask(client_in, opportunity, "One more").status_code == 302


def test_the_ask_page_opens_on_its_own(client_in, user, opportunity):
    response = client_in.get(url("question_add", opportunity.pk), {"criterion": growth(user).pk})
    assert response.status_code == 200
    assert f'<option value="{growth(user).pk}" selected' in response.text


# --- Another person's, CSRF, methods --------------------------------------------------------


def test_another_persons_opportunity_or_question_is_a_404(client_in, other_user):
    theirs = OpportunityFactory(owner=other_user)
    question = ask_question(opportunity=theirs, text="Theirs").question
    assert ask(client_in, theirs).status_code == 404
    for name in ("question_answer", "question_delete"):
        assert client_in.get(url(name, theirs.pk, question.pk)).status_code == 404
        assert client_in.post(url(name, theirs.pk, question.pk), {"answer": "x"}).status_code == 404
    question.refresh_from_db()
    assert question.is_open
    assert Question.objects.count() == 1


def test_a_question_under_another_opportunity_of_ones_own_is_a_404(client_in, user, opportunity):
    other = OpportunityFactory(owner=user)
    question = ask_question(opportunity=opportunity, text="Mine").question
    assert client_in.get(url("question_answer", other.pk, question.pk)).status_code == 404
    assert client_in.post(url("question_delete", other.pk, question.pk)).status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()


def test_signed_out_every_question_page_goes_to_log_in(client, opportunity):
    question = ask_question(opportunity=opportunity, text="Q").question
    for address in (
        url("question_add", opportunity.pk),
        url("question_answer", opportunity.pk, question.pk),
        url("question_delete", opportunity.pk, question.pk),
    ):
        assert client.post(address, {"text": "x", "answer": "y"}).status_code == 302
    assert Question.objects.count() == 1
    assert Question.objects.get().is_open


def test_every_post_needs_the_csrf_token(user, opportunity):
    question = ask_question(opportunity=opportunity, text="Q").question
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(url("question_add", opportunity.pk), {"text": "x"}).status_code == 403
    answered = client.post(url("question_answer", opportunity.pk, question.pk), {"answer": "y"})
    assert answered.status_code == 403
    assert client.post(url("question_delete", opportunity.pk, question.pk)).status_code == 403
    assert Question.objects.count() == 1
    assert Question.objects.get().is_open
    # With the token from the page, it goes through.
    page = client.get(url("opportunity_detail", opportunity.pk))
    token = page.cookies["csrftoken"].value
    response = client.post(
        url("question_add", opportunity.pk), {"text": "x", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused(client_in, opportunity, method):
    question = ask_question(opportunity=opportunity, text="Q").question
    for address in (
        url("question_add", opportunity.pk),
        url("question_answer", opportunity.pk, question.pk),
        url("question_delete", opportunity.pk, question.pk),
    ):
        assert getattr(client_in, method)(address).status_code == 405


# --- Answering ------------------------------------------------------------------------------


def test_answering_writes_the_story_and_asks_to_rescore_at_the_row(client_in, user, opportunity):
    question = ask_question(
        opportunity=opportunity, text="How fast do people grow there?", criterion=growth(user)
    ).question
    page = client_in.get(url("question_answer", opportunity.pk, question.pk))
    assert page.status_code == 200
    assert "How fast do people grow there?" in page.text
    assert "What I found out" in page.text
    day = timezone.localdate() - timedelta(days=0)
    response = client_in.post(
        url("question_answer", opportunity.pk, question.pk),
        {"answer": "Promotions every 18 months.", "answered_on": day.isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"{url('opportunity_detail', opportunity.pk)}#score-row-{growth(user).pk}"
    )
    question.refresh_from_db()
    assert question.answer == "Promotions every 18 months."
    assert question.answered_on == day
    assert entries(opportunity)[1] == (
        "Found out: How fast do people grow there?",
        "Promotions every 18 months.",
        day,
    )
    detail = client_in.get(response["Location"]).text
    assert "Now re-score Professional development and narrow its range" in detail
    assert f'id="score-row-{growth(user).pk}"' in detail
    assert 'data-testid="found-out"' in detail
    assert 'data-testid="open-question"' not in detail


def test_an_answer_can_be_dated_back_and_edited_later(client_in, opportunity):
    question = ask_question(opportunity=opportunity, text="Q", asked_on=date(2026, 1, 10)).question
    address = url("question_answer", opportunity.pk, question.pk)
    client_in.post(address, {"answer": "First", "answered_on": "2026-01-12"})
    client_in.post(address, {"answer": "Better", "answered_on": "2026-01-13"})
    assert entries(opportunity) == [
        ("Asked: Q", "", date(2026, 1, 10)),
        ("Found out: Q", "Better", date(2026, 1, 13)),
    ]


def test_an_answer_without_a_date_is_today_and_without_a_criterion_goes_to_the_questions(
    client_in, opportunity
):
    question = ask_question(opportunity=opportunity, text="Q").question
    response = client_in.post(url("question_answer", opportunity.pk, question.pk), {"answer": "A"})
    assert response["Location"].endswith("#questions")
    question.refresh_from_db()
    assert question.answered_on == timezone.localdate()


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"answer": ""}, "Write what you found out"),
        ({"answer": "  \n"}, "Write what you found out"),
        ({}, "Write what you found out"),
        ({"answer": "x" * 2001}, "Keep this to 2000 characters; it has 2001"),
        ({"answer": "a\x00b"}, "control character"),
        ({"answer": "Kept words", "answered_on": "tomorrow"}, "Give the day as a date"),
        ({"answer": "Kept words", "answered_on": "2026-02-30"}, "Give the day as a date"),
        ({"answer": "Kept words", "answered_on": "1999-12-31"}, "Check the year"),
        ({"answer": "Kept words", "answered_on": "2025-12-31"}, "before the question was asked"),
        ({"answer": "Kept words", "answered_on": "9999-12-31"}, "still to come"),
        ({"answer": "Kept words", "answered_on": "x" * 5000}, "Give the day as a date"),
    ],
)
def test_a_bad_answer_is_refused_with_what_was_typed_kept(client_in, opportunity, fields, problem):
    question = ask_question(opportunity=opportunity, text="Q", asked_on=date(2026, 1, 1)).question
    response = client_in.post(url("question_answer", opportunity.pk, question.pk), fields)
    assert response.status_code == 200
    assert problem in response.text
    if fields.get("answer") == "Kept words":
        assert "Kept words" in response.text
    question.refresh_from_db()
    assert question.is_open
    assert question.answer == ""
    assert len(entries(opportunity)) == 1


# --- Deleting -------------------------------------------------------------------------------


def test_deleting_asks_first_then_takes_its_entries(client_in, opportunity):
    question = ask_question(opportunity=opportunity, text="Gone soon").question
    answer_question(question=question, answer="Said", answered_on=timezone.localdate())
    kept = ask_question(opportunity=opportunity, text="Kept").question
    address = url("question_delete", opportunity.pk, question.pk)
    confirm = client_in.get(address)
    assert confirm.status_code == 200
    assert "Delete “Gone soon”?" in confirm.text
    assert Question.objects.filter(pk=question.pk).exists()
    response = client_in.post(address)
    assert response.status_code == 302
    assert response["Location"].endswith("#questions")
    assert not Question.objects.filter(pk=question.pk).exists()
    assert [title for title, _, _ in entries(opportunity)] == ["Asked: Kept"]
    assert Question.objects.get() == kept
    assert "was deleted" in client_in.get(response["Location"]).text
    assert client_in.post(address).status_code == 404


def test_an_app_written_question_entry_is_not_deleted_by_hand(client_in, opportunity):
    question = ask_question(opportunity=opportunity, text="Q").question
    entry = TimelineEntry.objects.get(question=question)
    client_in.post(url("story_entry_delete", opportunity.pk, entry.pk))
    assert TimelineEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_the_opportunity_takes_its_questions_and_their_entries(client_in, opportunity):
    question = ask_question(opportunity=opportunity, text="Q").question
    answer_question(question=question, answer="A", answered_on=timezone.localdate())
    other = OpportunityFactory(owner=opportunity.owner)
    kept = ask_question(opportunity=other, text="Kept").question
    response = client_in.post(url("opportunity_delete", opportunity.pk))
    assert response.status_code == 302
    assert list(Question.objects.all()) == [kept]
    assert list(
        TimelineEntry.objects.filter(kind=EntryKind.QUESTION).values_list("question", flat=True)
    ) == [kept.pk]


def test_deleting_the_account_takes_its_questions(user, opportunity):
    ask_question(opportunity=opportunity, text="Q")
    user.delete()
    assert not Question.objects.exists()


def test_a_deleted_criterion_leaves_its_questions_about_nothing_in_particular(
    client_in, user, opportunity
):
    question = ask_question(opportunity=opportunity, text="Q", criterion=growth(user)).question
    growth(user).delete()
    question.refresh_from_db()
    assert question.criterion is None
    assert client_in.get(url("question_answer", opportunity.pk, question.pk)).status_code == 200


# --- The story, and query counts ------------------------------------------------------------


def test_the_story_shows_what_is_still_to_find_out_at_the_top(client_in, user, opportunity):
    ask_question(opportunity=opportunity, text="Still open", criterion=growth(user))
    done = ask_question(opportunity=opportunity, text="Settled").question
    answer_question(question=done, answer="Yes", answered_on=timezone.localdate())
    page = client_in.get(url("story", opportunity.pk)).text
    top = page.index('data-testid="still-to-find-out"')
    assert top < page.index('data-testid="story"')
    section = page[top : page.index('data-testid="story"')]
    assert "Still open" in section
    assert "about Professional development" in section
    assert "Settled" not in section
    assert "Asked: Still open" in page
    assert "Found out: Settled" in page


@pytest.mark.parametrize("count", [2, 40])
def test_the_pages_take_a_fixed_number_of_queries(
    client_in, user, opportunity, count, django_assert_max_num_queries
):
    for n in range(count):
        question = ask_question(
            opportunity=opportunity, text=f"Q{n}", criterion=growth(user)
        ).question
        if n % 2:
            answer_question(question=question, answer="A", answered_on=timezone.localdate())
    question = Question.objects.filter(answered_on__isnull=True).first()
    about = growth(user).pk
    # The opportunity's page reads its questions in one query, however many (18: the
    # pin of tests/timeline/test_views.py).
    with django_assert_max_num_queries(18):
        page = client_in.get(url("opportunity_detail", opportunity.pk))
    assert page.text.count('data-testid="open-question"') == count - count // 2
    # session, user, the question with its opportunity and criterion
    with django_assert_max_num_queries(3):
        assert client_in.get(url("question_answer", opportunity.pk, question.pk)).status_code == 200
    with django_assert_max_num_queries(3):
        assert client_in.get(url("question_delete", opportunity.pk, question.pk)).status_code == 200
    # session, user, opportunity, its criteria
    with django_assert_max_num_queries(4):
        assert client_in.get(url("question_add", opportunity.pk)).status_code == 200
    # session, user, opportunity, the open count, the criteria offered, the criterion
    # checked, the lock, the twin check, the question, its entry (and the savepoints of the
    # transactions), the page-cache counter; the message goes in its cookie
    with django_assert_max_num_queries(13):
        assert ask(client_in, opportunity, "New one", criterion=about).status_code == 302
    # session, user, the question, the update, the found-out entry (read, write) (and the
    # savepoints of the transactions), the page-cache counter; the message in its cookie
    with django_assert_max_num_queries(9):
        response = client_in.post(
            url("question_answer", opportunity.pk, question.pk), {"answer": "Done"}
        )
    assert response.status_code == 302
