"""The benchmark's dataset (``manage.py generate_bench_data``), built fast.

Every user gets criteria (the story's defaults first, some with a must-have minimum),
a profile, opportunities with compensation and a dated pipeline, a live evaluation,
checkpoints (each capturing the weights of its day) and decisions with outcomes. The
stored totals of every evaluation are computed by ``opportunities.scoring``, exactly
as the app computes them, so pages show the same numbers a real user would see.

Rows are written with ``bulk_create`` in a few dozen statements whatever the sizes.
All users share one password, hashed once with the configured (slow, production)
hasher and reused; nothing is weakened for speed. Besides the ``--users`` ordinary
users there is one user per ``--compare-sizes`` entry, holding exactly that many open
opportunities, so comparisons can be measured at several sizes, and one per
``--range-sizes`` entry likewise, a share of whose scores are unsure (a range around the
score: ``bench.uncertainty``), for the comparison with ranges. With
``--judgement-forecasts N``, one more user whose every decision has aged: commit steps,
N resolved forecasts and check-ins done (``bench.judgement``), for "How well I judge".
Each ordinary user also has a few people in their decisions, contacts of some of their
opportunities, one of which arose from someone, with conversations in the story
(``bench.people``), for the person's page.

``--manifest`` writes what the load generator needs (usernames, opportunity and
criterion ids) as JSON.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from bench.calendar import generate_feeds
from bench.checkins import check_in_targets
from bench.friends import AskedFriends, generate_friends
from bench.history import FINAL_STAGES, NOTES, STAGE_PATH, HistoryMixin
from bench.judgement import decisions_for, generate_judgement
from bench.numbers import generate_numbers
from bench.people import generate_people
from bench.uncertainty import generate_ranges
from opportunities.compare.core import GUT_RANKING_MAX, selection_key
from opportunities.criteria.services import DEFAULT_CRITERIA
from opportunities.models import (
    Arrangement,
    Criterion,
    GutRanking,
    Opportunity,
    PayBasis,
    Profile,
    Schedule,
    Source,
    Stage,
    Workplace,
)

DEFAULT_PASSWORD = "crossroads-bench-password"  # noqa: S105 - a throwaway benchmark database

EXTRA_CRITERIA = (
    ("Commute", "Time and money spent getting there."),
    ("Team", "The people you would work with every day."),
    ("Autonomy", "How much of the how and when is yours to decide."),
    ("Stability", "How likely it is to still be there in two years."),
    ("Mission", "Whether the organisation's purpose matters to you."),
    ("Flexibility", "Room to move hours and days around the rest of life."),
    ("Recognition", "Whether good work is seen and credited."),
    ("Learning budget", "Time and money set aside for learning."),
)

ROLES = (
    "Content strategist",
    "Product designer",
    "Backend engineer",
    "Editor",
    "Research lead",
    "Community manager",
    "Data analyst",
    "Consultant",
    "Technical writer",
    "Operations manager",
)
ORGANISATIONS = (
    "Brightwater Marketing",
    "Northwind Studio",
    "Harbour Health",
    "Lumen Books",
    "Fieldwork Co-op",
    "Cedar & Pine",
    "Open Atlas",
    "Kestrel Labs",
)


@dataclass(slots=True)
class Sizes:
    users: int
    opportunities: int
    criteria: int
    checkpoints: int
    decided_share: float
    compare_sizes: tuple[int, ...]
    range_sizes: tuple[int, ...] = ()
    story: int = 300
    judgement_forecasts: int = 0


@dataclass(slots=True)
class Generated:
    """What one user got, for the manifest."""

    username: str
    opportunities: list[int] = field(default_factory=list)
    criteria: list[int] = field(default_factory=list)
    with_checkpoints: list[int] = field(default_factory=list)
    storied: int | None = None
    friends: dict | None = None
    """The round of asking friends and its links (``bench.friends``)."""
    calendar: str | None = None
    """The token of the user's calendar feed (``bench.calendar``)."""
    number: int | None = None
    """The criterion measured as a number (``bench.numbers``)."""
    people: list[int] = field(default_factory=list)
    """The people in the user's decisions (``bench.people``)."""


