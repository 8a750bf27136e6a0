"""A believable account to look at: the README screenshots and the layout checks use it.

Built through the services, like the app builds its own data, so what is on screen is what
a real user would see after a week of thinking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from opportunities.compare.services import save_gut_ranking
from opportunities.criteria.queries import active_criteria
from opportunities.criteria.services import create_default_criteria
from opportunities.friends.services import (
    OpportunityAnswer,
    Rating,
    add_link,
    create_round,
    save_answers,
)
from opportunities.journal.services import record_decision
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
    CriterionKind,
    Decision,
    Evaluation,
    FriendRound,
    Opportunity,
    Person,
    Question,
    TimelineEntry,
)
from opportunities.questions.services import ask_question
from opportunities.scoring.amounts import save_amount
from opportunities.scoring.services import save_checkpoint, save_score
from tests.factories import OpportunityFactory, UserFactory


@dataclass
class Scene:
    user: object
    strategist: Opportunity
    studio: Opportunity
    status_quo: Opportunity
    checkpoint: Evaluation
    decision: Decision

    @property
    def ids(self) -> str:
        return f"{self.strategist.pk},{self.studio.pk},{self.status_quo.pk}"

    @property
    def entry(self) -> TimelineEntry:
        """The strategist's first entry written by hand (a conversation with Ana)."""
        return (
            TimelineEntry.objects.filter(opportunity=self.strategist, kind__in=WRITTEN_BY_HAND)
            .order_by("pk")
            .first()
        )

    @property
    def friend_round(self) -> FriendRound:
        """The round asking Jo and Lee about the strategist role and the studio."""
        return FriendRound.objects.filter(owner=self.user).order_by("pk").first()

    @property
    def question(self) -> Question:
        """The open question about the strategist role (see ``build_scene``)."""
        return Question.objects.filter(opportunity=self.strategist).order_by("pk").first()

    @property
    def check_in(self) -> CheckIn:
        """The decision's check-in 3 months on (scheduled with the decision)."""
        return CheckIn.objects.get(decision=self.decision, kind="3m")

    @property
    def person(self) -> Person:
        """Ana, whom the strategist role came through (see ``_add_people``)."""
        return Person.objects.filter(owner=self.user).order_by("pk").first()

    @property
    def pay_criterion(self) -> Criterion:
        """Pay, whose value curve has its own page (no pay scale in the scene)."""
        return Criterion.objects.get(owner=self.user, kind="pay")

    @property
    def commute(self) -> Criterion:
        """The number criterion of the scene (see ``_add_commute``)."""
        return Criterion.objects.get(owner=self.user, name="Commute")


def _add_people(user, strategist: Opportunity) -> None:
    """Ana, the founder the role came through, and Jo, the friend it was talked over with."""
    ana = Person.objects.create(
        owner=user,
        name="Ana Ribeiro",
        relationship="contact",
        email="ana@northwind.example",
        notes="Founder of Northwind. We met for an informational interview in November.",
        follow_up_on=timezone.localdate() + dt.timedelta(days=60),
    )
    jo = Person.objects.create(owner=user, name="Jo", relationship="friend")
    strategist.contacts.add(ana, jo)
    Opportunity.objects.filter(pk=strategist.pk).update(arose_from_person=ana)
    today = timezone.localdate()
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                owner=user,
                opportunity=strategist,
                person=ana,
                kind="conversation",
                happened_on=today - dt.timedelta(days=9),
                title="Call with Ana about the part-time role",
                body="She described the first three months and the hours: 24 a week, two days "
                "in the office.",
            ),
            TimelineEntry(
                owner=user,
                opportunity=strategist,
                person=jo,
                kind="conversation",
                happened_on=today - dt.timedelta(days=5),
                title="Talked it over with Jo",
            ),
        ]
    )


def _score(opportunity: Opportunity, criteria, values: dict[str, int | None], notes=None) -> None:
    notes = notes or {}
    for criterion in criteria:
        if criterion.name in values:
            save_score(
                opportunity=opportunity,
                criterion=criterion,
                value=values[criterion.name],
                note=notes.get(criterion.name, ""),
            )


# What two friends said about the strategist role and the studio: per criterion a score
# (or "?" for "I can't say") and a comment, then their gut answer and why.
FRIENDS_SAID = {
    "Jo": (
        {"Values fit": (9, "It is what you already write about."), "Personal growth": (5, "")},
        ("yes", "You lit up describing the founder."),
        {"Values fit": (4, ""), "Daily & weekly life": (3, "Contract weeks run long.")},
        ("no", "You left agencies for a reason."),
    ),
    "Lee": (
        {"Values fit": (8, ""), "Personal growth": (4, "A small team: who would you learn from?")},
        ("unsure", "Ask about the team before you decide."),
        {"Values fit": ("?", "I don't know the studio."), "Daily & weekly life": (5, "")},
        ("unsure", ""),
    ),
}


