"""The people pages: the list, adding, editing and removing someone, a person's page with
the opportunities and conversations they are part of, and follow-ups marked done."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from opportunities.models import EntryKind, Opportunity, Person, TimelineEntry
from opportunities.people.views import ENTRIES_PER_PAGE
from tests.factories import OpportunityFactory, PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("opportunities:people")
CREATE = reverse("opportunities:person_create")


def url(name: str, pk: int) -> str:
    return reverse(f"opportunities:{name}", args=[pk])


def entry(person, opportunity, *, title, day, kind=EntryKind.CONVERSATION, body=""):
    return TimelineEntry.objects.create(
        owner_id=opportunity.owner_id,
        opportunity=opportunity,
        person=person,
        kind=kind,
        title=title,
        body=body,
        happened_on=day,
    )


VALID = {
    "name": "Ana Silva",
    "relationship": "contact",
    "email": "ana@example.org",
    "notes": "Met at the informational interview in November.",
    "follow_up_on": "",
}


# --- The list ---------------------------------------------------------------------------------


def test_no_people_yet_invites_the_first(client_in):
    response = client_in.get(PEOPLE)
    assert response.status_code == 200
    assert "No one here yet" in response.text
    assert f'href="{CREATE}"' in response.text


def test_the_list_shows_only_my_people_with_what_they_are_part_of(client_in, user):
    ana = PersonFactory(owner=user, name="Ana", relationship="contact")
    PersonFactory(owner=user, name="Ben")
    PersonFactory(name="Someone else's friend")
    role = OpportunityFactory(owner=user, title="Part-time strategist", arose_from_person=ana)
    role.contacts.add(ana)
    OpportunityFactory(owner=user, title="Another").contacts.add(ana)
    entry(ana, role, title="Call with Ana", day=dt.date(2026, 2, 1))
    entry(ana, role, title="Coffee with Ana", day=dt.date(2026, 2, 8))

    response = client_in.get(PEOPLE)
    assert response.text.count('data-testid="person"') == 2
    assert "Someone else" not in response.text
    assert "Contact at a company" in response.text
    assert "In 2 opportunities · 1 arose from them · 2 entries in your stories" in response.text
    assert "In 0 opportunities · 0 entries in your stories" in response.text


def test_the_list_has_a_nav_link_marked_current(client_in):
    response = client_in.get(PEOPLE)
    assert f'href="{PEOPLE}" aria-current="page">People</a>' in response.text


@pytest.mark.parametrize("count", [3, 60])
def test_the_list_takes_three_queries_however_many_people(
    client_in, user, count, django_assert_max_num_queries
):
    opportunity = OpportunityFactory(owner=user)
    for n in range(count):
        person = PersonFactory(owner=user)
        opportunity.contacts.add(person)
        entry(person, opportunity, title=f"Talk {n}", day=dt.date(2026, 1, 1))
    with django_assert_max_num_queries(3):  # session, user, people with their counts
        response = client_in.get(PEOPLE)
    assert response.text.count('data-testid="person"') == count


# --- Adding and editing -----------------------------------------------------------------------


def test_adding_a_person_leads_to_their_page(client_in, user):
    response = client_in.post(CREATE, VALID | {"follow_up_on": "2026-03-03"})
    ana = Person.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == url("person_detail", ana.pk)
    assert (ana.name, ana.relationship, ana.email) == ("Ana Silva", "contact", "ana@example.org")
    assert ana.follow_up_on == dt.date(2026, 3, 3)
    page = client_in.get(response["Location"])
    assert "Ana Silva added." in page.text
    assert "Met at the informational interview in November." in page.text


def test_the_form_offers_the_relationships_and_a_bounded_date_picker(client_in):
    response = client_in.get(CREATE)
    assert response.status_code == 200
    assert "Contact at a company" in response.text
    assert 'type="date"' in response.text
    assert 'min="2000-01-01"' in response.text
    assert 'name="form_token"' in response.text


def test_the_same_form_sent_twice_adds_one_person(client_in, user):
    form = client_in.get(CREATE).context["form"]
    token = form.initial["form_token"]
    first = client_in.post(CREATE, VALID | {"form_token": token})
    second = client_in.post(CREATE, VALID | {"form_token": token}, follow=True)
    assert Person.objects.filter(owner=user).count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "was already saved from this form" in second.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "   "}, "Give their name"),
        ({"name": "A" * 121}, "Keep this to 120 characters; it has 121"),
        ({"notes": "n" * 5001}, "Keep this to 5000 characters; it has 5001"),
        ({"name": "Ana\x00"}, "invisible control character (U+0000)"),
        ({"notes": "hello\x07there"}, "invisible control character (U+0007)"),
        ({"email": "not an address"}, "does not look like an email address"),
        ({"relationship": "nemesis"}, "Choose one of the relationships in the list"),
        ({"follow_up_on": "1999-12-31"}, "Check the year"),
        ({"follow_up_on": "2206-03-03"}, "within the next 5 years"),
        ({"follow_up_on": "03/03/yesterday"}, "Give the day as a date"),
        ({"follow_up_on": "9" * 5000}, "Give the day as a date"),
    ],
)
def test_bad_input_is_refused_with_everything_kept(client_in, user, change, message):
    data = VALID | change
    response = client_in.post(CREATE, data)
    assert response.status_code == 200
    assert not Person.objects.filter(owner=user).exists()
    text = response.content.decode()
    assert message in text or message.replace("'", "&#x27;") in text
    assert "Nothing was saved yet" in text
    assert "ana@example.org" in text or "email" in change


def test_an_account_at_its_limit_of_people_is_told_so(client_in, user, monkeypatch):
    monkeypatch.setattr("opportunities.people.forms.MAX_PEOPLE", 2)
    PersonFactory.create_batch(2, owner=user)
    response = client_in.post(CREATE, VALID)
    assert response.status_code == 200
    assert "holds at most 2 people" in response.text
    assert Person.objects.filter(owner=user).count() == 2


def test_editing_a_person_saves_and_keeps_a_passed_follow_up(client_in, user):
    ana = PersonFactory(owner=user, name="Ana", follow_up_on=dt.date(2025, 11, 20))
    form = client_in.get(url("person_edit", ana.pk))
    assert 'value="Ana"' in form.text
    version = form.context["form"].initial["loaded_version"]
    response = client_in.post(
        url("person_edit", ana.pk),
        VALID | {"name": "Ana S.", "follow_up_on": "2025-11-20", "loaded_version": version},
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.name == "Ana S."
    assert ana.follow_up_on == dt.date(2025, 11, 20)


def test_an_edit_made_elsewhere_meanwhile_is_not_overwritten(client_in, user):
    ana = PersonFactory(owner=user, name="Ana")
    version = client_in.get(url("person_edit", ana.pk)).context["form"].initial["loaded_version"]
    client_in.post(url("person_edit", ana.pk), VALID | {"name": "From the other tab"})
    response = client_in.post(
        url("person_edit", ana.pk), VALID | {"name": "Mine", "loaded_version": version}
    )
    assert response.status_code == 200
    assert "changed in another tab" in response.text
    assert 'value="Mine"' in response.text
    ana.refresh_from_db()
    assert ana.name == "From the other tab"


# --- A person's page --------------------------------------------------------------------------


def test_a_persons_page_lists_their_opportunities_lineage_and_conversations(client_in, user):
    ana = PersonFactory(owner=user, name="Ana", email="ana@example.org")
    interview = OpportunityFactory(owner=user, title="Informational interview")
    interview.contacts.add(ana)
    role = OpportunityFactory(owner=user, title="Part-time strategist", arose_from_person=ana)
    role.contacts.add(ana)
    OpportunityFactory(owner=user, title="Unrelated role")
    entry(ana, interview, title="The informational interview", day=dt.date(2025, 11, 12))
    entry(ana, role, title="Call about the part-time role", day=dt.date(2026, 2, 20))
    entry(None, role, title="A note about no one", day=dt.date(2026, 2, 21), kind=EntryKind.NOTE)

    response = client_in.get(url("person_detail", ana.pk))
    text = response.text
    assert response.status_code == 200
    assert "Informational interview" in text
    assert "Part-time strategist" in text
    assert "Unrelated role" not in text
    assert "a contact, and it arose from them" in text
    led_to = text.split('data-testid="person-led-to"')[1].split("</p>")[0]
    assert "Part-time strategist" in led_to
    assert "Informational interview" not in led_to
    assert 'href="mailto:ana@example.org"' in text
    # Newest first, each linked to its opportunity's story.
    assert text.index("Call about the part-time role") < text.index("The informational interview")
    assert "A note about no one" not in text
    assert f'href="/opportunities/{role.pk}/#story"' in text


def test_a_person_in_nothing_yet_says_how_to_add_them(client_in, user):
    ana = PersonFactory(owner=user, name="Ana")
    response = client_in.get(url("person_detail", ana.pk))
    assert "Not in any opportunity yet" in response.text
    assert "No conversations with Ana yet" in response.text


@pytest.mark.parametrize("count", [3, 300])
def test_a_persons_page_takes_the_same_queries_with_3_or_300_entries(
    client_in, user, count, django_assert_num_queries
):
    ana = PersonFactory(owner=user, name="Ana")
    opportunities = OpportunityFactory.create_batch(3, owner=user)
    for opportunity in opportunities:
        opportunity.contacts.add(ana)
    TimelineEntry.objects.bulk_create(
        TimelineEntry(
            owner=user,
            opportunity=opportunities[n % 3],
            person=ana,
            kind=EntryKind.CONVERSATION,
            title=f"Talk {n}",
            happened_on=dt.date(2025, 1, 1) + dt.timedelta(days=n),
        )
        for n in range(count)
    )
    # session, user, person, opportunities, the first page of entries (and one more);
    # counted only when there are more than a page holds
    with django_assert_num_queries(5 if count <= ENTRIES_PER_PAGE else 6):
        response = client_in.get(url("person_detail", ana.pk))
    assert response.text.count("Talk ") == min(count, ENTRIES_PER_PAGE)
    assert (f"Page 1 of {-(-count // ENTRIES_PER_PAGE)}" in response.text) is (count > 50)


def test_older_entries_are_a_page_further_and_a_bad_page_is_the_nearest(client_in, user):
    ana = PersonFactory(owner=user, name="Ana")
    opportunity = OpportunityFactory(owner=user)
    for n in range(ENTRIES_PER_PAGE + 2):
        entry(ana, opportunity, title=f"Talk {n:03}", day=dt.date(2025, 1, 1) + dt.timedelta(n))
    page_2 = client_in.get(url("person_detail", ana.pk), {"page": "2"})
    assert "Talk 000" in page_2.text
    assert "Talk 051" not in page_2.text
    for junk in ("999", "abc", "-1", "9" * 400):
        response = client_in.get(url("person_detail", ana.pk), {"page": junk})
        assert response.status_code == 200


# --- Removing someone -------------------------------------------------------------------------


def test_removing_asks_first_and_keeps_what_they_were_part_of(client_in, user):
    ana = PersonFactory(owner=user, name="Ana")
    role = OpportunityFactory(owner=user, title="Part-time strategist", arose_from_person=ana)
    role.contacts.add(ana)
    talk = entry(ana, role, title="Call with Ana", day=dt.date(2026, 2, 20))

    confirm = client_in.get(url("person_delete", ana.pk))
    assert "Remove Ana?" in confirm.text
    assert Person.objects.filter(pk=ana.pk).exists()

    response = client_in.post(url("person_delete", ana.pk))
    assert response["Location"] == PEOPLE
    assert not Person.objects.filter(pk=ana.pk).exists()
    role.refresh_from_db()
    assert role.arose_from_person_id is None
    assert Opportunity.objects.get(pk=role.pk).contacts.count() == 0
    talk.refresh_from_db()
    assert talk.person_id is None
    assert "Ana was removed" in client_in.get(PEOPLE).text


# --- Follow-ups -------------------------------------------------------------------------------


def test_a_due_follow_up_shows_on_the_dashboard_until_done(client_in, user):
    today = timezone.localdate()
    ana = PersonFactory(owner=user, name="Ana", follow_up_on=today - dt.timedelta(days=2))
    PersonFactory(owner=user, name="Later", follow_up_on=today + dt.timedelta(days=5))
    role = OpportunityFactory(owner=user, title="Strategist", follow_up_on=today)
    PersonFactory(name="Not mine", follow_up_on=today)

    dashboard = client_in.get(reverse("opportunities:dashboard")).text
    two_days_ago = today - dt.timedelta(days=2)
    label = date_format(two_days_ago, "j M" if two_days_ago.year == today.year else "j M Y")
    assert "Check in with Ana</a>" in dashboard
    assert f"(follow-up due {label})" in dashboard
    assert "Follow up on Strategist" in dashboard
    assert "Later" not in dashboard
    assert "Not mine" not in dashboard
    assert dashboard.index("Check in with Ana") < dashboard.index("Follow up on Strategist")

    response = client_in.post(url("person_follow_up_done", ana.pk), {"back": "dashboard"})
    assert response["Location"] == reverse("opportunities:dashboard")
    ana.refresh_from_db()
    assert ana.follow_up_on is None
    response = client_in.post(url("opportunity_follow_up_done", role.pk), {"back": "dashboard"})
    role.refresh_from_db()
    assert role.follow_up_on is None
    dashboard = client_in.get(reverse("opportunities:dashboard")).text
    assert "Check in with Ana" not in dashboard
    assert "Follow up on Strategist" not in dashboard
    assert "Followed up on “Strategist”" in dashboard


def test_done_from_a_page_goes_back_to_that_page(client_in, user):
    today = timezone.localdate()
    ana = PersonFactory(owner=user, name="Ana", follow_up_on=today)
    role = OpportunityFactory(owner=user, title="Strategist", follow_up_on=today)
    page = client_in.get(url("person_detail", ana.pk)).text
    assert "Done, clear the follow-up" in page
    assert client_in.post(url("person_follow_up_done", ana.pk))["Location"] == url(
        "person_detail", ana.pk
    )
    assert "the follow-up is done" in client_in.get(url("person_detail", ana.pk)).text
    done = client_in.post(url("opportunity_follow_up_done", role.pk), {"back": "//evil.example"})
    assert done["Location"] == url("opportunity_detail", role.pk)
    # Done twice is harmless.
    assert client_in.post(url("person_follow_up_done", ana.pk)).status_code == 302


@pytest.mark.parametrize(
    "name",
    [
        "person_detail",
        "person_edit",
        "person_delete",
        "person_follow_up_done",
    ],
)
def test_another_users_person_is_a_404(client_in, other_user, name):
    theirs = PersonFactory(owner=other_user, name="Their friend", follow_up_on=dt.date(2026, 1, 1))
    method = client_in.post if name == "person_follow_up_done" else client_in.get
    assert method(url(name, theirs.pk)).status_code == 404
    if name != "person_detail":
        assert client_in.post(url(name, theirs.pk), VALID).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.follow_up_on) == ("Their friend", dt.date(2026, 1, 1))


def test_another_users_opportunity_follow_up_is_a_404(client_in, other_user):
    theirs = OpportunityFactory(owner=other_user, follow_up_on=dt.date(2026, 1, 1))
    assert client_in.post(url("opportunity_follow_up_done", theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.follow_up_on == dt.date(2026, 1, 1)


def test_the_pages_answer_htmx_as_a_whole_page_and_done_with_a_client_redirect(
    client_in, user, htmx_headers
):
    ana = PersonFactory(owner=user, name="Ana", follow_up_on=timezone.localdate())
    for address in (PEOPLE, url("person_detail", ana.pk)):
        response = client_in.get(address, headers=htmx_headers())
        assert response.status_code == 200
        assert "<html" in response.text
    done = client_in.post(
        url("person_follow_up_done", ana.pk), {"back": "dashboard"}, headers=htmx_headers()
    )
    assert done.status_code in (200, 204)
    assert reverse("opportunities:dashboard") in (
        done.headers.get("HX-Location", "") + done.headers.get("HX-Redirect", "")
    )
