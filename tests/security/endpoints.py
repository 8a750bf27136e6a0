"""Every URL of the app, with what it needs to be exercised: the security suite walks this
table, and a test fails when a URL pattern exists that the table does not describe.

A ``World`` is one user's data with a planted sentinel string in every free-text field,
so a leak of any of it to another user shows up as the sentinel in their responses.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from opportunities.accounts.queries import export_user_data
from opportunities.compare.services import save_gut_ranking
from opportunities.criteria.queries import active_criteria
from opportunities.criteria.services import create_default_criteria
from opportunities.friends.core import hash_token, new_token
from opportunities.journal.services import record_decision
from opportunities.learning.services.calendar import issue_feed
from opportunities.learning.services.checkins import record_check_in
from opportunities.learning.services.commit import (
    CommitStep,
    ForecastItem,
    KillItem,
    PremortemItem,
    save_commit_step,
)
from opportunities.models import (
    WRITTEN_BY_HAND,
    CheckIn,
    Criterion,
    Decision,
    Evaluation,
    Forecast,
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
    GutRanking,
    Opportunity,
    Person,
    Profile,
    Question,
    TimelineEntry,
)
from opportunities.questions.services import answer_question, ask_question
from opportunities.scoring.amounts import save_amount
from opportunities.scoring.services import save_checkpoint, save_score
from opportunities.timeline.services import add_entry
from opportunities.weights.services import save_swing
from tests.factories import OpportunityFactory, UserFactory

SENTINEL = "SENTINEL-7f3a9c"

# Reachable without logging in, on purpose.
PUBLIC = {
    "healthz",
    "login",
    "signup",
    "logout",
    "opportunities:help",
    # A friend's personal link: the token in the address is the key, not a log-in.
    "opportunities:friend_page",
    # The private calendar feed: the same, read by a calendar app.
    "opportunities:calendar_feed",
}
# Django's admin has its own staff-only log-in and is not part of the product's pages.
EXCLUDED_NAMESPACES = {"admin"}


@dataclass
class World:
    user: object
    opportunity: Opportunity
    status_quo: Opportunity
    criterion: Criterion
    checkpoint: Evaluation
    decision: Decision
    ranking: GutRanking
    # A round of asking friends about the opportunity, with one link and its answer.
    friend_round: FriendRound | None = None
    friend_link: FriendInvitation | None = None

    @property
    def ids(self) -> str:
        return f"{self.opportunity.pk},{self.status_quo.pk}"

    @property
    def person(self) -> Person:
        """The first person of the world (see ``_plant_people``)."""
        return Person.objects.filter(owner=self.user).order_by("pk").first()


def _plant_people(user, opportunity: Opportunity, tag: str) -> None:
    """Someone the opportunity arose from and who is in it, with a conversation with them,
    and follow-ups due on both."""
    person = Person.objects.create(
        owner=user,
        name=f"{tag} person",
        relationship="contact",
        email="friend@example.org",
        notes=f"{tag} notes about them",
        follow_up_on=dt.date(2026, 3, 3),
    )
    opportunity.contacts.add(person)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        arose_from_person=person, follow_up_on=dt.date(2026, 3, 3)
    )
    TimelineEntry.objects.create(
        owner=user,
        opportunity=opportunity,
        person=person,
        kind="conversation",
        happened_on=dt.date(2026, 2, 20),
        title=f"{tag} conversation",
        body=f"{tag} what they said",
    )


def _plant_story(opportunity: Opportunity, tag: str) -> None:
    """A note in the opportunity's story, written by hand (the app wrote the others)."""
    add_entry(
        opportunity=opportunity,
        entry=TimelineEntry(
            kind="note",
            happened_on=dt.date(2025, 11, 12),
            title=f"{tag} note",
            body=f"{tag} what happened",
        ),
    )


def _plant_friends(
    user, opportunity: Opportunity, criterion: Criterion, tag: str
) -> tuple[FriendRound, FriendInvitation]:
    """A round asking about the opportunity, with one friend's link and their answer: a
    score on ``criterion`` unlike the owner's, a comment and a gut answer with its why."""
    asked = FriendRound.objects.create(owner=user, message=f"{tag} message to friends")
    asked.opportunities.add(opportunity)
    link = FriendInvitation.objects.create(
        owner=user,
        round=asked,
        name=f"{tag} friend",
        email="friend@example.org",
        token_hash=hash_token(new_token()),
        expires_at=timezone.now() + dt.timedelta(days=14),
        answered_at=timezone.now(),
    )
    answer = FriendAnswer.objects.create(
        owner=user, invitation=link, opportunity=opportunity, gut="no", gut_reason=f"{tag} why"
    )
    FriendScore.objects.create(
        owner=user, answer=answer, criterion=criterion, value=6, comment=f"{tag} comment"
    )
    return asked, link


