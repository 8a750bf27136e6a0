"""Asking friends in the export, the import and deletion (issue 17, item 6): rounds, links
(never their token's hash) and answers go out and come back; an imported link opens no
one's page; deleting an opportunity or the account leaves nothing of them behind."""

import csv
import html
import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opportunities.accounts.queries import INVITATION_FIELDS, export_csv, export_user_data
from opportunities.accounts.services import ImportProblem, delete_account, import_user_data
from opportunities.criteria.services import create_default_criteria
from opportunities.friends.core import LinkState, hash_token, link_state, new_token
from opportunities.models import (
    Criterion,
    Evaluation,
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
    Opportunity,
)
from opportunities.pipeline.services import delete_opportunity
from opportunities.scoring.services import save_checkpoint
from tests.factories import OpportunityFactory, PersonFactory, UserFactory
from tests.friends.test_frozen import CANT_SAY, a_link, a_round, an_answer, by_name

pytestmark = pytest.mark.django_db

FRIENDS_MODELS = (FriendRound, FriendInvitation, FriendAnswer, FriendScore)


@pytest.fixture
def asker(user):
    """An account that asked friends twice: about a role and its variant (two answers, a
    link revoked before it was used, the round closed), and about the variant alone; a
    checkpoint froze what they said."""
    named = by_name(user)
    values, growth, gut = named["Values fit"], named["Personal growth"], named["Gut feeling"]
    role = OpportunityFactory(owner=user, title="Part-time strategist")
    variant = OpportunityFactory(owner=user, title="Strategist, as subcontractor")
    both = a_round(
        user,
        role,
        variant,
        message="Which would you take?",
        share_pay=True,
        share_scores=True,
        closed_at=timezone.now() - timedelta(hours=1),
    )
    sam = a_link(both, "Sam", person=PersonFactory(owner=user, name="Sam"), email="sam@example.com")
    priya = a_link(both, "Priya", last_used_at=timezone.now() - timedelta(days=1))
    a_link(both, "Ana", revoked_at=timezone.now() - timedelta(days=2))
    an_answer(
        sam,
        role,
        gut="yes",
        reason="You light up.",
        scores=[(values, 8, "It is you."), (gut, CANT_SAY, "")],
    )
    an_answer(sam, variant, gut="unsure", scores=[(values, 6, "")])
    an_answer(priya, role, gut="no", reason="The hours.", scores=[(growth, 7, "You would learn.")])
    a_link(a_round(user, variant), "Jo")
    save_checkpoint(opportunity=role, label="After asking friends")
    return user


def exported(user) -> dict:
    return json.loads(json.dumps(export_user_data(user)))


def fresh():
    user = UserFactory()
    create_default_criteria(user)
    return user


def rounds_by_what(user) -> list:
    """The user's rounds with every id replaced by what it points at, the links' revoking
    left out (an import revokes them)."""
    data = exported(user)
    titles = {o["id"]: o["title"] for o in data["opportunities"]}
    criteria = {c["id"]: c["name"] for c in data["criteria"]}
    people = {p["id"]: p["name"] for p in data["people"]}
    for friend_round in data["friend_rounds"]:
        del friend_round["id"]
        friend_round["opportunities"] = sorted(titles[i] for i in friend_round["opportunities"])
        for link in friend_round["invitations"]:
            link["person"] = people.get(link["person"])
            del link["revoked_at"]
            for answer in link["answers"]:
                answer["opportunity"] = titles[answer["opportunity"]]
                for score in answer["scores"]:
                    score["criterion"] = criteria[score["criterion"]]
    return data["friend_rounds"]


# --- The export -----------------------------------------------------------------------------------


