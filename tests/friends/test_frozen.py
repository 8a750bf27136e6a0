"""What friends had said, frozen with checkpoints and decisions, and shown by the journal
as it was then (issue 17, item 5)."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.criteria.services import set_archived
from opportunities.friends.core import LinkState, hash_token, link_state, new_token
from opportunities.friends.queries import FrozenProblem, friends_said, friends_then, read_frozen
from opportunities.journal.services import record_decision
from opportunities.models import (
    Criterion,
    Decision,
    Evaluation,
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
    Opportunity,
)
from opportunities.scoring.services import save_checkpoint, save_score
from tests.factories import OpportunityFactory, PersonFactory

pytestmark = pytest.mark.django_db

CANT_SAY = "?"


# --- Asking friends, as the friend's page leaves it ---------------------------------------------


def a_round(owner, *opportunities, **fields) -> FriendRound:
    friend_round = FriendRound.objects.create(owner=owner, **fields)
    friend_round.opportunities.set(opportunities)
    return friend_round


def a_link(friend_round, name, *, person=None, **fields) -> FriendInvitation:
    fields.setdefault("expires_at", timezone.now() + timedelta(days=14))
    return FriendInvitation.objects.create(
        owner_id=friend_round.owner_id,
        round=friend_round,
        person=person,
        name=name,
        token_hash=hash_token(new_token()),
        **fields,
    )


def an_answer(link, opportunity, *, gut="", reason="", scores=()) -> FriendAnswer:
    """``scores``: (criterion, value or CANT_SAY or None, comment)."""
    answer = FriendAnswer.objects.create(
        owner_id=link.owner_id, invitation=link, opportunity=opportunity, gut=gut, gut_reason=reason
    )
    FriendScore.objects.bulk_create(
        FriendScore(
            owner_id=link.owner_id,
            answer=answer,
            criterion=criterion,
            value=None if value == CANT_SAY else value,
            cant_say=value == CANT_SAY,
            comment=comment,
        )
        for criterion, value, comment in scores
    )
    FriendInvitation.objects.filter(pk=link.pk).update(answered_at=timezone.now())
    return answer


def by_name(user) -> dict[str, Criterion]:
    return {c.name: c for c in Criterion.objects.for_user(user)}


@pytest.fixture
def asked(user, opportunity):
    """Two friends' answers about ``opportunity``: Sam (one of the people) and Priya."""
    named = by_name(user)
    values, growth, life = named["Values fit"], named["Personal growth"], named["Gut feeling"]
    friend_round = a_round(user, opportunity, message="What do you think?")
    sam = a_link(friend_round, "Sam", person=PersonFactory(owner=user, name="Sam"))
    priya = a_link(friend_round, "Priya")
    an_answer(
        sam,
        opportunity,
        gut="yes",
        reason="You light up when you talk about it.",
        scores=[(values, 8, "It is you."), (growth, 4, ""), (life, CANT_SAY, "")],
    )
    an_answer(
        priya,
        opportunity,
        gut="unsure",
        reason="Agency hours are real.",
        scores=[(values, 5, ""), (growth, 7, "You would learn a lot."), (life, None, "")],
    )
    return friend_round


def test_nothing_is_frozen_when_no_friend_has_answered(user, opportunity, criteria):
    a_link(a_round(user, opportunity), "Sam")  # asked, not answered
    assert friends_said(opportunity.pk, owner=user, criteria=criteria) == {}
    checkpoint = save_checkpoint(opportunity=opportunity, label="Before asking")
    assert checkpoint.friends == {}
    assert friends_then(checkpoint) is None


