"""Reads of the opportunities themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from opportunities.models import FINAL_STAGES, Evaluation, Opportunity, Owner, Stage, StageChange
from opportunities.pay.core import ComparablePay
from opportunities.pay.queries import comparable_pay_by_opportunity
from opportunities.people.core import Step
from opportunities.people.queries import origin_chains
from opportunities.pipeline.core import group_variants, stage_before_closing
from opportunities.web.page_cache import fresh_uuid


@dataclass(frozen=True, slots=True)
class OpenOpportunity:
    """One line of the dashboard: an open opportunity, its live evaluation (the stored
    total and counts) and its comparable pay."""

    opportunity: Opportunity
    evaluation: Evaluation | None
    pay: ComparablePay
    origin: tuple[Step, ...] = ()
    """Where it came from, nearest first ("from …"): see ``people.core.origin_chain``."""
    variants: tuple[int, ...] = ()
    """The open variants of the same job it is listed with (its own id included), in the
    order listed; empty when it has none open."""

    @property
    def is_variant(self) -> bool:
        """Listed under the first of its variants, rather than heading them."""
        return bool(self.variants) and self.variants[0] != self.opportunity.pk

    @property
    def variant_ids(self) -> str:
        """The variants as the comparison's ``?ids=`` takes them: ``3,7``."""
        return ",".join(str(pk) for pk in self.variants)


def open_opportunities(user: Owner) -> list[OpenOpportunity]:
    """The user's open opportunities, in three queries however many there are (and one
    more for where they came from, when any of them arose from something)."""
    opportunities = list(
        Opportunity.objects.for_user(user)
        .filter(archived_at__isnull=True)
        .exclude(stage__in=FINAL_STAGES)
    )
    # What prefetch_related("evaluations") would read, without its machinery per row.
    live = {
        evaluation.opportunity_id: evaluation
        for evaluation in Evaluation.objects.live().filter(opportunity__in=opportunities)
    }
    pay = comparable_pay_by_opportunity(user, opportunities)
    origins = origin_chains(user, opportunities)
    # The variants of one job are listed together, under the first of them.
    grouped = group_variants(opportunities, key=_pk, root=_variant_of)
    return [
        OpenOpportunity(
            opportunity=row.item,
            evaluation=live.get(row.key),
            pay=pay[row.key],
            origin=origins.get(row.key, ()),
            variants=row.group,
        )
        for row in grouped
    ]


def _pk(opportunity: Opportunity) -> int:
    return opportunity.pk


def _variant_of(opportunity: Opportunity) -> int | None:
    return opportunity.variant_of_id


def opportunity_count(user: Owner) -> int:
    """How many opportunities the user has, archived ones too (the limit counts them)."""
    return Opportunity.objects.for_user(user).count()


def archived_opportunities(user: Owner) -> list[Opportunity]:
    return list(
        Opportunity.objects.for_user(user)
        .filter(archived_at__isnull=False)
        .order_by("-archived_at", "-pk")
    )


@dataclass(frozen=True, slots=True)
class ClosedOpportunity:
    """One line of the dashboard's closed list: an opportunity whose stage is final, and
    the stage "Reopen" takes it back to (the one it left to close)."""

    opportunity: Opportunity
    reopen_at: str

    @property
    def reopen_at_label(self) -> str:
        return str(Stage(self.reopen_at).label)


def closed_and_archived(user: Owner) -> tuple[list[ClosedOpportunity], list[Opportunity]]:
    """The opportunities off the open list: closed ones (a final stage), most recently
    closed first, and archived ones, in one query (and one more for where reopening would
    take the closed ones, when there are any)."""
    put_away = list(
        Opportunity.objects.for_user(user)
        .filter(Q(archived_at__isnull=False) | Q(stage__in=FINAL_STAGES))
        .order_by("-archived_at", "-updated_at", "-pk")
    )
    closed = [o for o in put_away if o.archived_at is None]
    archived = [o for o in put_away if o.archived_at is not None]
    return _with_reopen_stage(closed), archived


def _with_reopen_stage(closed: list[Opportunity]) -> list[ClosedOpportunity]:
    if not closed:
        return []
    steps: dict[int, list[tuple[str, str]]] = {o.pk: [] for o in closed}
    for opportunity_id, from_stage, to_stage in StageChange.objects.filter(
        opportunity__in=list(steps)
    ).values_list("opportunity_id", "from_stage", "to_stage"):
        steps[opportunity_id].append((from_stage, to_stage))
    return [
        ClosedOpportunity(
            opportunity=opportunity,
            reopen_at=stage_before_closing(
                steps[opportunity.pk], current=opportunity.stage, final=FINAL_STAGES
            ),
        )
        for opportunity in closed
    ]


OPEN_STAGES = tuple(
    (value, label)
    for value, label in Stage.choices
    if value != Stage.NOW and value not in FINAL_STAGES
)
"""The stages an opportunity is open at, which reopening one offers."""

MOVE_STAGES = tuple((value, label) for value, label in Stage.choices if value != Stage.NOW)
"""The stages an opportunity can be moved to: all but the status quo's "now"."""


def variant_group(opportunity: Opportunity) -> list[Opportunity]:
    """``opportunity`` and the other variants of the same job, the first one first; just
    itself when it has none. One query."""
    root = opportunity.variant_of_id or opportunity.pk
    return list(
        Opportunity.objects.for_user(opportunity.owner_id)
        .filter(Q(pk=root) | Q(variant_of_id=root))
        .only("title", "organisation", "stage", "archived_at", "variant_of_id", "is_status_quo")
        .order_by("created_at", "pk")
    )


def opportunity_pipeline(opportunity: Opportunity) -> dict[str, Any]:
    """What the opportunity's page shows of its pipeline: the stages it can move to, its
    variants (and the comparison of those still open), and, once it is closed, the stage
    reopening takes it back to. Two queries at most (the variants; the steps, if closed)."""
    variants = variant_group(opportunity)
    comparable = [o for o in variants if o.archived_at is None]
    reopen_at = ""
    if opportunity.is_closed:
        steps = StageChange.objects.filter(opportunity=opportunity).values_list(
            "from_stage", "to_stage"
        )
        reopen_at = stage_before_closing(steps, current=opportunity.stage, final=FINAL_STAGES)
    return {
        "stages": MOVE_STAGES,
        "open_stages": OPEN_STAGES,
        "reopen_at": reopen_at,
        "variants": variants if len(variants) > 1 else [],
        "variant_ids": ",".join(str(o.pk) for o in comparable) if len(comparable) > 1 else "",
        "variant_token": fresh_uuid(),
    }