def _plant_questions(opportunity: Opportunity, criterion: Criterion, tag: str) -> None:
    """An open question about ``criterion``, and one answered, each with its entries."""
    ask_question(opportunity=opportunity, criterion=criterion, text=f"{tag} open question")
    answered = ask_question(
        opportunity=opportunity, text=f"{tag} answered question", asked_on=dt.date(2026, 2, 1)
    ).question
    answer_question(question=answered, answer=f"{tag} answer", answered_on=dt.date(2026, 2, 2))


def _plant_commit_step(decision: Decision, tag: str) -> None:
    """The decision's commit step: a premortem reason, a kill criterion and a forecast in
    the user's words, each tagged, and the change of course's cost."""
    save_commit_step(
        decision=decision,
        step=CommitStep(
            answers={"information": "weak"},
            door="one_way",
            change_cost=f"{tag} cost of changing course",
            premortem=[PremortemItem(f"{tag} premortem reason", True)],
            kill_criteria=[KillItem(f"{tag} kill criterion", dt.date(2026, 9, 1))],
            forecasts=[ForecastItem(f"{tag} commit forecast", 60)],
        ),
    )


def _plant_judgement(decision: Decision, criterion: Criterion, tag: str) -> None:
    """A resolved forecast, and the decision's 12-month check-in done with a glad score and
    ``criterion`` re-scored under a planted name: what "How well I judge" reads."""
    Forecast.objects.create(
        owner_id=decision.owner_id,
        decision=decision,
        statement=f"{tag} forecast",
        probability=70,
        resolution="true",
        resolved_on=dt.date(2026, 9, 1),
    )
    CheckIn.objects.filter(decision=decision, kind="12m").update(
        done_on=dt.date(2026, 9, 1),
        glad=7,
        rescored={str(criterion.pk): {"name": f"{tag} criterion", "expected": 8, "lived": 5}},
    )


def _plant_check_in(decision: Decision, criterion: Criterion, tag: str) -> None:
    """The decision's 3-month check-in done as the page does it: a tagged sentence (in the
    story too), the commit forecast resolved, the kill criterion not met, a re-score."""
    check_in = CheckIn.objects.select_related("decision").get(decision=decision, kind="3m")
    record_check_in(
        check_in,
        glad=8,
        how_it_goes=f"{tag} how it goes",
        resolutions={
            f.pk: "false" for f in Forecast.objects.filter(decision=decision, resolution="")
        },
        kill_triggers={},
        rescored={criterion.pk: 4},
        done_on=dt.date(2026, 6, 2),
    )


def _check_in(w: World) -> dict:
    """The decision's 3-month check-in (None for a world without one)."""
    decision = getattr(w.decision, "pk", None)
    check_in = (
        CheckIn.objects.filter(owner=w.user, decision_id=decision, kind="3m").first()
        if decision is not None
        else None
    )
    return {"pk": decision, "check_in_pk": check_in.pk if check_in is not None else None}


def _plant_swing(user, opportunity: Opportunity, status_quo: Opportunity, tag: str) -> None:
    """Swing answers kept without applying them, over the two options (tagged titles)."""
    criteria = list(active_criteria(user))
    save_swing(
        user,
        weights={c.pk: 10 if n == 0 else 1 for n, c in enumerate(criteria)},
        options=[
            {"id": opportunity.pk, "title": f"{tag} swing option"},
            {"id": status_quo.pk, "title": f"{tag} swing status quo"},
        ],
        answers=[
            {"criterion": c.pk, "worst": 0, "best": 10, "rating": 100 if n == 0 else 10}
            for n, c in enumerate(criteria)
        ],
        apply=False,
    )