def test_the_copy_holds_median_range_counts_comments_and_guts_in_criteria_order(
    user, opportunity, criteria, asked
):
    said = friends_said(opportunity.pk, owner=user, criteria=criteria)
    assert said == {
        "criteria": [
            {
                "criterion": "Values fit",
                "median": 7,  # 6.5, rounded half up
                "low": 5,
                "high": 8,
                "count": 2,
                "cant_say": 0,
                "comments": [["Sam", "It is you."]],
            },
            {
                "criterion": "Personal growth",
                "median": 6,  # 5.5
                "low": 4,
                "high": 7,
                "count": 2,
                "cant_say": 0,
                "comments": [["Priya", "You would learn a lot."]],
            },
            {
                "criterion": "Gut feeling",
                "median": None,
                "low": None,
                "high": None,
                "count": 0,
                "cant_say": 1,
                "comments": [],
            },
        ],
        "guts": [
            ["Priya", "unsure", "Agency hours are real."],
            ["Sam", "yes", "You light up when you talk about it."],
        ],
    }


def test_reading_the_copy_takes_two_queries_however_many_friends(
    user, opportunity, criteria, asked, django_assert_num_queries
):
    for n in range(10):
        link = a_link(asked, f"Friend {n}")
        an_answer(link, opportunity, gut="no", scores=[(criteria[0], n, f"Comment {n}")])
    with django_assert_num_queries(2):  # the answers with their friends' names, the scores
        said = friends_said(opportunity.pk, owner=user, criteria=criteria)
    assert len(said["guts"]) == 12


def test_archived_criteria_and_other_opportunities_are_left_out(user, opportunity, criteria, asked):
    elsewhere = OpportunityFactory(owner=user)
    link = a_link(a_round(user, elsewhere), "Ana")
    an_answer(link, elsewhere, gut="no", scores=[(criteria[0], 0, "Not this one")])
    set_archived(criterion=by_name(user)["Personal growth"], archived=True)
    said = friends_said(opportunity.pk, owner=user, criteria=list(active_criteria(user)))
    criteria_said = [item["criterion"] for item in said["criteria"]]
    assert criteria_said == ["Values fit", "Gut feeling"]
    assert [gut[0] for gut in said["guts"]] == ["Priya", "Sam"]


def test_a_friend_asked_in_two_rounds_counts_once_with_their_newest_answer(
    user, opportunity, criteria, asked
):
    values = by_name(user)["Values fit"]
    sam = FriendInvitation.objects.select_related("person").get(name="Sam")
    again = a_round(user, opportunity)
    an_answer(
        a_link(again, "Sam (again)", person=sam.person),
        opportunity,
        gut="no",
        scores=[(values, 2, "Thought again.")],
    )
    an_answer(a_link(again, "Priya"), opportunity, gut="yes", scores=[(values, 9, "")])
    said = friends_said(opportunity.pk, owner=user, criteria=criteria)
    assert said["criteria"][0] | {"comments": None} == {
        "criterion": "Values fit",
        "median": 6,  # 2 and 9: the newest answer of each friend, once each
        "low": 2,
        "high": 9,
        "count": 2,
        "cant_say": 0,
        "comments": None,
    }
    assert said["guts"] == [["Priya", "yes", ""], ["Sam (again)", "no", ""]]


def test_a_checkpoint_freezes_what_friends_had_said_and_keeps_it(
    user, opportunity, criteria, asked
):
    checkpoint = save_checkpoint(opportunity=opportunity, label="After asking friends")
    frozen = checkpoint.friends
    assert frozen == friends_said(opportunity.pk, owner=user, criteria=criteria)
    assert Evaluation.objects.live().get(opportunity=opportunity).friends == {}
    # Friends change their minds, a round is deleted: the checkpoint keeps what they said.
    FriendScore.objects.filter(cant_say=False).update(value=0, comment="Changed my mind")
    asked.delete()
    checkpoint.refresh_from_db()
    assert checkpoint.friends == frozen
    later = save_checkpoint(opportunity=opportunity, label="Later")
    assert later.friends == {}