def _ask_friends(user, criteria, strategist: Opportunity, studio: Opportunity) -> None:
    by_name = {c.name: c for c in criteria}
    friend_round = create_round(
        user=user,
        friend_round=FriendRound(message="Which of these would you take in my place?"),
        opportunity_ids=[strategist.pk, studio.pk],
    )
    for name, (on_role, gut_role, on_studio, gut_studio) in FRIENDS_SAID.items():
        link = add_link(friend_round=friend_round, name=name, send_email=False)
        save_answers(
            invitation=link.invitation,
            answers=[
                OpportunityAnswer(
                    opportunity_id=option.pk,
                    gut=gut[0],
                    gut_reason=gut[1],
                    ratings=tuple(
                        Rating(
                            criterion_id=by_name[criterion].pk,
                            value=None if value == "?" else value,
                            cant_say=value == "?",
                            comment=comment,
                        )
                        for criterion, (value, comment) in said.items()
                    ),
                )
                for option, said, gut in (
                    (strategist, on_role, gut_role),
                    (studio, on_studio, gut_studio),
                )
            ],
            now=timezone.now(),
        )


def _add_commute(user, strategist: Opportunity, studio: Opportunity) -> None:
    """A criterion measured as a number: minutes of commute a day (90 scores 0, 10 scores
    10), 35 on the strategist's role; the studio's not typed yet."""
    commute = Criterion.objects.create(
        owner=user,
        name="Commute",
        description="Door to door, both ways.",
        low_meaning="0 = 90 minutes or more",
        high_meaning="10 = 10 minutes or less",
        kind=CriterionKind.NUMBER,
        unit="minutes a day",
        worst=Decimal(90),
        best=Decimal(10),
        weight=4,
        position=20,
    )
    save_amount(opportunity=strategist, criterion=commute, amount=Decimal(35))


def build_scene() -> Scene:
    user = UserFactory(username="sam")
    create_default_criteria(user)
    criteria = list(active_criteria(user))
    by_name = {c.name: c for c in criteria}
    by_name["Daily & weekly life"].minimum = 5
    by_name["Daily & weekly life"].save(update_fields=["minimum"])

    strategist = OpportunityFactory(
        owner=user,
        title="Part-time content strategist",
        organisation="Northwind Marketing",
        source="informational_interview",
        arrangement="employee",
        schedule="part_time",
        hours_per_week=Decimal("24"),
        stage="interviewing",
        pay_basis="annual",
        pay_amount=Decimal("52000"),
        currency="USD",
    )
    studio = OpportunityFactory(
        owner=user,
        title="Brand designer (contract)",
        organisation="Fabrikam Studio",
        source="referral",
        arrangement="contractor",
        schedule="full_time",
        stage="applied",
        pay_basis="hourly",
        pay_amount=Decimal("68"),
        currency="USD",
    )
    status_quo = OpportunityFactory(
        owner=user,
        title="Stay as I am",
        organisation="Freelancing",
        arrangement="freelance",
        schedule="part_time",
        hours_per_week=Decimal("30"),
        is_status_quo=True,
    )
    _score(
        strategist,
        criteria,
        {"Values fit": 8, "Personal growth": 6, "Professional development": 7, "Gut feeling": 6},
        {"Values fit": "The founder's blog is close to what I write about."},
    )
    checkpoint = save_checkpoint(opportunity=strategist, label="After the first call")
    _score(
        strategist,
        criteria,
        {"Values fit": 9, "Daily & weekly life": 7, "Gut feeling": 8},
        {"Gut feeling": "Talked it over with friends: I want this."},
    )
    _score(
        studio,
        criteria,
        {
            "Values fit": 5,
            "Personal growth": 7,
            "Professional development": 8,
            "Daily & weekly life": 4,
            "Gut feeling": 5,
        },
    )
    _score(
        status_quo,
        criteria,
        {
            "Values fit": 7,
            "Personal growth": 5,
            "Professional development": 4,
            "Daily & weekly life": 9,
            "Gut feeling": 6,
        },
    )
    save_gut_ranking(user=user, order=[strategist.pk, status_quo.pk, studio.pk])
    _ask_friends(user, criteria, strategist, studio)
    decision = record_decision(
        opportunity=strategist,
        decision=Decision(
            choice="pursue",
            decided_on=timezone.localdate() - dt.timedelta(days=3),
            confidence=75,
            rationale="It fits my values and leaves room for the freelance work I built up.",
            gut_check="yes",
            gut_check_reason="I felt relieved when the score came out on top.",
        ),
        alternatives=[status_quo, studio],
    )
    save_commit_step(
        decision=decision,
        step=CommitStep(
            answers={"frame": "strong", "information": "weak", "values": "ok"},
            door="two_way",
            change_cost="A month's notice, and the two clients I would have to let go of",
            premortem=[
                PremortemItem("The founder's plans change and the part-time role with them", False),
                PremortemItem("I say yes to every extra project and lose my freelance days", True),
            ],
            kill_criteria=[
                KillItem(
                    "I still have no project of my own",
                    decision.decided_on + dt.timedelta(days=120),
                )
            ],
            forecasts=[
                ForecastItem("I'm still glad I did it at 6 months", 80, "glad_6m"),
                ForecastItem("I'm home for dinner at least four days a week", 65),
            ],
        ),
    )
    _add_people(user, strategist)
    ask_question(
        opportunity=strategist,
        criterion=next(c for c in criteria if c.name == "Daily & weekly life"),
        text="What would the day-to-day actually be?",
    )
    _add_commute(user, strategist, studio)
    return Scene(user, strategist, studio, status_quo, checkpoint, decision)