class DatasetGenerator(HistoryMixin):
    """Builds every row in memory, then writes each table with a few bulk inserts."""

    BATCH = 2000

    def __init__(self, *, sizes: Sizes, prefix: str, password: str, rng: random.Random) -> None:
        self.sizes = sizes
        self.prefix = prefix
        self.password = password
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}
        self.with_checkpoints: set[int] = set()
        self.ordinary: set[int] = set()
        self.judging: set[int] = set()
        """The user whose decisions have aged (``bench.judgement``), if any."""
        self.storied: dict[int, int] = {}
        """Each ordinary user's opportunity with the long story."""
        self.friends: dict[int, AskedFriends] = {}
        self.feeds: dict[int, str] = {}
        """Each ordinary user's calendar feed token (``bench.calendar``)."""
        self.numbers: dict[int, int] = {}
        """Each ordinary user's criterion measured as a number (``bench.numbers``)."""
        self.people: dict[int, list[int]] = {}
        """Each ordinary user's people (``bench.people``)."""
        """Each ordinary user's round of asking friends."""

    @property
    def _ranging(self) -> int:
        """Where the users with unsure scores start, in the order they are created."""
        return self.sizes.users + len(self.sizes.compare_sizes)

    @property
    def _judging(self) -> int:
        """Where the user whose decisions have aged is, after those with unsure scores."""
        return self._ranging + len(self.sizes.range_sizes)

    def usernames(self) -> list[tuple[str, int]]:
        """(username, open opportunities) for every user to create."""
        width = len(str(self.sizes.users))
        ordinary = [
            (f"{self.prefix}-user-{n:0{width}d}", self.sizes.opportunities)
            for n in range(1, self.sizes.users + 1)
        ]
        comparing = [(f"{self.prefix}-compare-{size}", size) for size in self.sizes.compare_sizes]
        ranging = [(f"{self.prefix}-ranges-{size}", size) for size in self.sizes.range_sizes]
        judging = (
            [(f"{self.prefix}-judgement", decisions_for(self.sizes.judgement_forecasts))]
            if self.sizes.judgement_forecasts
            else []
        )
        return ordinary + comparing + ranging + judging

    @transaction.atomic
    def generate(self) -> dict:
        wanted = self.usernames()
        user_model = get_user_model()
        taken = list(
            user_model.objects.filter(username__in=[name for name, _ in wanted]).values_list(
                "username", flat=True
            )[:3]
        )
        if taken:
            raise CommandError(
                f"Users {', '.join(taken)}… already exist: use a fresh database or --prefix."
            )
        # Hashing is deliberately slow (that is its job): hash once, share the result.
        hashed = make_password(self.password)
        users = user_model.objects.bulk_create(
            [user_model(username=name, password=hashed) for name, _ in wanted],
            batch_size=self.BATCH,
        )
        Profile.objects.bulk_create(
            [
                Profile(
                    owner=user,
                    currency="EUR",
                    pay_floor=Decimal(self.rng.randrange(30, 50) * 1000),
                    pay_target=Decimal(self.rng.randrange(60, 90) * 1000),
                    employee_preference=self.rng.randint(3, 7),
                    contractor_preference=self.rng.randint(4, 9),
                    freelance_preference=self.rng.randint(4, 9),
                )
                for user in users
            ],
            batch_size=self.BATCH,
        )
        criteria_by_user = self._criteria(users)
        plans = [
            (user, criteria_by_user[user.pk], held)
            for user, (_, held) in zip(users, wanted, strict=True)
        ]
        self.ordinary = {user.pk for user in users[: self.sizes.users]}
        self.judging = {user.pk for user in users[self._judging :]}
        opportunities = self._opportunities(plans)
        self._history(opportunities, criteria_by_user)
        self._gut_rankings(users[self.sizes.users :], opportunities)
        self.counts |= generate_ranges(users=users[self._ranging : self._judging], rng=self.rng)
        for user in users[self._judging :]:
            self.counts |= generate_judgement(
                user=user, forecasts=self.sizes.judgement_forecasts, rng=self.rng, today=self.today
            )
        self.friends, counts = generate_friends(
            users=users[: self.sizes.users],
            opportunities=opportunities,
            criteria_by_user=criteria_by_user,
            avoid=set(self.storied.values()),
            rng=self.rng,
            now=self.now,
        )
        self.counts |= counts
        self.feeds, counts = generate_feeds(users[: self.sizes.users])
        self.counts |= counts
        ordinary = {user.pk for user in users[: self.sizes.users]}
        self.numbers = generate_numbers(
            {pk: criteria for pk, criteria in criteria_by_user.items() if pk in ordinary}
        )
        self.counts["number criteria"] = len(self.numbers)
        self.people, counts = generate_people(
            users=users[: self.sizes.users],
            opportunities=opportunities,
            avoid=set(self.storied.values()),
            rng=self.rng,
            today=self.today,
        )
        self.counts |= counts
        self.counts = {"users": len(users), **self.counts}
        return self._manifest(users, wanted, criteria_by_user, opportunities)

    # --- criteria --------------------------------------------------------------------------

    def _criteria(self, users) -> dict[int, list[Criterion]]:
        rows: list[Criterion] = []
        for user in users:
            for position in range(self.sizes.criteria):
                if position < len(DEFAULT_CRITERIA):
                    default = DEFAULT_CRITERIA[position]
                    criterion = default.build(owner=user, position=position)
                else:
                    name, description = EXTRA_CRITERIA[position - len(DEFAULT_CRITERIA)]
                    criterion = Criterion(
                        owner=user,
                        name=name,
                        description=description,
                        weight=self.rng.randint(2, 9),
                    )
                criterion.position = position
                if self.rng.random() < 0.15:
                    criterion.minimum = self.rng.randint(3, 5)
                rows.append(criterion)
        created = Criterion.objects.bulk_create(rows, batch_size=self.BATCH)
        self.counts["criteria"] = len(created)
        by_user: dict[int, list[Criterion]] = {}
        for criterion in created:
            by_user.setdefault(criterion.owner_id, []).append(criterion)
        return by_user

    # --- opportunities and their pipeline --------------------------------------------------

    def _opportunities(self, plans) -> list[Opportunity]:
        rows: list[Opportunity] = []
        for user, _, held in plans:
            for n in range(held):
                rows.append(self._opportunity(user, status_quo=n == 0))
            # A few archived ones besides: they stay in the journal, off the dashboard.
            for _ in range(held // 20):
                archived = self._opportunity(user, status_quo=False)
                archived.archived_at = self.now - timedelta(days=self.rng.randint(1, 300))
                rows.append(archived)
        created = Opportunity.objects.bulk_create(rows, batch_size=self.BATCH)
        self.counts["opportunities"] = len(created)
        return created

    def _opportunity(self, user, *, status_quo: bool) -> Opportunity:
        rng = self.rng
        if status_quo:
            return Opportunity(
                owner=user,
                title="Stay as I am",
                organisation="Freelance, a few clients",
                arrangement=Arrangement.FREELANCE,
                schedule=Schedule.PART_TIME,
                hours_per_week=Decimal(25),
                workplace=Workplace.REMOTE,
                stage=Stage.NOW,
                is_status_quo=True,
                pay_basis=PayBasis.HOURLY,
                pay_amount=Decimal(rng.randrange(40, 90)),
                currency="EUR",
            )
        arrangement = rng.choice(Arrangement.values)
        schedule = rng.choice(Schedule.values)
        opportunity = Opportunity(
            owner=user,
            title=rng.choice(ROLES),
            organisation=rng.choice(ORGANISATIONS),
            contact=rng.choice(("", "The founder", "A recruiter, by email", "A former colleague")),
            source=rng.choice(Source.values),
            arrangement=arrangement,
            schedule=schedule,
            hours_per_week=Decimal(rng.choice((16, 20, 24, 32)))
            if schedule == Schedule.PART_TIME
            else None,
            location=rng.choice(("", "Lyon", "Remote", "Berlin", "Lisbon")),
            workplace=rng.choice(Workplace.values),
            stage=rng.choice((*STAGE_PATH, *FINAL_STAGES)),
            notes=rng.choice(NOTES),
            currency="EUR",
        )
        if arrangement == Arrangement.EMPLOYEE:
            opportunity.pay_basis = PayBasis.ANNUAL
            opportunity.pay_amount = Decimal(rng.randrange(35, 95) * 1000)
            opportunity.benefits_percent = Decimal(rng.choice((0, 5, 10, 15)))
            opportunity.paid_time_off_days = Decimal(rng.choice((20, 25, 30)))
        else:
            opportunity.pay_basis = rng.choice((PayBasis.HOURLY, PayBasis.DAILY))
            opportunity.pay_amount = Decimal(
                rng.randrange(45, 120) if opportunity.pay_basis == PayBasis.HOURLY else 450
            )
            opportunity.overhead_share = Decimal("0.25")
        return opportunity

    # --- evaluations, checkpoints, decisions -----------------------------------------------

    def _gut_rankings(self, comparing_users, opportunities: list[Opportunity]) -> None:
        """The comparison users have ranked their whole selection by feel already (where it is
        small enough to be offered), so their comparison page shows the matrix at once."""
        open_ids: dict[int, list[int]] = {}
        for opportunity in opportunities:
            if opportunity.archived_at is None:
                open_ids.setdefault(opportunity.owner_id, []).append(opportunity.pk)
        rankings = []
        for user in comparing_users:
            ids = open_ids.get(user.pk, [])
            if 2 <= len(ids) <= GUT_RANKING_MAX:
                order = self.rng.sample(ids, len(ids))
                rankings.append(GutRanking(owner=user, selection=selection_key(ids), order=order))
        GutRanking.objects.bulk_create(rankings)
        self.counts["gut rankings"] = len(rankings)

    # --- manifest --------------------------------------------------------------------------

    def _manifest(self, users, wanted, criteria_by_user, opportunities) -> dict:
        generated = {user.pk: Generated(username=user.username) for user in users}
        for opportunity in opportunities:
            if opportunity.archived_at is None:
                generated[opportunity.owner_id].opportunities.append(opportunity.pk)
                if opportunity.pk in self.with_checkpoints:
                    generated[opportunity.owner_id].with_checkpoints.append(opportunity.pk)
        for user_id, criteria in criteria_by_user.items():
            generated[user_id].criteria = [criterion.pk for criterion in criteria]
        for user_id, opportunity_id in self.storied.items():
            generated[user_id].storied = opportunity_id
        for user_id, asked in self.friends.items():
            generated[user_id].friends = asked.as_dict()
        for user_id, token in self.feeds.items():
            generated[user_id].calendar = token
        for user_id, criterion_id in self.numbers.items():
            generated[user_id].number = criterion_id
        for user_id, people in self.people.items():
            generated[user_id].people = people
        ordinary = [generated[user.pk] for user in users[: self.sizes.users]]
        comparing = [generated[user.pk] for user in users[self.sizes.users : self._ranging]]
        ranging = [generated[user.pk] for user in users[self._ranging : self._judging]]
        judging = [generated[user.pk] for user in users[self._judging :]]
        return {
            "password": self.password,
            "sizes": {
                "users": self.sizes.users,
                "opportunities": self.sizes.opportunities,
                "criteria": self.sizes.criteria,
                "checkpoints": self.sizes.checkpoints,
                "decided": self.sizes.decided_share,
                "story": self.sizes.story,
            },
            "counts": self.counts,
            "users": [_as_dict(entry) for entry in ordinary],
            "compare": {
                str(size): _as_dict(entry)
                for size, entry in zip(self.sizes.compare_sizes, comparing, strict=True)
            },
            "ranges": {
                str(size): _as_dict(entry)
                for size, entry in zip(self.sizes.range_sizes, ranging, strict=True)
            },
            "judgement": {
                "username": entry.username,
                "forecasts": self.sizes.judgement_forecasts,
            }
            if (entry := next(iter(judging), None))
            else {},
            # What "Check-in submit" answers: the judging user's 12-month check-ins.
            "check_ins": check_in_targets(users[self._judging]) if judging else [],
        }


def _as_dict(entry: Generated) -> dict:
    return {
        "username": entry.username,
        "opportunities": entry.opportunities,
        "criteria": entry.criteria,
        "with_checkpoints": entry.with_checkpoints,
        "storied": entry.storied,
        "friends": entry.friends,
        "calendar": entry.calendar,
        "number": entry.number,
        "people": entry.people,
    }