def test_a_decision_and_each_option_weighed_freeze_their_own(user, opportunity, criteria, asked):
    other = OpportunityFactory(owner=user, title="Freelancing")
    unasked = OpportunityFactory(owner=user, title="Staying")
    link = a_link(a_round(user, other), "Ana")
    an_answer(link, other, gut="no", reason="You would miss the freedom.")
    decision = record_decision(
        opportunity=opportunity,
        decision=Decision(choice="pursue"),
        alternatives=[other, unasked],
    )
    decision = Decision.objects.select_related("evaluation").get(pk=decision.pk)
    assert decision.evaluation.friends == friends_said(
        opportunity.pk, owner=user, criteria=criteria
    )
    frozen = {
        a.title: a.evaluation.friends for a in decision.alternatives.select_related("evaluation")
    }
    assert frozen["Freelancing"] == {
        "criteria": [],
        "guts": [["Ana", "no", "You would miss the freedom."]],
    }
    assert frozen["Staying"] == {}


# --- Read back ------------------------------------------------------------------------------------


def test_the_copy_reads_back_as_it_was(user, opportunity, criteria, asked):
    then = read_frozen(friends_said(opportunity.pk, owner=user, criteria=criteria))
    assert then is not None
    assert [item.spread.display for item in then.criteria] == [
        "7 (5–8), 2 answers",
        "6 (4–7), 2 answers",
        "no scores yet",
    ]
    assert then.comments == (
        ("Values fit", "Sam", "It is you."),
        ("Personal growth", "Priya", "You would learn a lot."),
    )
    assert [(gut.name, gut.label) for gut in then.guts] == [("Priya", "Unsure"), ("Sam", "Yes")]
    assert then.gut_summary == "1 yes, 1 unsure"
    assert read_frozen({}) is None


GOOD = {
    "criteria": [
        {
            "criterion": "Values fit",
            "median": 7,
            "low": 5,
            "high": 8,
            "count": 2,
            "cant_say": 0,
            "comments": [["Sam", "It is you."]],
        }
    ],
    "guts": [["Sam", "yes", "Why not"]],
}


def _broken(change):
    data = {"criteria": [dict(GOOD["criteria"][0])], "guts": [list(GOOD["guts"][0])]}
    change(data)
    return data


