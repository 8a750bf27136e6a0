"""The story's pages: on the opportunity's page (the newest entries, added in place with
htmx or on a page of their own), the whole story a page at a time, editing and deleting
an entry, and the story around a decision; each in a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opportunities.journal.services import record_decision, update_outcome
from opportunities.models import (
    Decision,
    DecisionChoice,
    EntryKind,
    Evaluation,
    Outcome,
    Person,
    Stage,
    StageChange,
    TimelineEntry,
)
from opportunities.models.limits import MAX_TIMELINE_ENTRIES
from opportunities.scoring.services import save_score
from opportunities.timeline.queries import STORY_PAGE_SIZE
from opportunities.timeline.services import add_entry
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"opportunities:{name}", args=args)


def note(opportunity, title="A note", *, day=None, **fields) -> TimelineEntry:
    return add_entry(
        opportunity=opportunity,
        entry=TimelineEntry(
            kind=fields.pop("kind", EntryKind.NOTE),
            title=title,
            happened_on=day or timezone.localdate(),
            **fields,
        ),
    )


def many_notes(opportunity, count: int) -> None:
    start = date(2024, 1, 1)
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            owner_id=opportunity.owner_id,
            opportunity=opportunity,
            kind=EntryKind.NOTE,
            happened_on=start + timedelta(days=n),
            title=f"Note {n}",
            body="Something worth remembering. " * 5,
        )
        for n in range(count)
    )


def entry_post(**overrides) -> dict:
    return {
        "kind": "conversation",
        "happened_on": "2025-11-12",
        "title": "Informational interview with the founder",
        "person": "",
        "body": "She mentioned a part-time role might open in spring.",
    } | overrides


# --- On the opportunity's page ----------------------------------------------------------------


def test_the_opportunity_page_tells_the_story_newest_first(client_in, opportunity, user):
    ana = Person.objects.create(owner=user, name="Ana")
    note(opportunity, "The mention", day=date(2026, 1, 5))
    note(opportunity, "Coffee", day=date(2025, 11, 12), kind=EntryKind.CONVERSATION, person=ana)
    page = client_in.get(url("opportunity_detail", opportunity.pk)).text
    assert 'id="story"' in page
    assert page.index("Added as lead") < page.index("The mention") < page.index("Coffee")
    assert f'href="{url("person_detail", ana.pk)}">Ana</a>' in page
    assert f'href="{url("story_entry_add", opportunity.pk)}"' in page
    assert f'hx-get="{url("story_entry_add", opportunity.pk)}"' in page
    # Only the hand-written entries can be deleted.
    assert page.count("Delete<span") == 2


def test_the_opportunity_page_shows_the_newest_fifty_and_links_to_the_rest(client_in, opportunity):
    many_notes(opportunity, 60)
    page = client_in.get(url("opportunity_detail", opportunity.pk)).text
    assert page.count('data-testid="story-entry"') == 50
    assert "Note 59" in page
    assert "Note 9<" not in page
    assert "Show the whole story" in page


def test_the_opportunity_page_queries_do_not_grow_with_the_story(
    client_in, opportunity, django_assert_max_num_queries
):
    counts = []
    for total in (3, 300):
        TimelineEntry.objects.filter(kind=EntryKind.NOTE).delete()
        many_notes(opportunity, total)
        with CaptureQueriesContext(connection) as queries:
            response = client_in.get(url("opportunity_detail", opportunity.pk))
        assert response.text.count('data-testid="story-entry"') == min(total + 1, 50)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # The story is one of them: its newest entries with their people, in one query (15:
    # 13, the rounds of asking friends, and the questions to find out).
    with django_assert_max_num_queries(15):
        client_in.get(url("opportunity_detail", opportunity.pk))


def test_the_score_summary_fragment_reads_no_story(
    client_in, opportunity, htmx_headers, django_assert_max_num_queries
):
    many_notes(opportunity, 5)
    with django_assert_max_num_queries(6):
        response = client_in.get(
            url("opportunity_detail", opportunity.pk), headers=htmx_headers("score-summary")
        )
    assert 'id="story"' not in response.text


# --- Adding -------------------------------------------------------------------------------------


def test_add_to_the_story_opens_the_form_in_place(client_in, opportunity, htmx_headers):
    response = client_in.get(
        url("story_entry_add", opportunity.pk), headers=htmx_headers("story-add")
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="story-add"' in response.text
    assert 'hx-select-oob="#story-entries"' in response.text
    assert 'name="happened_on"' in response.text
    assert 'data-maxlength="5000"' in response.text


def test_the_add_form_has_its_own_page(client_in, opportunity):
    response = client_in.get(url("story_entry_add", opportunity.pk))
    assert "<html" in response.text
    assert "Add to the story" in response.text


def test_an_entry_added_in_place_comes_back_with_the_newest_entries(
    client_in, opportunity, user, htmx_headers
):
    ana = Person.objects.create(owner=user, name="Ana")
    response = client_in.post(
        url("story_entry_add", opportunity.pk),
        entry_post(person=ana.pk),
        headers=htmx_headers("story-add"),
    )
    assert response.status_code == 200
    entry = TimelineEntry.objects.get(opportunity=opportunity, kind=EntryKind.CONVERSATION)
    assert (entry.happened_on, entry.person_id, entry.owner_id) == (
        date(2025, 11, 12),
        ana.pk,
        user.pk,
    )
    text = response.text
    # The button is back in place of the form, the entries are there to swap, and a toast.
    assert '<a id="story-add"' in text
    assert 'id="story-entries"' in text
    assert "Informational interview with the founder" in text
    assert "is in the story" in text


def test_an_entry_added_without_javascript_goes_back_to_the_story(client_in, opportunity):
    response = client_in.post(url("story_entry_add", opportunity.pk), entry_post())
    assert response.status_code == 302
    assert response["Location"] == f"{url('opportunity_detail', opportunity.pk)}#story"
    assert TimelineEntry.objects.filter(opportunity=opportunity, kind="conversation").exists()
    response = client_in.post(
        url("story_entry_add", opportunity.pk), entry_post(back="story", title="Another")
    )
    assert response["Location"] == url("story", opportunity.pk)


def test_a_refused_entry_keeps_what_was_typed(client_in, opportunity, htmx_headers):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    bad = entry_post(happened_on=tomorrow, body="Long thoughts " * 400)
    response = client_in.post(
        url("story_entry_add", opportunity.pk), bad, headers=htmx_headers("story-add")
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "still to come" in response.text
    assert "Keep this to 5000 characters" in response.text
    assert "Informational interview with the founder" in response.text
    assert tomorrow in response.text
    plain = client_in.post(url("story_entry_add", opportunity.pk), bad)
    assert plain.status_code == 200
    assert "<html" in plain.text
    assert "still to come" in plain.text
    assert not TimelineEntry.objects.filter(opportunity=opportunity, kind="conversation").exists()


@pytest.mark.parametrize(
    "hostile",
    [
        {"kind": "decision"},
        {"kind": "x" * 10_000},
        {"person": "99999999"},
        {"person": "not-a-number"},
        {"happened_on": "9" * 500},
        {"happened_on": "2026-02-30"},
        {"title": "t" * 201},
        {"title": "<script>alert(1)</script>"},
    ],
)
def test_hostile_entries_are_refused_or_kept_harmless(client_in, opportunity, hostile):
    response = client_in.post(url("story_entry_add", opportunity.pk), entry_post(**hostile))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert 'role="alert"' in response.text or "invalid-feedback" in response.text
    page = client_in.get(url("opportunity_detail", opportunity.pk)).text
    assert "<script>alert(1)</script>" not in page


def test_another_users_person_cannot_be_named(client_in, opportunity, other_user):
    theirs = Person.objects.create(owner=other_user, name="Not yours")
    response = client_in.post(url("story_entry_add", opportunity.pk), entry_post(person=theirs.pk))
    assert response.status_code == 200
    assert "Choose one of your people from the list." in response.text
    assert not TimelineEntry.objects.filter(person=theirs).exists()


# --- The whole story ----------------------------------------------------------------------------


def test_the_whole_story_pages_newest_or_oldest_first(client_in, opportunity):
    many_notes(opportunity, 120)
    first = client_in.get(url("story", opportunity.pk)).text
    assert first.count('data-testid="story-entry"') == 50
    assert "121 entries, newest first" in first
    assert "Note 119" in first
    assert "Page 1 of 3" in first
    oldest = client_in.get(url("story", opportunity.pk), {"order": "oldest"}).text
    assert "Note 0<" in oldest
    assert "Note 119" not in oldest
    last = client_in.get(url("story", opportunity.pk), {"page": "3"}).text
    assert last.count('data-testid="story-entry"') == 21
    assert "Note 0<" in last
    # A page that is not a number or past the end is the nearest one, not an error.
    assert client_in.get(url("story", opportunity.pk), {"page": "x"}).status_code == 200
    assert client_in.get(url("story", opportunity.pk), {"page": "999"}).status_code == 200


@pytest.mark.parametrize("count", [3, 300])
def test_the_whole_story_takes_a_fixed_number_of_queries(
    client_in, opportunity, count, django_assert_num_queries
):
    many_notes(opportunity, count)
    # session, user, opportunity, the open questions, the page of entries (and one more)
    # with their people; and the count, with more than a page holds
    with django_assert_num_queries(5 if count <= STORY_PAGE_SIZE else 6):
        assert client_in.get(url("story", opportunity.pk)).status_code == 200


# --- Editing and deleting -----------------------------------------------------------------------


def test_an_entry_is_edited_and_goes_back_where_it_came_from(client_in, opportunity):
    entry = note(opportunity, "Typo")
    edit = url("story_entry_edit", opportunity.pk, entry.pk)
    page = client_in.get(edit, {"back": "story"}).text
    assert 'value="Typo"' in page
    assert 'name="back" value="story"' in page
    response = client_in.post(
        edit,
        {
            "kind": "meeting",
            "happened_on": "2026-01-20",
            "title": "The interview",
            "body": "Went well.",
            "back": "story",
        },
    )
    assert response["Location"] == url("story", opportunity.pk)
    entry.refresh_from_db()
    assert (entry.kind, entry.happened_on, entry.title) == (
        "meeting",
        date(2026, 1, 20),
        "The interview",
    )


def test_an_entry_the_app_wrote_is_edited_but_keeps_its_kind(client_in, opportunity):
    stage_entry = TimelineEntry.objects.get(opportunity=opportunity, kind=EntryKind.STAGE)
    edit = url("story_entry_edit", opportunity.pk, stage_entry.pk)
    page = client_in.get(edit).text
    assert 'data-testid="written-by-the-app"' in page
    assert 'name="kind"' not in page
    response = client_in.post(
        edit, {"kind": "note", "happened_on": "2025-11-01", "title": "Heard about it", "body": ""}
    )
    assert response.status_code == 302
    stage_entry.refresh_from_db()
    assert (stage_entry.kind, stage_entry.happened_on, stage_entry.title) == (
        "stage",
        date(2025, 11, 1),
        "Heard about it",
    )


def test_a_refused_edit_keeps_what_was_typed(client_in, opportunity):
    entry = note(opportunity, "Before")
    response = client_in.post(
        url("story_entry_edit", opportunity.pk, entry.pk),
        {"kind": "note", "happened_on": "1999-01-01", "title": "After", "body": ""},
    )
    assert response.status_code == 200
    assert "Check the year" in response.text
    assert 'value="After"' in response.text
    entry.refresh_from_db()
    assert entry.title == "Before"


def test_deleting_an_entry_asks_first(client_in, opportunity):
    entry = note(opportunity, "Regret", body="Second thoughts.")
    delete = url("story_entry_delete", opportunity.pk, entry.pk)
    page = client_in.get(delete).text
    assert "Delete “Regret”?" in page
    assert "cannot be undone" in page
    assert TimelineEntry.objects.filter(pk=entry.pk).exists()
    response = client_in.post(delete)
    assert response["Location"] == f"{url('opportunity_detail', opportunity.pk)}#story"
    assert not TimelineEntry.objects.filter(pk=entry.pk).exists()


def test_an_entry_the_app_wrote_is_not_deleted_by_hand(client_in, opportunity):
    stage_entry = TimelineEntry.objects.get(opportunity=opportunity, kind=EntryKind.STAGE)
    delete = url("story_entry_delete", opportunity.pk, stage_entry.pk)
    assert "stays in the story" in client_in.get(delete).text
    response = client_in.post(delete)
    assert response.status_code == 200
    assert "written by the app" in response.text
    assert TimelineEntry.objects.filter(pk=stage_entry.pk).exists()


def test_another_users_entries_are_a_404(client, opportunity, other_user):
    entry = note(opportunity, "Private")
    client.force_login(other_user)
    for name in ("story_entry_edit", "story_entry_delete"):
        assert client.get(url(name, opportunity.pk, entry.pk)).status_code == 404
        assert client.post(url(name, opportunity.pk, entry.pk)).status_code == 404
    for name in ("story", "story_entry_add"):
        assert client.get(url(name, opportunity.pk)).status_code == 404
    assert client.post(url("story_entry_add", opportunity.pk), entry_post()).status_code == 404
    assert TimelineEntry.objects.filter(pk=entry.pk, title="Private").exists()


def test_an_entry_is_reached_only_through_its_own_opportunity(client_in, opportunity, user):
    entry = note(opportunity, "Here")
    elsewhere = OpportunityFactory(owner=user)
    assert client_in.get(url("story_entry_edit", elsewhere.pk, entry.pk)).status_code == 404


def test_adding_is_protected_against_cross_site_requests(opportunity, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        url("story_entry_add", opportunity.pk), entry_post(), headers={"HX-Request": "true"}
    )
    assert response.status_code == 403


# --- Back-dating a stage move and a checkpoint --------------------------------------------------


def test_a_stage_move_takes_the_day_it_happened(client_in, opportunity):
    page = client_in.get(url("opportunity_detail", opportunity.pk)).text
    assert 'id="id_stage_happened_on"' in page
    client_in.post(
        url("stage_move", opportunity.pk), {"stage": "applied", "happened_on": "2026-01-10"}
    )
    change = StageChange.objects.filter(opportunity=opportunity).latest("id")
    assert timezone.localdate(change.changed_at) == date(2026, 1, 10)
    entry = TimelineEntry.objects.get(stage_change=change)
    assert (entry.title, entry.happened_on) == ("Moved to applied", date(2026, 1, 10))


def test_a_stage_move_with_no_day_is_today(client_in, opportunity):
    client_in.post(url("stage_move", opportunity.pk), {"stage": "applied"})
    entry = TimelineEntry.objects.filter(opportunity=opportunity).order_by("-id").first()
    assert (entry.title, entry.happened_on) == ("Moved to applied", timezone.localdate())


def test_a_stage_move_on_a_day_to_come_is_refused_and_said(client_in, opportunity):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_in.post(
        url("stage_move", opportunity.pk),
        {"stage": "applied", "happened_on": tomorrow},
        follow=True,
    )
    assert "Not moved: That day is still to come" in response.text
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.LEAD


def test_a_checkpoint_takes_the_day_it_happened(client_in, opportunity, criteria, htmx_headers):
    save_score(opportunity=opportunity, criterion=criteria[0], value=6)
    form = client_in.get(url("checkpoint_create", opportunity.pk)).text
    assert 'name="happened_on"' in form
    client_in.post(
        url("checkpoint_create", opportunity.pk),
        {"label": "after the interview", "happened_on": "2026-02-02"},
    )
    entry = TimelineEntry.objects.get(opportunity=opportunity, kind=EntryKind.CHECKPOINT)
    assert (entry.title, entry.happened_on) == ("Checkpoint: after the interview", date(2026, 2, 2))
    refused = client_in.post(
        url("checkpoint_create", opportunity.pk),
        {"label": "too early", "happened_on": "1990-01-01"},
        headers=htmx_headers("checkpoint-form"),
    )
    assert "Check the year" in refused.text
    assert 'value="too early"' in refused.text
    assert Evaluation.objects.checkpoints().filter(opportunity=opportunity).count() == 1


# --- Around a decision --------------------------------------------------------------------------


def _story_of_a_decision(opportunity, criteria) -> Decision:
    save_score(opportunity=opportunity, criterion=criteria[0], value=7)
    note(opportunity, "Informational interview", day=date(2025, 11, 12))
    note(opportunity, "Talked it over with friends", day=date(2026, 2, 20))
    decision = record_decision(
        opportunity=opportunity,
        decision=Decision(choice=DecisionChoice.PURSUE, decided_on=date(2026, 2, 24)),
    )
    previous = decision.outcome
    decision.outcome, decision.outcome_on = Outcome.NOT_SELECTED, date(2026, 2, 27)
    update_outcome(decision=decision, previous_outcome=previous)
    note(opportunity, "What I learned", day=date(2026, 3, 2), kind=EntryKind.REFLECTION)
    return decision


def test_a_decision_tells_the_whole_story_in_order(client_in, opportunity, criteria):
    decision = _story_of_a_decision(opportunity, criteria)
    page = client_in.get(url("decision_detail", decision.pk)).text
    before, after = page.split('data-testid="story-after"')
    order = ["Informational interview", "Talked it over with friends", "Decided to pursue it"]
    positions = [before.index(title) for title in order]
    assert positions == sorted(positions)
    assert "This decision" in before
    assert after.index("Outcome: not selected") < after.index("What I learned")
    assert "Added as lead" in page  # the opportunity was added today, after the decision


@pytest.mark.parametrize("count", [3, 300])
def test_the_decision_page_takes_a_fixed_number_of_queries(
    client_in, opportunity, criteria, count, django_assert_max_num_queries
):
    decision = _story_of_a_decision(opportunity, criteria)
    many_notes(opportunity, count)
    # session, user, decision (with its opportunity and checkpoint), today's criteria,
    # the frozen scores, the alternatives, the story (with its people); the commit step's
    # premortem, kill criteria and forecasts, and the check-ins (learning)
    with django_assert_max_num_queries(11):
        response = client_in.get(url("decision_detail", decision.pk))
    assert response.text.count('data-testid="story-entry"') == count + 7


def test_a_story_at_its_limit_takes_no_more_entries(client_in, opportunity, htmx_headers):
    many_notes(opportunity, MAX_TIMELINE_ENTRIES)
    response = client_in.post(
        url("story_entry_add", opportunity.pk), entry_post(), headers=htmx_headers("story-add")
    )
    assert response.status_code == 200
    assert "holds at most 1,000 entries in its story" in response.text
    assert TimelineEntry.objects.filter(opportunity=opportunity).count() == (
        MAX_TIMELINE_ENTRIES + 1
    )


def test_an_outcome_days_after_a_back_dated_decision_is_in_the_story(
    client_in, opportunity, criteria
):
    save_score(opportunity=opportunity, criterion=criteria[0], value=7)
    decided_on = timezone.localdate() - timedelta(days=10)
    decision = record_decision(
        opportunity=opportunity,
        decision=Decision(choice=DecisionChoice.PURSUE, decided_on=decided_on),
    )
    edit = url("outcome_edit", decision.pk)
    assert f'min="{decided_on.isoformat()}"' in client_in.get(edit).text
    before = (decided_on - timedelta(days=1)).isoformat()
    refused = client_in.post(edit, {"outcome": "not_selected", "outcome_on": before})
    assert "The outcome comes after the decision" in refused.text
    three_days_later = decided_on + timedelta(days=3)
    client_in.post(edit, {"outcome": "not_selected", "outcome_on": three_days_later.isoformat()})
    entry = TimelineEntry.objects.get(opportunity=opportunity, kind=EntryKind.OUTCOME)
    assert (entry.title, entry.happened_on) == (
        "Outcome: not selected (someone else was hired)",
        three_days_later,
    )
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert "Outcome: not selected" in page.split('data-testid="story-after"')[1]


def test_the_add_forms_own_page_posts_plainly_and_in_place_it_posts_with_htmx(client_in, user):
    """A click that beats htmx's start (or a page without JavaScript) lands on the form's
    own page: posting it there with htmx would look for the entries of a page it is not
    on, so there it is a plain form."""
    opportunity = OpportunityFactory(owner=user)
    url = reverse("opportunities:story_entry_add", args=[opportunity.pk])
    assert "hx-post" not in client_in.get(url).text
    in_place = client_in.get(url, headers={"HX-Request": "true", "HX-Target": "story-add"})
    assert "hx-post" in in_place.text
