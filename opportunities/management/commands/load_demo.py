"""Create the demo account with the story Crossroads was born from (idempotent).

The story runs over a year, with its real dates: an informational interview with a
founder in November; months later a mention on social media and an invitation to
interview for a part-time role; the interview; days of talking it over with friends, two of
whom (Sam and Priya) also score the role and its subcontractor variant through personal
links; "yes, I want it", weighed against staying as I am and against doing the same job as
a subcontractor; three days later someone else is hired; and what was learned. So a
newcomer sees a timeline, the people in it, the lineage from the informational interview
to the role, a variant, what friends said and what it would change, and a decision that
remembers its alternatives and what friends said then. (The friends' links expired long
ago; no token is shown or kept.)
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from opportunities.accounts.services import sign_up
from opportunities.compare.services import save_gut_ranking
from opportunities.criteria.services import update_criterion
from opportunities.journal.services import record_decision, update_outcome
from opportunities.management.demo_friends import ask_friends
from opportunities.management.demo_learning import learn_from
from opportunities.management.demo_ranges import (
    answered_at_the_interview,
    guess_before_the_interview,
    narrowed,
)
from opportunities.models import (
    Criterion,
    Decision,
    DecisionChoice,
    EntryKind,
    GutCheck,
    Opportunity,
    Outcome,
    Person,
    Profile,
    Relationship,
    TimelineEntry,
)
from opportunities.pay.services import save_compensation, save_pay_settings
from opportunities.people.services import create_person
from opportunities.pipeline.services import (
    create_opportunity,
    duplicate_as_variant,
    move_stage,
    update_opportunity,
)
from opportunities.scoring.services import save_checkpoint, save_score
from opportunities.timeline.services import add_entry
from opportunities.web.data_version import bumps_everyone

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "crossroads-demo"  # noqa: S105 - a published demo login, local use only

# Scores per criterion name, for each of the story's three options. Pay and "Employee vs.
# subcontractor" are left out: they are derived from each option's pay and arrangement
# under PAY_SETTINGS.
PAY_SETTINGS: dict[str, Any] = {
    "currency": "USD",
    "pay_floor": Decimal(30_000),
    "pay_target": Decimal(70_000),
    "employee_preference": 4,
    "contractor_preference": 9,
    "freelance_preference": 9,
}
STORY: list[dict[str, Any]] = [
    {
        "fields": {
            "title": "Part-time content strategist",
            "organisation": "Brightwater Marketing (fictional)",
            "contact": "The founder, met in an informational interview",
            "source": "informational_interview",
            "arrangement": "employee",
            "schedule": "part_time",
            "hours_per_week": Decimal(24),
            "workplace": "hybrid",
            "stage": "lead",
            "notes": (
                "Met the founder in an informational interview months ago. A mention on "
                "social media led them to my blog, and they invited me to interview."
            ),
            "pay_basis": "annual",
            "pay_amount": Decimal(42000),
            "benefits_percent": Decimal(10),
            "paid_time_off_days": Decimal(15),
        },
        "scores": {
            "Values fit": 8,
            "Personal growth": 7,
            "Professional development": 8,
            "Daily & weekly life": 6,
            "Gut feeling": 8,
        },
        # After the interview, before talking it over with friends (the first checkpoint).
        "first_impression": {
            "Values fit": 7,
            "Professional development": 6,
            "Daily & weekly life": 4,
            "Gut feeling": 6,
        },
    },
    {
        "fields": {
            "title": "Stay as I am",
            "organisation": "Freelance writing, a few clients",
            "source": "other",
            "arrangement": "freelance",
            "schedule": "part_time",
            "hours_per_week": Decimal(20),
            "workplace": "remote",
            "is_status_quo": True,
            "pay_basis": "hourly",
            "pay_amount": Decimal(60),
        },
        "scores": {
            "Values fit": 6,
            "Personal growth": 4,
            "Professional development": 4,
            "Daily & weekly life": 8,
            "Gut feeling": 5,
        },
    },
    {
        "fields": {
            "title": "Return to full-time freelancing",
            "organisation": "Own practice",
            "source": "direct_approach",
            "arrangement": "contractor",
            "schedule": "full_time",
            "workplace": "remote",
            "stage": "lead",
            "pay_basis": "hourly",
            "pay_amount": Decimal(65),
        },
        "scores": {
            "Values fit": 7,
            "Personal growth": 5,
            "Professional development": 5,
            "Daily & weekly life": 4,
            "Gut feeling": 5,
        },
    },
]


def _year_ago(today: date) -> int:
    """The year of the November the story starts in: last year's, so every date of the
    story has passed (and the outcome is at least a few months back)."""
    return today.year - 1


class Command(BaseCommand):
    help = "Create the demo user and the story from DESIGN.md. Safe to run repeatedly."

    @bumps_everyone
    def handle(self, *args, **options) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write("Demo data already loaded.")
        else:
            self._create()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}")

    @transaction.atomic
    def _create(self) -> None:
        user = sign_up(username=DEMO_USERNAME, password=DEMO_PASSWORD)
        save_pay_settings(profile=Profile(owner=user, **PAY_SETTINGS))
        criteria = {c.name: c for c in Criterion.objects.for_user(user)}
        daily_life = criteria["Daily & weekly life"]
        daily_life.minimum = 4
        update_criterion(criterion=daily_life)

        year = _year_ago(timezone.localdate())
        november, spring = date(year, 11, 12), date(year + 1, 3, 18)
        founder = create_person(
            user=user,
            person=Person(
                name="Maya Okafor (fictional)",
                relationship=Relationship.CONTACT,
                notes="Founder of Brightwater Marketing. Generous with her time.",
                follow_up_on=date(year + 2, 3, 1),
            ),
        )
        friend = create_person(
            user=user, person=Person(name="Sam", relationship=Relationship.FRIEND)
        )
        mentor = create_person(
            user=user,
            person=Person(name="Priya", relationship=Relationship.MENTOR, notes="Ex-agency."),
        )

        chat = create_opportunity(
            user=user,
            opportunity=Opportunity(
                title="Informational interview at Brightwater",
                organisation="Brightwater Marketing (fictional)",
                source="informational_interview",
                stage="informational_interview",
                arrangement="employee",
                arose_from_person=founder,
            ),
            contacts=[founder],
            happened_on=november,
        )
        self._entry(
            chat,
            EntryKind.MEETING,
            november,
            "Coffee with Maya",
            founder,
            "How she built the agency, what a content strategist does there, and "
            'that she might need one "one day".',
        )

        role_option, stay_option, freelance_option = STORY
        role = create_opportunity(
            user=user,
            opportunity=Opportunity(
                **role_option["fields"], arose_from=chat, arose_from_person=founder
            ),
            contacts=[founder],
            happened_on=spring,
        )
        self._entry(
            role,
            EntryKind.MESSAGE,
            spring,
            "A mention on social media",
            None,
            "Someone shared my post on content calendars; Maya read my blog.",
        )
        invited = date(year + 1, 4, 2)
        self._entry(
            role,
            EntryKind.MESSAGE,
            invited,
            "Invited to interview",
            founder,
            "Part-time, 24 hours a week, hybrid.",
        )
        move_stage(opportunity=role, stage="interviewing", happened_on=invited)
        guess_before_the_interview(role, criteria, invited=invited)
        interview = date(year + 1, 4, 9)
        self._entry(
            role,
            EntryKind.MEETING,
            interview,
            "The interview",
            founder,
            "It went well. I don't even really know what the job is day to day.",
        )
        answered_at_the_interview(role, interview=interview)
        for name, value in (role_option["scores"] | role_option["first_impression"]).items():
            save_score(
                opportunity=role, criterion=criteria[name], value=value, score_range=narrowed(name)
            )
        save_checkpoint(opportunity=role, label="After the interview", happened_on=interview)
        self._entry(
            role,
            EntryKind.CONVERSATION,
            date(year + 1, 4, 10),
            "Talked it over",
            friend,
            'Sam: "You light up when you talk about it."',
        )
        self._entry(
            role,
            EntryKind.CONVERSATION,
            date(year + 1, 4, 11),
            "Asked about agencies",
            mentor,
            "Priya on agency life: the hours are real, the learning too.",
        )
        for name, value in role_option["scores"].items():
            save_score(opportunity=role, criterion=criteria[name], value=value)
        save_checkpoint(
            opportunity=role, label="After talking to friends", happened_on=date(year + 1, 4, 12)
        )

        variant = duplicate_as_variant(opportunity=role, happened_on=date(year + 1, 4, 12))
        variant.title = "Part-time content strategist, as subcontractor"
        variant.arrangement = "contractor"
        update_opportunity(opportunity=variant, previous_stage=variant.stage)
        variant.pay_basis, variant.pay_amount = "hourly", Decimal(38)
        variant.benefits_percent = variant.paid_time_off_days = None
        save_compensation(opportunity=variant)

        stay = create_opportunity(
            user=user, opportunity=Opportunity(**stay_option["fields"]), happened_on=november
        )
        freelancing = create_opportunity(
            user=user,
            opportunity=Opportunity(**freelance_option["fields"]),
            happened_on=date(year + 1, 3, 1),
        )
        for opportunity, option in ((stay, stay_option), (freelancing, freelance_option)):
            for name, value in option["scores"].items():
                save_score(opportunity=opportunity, criterion=criteria[name], value=value)
        ask_friends(role, variant, people=[friend, mentor], criteria=criteria, year=year + 1)
        # By feel, before seeing the matrix: the role first, staying as I am last.
        save_gut_ranking(user=user, order=[role.pk, freelancing.pk, stay.pk])
        self._decide_and_look_back(
            role, alternatives=[stay, variant], year=year + 1, criteria=criteria
        )

    @staticmethod
    def _entry(
        opportunity: Opportunity,
        kind: str,
        day: date,
        title: str,
        person: Person | None,
        body: str = "",
    ) -> None:
        add_entry(
            opportunity=opportunity,
            entry=TimelineEntry(kind=kind, happened_on=day, title=title, person=person, body=body),
        )

    def _decide_and_look_back(
        self,
        opportunity: Opportunity,
        *,
        alternatives: list[Opportunity],
        year: int,
        criteria: dict[str, Criterion],
    ) -> None:
        """The end of the story: weigh it, decide to go for it, someone else is hired
        three days later, and it still counts as a success; the check-ins look back on it
        (``demo_learning``)."""
        decided = date(year, 4, 13)
        decision = record_decision(
            opportunity=opportunity,
            decision=Decision(
                choice=DecisionChoice.PURSUE,
                decided_on=decided,
                confidence=75,
                rationale=(
                    "After talking it over with friends: the values fit and what I would "
                    "learn outweigh the pay, and part-time leaves room for my own work."
                ),
                gut_check=GutCheck.YES,
                gut_check_reason="I wasn't looking for a job, and I still want this one.",
            ),
            alternatives=alternatives,
        )
        decision.outcome = Outcome.NOT_SELECTED
        decision.outcome_on = decided + timedelta(days=3)
        decision.reflection = (
            "Three days later the founder told me she had hired someone else. Still a "
            "success: weighing it showed me that values and growth matter more to me than "
            "pay, and that a part-time employee role could work alongside freelancing."
        )
        update_outcome(decision=decision, previous_outcome="")
        variant = next(o for o in alternatives if o.variant_of_id == opportunity.pk)
        move_stage(opportunity=variant, stage="not_selected", happened_on=decision.outcome_on)
        self._entry(
            opportunity,
            EntryKind.REFLECTION,
            decided + timedelta(days=7),
            "What I learned",
            None,
            "The thinking itself was the value. I may still work with Maya one day.",
        )
        learn_from(decision, criteria)