BROKEN = {
    "not an object": (lambda d: d.clear() or d.update(x=1), "not shaped"),
    "an extra key": (lambda d: d.update(extra=1), "not shaped"),
    "criteria not a list": (lambda d: d.update(criteria="all"), "its criteria is not a list"),
    "a criterion with an extra key": (lambda d: d["criteria"][0].update(x=1), "criterion 1"),
    "a median of 11": (lambda d: d["criteria"][0].update(median=11, high=11), "from 0 to 10"),
    "a median outside its range": (lambda d: d["criteria"][0].update(median=9), "within its range"),
    "a count as text": (lambda d: d["criteria"][0].update(count="2"), "count is not a whole"),
    "a count as true": (lambda d: d["criteria"][0].update(count=True), "count is not a whole"),
    "a median without scores": (lambda d: d["criteria"][0].update(count=0), "without any score"),
    "a huge count": (lambda d: d["criteria"][0].update(count=10**9), "count is not a whole"),
    "a nameless criterion": (lambda d: d["criteria"][0].update(criterion=" "), "name is empty"),
    "a long criterion name": (lambda d: d["criteria"][0].update(criterion="x" * 81), "longer"),
    "a NUL in a comment": (
        lambda d: d["criteria"][0].update(comments=[["Sam", "a\x00b"]]),
        "control character",
    ),
    "a comment of three parts": (
        lambda d: d["criteria"][0].update(comments=[["Sam", "a", "b"]]),
        "not a name and a comment",
    ),
    "a long comment": (
        lambda d: d["criteria"][0].update(comments=[["Sam", "x" * 501]]),
        "longer than 500",
    ),
    "too many comments": (
        lambda d: d["criteria"][0].update(comments=[["Sam", "x"]] * 1_001),
        "holds 1,001",
    ),
    "a gut of maybe": (lambda d: d["guts"][0].__setitem__(1, "maybe"), "neither yes, no"),
    "a gut of two parts": (lambda d: d["guts"].__setitem__(0, ["Sam", "yes"]), "gut answer 1"),
    "a long reason": (lambda d: d["guts"][0].__setitem__(2, "x" * 1_001), "longer than 1000"),
    "a name as a number": (lambda d: d["guts"][0].__setitem__(0, 7), "name is not text"),
    "nothing in it": (lambda d: d.update(criteria=[], guts=[]), "holds nothing"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_copy_not_shaped_as_frozen_is_refused_with_a_reason(case):
    change, reason = BROKEN[case]
    assert read_frozen(GOOD) is not None
    with pytest.raises(FrozenProblem, match=reason):
        read_frozen(_broken(change))


@pytest.mark.parametrize("data", [[], "text", None, 0])
def test_a_copy_that_is_not_an_object_is_refused(data):
    with pytest.raises(FrozenProblem):
        read_frozen(data)


# --- The journal's pages -------------------------------------------------------------------------


def url(name: str, *args) -> str:
    return reverse(f"opportunities:{name}", args=args)


def test_the_checkpoint_page_shows_what_friends_said_then(client_in, user, opportunity, asked):
    checkpoint = save_checkpoint(opportunity=opportunity, label="After asking friends")
    FriendScore.objects.update(comment="Said since")  # not what they had said then
    page = client_in.get(url("checkpoint_detail", opportunity.pk, checkpoint.pk)).text
    assert "What friends said then" in page
    assert page.count('data-testid="friends-then-row"') == 3
    for said in (
        "Values fit",
        "5–8",
        "4–7",
        "1 couldn't say",
        "It is you.",
        "You would learn a lot.",
    ):
        assert said in page
    assert "Said since" not in page
    assert "1 yes, 1 unsure" in page
    assert "You light up when you talk about it." in page
    assert "Agency hours are real." in page


def test_no_section_when_no_friend_had_answered(client_in, user, opportunity):
    checkpoint = save_checkpoint(opportunity=opportunity, label="Alone")
    page = client_in.get(url("checkpoint_detail", opportunity.pk, checkpoint.pk)).text
    assert 'data-testid="friends-then"' not in page
    decision = record_decision(opportunity=opportunity, decision=Decision(choice="pursue"))
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert 'data-testid="friends-then"' not in page


def test_the_decision_page_shows_what_friends_said_when_it_was_taken(
    client_in, user, opportunity, asked
):
    decision = record_decision(opportunity=opportunity, decision=Decision(choice="pursue"))
    FriendAnswer.objects.update(gut="no", gut_reason="Changed my mind")
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert page.count('data-testid="friends-then"') == 1
    assert "You light up when you talk about it." in page
    assert "Changed my mind" not in page


def test_what_friends_said_is_escaped(client_in, user, opportunity, criteria):
    link = a_link(a_round(user, opportunity), "<script>alert(1)</script>")
    an_answer(
        link,
        opportunity,
        gut="no",
        reason="<img src=x onerror=alert(2)>",
        scores=[(criteria[0], 3, "<b>bold</b>")],
    )
    checkpoint = save_checkpoint(opportunity=opportunity, label="Hostile")
    page = client_in.get(url("checkpoint_detail", opportunity.pk, checkpoint.pk)).text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in page


def test_a_damaged_copy_shows_nothing_rather_than_fail(client_in, user, opportunity):
    checkpoint = save_checkpoint(opportunity=opportunity, label="Damaged")
    Evaluation.objects.filter(pk=checkpoint.pk).update(friends={"criteria": "x", "guts": 3})
    response = client_in.get(url("checkpoint_detail", opportunity.pk, checkpoint.pk))
    assert response.status_code == 200
    assert 'data-testid="friends-then"' not in response.text


@pytest.mark.parametrize("friends", [2, 20])
def test_the_pages_read_a_fixed_number_of_queries(
    client_in, user, opportunity, criteria, friends, django_assert_max_num_queries
):
    friend_round = a_round(user, opportunity)
    for n in range(friends):
        an_answer(
            a_link(friend_round, f"Friend {n}"),
            opportunity,
            gut="yes",
            reason=f"Reason {n}",
            scores=[(criterion, n % 11, f"Comment {n}") for criterion in criteria],
        )
    save_score(opportunity=opportunity, criterion=criteria[0], value=6)
    checkpoint = save_checkpoint(opportunity=opportunity, label="Many friends")
    decision = record_decision(opportunity=opportunity, decision=Decision(choice="pursue"))
    # session, user, the checkpoint, its frozen scores, today's criteria, its decision, the
    # decision it was weighed in: what friends said is on the checkpoint's row.
    with django_assert_max_num_queries(7):
        page = client_in.get(url("checkpoint_detail", opportunity.pk, checkpoint.pk)).text
    assert page.count("Reason ") == friends
    # session, user, the decision, today's criteria, its frozen scores, its alternatives,
    # its story; the commit step's premortem, kill criteria and forecasts, and the
    # check-ins (learning): none for what friends said.
    with django_assert_max_num_queries(11):
        page = client_in.get(url("decision_detail", decision.pk)).text
    assert page.count("Reason ") == friends


def test_another_owners_checkpoint_is_a_404(client, other_user, opportunity, asked):
    checkpoint = save_checkpoint(opportunity=opportunity, label="Mine")
    client.force_login(other_user)
    assert client.get(url("checkpoint_detail", opportunity.pk, checkpoint.pk)).status_code == 404


# --- The demo -------------------------------------------------------------------------------------


def test_the_demo_holds_two_friends_answers_frozen_with_its_decision(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "/f/" not in out.getvalue()  # no link is shown
    demo = get_user_model().objects.get(username="demo")
    role = Opportunity.objects.for_user(demo).get(title="Part-time content strategist")
    variant = Opportunity.objects.for_user(demo).get(variant_of=role)
    friend_round = FriendRound.objects.for_user(demo).get()
    assert set(friend_round.opportunities.values_list("pk", flat=True)) == {role.pk, variant.pk}
    assert (friend_round.created_at.month, friend_round.created_at.day) == (4, 12)
    decision = Decision.objects.for_user(demo).select_related("evaluation").get()
    links = list(FriendInvitation.objects.for_user(demo).select_related("person"))
    assert sorted(link.person.name for link in links) == ["Priya", "Sam"]
    now = timezone.now()
    for link in links:
        assert (link.created_at.month, link.created_at.day) == (4, 12)
        assert link.created_at.date() < decision.decided_on
        assert link.answered_at.date() < decision.decided_on
        state = link_state(
            now=now, expires_at=link.expires_at, revoked_at=link.revoked_at, closed_at=None
        )
        assert state != LinkState.OPEN  # no link works without someone holding it
    guts = dict(
        FriendAnswer.objects.filter(opportunity=role).values_list("invitation__name", "gut")
    )
    assert guts == {"Sam": "yes", "Priya": "unsure"}
    assert FriendScore.objects.for_user(demo).exclude(comment="").count() >= 2
    assert FriendScore.objects.for_user(demo).filter(cant_say=True).exists()

    then = friends_then(decision.evaluation)
    assert then is not None
    assert [gut.name for gut in then.guts] == ["Priya", "Sam"]
    assert len(then.comments) >= 2
    weighed = {
        a.title: a.evaluation.friends for a in decision.alternatives.select_related("evaluation")
    }
    assert weighed[variant.title] != {}
    assert weighed["Stay as I am"] == {}

    client.force_login(demo)
    page = client.get(reverse("opportunities:friends_round", args=[friend_round.pk])).text
    assert "Daily &amp; weekly life scores, Part-time content strategist comes out on top" in page
    page = client.get(reverse("opportunities:decision_detail", args=[decision.pk])).text
    assert "What friends said then" in page
    assert "Agency pace: you would learn fast." in page
