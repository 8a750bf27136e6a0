"""An opportunity's people, where it came from and its follow-up: set on its form (only the
user's own people and opportunities, never a loop), shown on its page ("Arose from",
"Led to", "People") and on the dashboard ("from …"), without a query per row."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Opportunity
from tests.factories import OpportunityFactory, PersonFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("opportunities:opportunity_create")
DASHBOARD = reverse("opportunities:dashboard")

VALID = {
    "title": "Part-time strategist",
    "organisation": "Northwind",
    "source": "social_media",
    "arrangement": "employee",
    "schedule": "part_time",
    "hours_per_week": "24",
    "stage": "lead",
}


def edit(opportunity) -> str:
    return reverse("opportunities:opportunity_edit", args=[opportunity.pk])


def detail(opportunity) -> str:
    return reverse("opportunities:opportunity_detail", args=[opportunity.pk])


def edit_data(client, opportunity, **changes) -> dict:
    """The edit form as loaded, with ``changes``: what a person sends after editing."""
    form = client.get(edit(opportunity)).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif hasattr(value, "isoformat"):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
        del field
    return data | changes


@pytest.fixture
def ana(user):
    return PersonFactory(owner=user, name="Ana", relationship="contact")


@pytest.fixture
def interview(user, ana):
    return OpportunityFactory(
        owner=user, title="Informational interview", arose_from_person=ana, stage="lead"
    )


# --- The form ---------------------------------------------------------------------------------


def test_the_form_offers_only_my_people_and_my_other_opportunities(
    client_in, user, ana, interview, other_user
):
    PersonFactory(owner=other_user, name="Their friend")
    OpportunityFactory(owner=other_user, title="Their role")
    response = client_in.get(edit(interview))
    text = response.text
    assert "People in it" in text
    assert 'type="checkbox" class="form-check-input"  name="contacts"' in text
    assert ">Ana<" in text or "Ana</label>" in text
    assert "Their friend" not in text
    assert "Their role" not in text
    arose_from = response.context["form"].fields["arose_from"]
    assert list(arose_from.queryset) == []  # not itself
    assert "Arose from a person" in text
    assert 'name="follow_up_on"' in text


def test_a_new_opportunity_records_its_people_origins_and_follow_up(
    client_in, user, ana, interview
):
    ben = PersonFactory(owner=user, name="Ben")
    response = client_in.post(
        CREATE,
        VALID
        | {
            "contacts": [ana.pk, ben.pk],
            "arose_from": interview.pk,
            "arose_from_person": ana.pk,
            "follow_up_on": "2026-03-03",
        },
    )
    assert response.status_code == 302
    role = Opportunity.objects.get(owner=user, title="Part-time strategist")
    assert set(role.contacts.values_list("name", flat=True)) == {"Ana", "Ben"}
    assert role.arose_from_id == interview.pk
    assert role.arose_from_person_id == ana.pk
    assert role.follow_up_on == dt.date(2026, 3, 3)


def test_editing_changes_the_people_and_unticking_them_all_empties_the_list(
    client_in, user, ana, interview
):
    ben = PersonFactory(owner=user, name="Ben")
    interview.contacts.add(ana)
    response = client_in.post(edit(interview), edit_data(client_in, interview, contacts=[ben.pk]))
    assert response.status_code == 302
    assert list(interview.contacts.values_list("name", flat=True)) == ["Ben"]
    data = edit_data(client_in, interview)
    data.pop("contacts")
    client_in.post(edit(interview), data)
    assert interview.contacts.count() == 0
    interview.refresh_from_db()
    assert interview.arose_from_person_id == ana.pk  # untouched by the other edits


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contacts", "theirs", "Choose people from your own list"),
        ("contacts", "abc", "Choose people from your own list"),
        ("contacts", "9" * 30, "Choose people from your own list"),
        ("arose_from", "theirs", "Choose one of your other opportunities in the list"),
        ("arose_from", "abc", "Choose one of your other opportunities in the list"),
        ("arose_from_person", "theirs", "Choose one of your people in the list"),
        ("follow_up_on", "1999-12-31", "Check the year"),
        ("follow_up_on", "2206-01-01", "within the next 5 years"),
        ("follow_up_on", "soon", "Give the day as a date"),
    ],
)
def test_forged_or_bad_choices_are_refused_with_the_form_kept(
    client_in, user, other_user, field, value, message
):
    PersonFactory(owner=user, name="Ana")
    their_person = PersonFactory(owner=other_user, name="Their friend")
    their_role = OpportunityFactory(owner=other_user, title="Their role")
    if value == "theirs":
        value = their_person.pk if field != "arose_from" else their_role.pk
    response = client_in.post(CREATE, VALID | {field: value})
    assert response.status_code == 200
    assert message in response.text
    assert 'value="Part-time strategist"' in response.text
    assert not Opportunity.objects.filter(owner=user).exists()
    assert their_person.opportunities.count() == 0


def test_with_no_people_yet_there_is_nothing_to_tick_and_a_forged_one_is_ignored(
    client_in, user, other_user
):
    their_person = PersonFactory(owner=other_user, name="Their friend")
    form = client_in.get(CREATE).text
    assert 'name="contacts"' not in form
    assert "Add people on the People page" in form
    response = client_in.post(CREATE, VALID | {"contacts": [their_person.pk]})
    assert response.status_code == 302
    assert Opportunity.objects.get(owner=user).contacts.count() == 0
    assert their_person.opportunities.count() == 0


def test_an_opportunity_cannot_arise_from_itself(client_in, interview):
    response = client_in.post(
        edit(interview), edit_data(client_in, interview, arose_from=interview.pk)
    )
    assert response.status_code == 200
    assert "Choose one of your other opportunities in the list" in response.text
    interview.refresh_from_db()
    assert interview.arose_from_id is None


def test_an_origin_that_would_make_a_loop_is_refused(client_in, user, interview):
    role = OpportunityFactory(owner=user, title="Part-time strategist", arose_from=interview)
    later = OpportunityFactory(owner=user, title="Full-time strategist", arose_from=role)
    response = client_in.post(edit(interview), edit_data(client_in, interview, arose_from=later.pk))
    assert response.status_code == 200
    assert "“Full-time strategist” arose from this one (or from one that did)" in response.text
    interview.refresh_from_db()
    assert interview.arose_from_id is None


def test_the_form_takes_a_fixed_number_of_queries_however_many_people(
    client_in, user, django_assert_max_num_queries
):
    PersonFactory.create_batch(3, owner=user)
    with django_assert_max_num_queries(6):
        client_in.get(CREATE)
    PersonFactory.create_batch(60, owner=user)
    OpportunityFactory.create_batch(10, owner=user)
    # session, user; whether there are people; the choices of the people, of what it
    # arose from and of whom
    with django_assert_max_num_queries(6):
        response = client_in.get(CREATE)
    assert response.text.count('name="contacts"') == 63
    role = OpportunityFactory(owner=user)
    role.contacts.set(PersonFactory.create_batch(20, owner=user))
    with django_assert_max_num_queries(8):  # and the opportunity, and its people ticked
        response = client_in.get(edit(role))
    assert response.text.count("checked") >= 20


# --- The opportunity's page -------------------------------------------------------------------


def test_the_page_says_what_it_arose_from_what_it_led_to_and_who_is_in_it(
    client_in, user, ana, interview
):
    ben = PersonFactory(owner=user, name="Ben")
    role = OpportunityFactory(owner=user, title="Part-time strategist", arose_from=interview)
    role.contacts.add(ana, ben)
    OpportunityFactory(owner=user, title="Full-time strategist", arose_from=interview)

    page = client_in.get(detail(role)).text
    arose = page.split('data-testid="arose-from"')[1].split("</p>")[0]
    assert f'href="{detail(interview)}"' in arose
    assert "Informational interview" in arose
    people = page.split('data-testid="contacts"')[1].split("</p>")[0]
    assert "Ana" in people
    assert "Ben" in people
    assert f'href="{ana.get_absolute_url()}"' in people

    page = client_in.get(detail(interview)).text
    arose = page.split('data-testid="arose-from"')[1].split("</p>")[0]
    assert f'href="{ana.get_absolute_url()}"' in arose
    led_to = page.split('data-testid="led-to"')[1].split("</p>")[0]
    assert "Part-time strategist" in led_to
    assert "Full-time strategist" in led_to


def test_a_page_with_no_lineage_says_nothing_of_it(client_in, user):
    lone = OpportunityFactory(owner=user, title="Lone role")
    assert 'data-testid="lineage"' not in client_in.get(detail(lone)).text


def test_the_page_shows_its_follow_up_with_a_done_button(client_in, user):
    role = OpportunityFactory(owner=user, title="Role", follow_up_on=dt.date(2026, 3, 3))
    page = client_in.get(detail(role)).text
    assert "Follow up on <time" in page
    assert reverse("opportunities:opportunity_follow_up_done", args=[role.pk]) in page


def test_the_pages_lineage_takes_the_same_queries_with_1_or_20_links(
    client_in, user, interview, django_assert_max_num_queries
):
    def queries_for(opportunity) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            client_in.get(detail(opportunity))
        return len(captured)

    role = OpportunityFactory(owner=user, title="Role", arose_from=interview)
    role.contacts.add(PersonFactory(owner=user))
    OpportunityFactory(owner=user, arose_from=role)
    few = queries_for(role)
    for _ in range(20):
        role.contacts.add(PersonFactory(owner=user))
        OpportunityFactory(owner=user, arose_from=role)
    with django_assert_max_num_queries(few):
        response = client_in.get(detail(role))
    people = response.text.split('data-testid="contacts"')[1].split("</p>")[0]
    assert people.count("<a ") == 21


def test_another_users_origin_never_shows_on_my_page(client_in, user, other_user):
    """A row planted in the database pointing across accounts (an import gone wrong, say)
    shows nothing of the other account."""
    theirs = OpportunityFactory(owner=other_user, title="Their secret role")
    their_person = PersonFactory(owner=other_user, name="Their secret friend")
    mine = OpportunityFactory(owner=user, title="Mine")
    Opportunity.objects.filter(pk=mine.pk).update(arose_from=theirs, arose_from_person=their_person)
    Opportunity.objects.filter(pk=theirs.pk).update(arose_from=mine)
    mine.contacts.add(their_person)
    page = client_in.get(detail(mine)).text
    assert "Their secret" not in page
    assert "Their secret" not in client_in.get(DASHBOARD).text


# --- The dashboard ----------------------------------------------------------------------------


def test_the_dashboard_shows_the_chain_each_opportunity_came_from(client_in, user, ana, interview):
    role = OpportunityFactory(owner=user, title="Part-time strategist", arose_from=interview)
    dashboard = client_in.get(DASHBOARD).text
    rows = dashboard.split('data-testid="opportunity-card"')
    role_row = next(row for row in rows if "Part-time strategist</a>" in row)
    origin = role_row.split('data-testid="origin"')[1].split("</div>")[0]
    assert origin.startswith(">from ")
    assert f'href="{detail(interview)}">Informational interview</a>' in origin
    assert f'href="{ana.get_absolute_url()}">Ana</a>' in origin
    assert origin.index("Informational interview") < origin.index("Ana")
    interview_row = next(
        row for row in rows if "Informational interview</a>" in row.split("from")[0]
    )
    assert ">Ana</a>" in interview_row.split('data-testid="origin"')[1]
    del role


def test_the_dashboard_chain_takes_one_query_however_many_rows(
    client_in, user, ana, django_assert_max_num_queries
):
    OpportunityFactory(owner=user, title="Plain")
    with django_assert_max_num_queries(9):  # no origins: no lineage query at all
        client_in.get(DASHBOARD)
    previous = OpportunityFactory(owner=user, title="Step 0", arose_from_person=ana)
    for n in range(1, 30):
        previous = OpportunityFactory(owner=user, title=f"Step {n}", arose_from=previous)
    # session, user, opportunities, live evaluations, pay settings, origins; the journal's
    # revisits due, the check-ins due, the follow-ups due, the archive
    with django_assert_max_num_queries(10):
        response = client_in.get(DASHBOARD)
    assert response.text.count('data-testid="origin"') == 30


def test_a_future_follow_up_waits(client_in, user):
    OpportunityFactory(
        owner=user, title="Later role", follow_up_on=timezone.localdate() + dt.timedelta(days=1)
    )
    assert 'data-testid="follow-ups"' not in client_in.get(DASHBOARD).text
