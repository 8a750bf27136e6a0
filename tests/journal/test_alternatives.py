"""A decision remembers the alternatives it was weighed against: the form offers them,
the service freezes each one's scores, and the decision page and the journal say what was
chosen over what, by how much, and whether the gut agreed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.compare.services import save_gut_ranking
from opportunities.journal.core import (
    WeighedOption,
    alternative_label,
    gap_between,
    gut_place,
    weighed_against,
)
from opportunities.journal.services import record_decision
from opportunities.models import (
    Criterion,
    Decision,
    DecisionAlternative,
    Evaluation,
    GutRanking,
    Opportunity,
    Score,
    Stage,
    TimelineEntry,
)
from opportunities.models.limits import MAX_CHECKPOINTS
from opportunities.pipeline.services import (
    delete_opportunity,
    move_stage,
    set_opportunity_archived,
)
from opportunities.scoring.services import live_evaluation, save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

JOURNAL = reverse("opportunities:journal")


def url(name: str, *args) -> str:
    return reverse(f"opportunities:{name}", args=args)


def values_fit(opportunity, user, value: int) -> None:
    """Score only "Values fit": the total is then ten times ``value``."""
    criterion = Criterion.objects.for_user(user).get(name="Values fit")
    save_score(opportunity=opportunity, criterion=criterion, value=value)


def decision_post(**overrides) -> dict:
    return {
        "choice": "pursue",
        "decided_on": timezone.localdate().isoformat(),
        "confidence": "75",
        "rationale": "",
        "gut_check": "yes",
        "gut_check_reason": "",
        "revisit_on": "",
    } | overrides


@pytest.fixture
def strategist(user):
    opportunity = OpportunityFactory(owner=user, title="Part-time strategist")
    values_fit(opportunity, user, 6)
    return opportunity


@pytest.fixture
def status_quo(user):
    opportunity = OpportunityFactory(owner=user, title="Freelancing", is_status_quo=True)
    values_fit(opportunity, user, 7)
    return opportunity


# --- The pure part -------------------------------------------------------------------------------


def test_the_sentence_says_what_was_chosen_over_what_and_by_how_much():
    chosen = WeighedOption("Part-time strategist", 62.0)
    staying = WeighedOption("Freelancing", 67.0, is_status_quo=True)
    weighed = weighed_against(choice="pursue", decided=chosen, alternatives=[staying])
    assert weighed.summary == (
        "Chose “Part-time strategist” (62.0) over staying as you are (67.0): 5.0 behind"
    )
    assert weighed.top_by_matrix is False
    ahead = weighed_against(
        choice="accept", decided=WeighedOption("A", 70.04), alternatives=[staying]
    )
    assert ahead.summary.endswith("(67.0): ahead by 3.0")
    assert ahead.top_by_matrix is True


def test_several_alternatives_level_and_unscored_ones_and_other_choices():
    weighed = weighed_against(
        choice="decline",
        decided=WeighedOption("A", 60.0),
        alternatives=[WeighedOption("B", 60.04), WeighedOption("C", None)],
    )
    assert (
        weighed.summary == "Declined “A” (60.0) weighed against “B” (60.0): level; “C” (not scored)"
    )
    assert weighed.top_by_matrix is None
    withdrew = weighed_against(
        choice="withdraw", decided=WeighedOption("A", None), alternatives=[WeighedOption("B", 50)]
    )
    assert withdrew.summary == "Withdrew from “A” (not scored) weighed against “B” (50.0)"
    assert weighed_against(choice="pursue", decided=WeighedOption("A", 1), alternatives=[]) is None
    staying = weighed_against(
        choice="pursue",
        decided=WeighedOption("Freelancing", 70.0, is_status_quo=True),
        alternatives=[WeighedOption("A", 60.0)],
    )
    assert staying.summary == "Chose staying as you are (70.0) over “A” (60.0): ahead by 10.0"


def test_gaps_are_taken_between_the_totals_as_shown():
    assert gap_between(62.04, 67.06) == -5.1  # 62.0 and 67.1 as shown
    assert gap_between(None, 3) is None


def test_the_gut_place_counts_only_for_exactly_the_options_weighed():
    assert gut_place([3, 1, 2], 1, [1, 2, 3]) == 2
    assert gut_place([1, 2], 1, [1, 2, 3]) is None
    assert gut_place([1, 2, 4], 1, [1, 2, 3]) is None
    assert gut_place([2, 3], 1, [2, 3]) is None


def test_the_gut_says_first_by_feel_or_names_the_one_put_first():
    a, b, c = WeighedOption("A", 50), WeighedOption("B", 60, True), WeighedOption("C", 40)
    first = weighed_against(choice="pursue", decided=a, alternatives=[b, c], gut_place=1)
    assert first.first_by_feel is True
    assert first.gut_display == "first by feel in your gut ranking of these options"
    second = weighed_against(
        choice="pursue", decided=a, alternatives=[b, c], gut_place=2, gut_first=b
    )
    assert second.first_by_feel is False
    assert second.gut_display == ("2nd of 3 by feel: your gut ranking put staying as you are first")
    assert weighed_against(choice="pursue", decided=a, alternatives=[b]).gut_display == ""


def test_a_checkpoint_label_fits_however_long_the_title():
    assert alternative_label("Strategist") == "Alternative to the decision on Strategist"
    long = alternative_label("x" * 200)
    assert len(long) == 120
    assert long.endswith("…")


# --- Recording ---------------------------------------------------------------------------------


def test_each_alternative_is_frozen_with_the_decision(user, strategist, status_quo):
    before = TimelineEntry.objects.filter(opportunity=status_quo).count()
    decision = record_decision(
        opportunity=strategist,
        decision=Decision(choice="pursue"),
        alternatives=[status_quo, status_quo],  # a repeat is frozen once
    )
    (alternative,) = DecisionAlternative.objects.filter(decision=decision)
    assert alternative.owner_id == user.pk
    assert (alternative.opportunity_id, alternative.title, alternative.is_status_quo) == (
        status_quo.pk,
        "Freelancing",
        True,
    )
    frozen = Evaluation.objects.get(pk=alternative.evaluation_id)
    assert frozen.opportunity_id == status_quo.pk
    assert frozen.frozen_at is not None
    assert frozen.label == "Alternative to the decision on Part-time strategist"
    assert frozen.decision_score == 70.0
    assert Score.objects.filter(evaluation=frozen, weight__isnull=False).count() == 7
    # The status quo carries on scoring in a live copy, and its story is left alone.
    assert live_evaluation(status_quo).decision_score == 70.0
    assert TimelineEntry.objects.filter(opportunity=status_quo).count() == before


def test_the_frozen_totals_stay_when_the_alternative_is_rescored(user, strategist, status_quo):
    decision = record_decision(
        opportunity=strategist, decision=Decision(choice="pursue"), alternatives=[status_quo]
    )
    values_fit(status_quo, user, 2)
    alternative = DecisionAlternative.objects.select_related("evaluation").get(decision=decision)
    assert alternative.evaluation.decision_score == 70.0


@pytest.mark.parametrize("forged", ["itself", "someone else's", "archived", "closed"])
def test_a_forged_alternative_is_refused_and_nothing_is_saved(user, other_user, strategist, forged):
    if forged == "itself":
        alternative = strategist
    elif forged == "someone else's":
        alternative = OpportunityFactory(owner=other_user)
    else:
        alternative = OpportunityFactory(owner=user)
        if forged == "archived":
            set_opportunity_archived(opportunity=alternative, archived=True)
        else:
            move_stage(opportunity=alternative, stage=Stage.NOT_SELECTED)
    with pytest.raises(ValueError, match="other open opportunities"):
        record_decision(
            opportunity=strategist, decision=Decision(choice="pursue"), alternatives=[alternative]
        )
    assert not Decision.objects.exists()
    assert not DecisionAlternative.objects.exists()
    assert not Evaluation.objects.checkpoints().exists()


def test_deleting_an_alternative_keeps_the_decision_without_it(user, strategist, status_quo):
    other = OpportunityFactory(owner=user, title="Studio")
    decision = record_decision(
        opportunity=strategist, decision=Decision(choice="pursue"), alternatives=[status_quo, other]
    )
    delete_opportunity(opportunity=other)
    assert list(DecisionAlternative.objects.values_list("title", flat=True)) == ["Freelancing"]
    assert Decision.objects.get() == decision
    delete_opportunity(opportunity=strategist)
    assert not DecisionAlternative.objects.exists()
    # The status quo keeps its checkpoint: it is part of its own history.
    assert Evaluation.objects.checkpoints().filter(opportunity=status_quo).count() == 1


# --- The form ----------------------------------------------------------------------------------


def test_the_form_offers_open_opportunities_with_staying_and_variants_ticked(
    client_in, user, other_user, strategist, status_quo
):
    variant = OpportunityFactory(owner=user, title="Strategist as subcontractor")
    Opportunity.objects.filter(pk=variant.pk).update(variant_of=strategist)
    sibling = OpportunityFactory(owner=user, title="Strategist at a higher rate")
    Opportunity.objects.filter(pk=sibling.pk).update(variant_of=strategist)
    other = OpportunityFactory(owner=user, title="Brand designer")
    archived = OpportunityFactory(owner=user, title="Archived role")
    set_opportunity_archived(opportunity=archived, archived=True)
    closed = OpportunityFactory(owner=user, title="Closed role")
    move_stage(opportunity=closed, stage=Stage.DECLINED)
    OpportunityFactory(owner=other_user, title="Their role")

    form = client_in.get(url("decision_create", strategist.pk)).context["form"]
    offered = dict(form.fields["alternatives"].choices)
    assert list(offered) == [str(status_quo.pk), str(variant.pk), str(sibling.pk), str(other.pk)]
    assert (
        offered[str(status_quo.pk)]
        == "Staying as you are: Freelancing at Example Organisation · 70.0"
    )
    assert offered[str(variant.pk)].endswith("(a variant of this one) · not scored")
    assert sorted(form.initial["alternatives"]) == sorted(
        [str(status_quo.pk), str(variant.pk), str(sibling.pk)]
    )

    # From the variant, the job it is a variant of and its sibling are ticked.
    form = client_in.get(url("decision_create", variant.pk)).context["form"]
    assert sorted(form.initial["alternatives"]) == sorted(
        [str(status_quo.pk), str(strategist.pk), str(sibling.pk)]
    )


def test_the_form_renders_the_checkboxes_ticked_and_without_options_asks_nothing(
    client_in, user, strategist, status_quo
):
    page = client_in.get(url("decision_create", strategist.pk)).text
    assert "Weighed against" in page
    assert f'value="{status_quo.pk}"' in page
    assert page.split(f'value="{status_quo.pk}"')[1].split(">")[0].count("checked") == 1
    alone = OpportunityFactory(owner=user)
    Opportunity.objects.exclude(pk=alone.pk).update(archived_at=timezone.now())
    assert "Weighed against" not in client_in.get(url("decision_create", alone.pk)).text


def test_recording_with_alternatives_over_a_plain_post(client_in, strategist, status_quo):
    response = client_in.post(
        url("decision_create", strategist.pk), decision_post(alternatives=[status_quo.pk])
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("commit_step", decision.pk)
    assert DecisionAlternative.objects.get(decision=decision).opportunity_id == status_quo.pk


def test_recording_with_alternatives_over_htmx(client_in, strategist, status_quo, htmx_headers):
    response = client_in.post(
        url("decision_create", strategist.pk),
        decision_post(alternatives=[status_quo.pk]),
        headers=htmx_headers(),
    )
    decision = Decision.objects.get()
    assert url("decision_detail", decision.pk) in (
        response.get("HX-Location", "")
        + response.get("HX-Redirect", "")
        + response.get("Location", "")
    )
    assert decision.alternatives.count() == 1


def test_unticking_everything_records_a_decision_weighed_against_nothing(
    client_in, strategist, status_quo
):
    client_in.post(url("decision_create", strategist.pk), decision_post())
    assert Decision.objects.count() == 1
    assert not DecisionAlternative.objects.exists()


@pytest.mark.parametrize(
    "forged", ["itself", "someone else's", "archived", "closed", "words", "huge", "hostile"]
)
def test_forged_ids_are_refused_with_a_message_and_the_input_kept(
    client_in, user, other_user, strategist, status_quo, forged
):
    ids = {
        "itself": lambda: strategist.pk,
        "someone else's": lambda: OpportunityFactory(owner=other_user).pk,
        "archived": lambda: _archived(user).pk,
        "closed": lambda: _closed(user).pk,
        "words": lambda: "abc",
        "huge": lambda: "9" * 5000,
        "hostile": lambda: "<script>alert(1)</script>",
    }
    response = client_in.post(
        url("decision_create", strategist.pk),
        decision_post(rationale="Kept as typed.", alternatives=[status_quo.pk, ids[forged]()]),
    )
    assert response.status_code == 200
    assert "Tick only options listed here" in response.text
    assert "Kept as typed." in response.text
    assert "<script>alert(1)" not in response.text
    assert not Decision.objects.exists()
    assert not Evaluation.objects.checkpoints().exists()


def _archived(user):
    opportunity = OpportunityFactory(owner=user)
    set_opportunity_archived(opportunity=opportunity, archived=True)
    return opportunity


def _closed(user):
    opportunity = OpportunityFactory(owner=user)
    move_stage(opportunity=opportunity, stage=Stage.WITHDRAWN)
    return opportunity


def test_an_alternative_with_no_room_for_a_checkpoint_is_refused(
    client_in, user, strategist, status_quo
):
    Evaluation.objects.bulk_create(
        Evaluation(owner=user, opportunity=status_quo, label="Old", frozen_at=timezone.now())
        for _ in range(MAX_CHECKPOINTS)
    )
    response = client_in.post(
        url("decision_create", strategist.pk), decision_post(alternatives=[status_quo.pk])
    )
    assert response.status_code == 200
    assert "“Freelancing” already holds 500 checkpoints" in response.text
    assert not Decision.objects.exists()


@pytest.mark.parametrize("count", [3, 30])
def test_the_form_reads_a_fixed_number_of_queries(
    client_in, user, strategist, count, django_assert_max_num_queries
):
    for n in range(count):
        values_fit(OpportunityFactory(owner=user), user, n % 11)
    # session, user, the opportunity, the options with their live evaluations (2),
    # the live evaluation being decided on
    with django_assert_max_num_queries(6):
        response = client_in.get(url("decision_create", strategist.pk))
    assert response.text.count('name="alternatives"') == count


# --- Reading it back ---------------------------------------------------------------------------


def test_the_decision_page_says_what_was_chosen_over_what(client_in, strategist, status_quo):
    decision = record_decision(
        opportunity=strategist,
        decision=Decision(choice="pursue", gut_check="yes"),
        alternatives=[status_quo],
    )
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert (
        "Chose “Part-time strategist” (60.0) over staying as you are (70.0): 10.0 behind." in page
    )
    assert 'data-testid="weighed-alternative"' in page
    checkpoint = decision.alternatives.get().evaluation_id
    assert url("checkpoint_detail", status_quo.pk, checkpoint) in page
    gut = page.split('data-testid="weighed-gut"')[1].split("</p>")[0]
    assert "Yes" in gut
    assert "by feel" not in gut  # no gut ranking of these two


def test_the_gut_ranking_made_before_the_decision_says_whether_it_came_first(
    client_in, user, strategist, status_quo
):
    other = OpportunityFactory(owner=user, title="Studio")
    save_gut_ranking(user=user, order=[strategist.pk, status_quo.pk])  # another set
    save_gut_ranking(user=user, order=[status_quo.pk, strategist.pk, other.pk])
    decision = record_decision(
        opportunity=strategist, decision=Decision(choice="pursue"), alternatives=[status_quo, other]
    )
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert "2nd of 3 by feel: your gut ranking put staying as you are first" in page

    # A ranking made after the decision is not what the gut said then.
    save_gut_ranking(user=user, order=[strategist.pk, status_quo.pk, other.pk])
    GutRanking.objects.filter(order__0=strategist.pk).update(
        created_at=timezone.now() + timedelta(minutes=1)
    )
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert "2nd of 3 by feel" in page


def test_first_by_feel_is_said_plainly(client_in, user, strategist, status_quo):
    save_gut_ranking(user=user, order=[strategist.pk, status_quo.pk])
    decision = record_decision(
        opportunity=strategist, decision=Decision(choice="pursue"), alternatives=[status_quo]
    )
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert "first by feel in your gut ranking of these options" in page


def test_a_deleted_alternative_leaves_the_decision_page_working(
    client_in, user, strategist, status_quo
):
    other = OpportunityFactory(owner=user, title="Studio")
    save_gut_ranking(user=user, order=[strategist.pk, status_quo.pk, other.pk])
    decision = record_decision(
        opportunity=strategist, decision=Decision(choice="pursue"), alternatives=[status_quo, other]
    )
    delete_opportunity(opportunity=other)
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert "over staying as you are (70.0): 10.0 behind." in page
    assert "Studio" not in page


def test_a_decision_without_alternatives_has_no_such_section(client_in, strategist):
    decision = record_decision(opportunity=strategist, decision=Decision(choice="pursue"))
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert 'data-testid="weighed-against"' not in page


@pytest.mark.parametrize("count", [1, 10])
def test_the_decision_page_reads_a_fixed_number_of_queries(
    client_in, user, strategist, count, django_assert_max_num_queries
):
    others = [OpportunityFactory(owner=user) for _ in range(count)]
    save_gut_ranking(user=user, order=[strategist.pk, *(o.pk for o in others)])
    decision = record_decision(
        opportunity=strategist, decision=Decision(choice="pursue"), alternatives=others
    )
    # session, user, the decision, its frozen scores, today's criteria, its
    # alternatives with their checkpoints, the gut rankings (and room to spare for the
    # other sections of the page); the commit step's premortem, kill criteria and
    # forecasts (3), and the check-ins (learning.queries.checkins)
    with django_assert_max_num_queries(12):
        response = client_in.get(url("decision_detail", decision.pk))
    assert response.text.count('data-testid="weighed-alternative"') == count


def test_the_checkpoint_of_an_alternative_links_back_to_the_decision(
    client_in, strategist, status_quo
):
    decision = record_decision(
        opportunity=strategist, decision=Decision(choice="pursue"), alternatives=[status_quo]
    )
    checkpoint = decision.alternatives.get().evaluation_id
    page = client_in.get(url("checkpoint_detail", status_quo.pk, checkpoint)).text
    link = page.split('data-testid="weighed-in"')[0].rsplit("<a ", 1)[1]
    assert url("decision_detail", decision.pk) in link
    assert "your decision on “Part-time strategist”" in page


def test_the_journal_says_what_each_decision_was_chosen_over(
    client_in, user, strategist, status_quo
):
    save_gut_ranking(user=user, order=[strategist.pk, status_quo.pk])
    record_decision(
        opportunity=strategist, decision=Decision(choice="pursue"), alternatives=[status_quo]
    )
    record_decision(opportunity=status_quo, decision=Decision(choice="pursue"))
    page = client_in.get(JOURNAL).text
    assert page.count('data-testid="entry-weighed"') == 1
    weighed = page.split('data-testid="entry-weighed">')[1].split("</p>")[0]
    assert weighed == (
        "Chose “Part-time strategist” (60.0) over staying as you are (70.0): 10.0 behind"
        " · first by feel in your gut ranking of these options."
    )


def test_the_journal_over_htmx_carries_the_alternatives(
    client_in, strategist, status_quo, htmx_headers
):
    record_decision(
        opportunity=strategist, decision=Decision(choice="pursue"), alternatives=[status_quo]
    )
    response = client_in.get(
        JOURNAL, {"decision": "pursue"}, headers=htmx_headers("journal-entries")
    )
    assert "<html" not in response.text
    assert "over staying as you are (70.0)" in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_the_journal_with_alternatives_reads_a_fixed_number_of_queries(
    client_in, user, count, django_assert_num_queries
):
    options = [OpportunityFactory(owner=user) for _ in range(3)]
    for n in range(count):
        decided, *others = options[n % 3 :] + options[: n % 3]
        save_gut_ranking(user=user, order=[decided.pk, *(o.pk for o in others)])
        record_decision(
            opportunity=decided, decision=Decision(choice="pursue"), alternatives=others
        )
    # session, user, years for the filter, the page of decisions and one more (with their
    # opportunity and checkpoint), their frozen scores, their alternatives with their
    # checkpoints, the gut rankings of their sets, their check-ins, today's criteria; and
    # the count, with more than a page holds
    with django_assert_num_queries(9 if count <= 20 else 10):
        response = client_in.get(JOURNAL)
    assert response.text.count('data-testid="entry-weighed"') == min(count, 20)
