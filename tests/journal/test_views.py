"""The decision journal's pages: pipeline, checkpoints, decisions, outcomes, the journal,
priorities over time and archiving, as htmx and as plain requests."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.criteria.services import update_criterion
from opportunities.journal.services import record_decision
from opportunities.models import (
    Criterion,
    Decision,
    DecisionChoice,
    Evaluation,
    Opportunity,
    Outcome,
    Score,
    Stage,
    StageChange,
)
from opportunities.pipeline.services import move_stage, set_opportunity_archived
from opportunities.scoring.services import live_evaluation, save_checkpoint, save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

JOURNAL = reverse("opportunities:journal")
PRIORITIES = reverse("opportunities:priorities")
DASHBOARD = reverse("opportunities:dashboard")


def url(name: str, *args) -> str:
    return reverse(f"opportunities:{name}", args=args)


def score(opportunity, user, **values: int) -> None:
    criteria = {c.name.split()[0].lower(): c for c in Criterion.objects.for_user(user)}
    for key, value in values.items():
        save_score(opportunity=opportunity, criterion=criteria[key], value=value)


def decide(opportunity, **fields) -> Decision:
    fields.setdefault("choice", DecisionChoice.PURSUE)
    return record_decision(opportunity=opportunity, decision=Decision(**fields))


def decision_post(**overrides) -> dict:
    return {
        "choice": "pursue",
        "decided_on": timezone.localdate().isoformat(),
        "confidence": "75",
        "rationale": "Values fit and growth outweigh the pay.",
        "gut_check": "yes",
        "gut_check_reason": "",
        "revisit_on": "",
    } | overrides


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        JOURNAL,
        PRIORITIES,
        "/journal/1/",
        "/journal/1/outcome/",
        "/opportunities/1/decide/",
        "/opportunities/1/checkpoints/new/",
        "/opportunities/1/checkpoints/1/",
    ],
)
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_users_checkpoint_decision_and_journal_entry_are_404(client_in, other_user):
    theirs = OpportunityFactory(owner=other_user)
    checkpoint = save_checkpoint(opportunity=theirs, label="Theirs")
    decision = decide(theirs)
    posts = {
        url("stage_move", theirs.pk): {"stage": "applied"},
        url("checkpoint_create", theirs.pk): {"label": "Mine now"},
        url("decision_create", theirs.pk): decision_post(),
        url("outcome_edit", decision.pk): {"outcome": "offer"},
        url("opportunity_archive", theirs.pk): {},
        url("opportunity_restore", theirs.pk): {},
    }
    gets = [
        url("checkpoint_detail", theirs.pk, checkpoint.pk),
        url("decision_detail", decision.pk),
        url("outcome_edit", decision.pk),
        url("decision_create", theirs.pk),
        url("checkpoint_create", theirs.pk),
    ]
    for path in gets:
        assert client_in.get(path).status_code == 404, path
    for path, data in posts.items():
        assert client_in.post(path, data).status_code == 404, path

    assert Evaluation.objects.checkpoints().filter(opportunity=theirs).count() == 2
    assert Decision.objects.get().outcome == ""
    theirs.refresh_from_db()
    assert (theirs.stage, theirs.archived_at) == (Stage.LEAD, None)
    assert "Theirs" not in client_in.get(JOURNAL).text


def test_my_checkpoint_under_another_opportunity_or_the_live_evaluation_is_404(
    client_in, user, opportunity
):
    checkpoint = save_checkpoint(opportunity=opportunity, label="Mine")
    elsewhere = OpportunityFactory(owner=user)
    live = live_evaluation(opportunity)
    assert client_in.get(url("checkpoint_detail", elsewhere.pk, checkpoint.pk)).status_code == 404
    assert client_in.get(url("checkpoint_detail", opportunity.pk, live.pk)).status_code == 404


# --- The opportunity page -----------------------------------------------------------------------


def test_opportunity_page_has_empty_journal_sections_for_a_new_opportunity(client_in, opportunity):
    page = client_in.get(url("opportunity_detail", opportunity.pk)).text
    assert 'id="pipeline"' in page
    assert "No checkpoints yet" in page
    assert "No decision recorded yet" in page
    assert "Save a checkpoint" in page
    assert "chart.umd.min.js" not in page  # nothing to chart, no Chart.js


def test_opportunity_page_shows_timeline_checkpoints_chart_and_decisions(
    client_in, user, opportunity
):
    score(opportunity, user, values=8, gut=5)
    move_stage(opportunity=opportunity, stage=Stage.INTERVIEWING)
    save_checkpoint(opportunity=opportunity, label="After the interview")
    score(opportunity, user, gut=9)
    decide(opportunity, choice=DecisionChoice.ACCEPT, confidence=80)

    page = client_in.get(url("opportunity_detail", opportunity.pk)).text

    timeline = page.split('data-testid="stage-timeline"')[1].split("</ol>")[0]
    assert timeline.index("Lead") < timeline.index("Interviewing") < timeline.index("Accepted")
    assert page.count('data-testid="checkpoint-row"') == 2
    assert "After the interview → Decision: accept" in page
    assert "Gut feeling +" in page
    assert "score 5 → 9" in page
    assert 'id="score-chart-data"' in page
    assert "chart.umd.min.js" in page
    assert "js/journal.js" in page
    assert page.count('data-testid="decision-row"') == 1


def test_opportunity_page_queries_do_not_grow_with_checkpoints(
    client_in, user, opportunity, django_assert_num_queries
):
    score(opportunity, user, values=8)
    for n in range(2):
        save_checkpoint(opportunity=opportunity, label=f"Checkpoint {n}")
    decide(opportunity)
    # session, user, opportunity; criteria; journal: stage changes, evaluations, their
    # scores (the scoring panel's live evaluation and scores among them), decisions; pay
    # settings; the story's newest entries; lineage: 3; the rounds of asking friends about
    # it; its questions
    with django_assert_num_queries(15):
        client_in.get(url("opportunity_detail", opportunity.pk))
    for n in range(10):
        save_checkpoint(opportunity=opportunity, label=f"More {n}")
        decide(opportunity)
    with django_assert_num_queries(15):
        response = client_in.get(url("opportunity_detail", opportunity.pk))
    assert response.text.count('data-testid="checkpoint-row"') == 23


def test_score_summary_fragment_skips_the_journal(
    client_in, opportunity, htmx_headers, django_assert_num_queries
):
    with django_assert_num_queries(6):
        response = client_in.get(
            url("opportunity_detail", opportunity.pk), headers=htmx_headers("score-summary")
        )
    assert "<html" not in response.text
    assert 'id="pipeline"' not in response.text


# --- The pipeline -------------------------------------------------------------------------------


def test_moving_the_stage_records_one_dated_step(client_in, opportunity):
    response = client_in.post(url("stage_move", opportunity.pk), {"stage": "applied"})
    assert response.status_code == 302
    assert response["Location"] == url("opportunity_detail", opportunity.pk) + "#pipeline"
    client_in.post(url("stage_move", opportunity.pk), {"stage": "applied"})

    steps = list(StageChange.objects.filter(opportunity=opportunity))
    assert [(s.from_stage, s.to_stage) for s in steps] == [("", "lead"), ("lead", "applied")]
    page = client_in.get(response["Location"])
    assert "It is already at “Applied”." in page.text
    assert f"{steps[1].changed_at:%-d %b %Y}" in page.text


def test_moving_to_a_made_up_stage_is_refused_with_a_message(client_in, opportunity):
    response = client_in.post(url("stage_move", opportunity.pk), {"stage": "hired"}, follow=True)
    assert "Choose one of the stages in the list." in response.text
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_moving_the_stage_over_htmx_redirects_the_page(client_in, opportunity, htmx_headers):
    response = client_in.post(
        url("stage_move", opportunity.pk), {"stage": "offer"}, headers=htmx_headers()
    )
    assert response["HX-Redirect"].endswith("#pipeline")
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.OFFER


def test_editing_details_adds_no_stage_history_but_a_stage_change_does(client_in, opportunity):
    data = {
        "title": "Renamed",
        "source": "other",
        "arrangement": "employee",
        "schedule": "full_time",
        "stage": "lead",
    }
    client_in.post(url("opportunity_edit", opportunity.pk), data)
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1
    client_in.post(url("opportunity_edit", opportunity.pk), data | {"stage": "applied"})
    assert StageChange.objects.filter(opportunity=opportunity).count() == 2


# --- Checkpoints --------------------------------------------------------------------------------


def test_saving_a_checkpoint_freezes_and_returns_to_the_checkpoints(client_in, user, opportunity):
    score(opportunity, user, values=9)
    response = client_in.post(
        url("checkpoint_create", opportunity.pk), {"label": "After the interview"}
    )
    assert response["Location"] == url("opportunity_detail", opportunity.pk) + "#checkpoints"
    checkpoint = Evaluation.objects.checkpoints().get()
    assert checkpoint.label == "After the interview"
    assert checkpoint.decision_score == pytest.approx(90.0)


def test_saving_a_checkpoint_over_htmx_redirects(client_in, user, opportunity, htmx_headers):
    score(opportunity, user, values=9)
    response = client_in.post(
        url("checkpoint_create", opportunity.pk), {"label": "Later"}, headers=htmx_headers()
    )
    assert response["HX-Redirect"] == url("opportunity_detail", opportunity.pk)
    assert Evaluation.objects.checkpoints().count() == 1


def test_a_checkpoint_without_a_label_comes_back_as_the_form_only_over_htmx(
    client_in, opportunity, htmx_headers
):
    response = client_in.post(
        url("checkpoint_create", opportunity.pk),
        {"label": "  "},
        headers=htmx_headers("checkpoint-form"),  # hx-target="this": the form itself
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="checkpoint-form"' in response.text
    assert "Give the checkpoint a label" in response.text
    assert not Evaluation.objects.checkpoints().exists()


def test_a_checkpoint_with_a_too_long_label_comes_back_as_a_page_without_htmx(
    client_in, opportunity
):
    response = client_in.post(url("checkpoint_create", opportunity.pk), {"label": "x" * 121})
    assert response.status_code == 200
    assert "<html" in response.text
    assert "Keep the label to 120 characters (it has 121)." in response.text
    assert not Evaluation.objects.checkpoints().exists()
    assert client_in.get(url("checkpoint_create", opportunity.pk)).status_code == 200


def test_saving_a_checkpoint_checks_csrf_and_accepts_the_htmx_header(user, opportunity):
    score(opportunity, user, values=9)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    path = url("checkpoint_create", opportunity.pk)
    assert client.post(path, {"label": "Forged"}, headers={"HX-Request": "true"}).status_code == 403
    token = client.get(url("opportunity_detail", opportunity.pk)).context["csrf_token"]
    response = client.post(
        path, {"label": "Real"}, headers={"HX-Request": "true", "X-CSRFToken": str(token)}
    )
    assert "HX-Redirect" in response
    assert Evaluation.objects.checkpoints().get().label == "Real"


def test_a_checkpoint_opens_exactly_as_it_was_after_criteria_change(client_in, user, opportunity):
    score(opportunity, user, values=8, pay=4)
    checkpoint = save_checkpoint(opportunity=opportunity, label="After the interview")
    values = Criterion.objects.get(owner=user, name="Values fit")
    values.name, values.weight = "Mission", 2
    update_criterion(criterion=values)

    response = client_in.get(url("checkpoint_detail", opportunity.pk, checkpoint.pk))

    page = response.text
    # (8·8 + 7·4) / (10·15) = 92 / 150
    assert "61.3" in page
    assert "Values fit" in page
    assert "now called “Mission”" in page
    assert "(was 8)" in page
    assert page.count('data-testid="frozen-row"') == 7


# --- Decisions ----------------------------------------------------------------------------------


def test_the_decision_form_shows_the_score_being_decided_on(client_in, user, opportunity):
    score(opportunity, user, values=7)
    response = client_in.get(url("decision_create", opportunity.pk))
    assert response.status_code == 200
    assert "70.0" in response.text
    assert "1 of 7 scored" in response.text
    assert f'value="{timezone.localdate().isoformat()}"' in response.text


def test_recording_a_decision_freezes_the_matrix_and_opens_the_entry(client_in, user, opportunity):
    score(opportunity, user, values=7)
    response = client_in.post(
        url("decision_create", opportunity.pk),
        decision_post(choice="decline", gut_check="no", gut_check_reason="Too many hours."),
    )
    decision = Decision.objects.get()
    assert response["Location"] == url("commit_step", decision.pk)  # then the entry
    assert (decision.choice, decision.confidence, decision.gut_check) == ("decline", 75, "no")
    assert decision.owner_id == user.pk
    assert Evaluation.objects.get(pk=decision.evaluation_id).label == "Decision: decline"
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.DECLINED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"choice": ""}, "Choose what you decided."),
        ({"decided_on": "2999-01-01"}, "the date can’t be in the future"),
        ({"decided_on": "yesterday"}, "Enter a valid date."),
        ({"confidence": "101"}, "Confidence is a whole number from 0 to 100."),
        ({"confidence": "-5"}, "Confidence is a whole number from 0 to 100."),
        ({"gut_check": ""}, "Does the result feel right? Yes, no or unsure."),
        ({"gut_check": "no"}, "The result doesn’t feel right: say why"),
        ({"revisit_on": "2001-01-01"}, "Pick a day after today"),
        ({"rationale": "x" * 5001}, "Keep this to 5000 characters"),
    ],
)
def test_a_bad_decision_is_refused_with_a_message_and_nothing_saved(
    client_in, opportunity, overrides, message
):
    response = client_in.post(url("decision_create", opportunity.pk), decision_post(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert not Decision.objects.exists()
    assert not Evaluation.objects.checkpoints().exists()


def test_a_decision_entry_shows_the_frozen_matrix_beside_todays_weights(
    client_in, user, opportunity
):
    score(opportunity, user, values=10, pay=0)
    decision = decide(opportunity, rationale="It fits.", gut_check="unsure")
    pay = Criterion.objects.get(owner=user, name="Pay")
    pay.weight = 0
    update_criterion(criterion=pay)

    page = client_in.get(url("decision_detail", decision.pk)).text

    then = page.split('data-testid="score-then"')[1][:80]
    now = page.split('data-testid="score-now"')[1][:80]
    assert "53.3" in then  # 8·10 / (10·15)
    assert "100.0" in now
    assert "(was 7)" in page
    assert "It fits." in page
    assert "Unsure" in page
    assert "No outcome yet." in page


# --- Outcomes -----------------------------------------------------------------------------------


def test_adding_the_outcome_and_a_reflection(client_in, opportunity):
    decision = decide(opportunity, decided_on=timezone.localdate() - timedelta(days=3))
    response = client_in.post(
        url("outcome_edit", decision.pk),
        {
            "outcome": "not_selected",
            "outcome_on": "",
            "reflection": "Someone else was hired. The thinking was the value.",
            "revisit_on": "",
        },
    )
    assert response["Location"] == url("decision_detail", decision.pk)
    decision.refresh_from_db()
    assert decision.outcome == Outcome.NOT_SELECTED
    assert decision.outcome_on == timezone.localdate()
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.NOT_SELECTED
    page = client_in.get(response["Location"]).text
    assert "Not selected (someone else was hired)" in page
    assert "The thinking was the value." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "offer", "outcome_on": "2000-01-01"}, "The outcome comes after the decision"),
        ({"outcome": "offer", "outcome_on": "2999-01-01"}, "the date can’t be in the future"),
        ({"outcome": "", "outcome_on": "2026-01-01"}, "Choose what happened, or leave the date"),
        ({"outcome": "hired"}, "Select a valid choice."),
        ({"outcome": "offer", "revisit_on": "2001-01-01"}, "Pick a day after today"),
        ({"outcome": "offer", "reflection": "x" * 5001}, "Keep this to 5000 characters"),
    ],
)
def test_a_bad_outcome_is_refused_with_a_message_and_nothing_saved(
    client_in, opportunity, data, message
):
    decision = decide(opportunity)
    response = client_in.post(url("outcome_edit", decision.pk), data)
    assert response.status_code == 200
    assert message in response.text
    decision.refresh_from_db()
    assert (decision.outcome, decision.outcome_on, decision.reflection) == ("", None, "")


def test_opening_a_due_revisit_clears_its_date_so_saving_it_is_the_revisit(client_in, opportunity):
    decision = decide(opportunity)
    Decision.objects.filter(pk=decision.pk).update(revisit_on=timezone.localdate())
    assert "Due for a revisit" in client_in.get(DASHBOARD).text

    form = client_in.get(url("outcome_edit", decision.pk)).context["form"]
    assert form["revisit_on"].value() is None
    client_in.post(url("outcome_edit", decision.pk), {"reflection": "Still glad."})

    decision.refresh_from_db()
    assert decision.revisit_on is None
    assert "Due for a revisit" not in client_in.get(DASHBOARD).text


# --- The journal --------------------------------------------------------------------------------


def make_decisions(user, count: int) -> None:
    """``count`` decisions, each on its own frozen checkpoint scored on every criterion,
    spread over opportunities and years (bulk: the journal's reads are what is measured)."""
    criteria = list(active_criteria(user))
    opportunities = [OpportunityFactory(owner=user) for _ in range(3)]
    now = timezone.now()
    checkpoints = Evaluation.objects.bulk_create(
        Evaluation(
            owner=user,
            opportunity=opportunities[n % 3],
            label="Decision",
            frozen_at=now,
            decision_score=60.0,
            scored_count=len(criteria),
            criteria_count=len(criteria),
        )
        for n in range(count)
    )
    Score.objects.bulk_create(
        Score(
            owner=user,
            evaluation=checkpoint,
            criterion=criterion,
            value=6,
            weight=criterion.weight,
            criterion_name=criterion.name,
        )
        for checkpoint in checkpoints
        for criterion in criteria
    )
    Decision.objects.bulk_create(
        Decision(
            owner=user,
            opportunity=checkpoint.opportunity,
            evaluation=checkpoint,
            choice=DecisionChoice.values[n % 4],
            decided_on=date(2020, 1, 1) + timedelta(days=n * 5),
            outcome=Outcome.NOT_SELECTED if n % 2 else "",
        )
        for n, checkpoint in enumerate(checkpoints)
    )


def test_the_journal_invites_a_first_decision(client_in):
    response = client_in.get(JOURNAL)
    assert "Nothing in your journal yet" in response.text


@pytest.mark.parametrize("count", [3, 300])
def test_journal_query_count_does_not_grow_with_decisions(
    client_in, user, count, django_assert_num_queries
):
    make_decisions(user, count)
    # session, user, years for the filter, the page of decisions and one more (with their
    # opportunity and checkpoint), the page's frozen scores, their alternatives (none
    # here, so no gut rankings are looked up), their check-ins, today's criteria; and
    # the count, only when there are more than a page holds
    with django_assert_num_queries(8 if count <= 20 else 9):
        response = client_in.get(JOURNAL)
    assert response.text.count('data-testid="journal-entry"') == min(count, 20)


def test_the_journal_is_paginated_newest_first(client_in, user):
    make_decisions(user, 45)
    first = client_in.get(JOURNAL)
    dates = [entry.decision.decided_on for entry in first.context["entries"]]
    assert dates == sorted(dates, reverse=True)
    assert "Page 1 of 3" in first.text
    last = client_in.get(JOURNAL, {"page": 3})
    assert len(last.context["entries"]) == 5
    assert client_in.get(JOURNAL, {"page": 99}).context["page"].number == 3
    assert client_in.get(JOURNAL, {"page": "x"}).context["page"].number == 1
    assert dates[0] > last.context["entries"][0].decision.decided_on


def test_the_journal_filters_by_year_decision_and_outcome(client_in, user):
    make_decisions(user, 300)  # 2020 to 2024
    by_year = client_in.get(JOURNAL, {"year": "2021"}).context["page"]
    assert by_year.paginator.count == 73
    declines = client_in.get(JOURNAL, {"decision": "decline"}).context["page"].paginator
    assert declines.count == 75
    pending = client_in.get(JOURNAL, {"outcome": "pending"}).context["page"].paginator
    assert pending.count == 150
    both = client_in.get(JOURNAL, {"decision": "decline", "outcome": "not_selected"})
    assert both.context["page"].paginator.count == 0  # declines are the even-numbered ones
    assert "No decision matches these filters." in both.text


def test_an_unusable_filter_is_reported_and_the_others_still_apply(client_in, user):
    make_decisions(user, 8)
    response = client_in.get(JOURNAL, {"year": "1999", "decision": "accept"})
    assert response.status_code == 200
    assert "Some filters could not be used" in response.text
    assert response.context["page"].paginator.count == 2


def test_filtering_over_htmx_swaps_only_the_entries(client_in, user, htmx_headers):
    make_decisions(user, 4)
    response = client_in.get(
        JOURNAL, {"decision": "accept", "year": ""}, headers=htmx_headers("journal-entries")
    )
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="journal-entries"')
    assert response.text.count('data-testid="journal-entry"') == 1
    full = client_in.get(JOURNAL, {"decision": "accept"})
    assert "<html" in full.text
    assert 'id="journal-entries"' in full.text


def test_a_journal_entry_shows_the_score_then_now_outcome_and_reflection(
    client_in, user, opportunity
):
    score(opportunity, user, values=10, pay=0)
    decision = decide(opportunity)
    Decision.objects.filter(pk=decision.pk).update(
        outcome=Outcome.NOT_SELECTED, reflection="The thinking was the value."
    )
    pay = Criterion.objects.get(owner=user, name="Pay")
    pay.weight = 0
    update_criterion(criterion=pay)
    set_opportunity_archived(opportunity=opportunity, archived=True)

    page = client_in.get(JOURNAL).text

    assert page.split('data-testid="entry-then"')[1].startswith(">53.3<")
    assert page.split('data-testid="entry-now"')[1].startswith(">100.0 ")
    assert "Not selected (someone else was hired)" in page
    assert "The thinking was the value." in page
    assert "Archived" in page  # an archived opportunity's decisions stay in the journal


# --- Priorities ---------------------------------------------------------------------------------


def test_priorities_over_time_invites_a_first_decision(client_in):
    response = client_in.get(PRIORITIES)
    assert "No decisions yet" in response.text
    assert "chart.umd.min.js" not in response.text


def test_priorities_over_time_shows_each_weight_at_each_decision(
    client_in, user, other_user, django_assert_num_queries
):
    opportunity = OpportunityFactory(owner=user)
    decide(opportunity, decided_on=timezone.localdate() - timedelta(days=10))
    pay = Criterion.objects.get(owner=user, name="Pay")
    pay.name, pay.weight = "Money", 2
    update_criterion(criterion=pay)
    decide(opportunity)
    decide(OpportunityFactory(owner=other_user))

    # session, user, decisions, their scores, criteria, the versions of the weights
    with django_assert_num_queries(6):
        response = client_in.get(PRIORITIES)

    rows = {row.name: row for row in response.context["rows"]}
    assert rows["Money"].weights == (7, 2)
    assert "earlier: Pay" in response.text
    assert 'id="priorities-chart-data"' in response.text
    assert len(response.context["decisions"]) == 2


# --- Archiving and the dashboard ----------------------------------------------------------------


def test_archiving_hides_an_opportunity_from_the_dashboard_and_restoring_brings_it_back(
    client_in, opportunity
):
    decide(opportunity)
    response = client_in.post(url("opportunity_archive", opportunity.pk))
    assert response["Location"] == DASHBOARD
    dashboard = client_in.get(DASHBOARD)
    assert opportunity not in [row.opportunity for row in dashboard.context["opportunities"]]
    assert dashboard.context["archived_opportunities"] == [opportunity]
    assert "Archived (1)" in dashboard.text
    assert (
        'data-testid="archived-banner"'
        in client_in.get(url("opportunity_detail", opportunity.pk)).text
    )
    assert client_in.get(JOURNAL).context["page"].paginator.count == 1

    response = client_in.post(url("opportunity_restore", opportunity.pk))
    assert response["Location"] == url("opportunity_detail", opportunity.pk)
    assert Opportunity.objects.get(pk=opportunity.pk).archived_at is None
    assert "Archived (" not in client_in.get(DASHBOARD).text


def test_the_dashboard_lists_decisions_due_for_a_revisit(client_in, user):
    opportunity = OpportunityFactory(owner=user, title="Part-time strategist")
    due = decide(opportunity)
    later = decide(opportunity)
    Decision.objects.filter(pk=due.pk).update(revisit_on=timezone.localdate())
    Decision.objects.filter(pk=later.pk).update(revisit_on=timezone.localdate() + timedelta(days=1))
    response = client_in.get(DASHBOARD)
    assert response.context["due_for_revisit"] == [due]
    assert url("outcome_edit", due.pk) in response.text
    assert url("outcome_edit", later.pk) not in response.text


def test_the_delete_page_offers_to_archive_instead(client_in, opportunity):
    page = client_in.get(url("opportunity_delete", opportunity.pk)).text
    assert "Archive it instead" in page
    assert url("opportunity_archive", opportunity.pk) in page
