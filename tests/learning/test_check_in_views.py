"""The check-in page (GET and POST, full page only: it has no htmx), isolation, bad input,
and where check-ins show: the dashboard, the decision's page, the journal, the story."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opportunities.learning.services.checkins import record_check_in
from opportunities.models import CheckIn, Forecast, KillCriterion, TimelineEntry
from tests.learning.check_in_helpers import check_in_url, decided

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("opportunities:dashboard")
JOURNAL = reverse("opportunities:journal")


def post_data(d, **overrides):
    data = {
        "glad": "8",
        "how_it_goes": "  Better   than I feared. ",
        f"forecast-{d.forecast.pk}": "unknown",
        f"kill-{d.kill.pk}": "no",
        f"lived-{d.daily.pk}": "5",
        f"lived-{d.growth.pk}": "",
        "done_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- The page ------------------------------------------------------------------------------------


def test_the_page_asks_every_question(client_in, user):
    d = decided(user)
    page = client_in.get(d.url).text
    assert "Check-in 3 months on" in page
    assert 'data-testid="check-in-decision"' in page
    assert "Accept: Part-time strategist" in page
    assert page.count('name="glad"') == 11
    assert "checked" not in page.split('data-testid="glad"')[1].split("</fieldset>")[0]
    assert "I&#x27;m still glad at 6 months" in page
    assert "Can&#x27;t tell yet" in page
    assert "I work more than 25 hours a week" in page
    assert "What did “Daily &amp; weekly life 8” turn out to be?" in page
    assert "What did “Personal growth 7” turn out to be?" in page


def test_a_check_in_is_saved_and_goes_back_to_the_decision(client_in, user):
    d = decided(user)
    response = client_in.post(d.url, post_data(d))
    assert response.status_code == 302
    assert response.url == reverse("opportunities:decision_detail", args=[d.decision.pk]) + (
        "#check-ins"
    )
    check_in = CheckIn.objects.get(pk=d.check_in.pk)
    assert check_in.glad == 8
    assert check_in.how_it_goes == "Better than I feared."
    assert check_in.rescored == {
        str(d.daily.pk): {"name": "Daily & weekly life", "expected": 8, "lived": 5}
    }
    assert Forecast.objects.get(pk=d.forecast.pk).resolution == "unknown"
    assert KillCriterion.objects.get(pk=d.kill.pk).triggered is False
    entry = TimelineEntry.objects.get(check_in=check_in)
    assert entry.title == "Check-in 3 months on: glad 8 of 10"
    page = client_in.get(response.url).text
    assert "Checked in: it is in the story." in page


def test_answering_again_shows_what_was_said_and_edits_it(client_in, user):
    d = decided(user)
    client_in.post(d.url, post_data(d))
    page = client_in.get(d.url).text
    glad = page.split('data-testid="glad"')[1].split("</fieldset>")[0]
    assert (
        '<input type="radio" name="glad" value="8" class="btn-check" id="check_in_glad_8" checked>'
        in glad
    )
    assert glad.count("checked") == 1
    assert 'value="5"' in page
    assert "Save my changes" in page
    client_in.post(d.url, post_data(d, glad="3", **{f"forecast-{d.forecast.pk}": "true"}))
    assert CheckIn.objects.get(pk=d.check_in.pk).glad == 3
    assert Forecast.objects.get(pk=d.forecast.pk).resolution == "true"
    assert TimelineEntry.objects.filter(check_in=d.check_in).count() == 1


def test_a_check_in_can_be_done_early(client_in, user):
    d = decided(user, months_ago=1)
    assert d.check_in.due_on > timezone.localdate()
    response = client_in.post(d.url, post_data(d))
    assert response.status_code == 302
    assert CheckIn.objects.get(pk=d.check_in.pk).done_on == timezone.localdate()


# --- Bad input: never a 500, never lost -----------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"glad": "11"}, "Choose a number from 0 to 10."),
        ({"glad": "eight"}, "Choose a number from 0 to 10."),
        ({"lived-DAILY": "11"}, "Type a whole number from 0 to 10, or leave it empty."),
        ({"lived-DAILY": "-1"}, "Type a whole number from 0 to 10, or leave it empty."),
        ({"lived-DAILY": "5.5"}, "Type a whole number from 0 to 10, or leave it empty."),
        ({"forecast-F": "maybe"}, "Choose true, false or can&#x27;t tell yet."),
        ({"kill-K": "perhaps"}, "Choose yes or no."),
        ({"how_it_goes": "x" * 501}, "Keep this to 500 characters"),
        ({"how_it_goes": "a\x00b"}, "invisible control character"),
        ({"done_on": "tomorrow"}, "Give the day as a date"),
        ({"done_on": "2999-01-01"}, ""),
        ({"done_on": "2000-01-01"}, ""),
    ],
)
def test_wrong_input_comes_back_with_what_was_typed(client_in, user, overrides, message):
    d = decided(user)
    names = {
        "lived-DAILY": f"lived-{d.daily.pk}",
        "forecast-F": f"forecast-{d.forecast.pk}",
        "kill-K": f"kill-{d.kill.pk}",
    }
    data = post_data(d, how_it_goes="Kept, word for word")
    data.update({names.get(k, k): v for k, v in overrides.items()})
    response = client_in.post(d.url, data)
    assert response.status_code == 200
    assert message in response.text
    if "how_it_goes" not in overrides:
        assert "Kept, word for word" in response.text
    assert CheckIn.objects.get(pk=d.check_in.pk).done_on is None
    assert not TimelineEntry.objects.filter(check_in=d.check_in).exists()


def test_nothing_answered_is_said_so(client_in, user):
    d = decided(user)
    response = client_in.post(d.url, {"done_on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "Answer at least one question" in response.text
    assert CheckIn.objects.get(pk=d.check_in.pk).done_on is None


def test_missing_and_hostile_fields_are_ignored_or_refused(client_in, user, other_user):
    d, theirs = decided(user), decided(other_user)
    data = {
        "glad": "7",
        f"forecast-{theirs.forecast.pk}": "true",
        f"kill-{theirs.kill.pk}": "yes",
        f"lived-{theirs.daily.pk}": "1",
        "owner": str(other_user.pk),
        "done_on": "",
    }
    response = client_in.post(d.url, data)
    assert response.status_code == 302
    assert CheckIn.objects.get(pk=d.check_in.pk).done_on == timezone.localdate()
    assert Forecast.objects.get(pk=theirs.forecast.pk).resolution == ""
    assert KillCriterion.objects.get(pk=theirs.kill.pk).triggered is None
    assert CheckIn.objects.get(pk=d.check_in.pk).owner_id == user.pk


def test_oversized_and_repeated_values_do_not_break_it(client_in, user):
    d = decided(user)
    response = client_in.post(d.url, {"glad": ["8", "2"], f"lived-{d.daily.pk}": "9" * 400})
    assert response.status_code == 200
    assert "Type a whole number from 0 to 10" in response.text


# --- Isolation ---------------------------------------------------------------------------------


def test_another_users_check_in_is_a_404(client_in, other_user):
    theirs = decided(other_user)
    assert client_in.get(theirs.url).status_code == 404
    assert client_in.post(theirs.url, {"glad": "1"}).status_code == 404
    assert CheckIn.objects.get(pk=theirs.check_in.pk).done_on is None


def test_a_check_in_of_another_decision_is_a_404(client_in, user):
    one, two = decided(user), decided(user, title="Agency role")
    url = reverse("opportunities:check_in", args=[two.decision.pk, one.check_in.pk])
    assert client_in.get(url).status_code == 404
    assert client_in.post(url, {"glad": "1"}).status_code == 404


def test_the_page_needs_a_login(client, user):
    d = decided(user)
    response = client.get(d.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_other_methods_are_refused(client_in, user):
    d = decided(user)
    assert client_in.put(d.url).status_code == 405
    assert client_in.delete(d.url).status_code == 405


# --- Pinned queries ------------------------------------------------------------------------------


def test_the_page_reads_a_fixed_number_of_queries(client_in, user, django_assert_max_num_queries):
    d = decided(user)
    # session, user, the check-in with its decision, opportunity, checkpoint and kill
    # criterion, the forecasts, the kill criteria, the frozen scores
    with django_assert_max_num_queries(6):
        response = client_in.get(d.url)
    assert response.status_code == 200


def test_saving_writes_a_fixed_number_of_queries(client_in, user, django_assert_max_num_queries):
    d = decided(user)
    # 15, and the page-cache counter (the message goes in its cookie)
    with django_assert_max_num_queries(16):
        response = client_in.post(d.url, post_data(d))
    assert response.status_code == 302


# --- Where check-ins show ----------------------------------------------------------------------


def test_the_dashboard_lists_due_check_ins_oldest_first(client_in, user):
    older = decided(user, months_ago=8, title="Older role")
    decided(user, months_ago=4, title="Newer role")
    page = client_in.get(DASHBOARD).text
    card = page.split('data-testid="check-ins-due"')[1].split("</section>")[0]
    assert card.index("Older role") < card.index("Newer role")
    assert check_in_url(older.check_in) in card
    assert "Did “I work more than 25 hours a week” come true?" in card


def test_the_dashboard_says_nothing_when_none_is_due(client_in, user):
    d = decided(user, months_ago=1)
    page = client_in.get(DASHBOARD).text
    assert 'data-testid="check-ins-due"' not in page
    assert d.check_in.due_on > timezone.localdate()


def test_a_done_check_in_leaves_the_dashboard(client_in, user):
    d = decided(user)
    client_in.post(d.url, post_data(d, **{f"kill-{d.kill.pk}": None}))
    card = client_in.get(DASHBOARD).text.split('data-testid="check-ins-due"')[1]
    assert check_in_url(d.check_in) not in card.split("</section>")[0]


def test_the_dashboard_reads_one_query_for_its_check_ins(client_in, user):
    for n in range(3):
        decided(user, months_ago=4 + n, title=f"Role {n}")
    with CaptureQueriesContext(connection) as queries:
        page = client_in.get(DASHBOARD).text
    assert page.count('data-testid="check-in-due"') == 6 + 1  # 3m and kill each; 6m at 6 months
    reading = [q for q in queries.captured_queries if '"opportunities_checkin"' in q["sql"]]
    assert len(reading) == 1


def test_the_decision_page_lists_its_check_ins_and_a_kill_criterion_that_came_true(client_in, user):
    d = decided(user)
    client_in.post(d.url, post_data(d, **{f"kill-{d.kill.pk}": "yes"}))
    page = client_in.get(reverse("opportunities:decision_detail", args=[d.decision.pk])).text
    section = page.split('data-testid="decision-check-ins"')[1].split("</section>")[0]
    assert section.count('data-testid="decision-check-in"') == 4
    assert 'data-state="done"' in section
    assert "glad 8 of 10" in section
    assert 'data-state="due"' in section  # the kill criterion's own
    assert 'data-state="upcoming"' in section
    reconsider = page.split('data-testid="reconsider"')[1].split("</section>")[0]
    assert "You said you would reconsider if by" in reconsider
    assert "I work more than 25 hours a week" in reconsider


def test_the_journal_links_each_decision_to_its_check_ins(client_in, user):
    d = decided(user)
    client_in.post(d.url, post_data(d, **{f"kill-{d.kill.pk}": None}))
    page = client_in.get(JOURNAL).text
    line = page.split('data-testid="journal-check-ins"')[1].split("</p>")[0]
    assert check_in_url(d.check_in) in line
    assert "glad 8" in line
    assert ">due<" in line
    assert line.count("<a ") == 4


def test_the_story_shows_the_check_in_with_a_link_to_it(client_in, user):
    d = decided(user)
    client_in.post(d.url, post_data(d))
    story = client_in.get(reverse("opportunities:story", args=[d.decision.opportunity_id])).text
    assert 'data-kind="check_in"' in story
    assert "Check-in 3 months on: glad 8 of 10" in story
    assert "Better than I feared." in story
    assert f'href="{d.url}"' in story


def test_a_check_in_done_late_is_dated_the_day_it_was_done(client_in, user):
    d = decided(user, months_ago=8)
    day = timezone.localdate() - timedelta(days=10)
    record_check_in(
        d.check_in,
        glad=6,
        how_it_goes="",
        resolutions={},
        kill_triggers={},
        rescored={},
        done_on=day,
    )
    assert TimelineEntry.objects.get(check_in=d.check_in).happened_on == day


def test_a_kill_criterion_answered_elsewhere_says_so_on_the_decision_and_in_the_journal(
    client_in, user
):
    d = decided(user)
    client_in.post(d.url, post_data(d, **{f"kill-{d.kill.pk}": "no"}))
    page = client_in.get(reverse("opportunities:decision_detail", args=[d.decision.pk])).text
    section = page.split('data-testid="decision-check-ins"')[1].split("</section>")[0]
    assert "it did not</span>" in section
    assert 'data-testid="reconsider"' not in page
    line = client_in.get(JOURNAL).text.split('data-testid="journal-check-ins"')[1]
    assert "(did not)" in line.split("</p>")[0]
    assert ">due<" not in line.split("</p>")[0]