def test_the_export_holds_rounds_links_answers_and_what_checkpoints_froze(asker):
    data = exported(asker)
    titles = {o["id"]: o["title"] for o in data["opportunities"]}
    both, alone = data["friend_rounds"]
    assert sorted(titles[i] for i in both["opportunities"]) == [
        "Part-time strategist",
        "Strategist, as subcontractor",
    ]
    assert [titles[i] for i in alone["opportunities"]] == ["Strategist, as subcontractor"]
    assert both["message"] == "Which would you take?"
    assert (both["share_pay"], both["share_scores"], both["share_description"]) == (
        True,
        True,
        True,
    )
    assert both["closed_at"] is not None
    assert alone["closed_at"] is None
    sam, priya, ana = both["invitations"]
    assert set(sam) == {"person", "answers", *INVITATION_FIELDS}
    assert {"name", "email", "expires_at", "revoked_at", "last_used_at", "answered_at"} <= set(sam)
    assert (sam["name"], sam["email"]) == ("Sam", "sam@example.com")
    assert sam["person"] == next(p["id"] for p in data["people"] if p["name"] == "Sam")
    assert priya["last_used_at"] is not None
    assert priya["answered_at"] is not None
    assert ana["revoked_at"] is not None
    assert ana["answers"] == []
    assert [a["gut"] for a in sam["answers"]] == ["yes", "unsure"]
    role_answer = sam["answers"][0]
    assert titles[role_answer["opportunity"]] == "Part-time strategist"
    assert [(s["value"], s["cant_say"], s["comment"]) for s in role_answer["scores"]] == [
        (8, False, "It is you."),
        (None, True, ""),
    ]
    role = next(o for o in data["opportunities"] if o["title"] == "Part-time strategist")
    frozen = next(e for e in role["evaluations"] if e["label"] == "After asking friends")
    assert [item["criterion"] for item in frozen["friends"]["criteria"]] == [
        "Values fit",
        "Personal growth",
        "Gut feeling",
    ]


def test_the_export_carries_no_token_hash(asker):
    text = json.dumps(export_user_data(asker))
    assert "token_hash" not in text
    for token_hash in FriendInvitation.objects.values_list("token_hash", flat=True):
        assert token_hash not in text