def _plant_number(user, opportunity: Opportunity, tag: str) -> None:
    """A criterion measured as a number, with a planted unit, and its amount entered on
    the opportunity (shown as "35 <unit> → 7")."""
    commute = Criterion.objects.create(
        owner=user,
        name="Commute",
        kind="number",
        unit=f"{tag} min"[:24],
        worst=90,
        best=10,
        weight=5,
        position=50,
    )
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(35))


def _number_criterion(w: World) -> dict:
    """The opportunity and the criterion measured as a number (see ``_plant_number``)."""
    number = Criterion.objects.filter(owner=w.user, kind="number").first()
    return {
        "pk": getattr(w.opportunity, "pk", None),
        "criterion_pk": number.pk if number is not None else None,
    }


def build_world(*, tag: str = SENTINEL) -> World:
    user = UserFactory()
    create_default_criteria(user)
    criteria = list(active_criteria(user))
    criterion = criteria[0]
    criterion.description = f"{tag} criterion description"
    criterion.save()
    opportunity = OpportunityFactory(
        owner=user, title=f"{tag} role", notes=f"{tag} private notes", contact=f"{tag} contact"
    )
    status_quo = OpportunityFactory(owner=user, title=f"{tag} stay as I am", is_status_quo=True)
    for value, item in enumerate(criteria):
        save_score(opportunity=opportunity, criterion=item, value=value, note=tag)
        save_score(opportunity=status_quo, criterion=item, value=10 - value)
    checkpoint = save_checkpoint(opportunity=opportunity, label=f"{tag} checkpoint")
    decision = record_decision(
        opportunity=opportunity,
        decision=Decision(
            choice="pursue",
            decided_on=dt.date(2026, 3, 1),
            confidence=60,
            rationale=f"{tag} rationale",
            gut_check="yes",
            gut_check_reason=f"{tag} gut",
            reflection=f"{tag} reflection",
        ),
        alternatives=[status_quo],
    )
    ranking = save_gut_ranking(user=user, order=[opportunity.pk, status_quo.pk])
    _plant_story(opportunity, tag)
    _plant_people(user, opportunity, tag)
    friend_round, friend_link = _plant_friends(user, opportunity, criterion, tag)
    _plant_questions(opportunity, criterion, tag)
    _plant_swing(user, opportunity, status_quo, tag)
    _plant_commit_step(decision, tag)
    _plant_judgement(decision, criterion, tag)
    _plant_check_in(decision, criterion, tag)
    _plant_number(user, opportunity, tag)
    # A pay floor and target: the comparison and the criteria page put the weights in money.
    Profile.objects.create(owner=user, pay_floor=40_000, pay_target=80_000)
    return World(
        user,
        opportunity,
        status_quo,
        criterion,
        checkpoint,
        decision,
        ranking,
        friend_round=friend_round,
        friend_link=friend_link,
    )


def snapshot(user) -> str:
    """Everything a user owns, to prove a request changed nothing."""
    data = export_user_data(user)
    data.pop("exported_at")
    return json.dumps(data, sort_keys=True)


@dataclass(frozen=True)
class Endpoint:
    name: str
    methods: tuple[str, ...]
    kwargs: Callable[[World], dict] = lambda w: {}
    query: Callable[[World], dict] = lambda w: {}
    data: Callable[[World], dict] = lambda w: {}
    # The URL names one of the owner's objects: anyone else gets a 404.
    object_url: bool = False
    # htmx targets the page answers with a fragment.
    fragments: tuple[str, ...] = ()
    # Deleting the account or the object: run it last in a sequence.
    destructive: bool = False
    extra: dict = field(default_factory=dict)


def _opportunity(w: World) -> dict:
    return {"pk": w.opportunity.pk}


def _criterion(w: World) -> dict:
    return {"pk": w.criterion.pk}


def _pay_criterion(w: World) -> dict:
    """The Pay criterion, whose value curve has its own page."""
    pay = Criterion.objects.filter(owner=w.user, kind="pay").first()
    return {"pk": pay.pk if pay is not None else None}


CURVE_FORM = {"shape": "saturating", "bend": "5", "threshold": ""}


def _person(w: World) -> dict:
    person = getattr(w, "person", None)  # a page walk's stand-in world may have none
    return {"pk": person.pk if person is not None else None}


def _entry(w: World) -> dict:
    """The opportunity's first entry written by hand (None for a world without one)."""
    opportunity = getattr(w.opportunity, "pk", None)
    entry = (
        TimelineEntry.objects.filter(
            owner=w.user, opportunity_id=opportunity, kind__in=WRITTEN_BY_HAND
        )
        .order_by("pk")
        .first()
        if opportunity is not None
        else None
    )
    return {"pk": opportunity, "entry_pk": entry.pk if entry is not None else None}


def _question(w: World) -> dict:
    """The opportunity's first question (None for a world without one)."""
    opportunity = getattr(w.opportunity, "pk", None)
    question = (
        Question.objects.filter(owner=w.user, opportunity_id=opportunity).order_by("pk").first()
        if opportunity is not None
        else None
    )
    return {"pk": opportunity, "question_pk": question.pk if question is not None else None}


def _friend_link(w: World) -> dict:
    """A personal link asking about the world's opportunity and status quo, sharing
    everything, made the first time it is asked for and kept on the world (the raw token
    exists nowhere else). A page walk's stand-in world has none, and the walk skips it."""
    if not isinstance(w, World):
        return {"token": None}
    token = getattr(w, "friend_token", None)
    if token is None:
        asked = FriendRound.objects.create(
            owner=w.user,
            message=f"{SENTINEL} a note to friends",
            share_pay=True,
            share_scores=True,
        )
        asked.opportunities.add(w.opportunity, w.status_quo)
        token = new_token()
        FriendInvitation.objects.create(
            owner=w.user,
            round=asked,
            name="A friend",
            token_hash=hash_token(token),
            expires_at=timezone.now() + dt.timedelta(days=14),
        )
        w.friend_token = token
    return {"token": token}


def _calendar_feed(w: World) -> dict:
    """The world's calendar feed, turned on the first time it is asked for and its token
    kept on the world (the raw token exists nowhere else). A page walk's stand-in world
    has none, and the walk skips it."""
    if not isinstance(w, World):
        return {"token": None}
    token = getattr(w, "calendar_token", None)
    if token is None:
        token = issue_feed(user=w.user).token
        w.calendar_token = token
    return {"token": token}


def _friend_answer(w: World) -> dict:
    """What the friend's page sends: a rating, a comment, the gut answer and why."""
    row = f"o{w.opportunity.pk}-c{w.criterion.pk}"
    return {
        f"{row}-value": "6",
        f"{row}-comment": "n",
        f"o{w.opportunity.pk}-gut": "yes",
        f"o{w.opportunity.pk}-gut_reason": "r",
    }


def _round(w: World) -> dict:
    """The world's round of asking friends (None for a page walk's stand-in world)."""
    friend_round = getattr(w, "friend_round", None)
    return {"pk": friend_round.pk if friend_round is not None else None}


def _round_link(w: World) -> dict:
    link = getattr(w, "friend_link", None)
    return _round(w) | {"link_pk": link.pk if link is not None else None}


def _adopt(w: World) -> dict:
    return _round(w) | {"opportunity_pk": w.opportunity.pk, "criterion_pk": w.criterion.pk}