def test_the_export_reads_a_fixed_number_of_queries(
    asker, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(26) as before:  # 5 of them learning's (issue 20)
        export_user_data(asker)
    opportunity = Opportunity.objects.for_user(asker).first()
    for n in range(5):
        friend_round = a_round(asker, opportunity)
        an_answer(a_link(friend_round, f"Friend {n}"), opportunity, gut="yes")
    with django_assert_num_queries(len(before.captured_queries)):
        data = export_user_data(asker)
    assert len(data["friend_rounds"]) == 7


def test_the_csv_of_evaluations_holds_what_friends_said_as_json(asker):
    rows = list(csv.DictReader(io.StringIO(export_csv(asker, "evaluations"))))
    frozen = next(row for row in rows if row["label"] == "After asking friends")
    assert json.loads(frozen["friends"])["guts"][0][0] == "Priya"
    assert {row["friends"] for row in rows if row["label"] != "After asking friends"} == {""}


# --- The import -----------------------------------------------------------------------------------


def test_rounds_links_and_answers_come_back(asker):
    user = fresh()
    import_user_data(user, exported(asker))
    assert rounds_by_what(user) == rounds_by_what(asker)
    for model in FRIENDS_MODELS:
        assert model.objects.for_user(user).count() == model.objects.for_user(asker).count()
    ours = Evaluation.objects.for_user(user).get(label="After asking friends")
    theirs = Evaluation.objects.for_user(asker).get(label="After asking friends")
    assert ours.friends == theirs.friends != {}


def test_an_imported_link_opens_no_page_and_says_revoked(asker):
    originals = dict(FriendInvitation.objects.for_user(asker).values_list("name", "revoked_at"))
    hashes = set(FriendInvitation.objects.values_list("token_hash", flat=True))
    user = fresh()
    import_user_data(user, exported(asker))
    now = timezone.now()
    links = list(FriendInvitation.objects.for_user(user).select_related("round"))
    assert len(links) == 4
    for link in links:
        assert link.token_hash not in hashes
        assert len(link.token_hash) == 64
        state = link_state(
            now=now,
            expires_at=link.expires_at,
            revoked_at=link.revoked_at,
            closed_at=link.round.closed_at,
        )
        assert state == LinkState.REVOKED
        if originals[link.name] is not None:
            assert link.revoked_at == originals[link.name]  # revoked then, and it says when
        else:
            assert now - link.revoked_at < timedelta(minutes=1)


def test_a_token_hash_planted_in_the_file_is_not_kept(asker):
    token = new_token()
    data = exported(asker)
    link = data["friend_rounds"][1]["invitations"][0]
    link.update(token_hash=hash_token(token), revoked_at=None)
    user = fresh()
    import_user_data(user, data)
    assert not FriendInvitation.objects.filter(token_hash=hash_token(token)).exists()
    jo = FriendInvitation.objects.for_user(user).get(name="Jo")
    assert jo.revoked_at is not None


def test_a_file_from_before_friends_imports(asker):
    data = exported(asker)
    del data["friend_rounds"]
    for opportunity in data["opportunities"]:
        for evaluation in opportunity["evaluations"]:
            del evaluation["friends"]
    user = fresh()
    import_user_data(user, data)
    assert not FriendRound.objects.for_user(user).exists()
    frozen = Evaluation.objects.for_user(user).values_list("friends", flat=True)
    assert list(frozen) == [{}] * Evaluation.objects.for_user(asker).count()


def _round(data, n=0):
    return data["friend_rounds"][n]


def _link(data, n=0):
    return _round(data)["invitations"][n]


def _answer(data):
    return _link(data)["answers"][0]


def _frozen(data):
    role = next(o for o in data["opportunities"] if o["title"] == "Part-time strategist")
    return next(e for e in role["evaluations"] if e["label"] == "After asking friends")


def _live(data):
    role = next(o for o in data["opportunities"] if o["title"] == "Part-time strategist")
    return next(e for e in role["evaluations"] if e["frozen_at"] is None)


def _eleven_opportunities(data) -> list[int]:
    """Nine more opportunities in the file, and the ids of all eleven."""
    copies = [
        data["opportunities"][0]
        | {"id": 10_000 + n, "title": f"Copy {n}", "evaluations": [], "decisions": []}
        | {"stage_changes": [], "timeline": []}
        for n in range(9)
    ]
    data["opportunities"] += copies
    return [o["id"] for o in data["opportunities"]]


def _not_asked_in_the_second_round(data):
    """An answer through the second round's link about the role, which it did not ask about."""
    role = next(
        i for i in _round(data)["opportunities"] if i not in _round(data, 1)["opportunities"]
    )
    _round(data, 1)["invitations"][0]["answers"].append(_answer(data) | {"opportunity": role})


HOSTILE = {
    "rounds that are not a list": (
        lambda d: d.update(friend_rounds={"a": 1}),
        "“friend_rounds” is not a list",
    ),
    "more rounds than an account keeps": (
        lambda d: d.update(friend_rounds=[_round(d)] * 501),
        "501 friend rounds; Crossroads keeps 500",
    ),
    "a round about an opportunity not in the file": (
        lambda d: _round(d)["opportunities"].append(987_654),
        "friends' round 1, opportunities: refers to an opportunity that is not in the file",
    ),
    "a round about nothing": (
        lambda d: _round(d).update(opportunities=[]),
        "friends' round 1, opportunities: a round asks about 1 to 10 opportunities; this one, 0",
    ),
    "a round about more than a round asks": (
        lambda d: _round(d).update(opportunities=_eleven_opportunities(d)),
        "a round asks about 1 to 10 opportunities; this one, 11",
    ),
    "a round about text": (
        lambda d: _round(d).update(opportunities=["1"]),
        "is not a list of opportunities",
    ),
    "a message with a NUL": (
        lambda d: _round(d).update(message="hi\x00"),
        "friends' round 1, message: It holds an invisible control character (U+0000)",
    ),
    "a message too long": (
        lambda d: _round(d).update(message="x" * 2_001),
        "friends' round 1, message: Ensure this value has at most 2000 characters",
    ),
    "a sharing flag as text": (
        lambda d: _round(d).update(share_pay="yes"),
        "share_pay: is neither true nor false",
    ),
    "closed in year 9999": (
        lambda d: _round(d).update(closed_at="9999-01-01T00:00:00+00:00"),
        "closed_at: is dated 9999-01-01",
    ),
    "more links than a round keeps": (
        lambda d: _round(d).update(invitations=[_link(d)] * 31),
        "31 invitations; Crossroads keeps 30",
    ),
    "two links for the same name": (
        lambda d: _link(d, 1).update(name="Sam"),
        "link 2: is a second link for the same friend in this round",
    ),
    "two links for the same person": (
        lambda d: _link(d, 1).update(person=_link(d)["person"]),
        "link 2: is a second link for the same friend in this round",
    ),
    "a link for a person not in the file": (
        lambda d: _link(d).update(person=987_654),
        "link 1: refers to a person who is not in the file",
    ),
    "a link without a name": (lambda d: _link(d).update(name=""), "link 1, name"),
    "a link with a bell in its name": (
        lambda d: _link(d).update(name="Sam\x07"),
        "link 1, name: It holds an invisible control character (U+0007)",
    ),
    "a link to a bad address": (
        lambda d: _link(d).update(email="not an address"),
        "link 1, email: Enter a valid email address",
    ),
    "a link expiring in five years": (
        lambda d: _link(d).update(expires_at="2099-01-01T00:00:00+00:00"),
        "link 1, expires_at: is dated 2099-01-01",
    ),
    "a link without an expiry": (lambda d: _link(d).pop("expires_at"), "link 1, expires_at"),
    "a link answered tomorrow and more": (
        lambda d: _link(d).update(answered_at="2098-01-01T00:00:00+00:00"),
        "answered_at: is dated 2098-01-01",
    ),
    "a link that is not an object": (
        lambda d: _round(d)["invitations"].append("x"),
        "link 4: is not an object",
    ),
    "an answer about an opportunity its round did not ask about": (
        _not_asked_in_the_second_round,
        "friends' round 2, link 1, answer 1: refers to an opportunity its round did not ask about",
    ),
    "two answers about one opportunity": (
        lambda d: _link(d)["answers"].__setitem__(1, _answer(d)),
        "link 1, answer 2: is a second answer about the same opportunity",
    ),
    "more answers than its round asked about": (
        lambda d: _link(d).update(answers=[_answer(d)] * 3),
        "3 answers; Crossroads keeps 2",
    ),
    "a gut of maybe": (lambda d: _answer(d).update(gut="maybe"), "answer 1, gut"),
    "a reason too long": (
        lambda d: _answer(d).update(gut_reason="x" * 1_001),
        "answer 1, gut_reason: Ensure this value has at most 1000 characters",
    ),
    "a score of 11": (
        lambda d: _answer(d)["scores"][0].update(value=11),
        "score 1, value: Ensure this value is less than or equal to 10",
    ),
    "a score of one and a half": (
        lambda d: _answer(d)["scores"][0].update(value=1.5),
        "score 1, value: is not a whole number",
    ),
    "a score beside I can't say": (
        lambda d: _answer(d)["scores"][0].update(value=5, cant_say=True),
        "answer 1, score 1",
    ),
    "a comment too long": (
        lambda d: _answer(d)["scores"][0].update(comment="x" * 501),
        "comment: Ensure this value has at most 500 characters",
    ),
    "a score of a criterion not in the file": (
        lambda d: _answer(d)["scores"][0].update(criterion=987_654),
        "score 1: refers to a criterion that is not in the file",
    ),
    "two scores of one criterion": (
        lambda d: _answer(d)["scores"].append(dict(_answer(d)["scores"][0])),
        "answer 1, score 3: is a second score of the same criterion",
    ),
    "a frozen copy not shaped as frozen": (
        lambda d: _frozen(d).update(friends={"criteria": "x", "guts": []}),
        "evaluation 1, friends: its criteria is not a list",
    ),
    "a frozen median outside its range": (
        lambda d: _frozen(d)["friends"]["criteria"][0].update(median=10),
        "friends: criterion 1's median is not within its range",
    ),
    "a frozen gut of maybe": (
        lambda d: _frozen(d)["friends"]["guts"][0].__setitem__(1, "maybe"),
        "friends: gut answer 1 is neither yes, no nor unsure",
    ),
    "a frozen comment with a NUL": (
        lambda d: _frozen(d)["friends"]["criteria"][0]["comments"][0].__setitem__(1, "a\x00"),
        "control character",
    ),
    "a frozen copy as a list": (
        lambda d: _frozen(d).update(friends=[]),
        "friends: it is not shaped as Crossroads freezes",
    ),
    "a frozen copy on the live evaluation": (
        lambda d: _live(d).update(friends=_frozen(d)["friends"]),
        "friends: only a checkpoint keeps what friends said",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_friends_section_is_refused_whole_with_its_reason(asker, case):
    mutate, message = HOSTILE[case]
    data = exported(asker)
    mutate(data)
    user = fresh()
    with pytest.raises(ImportProblem) as refused:
        import_user_data(user, data)
    assert message in str(refused.value)
    assert not Opportunity.objects.for_user(user).exists()
    for model in FRIENDS_MODELS:
        assert not model.objects.for_user(user).exists()
    assert Criterion.objects.for_user(user).count() == 7


@pytest.mark.parametrize(
    "case",
    [
        "a frozen copy not shaped as frozen",
        "an answer about an opportunity its round did not ask about",
    ],
)
def test_a_hostile_upload_gets_its_reason_and_the_account_still_works(asker, case):
    mutate, message = HOSTILE[case]
    data = exported(asker)
    mutate(data)
    user = fresh()
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile(
        "export.json", json.dumps(data).encode(), content_type="application/json"
    )
    response = client.post(reverse("import_json"), {"file": upload})
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert html.escape(message) in response.text
    for page in ("/", "/journal/", "/account/", "/account/export.json"):
        assert client.get(page).status_code == 200, page


# --- Deleting -------------------------------------------------------------------------------------


def test_deleting_an_opportunity_deletes_a_round_left_about_nothing(asker):
    variant = Opportunity.objects.for_user(asker).get(title="Strategist, as subcontractor")
    role = Opportunity.objects.for_user(asker).get(title="Part-time strategist")
    delete_opportunity(opportunity=variant)
    # The round about the variant alone is gone, with its link.
    assert FriendRound.objects.for_user(asker).count() == 1
    assert not FriendInvitation.objects.filter(name="Jo").exists()
    # The round about both keeps its links and the answers about the role; those about
    # the variant went with it.
    both = FriendRound.objects.for_user(asker).get()
    assert list(both.opportunities.values_list("pk", flat=True)) == [role.pk]
    assert both.invitations.count() == 3
    assert set(FriendAnswer.objects.values_list("opportunity_id", flat=True)) == {role.pk}
    assert FriendScore.objects.count() == 3
    delete_opportunity(opportunity=role)
    for model in FRIENDS_MODELS:
        assert not model.objects.exists()
    assert not FriendRound.opportunities.through.objects.exists()


def test_deleting_an_opportunity_leaves_another_owners_rounds(asker, other_user):
    theirs = OpportunityFactory(owner=other_user)
    an_answer(a_link(a_round(other_user, theirs), "Sam"), theirs, gut="yes")
    for opportunity in Opportunity.objects.for_user(asker):
        delete_opportunity(opportunity=opportunity)
    assert not FriendRound.objects.for_user(asker).exists()
    assert FriendAnswer.objects.for_user(other_user).count() == 1


def test_deleting_the_account_leaves_nothing_of_its_friends_rounds(asker, other_user):
    theirs = OpportunityFactory(owner=other_user)
    values = by_name(other_user)["Values fit"]
    an_answer(a_link(a_round(other_user, theirs), "Sam"), theirs, scores=[(values, 5, "")])
    delete_account(user=asker)
    for model in FRIENDS_MODELS:
        assert not model.objects.for_user(asker.pk).exists()
        assert model.objects.for_user(other_user).count() == 1
    through = FriendRound.opportunities.through.objects
    assert list(through.values_list("opportunity_id", flat=True)) == [theirs.pk]