ENTRY_FORM = {
    "kind": "note",
    "happened_on": "2026-01-05",
    "title": "The mention",
    "body": "A post named the role.",
}
OPPORTUNITY_FORM = {
    "title": "A role",
    "source": "other",
    "arrangement": "employee",
    "schedule": "full_time",
    "stage": "lead",
}
COMPENSATION_FORM = {
    "arrangement": "contractor",
    "schedule": "full_time",
    "pay_basis": "hourly",
    "pay_amount": "55",
}
PERSON_FORM = {"name": "Ana", "relationship": "mentor", "follow_up_on": "2026-05-01"}
PAY_SETTINGS_FORM = {
    "currency": "EUR",
    "pay_floor": "30000",
    "pay_target": "70000",
    "full_time_hours_per_week": "40",
    "hours_per_day": "8",
    "billable_hours_per_year": "1800",
    "contractor_overhead_share": "25",
    "employee_benefits_share": "30",
    "employee_paid_time_off_days": "25",
}

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("opportunities:dashboard", ("GET",)),
    Endpoint("opportunities:opportunity_create", ("GET", "POST"), data=lambda w: OPPORTUNITY_FORM),
    Endpoint(
        "opportunities:opportunity_detail",
        ("GET",),
        kwargs=_opportunity,
        object_url=True,
        fragments=("score-summary",),
    ),
    Endpoint(
        "opportunities:opportunity_edit",
        ("GET", "POST"),
        kwargs=_opportunity,
        data=lambda w: OPPORTUNITY_FORM,
        object_url=True,
    ),
    Endpoint(
        "opportunities:opportunity_delete",
        ("GET", "POST"),
        kwargs=_opportunity,
        object_url=True,
        destructive=True,
    ),
    Endpoint(
        "opportunities:scores_save",
        ("POST",),
        kwargs=_opportunity,
        data=lambda w: {f"{w.criterion.pk}-value": "5"},
        object_url=True,
    ),
    Endpoint(
        "opportunities:score_save",
        ("POST",),
        kwargs=lambda w: {"pk": w.opportunity.pk, "criterion_pk": w.criterion.pk},
        data=lambda w: {f"{w.criterion.pk}-value": "5", f"{w.criterion.pk}-note": "n"},
        object_url=True,
    ),
    Endpoint(
        "opportunities:amount_save",
        ("POST",),
        kwargs=_number_criterion,
        data=lambda w: {
            f"{_number_criterion(w)['criterion_pk']}-amount": "40",
            f"{_number_criterion(w)['criterion_pk']}-note": "n",
        },
        object_url=True,
    ),
    Endpoint(
        "opportunities:compensation",
        ("GET", "POST"),
        kwargs=_opportunity,
        data=lambda w: COMPENSATION_FORM,
        object_url=True,
    ),
    Endpoint(
        "opportunities:use_derived_score",
        ("POST",),
        kwargs=lambda w: {
            "pk": w.opportunity.pk,
            "criterion_pk": Criterion.objects.get(owner=w.user, kind="pay").pk,
        },
        object_url=True,
    ),
    Endpoint("opportunities:pay_settings", ("GET", "POST"), data=lambda w: PAY_SETTINGS_FORM),
    Endpoint(
        "opportunities:stage_move",
        ("POST",),
        kwargs=_opportunity,
        data=lambda w: {"stage": "applied"},
        object_url=True,
    ),
    Endpoint("opportunities:opportunity_archive", ("POST",), kwargs=_opportunity, object_url=True),
    Endpoint("opportunities:opportunity_restore", ("POST",), kwargs=_opportunity, object_url=True),
    Endpoint(
        "opportunities:opportunity_duplicate", ("POST",), kwargs=_opportunity, object_url=True
    ),
    Endpoint(
        "opportunities:opportunity_reopen",
        ("POST",),
        kwargs=_opportunity,
        data=lambda w: {"stage": "interviewing"},
        object_url=True,
    ),
    Endpoint(
        "opportunities:checkpoint_create",
        ("GET", "POST"),
        kwargs=_opportunity,
        data=lambda w: {"label": "after talking to friends"},
        object_url=True,
    ),
    Endpoint(
        "opportunities:checkpoint_detail",
        ("GET",),
        kwargs=lambda w: {"pk": w.opportunity.pk, "checkpoint_pk": w.checkpoint.pk},
        object_url=True,
    ),
    Endpoint(
        "opportunities:decision_create",
        ("GET", "POST"),
        kwargs=_opportunity,
        data=lambda w: {
            "choice": "decline",
            "decided_on": "2026-04-01",
            "confidence": "70",
            "gut_check": "yes",
            "alternatives": [w.status_quo.pk],
        },
        object_url=True,
    ),
    Endpoint("opportunities:story", ("GET",), kwargs=_opportunity, object_url=True),
    Endpoint(
        "opportunities:story_entry_add",
        ("GET", "POST"),
        kwargs=_opportunity,
        data=lambda w: ENTRY_FORM,
        object_url=True,
        fragments=("story-add",),
    ),
    Endpoint(
        "opportunities:story_entry_edit",
        ("GET", "POST"),
        kwargs=_entry,
        data=lambda w: ENTRY_FORM,
        object_url=True,
    ),
    Endpoint(
        "opportunities:story_entry_delete",
        ("GET", "POST"),
        kwargs=_entry,
        object_url=True,
        destructive=True,
    ),
    Endpoint(
        "opportunities:question_add",
        ("GET", "POST"),
        kwargs=_opportunity,
        data=lambda w: {"text": "How fast do people grow there?", "criterion": w.criterion.pk},
        object_url=True,
    ),
    Endpoint(
        "opportunities:question_answer",
        ("GET", "POST"),
        kwargs=_question,
        data=lambda w: {"answer": "Fast.", "answered_on": "2026-03-02"},
        object_url=True,
    ),
    Endpoint(
        "opportunities:question_delete",
        ("GET", "POST"),
        kwargs=_question,
        object_url=True,
        destructive=True,
    ),
    Endpoint("opportunities:journal", ("GET",), fragments=("journal-entries",)),
    Endpoint("opportunities:priorities", ("GET",)),
    Endpoint("opportunities:judgement", ("GET",)),
    Endpoint(
        "opportunities:decision_detail",
        ("GET",),
        kwargs=lambda w: {"pk": w.decision.pk},
        object_url=True,
    ),
    Endpoint(
        "opportunities:check_in",
        ("GET", "POST"),
        kwargs=_check_in,
        data=lambda w: {"glad": "6", "how_it_goes": "Fine.", "done_on": "2026-06-03"},
        object_url=True,
    ),
    Endpoint(
        "opportunities:commit_step",
        ("GET", "POST"),
        kwargs=lambda w: {"pk": w.decision.pk},
        data=lambda w: {
            "information": "weak",
            "premortem_1_reason": "r",
            "forecast_1_template": "glad_6m",
            "forecast_1_probability": "70",
        },
        object_url=True,
    ),
    Endpoint(
        "opportunities:outcome_edit",
        ("GET", "POST"),
        kwargs=lambda w: {"pk": w.decision.pk},
        data=lambda w: {"outcome": "not_selected", "reflection": "learned"},
        object_url=True,
    ),
    Endpoint(
        "opportunities:compare",
        ("GET",),
        # The two options weighed "In money and hours" (weights.queries.money) ride along.
        query=lambda w: {
            "ids": w.ids,
            "money_a": w.ids.split(",")[-1],
            "money_b": w.ids.split(",")[0],
        },
        fragments=("comparison", "money-check"),
    ),
    Endpoint("opportunities:compare_open", ("GET",)),
    Endpoint("opportunities:compare_export", ("GET",), query=lambda w: {"ids": w.ids}),
    Endpoint(
        "opportunities:compare_weights",
        ("POST",),
        data=lambda w: {"ids": w.ids, f"w{w.criterion.pk}": "3"},
    ),
    Endpoint(
        "opportunities:swing",
        ("GET", "POST"),
        query=lambda w: {"ids": w.ids},
        data=lambda w: {
            "ids": w.ids,
            "order": str(w.criterion.pk),
            f"r{w.criterion.pk}": "100",
            "action": "keep",
        },
    ),
    Endpoint(
        "opportunities:swing_preview",
        ("POST",),
        data=lambda w: {"ids": w.ids, "order": str(w.criterion.pk), f"r{w.criterion.pk}": "90"},
    ),
    Endpoint(
        "opportunities:compare_gut_ranking",
        ("POST",),
        data=lambda w: {
            "ids": w.ids,
            f"place-{w.opportunity.pk}": "2",
            f"place-{w.status_quo.pk}": "1",
        },
    ),
    Endpoint(
        "opportunities:friend_page",
        ("GET", "POST"),
        kwargs=_friend_link,
        data=_friend_answer,
    ),
    Endpoint("opportunities:friends", ("GET",), query=lambda w: {"page": "2"}),
    Endpoint(
        "opportunities:friends_round_create",
        ("GET", "POST"),
        query=lambda w: {"opportunity": w.opportunity.pk} if w.opportunity.pk else {},
        data=lambda w: {
            "ids": str(w.opportunity.pk),
            "message": "What do you think?",
            "share_description": "on",
            "share_meanings": "on",
            "share_pay": "",
            "share_scores": "",
            "form_token": "",
        },
    ),
    Endpoint("opportunities:friends_round", ("GET",), kwargs=_round, object_url=True),
    Endpoint(
        "opportunities:friends_invite",
        ("POST",),
        kwargs=_round,
        data=lambda w: {
            "person": str(w.person.pk),
            "name": "Ana",
            "email": "ana@example.org",
            "days": "14",
            "send_email": "on",
        },
        object_url=True,
    ),
    Endpoint(
        "opportunities:friends_link_reissue",
        ("POST",),
        kwargs=_round_link,
        data=lambda w: {"days": "7", "send_email": "on"},
        object_url=True,
    ),
    Endpoint("opportunities:friends_link_revoke", ("POST",), kwargs=_round_link, object_url=True),
    Endpoint("opportunities:friends_round_close", ("POST",), kwargs=_round, object_url=True),
    Endpoint("opportunities:friends_round_reopen", ("POST",), kwargs=_round, object_url=True),
    Endpoint(
        "opportunities:friends_round_delete",
        ("GET", "POST"),
        kwargs=_round,
        object_url=True,
        destructive=True,
    ),
    Endpoint(
        "opportunities:friends_adopt",
        ("POST",),
        kwargs=_adopt,
        data=lambda w: {"median": "6"},
        object_url=True,
    ),
    Endpoint("opportunities:help", ("GET",)),
    Endpoint("opportunities:calendar_settings", ("GET", "POST"), data=lambda w: {"action": "on"}),
    Endpoint("opportunities:calendar_feed", ("GET",), kwargs=_calendar_feed),
    # With a card's edit fields drawn open; htmx asks for them alone as its details open.
    Endpoint(
        "opportunities:criteria",
        ("GET",),
        query=lambda w: {"edit": w.criterion.pk},
        fragments=("edit-fields",),
    ),
    Endpoint(
        "opportunities:criterion_add", ("POST",), data=lambda w: {"name": "Commute", "weight": "3"}
    ),
    Endpoint(
        "opportunities:criterion_update",
        ("POST",),
        kwargs=_criterion,
        data=lambda w: {"name": "Renamed", "weight": "4"},
        object_url=True,
    ),
    Endpoint(
        "opportunities:criterion_weight",
        ("POST",),
        kwargs=_criterion,
        data=lambda w: {"weight": "2"},
        object_url=True,
    ),
    Endpoint(
        "opportunities:criterion_move",
        ("POST",),
        kwargs=_criterion,
        data=lambda w: {"direction": "down"},
        object_url=True,
    ),
    Endpoint("opportunities:criterion_archive", ("POST",), kwargs=_criterion, object_url=True),
    Endpoint("opportunities:criterion_restore", ("POST",), kwargs=_criterion, object_url=True),
    Endpoint(
        "opportunities:criterion_curve",
        ("GET", "POST"),
        kwargs=_pay_criterion,
        data=lambda w: CURVE_FORM,
        object_url=True,
    ),
    Endpoint(
        "opportunities:criterion_curve_preview",
        ("POST",),
        kwargs=_pay_criterion,
        data=lambda w: CURVE_FORM,
        object_url=True,
    ),
    Endpoint("opportunities:people", ("GET",)),
    Endpoint("opportunities:person_create", ("GET", "POST"), data=lambda w: PERSON_FORM),
    Endpoint(
        "opportunities:person_detail",
        ("GET",),
        kwargs=_person,
        query=lambda w: {"page": "2"},
        object_url=True,
    ),
    Endpoint(
        "opportunities:person_edit",
        ("GET", "POST"),
        kwargs=_person,
        data=lambda w: PERSON_FORM,
        object_url=True,
    ),
    Endpoint(
        "opportunities:person_delete",
        ("GET", "POST"),
        kwargs=_person,
        object_url=True,
        destructive=True,
    ),
    Endpoint("opportunities:person_follow_up_done", ("POST",), kwargs=_person, object_url=True),
    Endpoint(
        "opportunities:opportunity_follow_up_done",
        ("POST",),
        kwargs=_opportunity,
        data=lambda w: {"back": "dashboard"},
        object_url=True,
    ),
    Endpoint("password_change", ("GET", "POST")),
    Endpoint("password_change_done", ("GET",)),
    Endpoint("account", ("GET",)),
    Endpoint("account_email", ("POST",), data=lambda w: {"email": "someone@example.org"}),
    Endpoint("export_json", ("GET",)),
    Endpoint("export_csv", ("GET",), kwargs=lambda w: {"table": "decisions"}),
    Endpoint("import_json", ("POST",)),
    Endpoint(
        "delete_account",
        ("POST",),
        data=lambda w: {"password": "a-long-test-password-7", "confirm": "DELETE"},
        destructive=True,
    ),
)

BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}


def url_names() -> set[str]:
    """Every named URL pattern, walked from the resolver."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in EXCLUDED_NAMESPACES:
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))
