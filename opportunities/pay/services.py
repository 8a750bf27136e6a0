"""Writes of comparable pay: an opportunity's compensation, the user's pay settings, and
the derived scores (Pay, the arrangement) that follow them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, Evaluation, Opportunity, Owner, Profile, Score
from opportunities.pay.queries import (
    COMPENSATION_FIELDS,
    Derivation,
    derivations,
    opportunity_pay,
    pay_criterion_of,
    pay_profile,
)
from opportunities.scoring.core import compute_decision_score, rated_live
from opportunities.scoring.services import STORED_RESULT_FIELDS, _store_result, live_evaluation


@transaction.atomic
def refresh_derived_scores(
    user: Owner,
    *,
    opportunities: Iterable[Opportunity] | None = None,
    criteria: list[Criterion] | None = None,
    profile: Profile | None = None,
) -> int:
    """Bring the derived scores (Pay, the arrangement) of live evaluations in line with
    their inputs, and the stored totals with them. Returns how many scores changed.

    Only ``opportunities`` are looked at when given, every live evaluation of the user
    otherwise. Scores set by hand (``overridden``) are left alone; a derived score with
    nothing left to derive it from goes back to unscored. The evaluations are locked
    as :func:`save_score` locks them, so a slider moved meanwhile is never overwritten.
    A fixed number of queries, however many opportunities there are; ``criteria`` (the
    user's active ones) and ``profile`` may be passed by a caller that has them.
    """
    if criteria is None:
        criteria = list(active_criteria(user))
    derived = [criterion for criterion in criteria if criterion.derived_from_offer]
    if not derived:
        return 0
    if profile is None:
        profile = pay_profile(user)
    queryset = (
        Evaluation.objects.for_user(user)
        .live()
        .select_related("opportunity")
        .select_for_update(of=("self",))
        .order_by("id")
    )
    if opportunities is not None:
        queryset = queryset.filter(opportunity__in=[o.pk for o in opportunities])
    evaluations = list(queryset)
    scores: dict[int, dict[int, Score]] = defaultdict(dict)
    for stored in Score.objects.filter(evaluation__in=evaluations):
        scores[stored.evaluation_id][stored.criterion_id] = stored

    now = timezone.now()
    created: list[Score] = []
    changed: list[Score] = []
    rescored: list[Evaluation] = []
    pay_criterion = pay_criterion_of(criteria)
    for evaluation in evaluations:
        derived_now = derivations(evaluation.opportunity, profile, pay_criterion=pay_criterion)
        own = scores[evaluation.id]
        touched = False
        for criterion in derived:
            value = derived_now[criterion.kind].value
            score = own.get(criterion.id)
            if score is None:
                if value is None:
                    continue
                score = Score(
                    owner_id=evaluation.owner_id,
                    evaluation=evaluation,
                    criterion=criterion,
                    value=value,
                )
                own[criterion.id] = score
                created.append(score)
            elif score.overridden or score.value == value:
                continue
            else:
                score.value = value
                low, high = score.low, score.high
                if value is None or low is None or high is None or not low <= value <= high:
                    score.low = score.high = None  # an "I'm unsure" range no longer around it
                score.updated_at = now
                changed.append(score)
            touched = True
        if touched:
            _store_result(evaluation, compute_decision_score(rated_live(criteria, own.values())))
            evaluation.updated_at = now
            rescored.append(evaluation)
    Score.objects.bulk_create(created)
    Score.objects.bulk_update(changed, ["value", "low", "high", "updated_at"])
    Evaluation.objects.bulk_update(rescored, STORED_RESULT_FIELDS)
    return len(created) + len(changed)


@transaction.atomic
def save_compensation(
    *,
    opportunity: Opportunity,
    profile: Profile | None = None,
    settings: Sequence[str] = (),
) -> int:
    """Save the compensation edited on ``opportunity``; its derived scores follow.

    Only the compensation fields are written, so an edit of the title or stage made
    meanwhile elsewhere is kept. ``settings`` names the pay settings edited on
    ``profile`` on the same page (the floor, target and preferences asked on a first
    pay entry): they are saved too, and then every derived score of the user follows.
    Returns how many derived scores changed.
    """
    opportunity.save(update_fields=[*COMPENSATION_FIELDS, "updated_at"])
    if settings:
        if profile is None:
            raise ValueError("settings to save need the profile they were edited on")
        return save_pay_settings(profile=profile, fields=settings)
    return refresh_derived_scores(
        opportunity.owner_id, opportunities=[opportunity], profile=profile
    )


@transaction.atomic
def save_pay_settings(*, profile: Profile, fields: Sequence[str] | None = None) -> int:
    """Save the user's pay settings and re-derive every derived score that depends on them.

    Only ``fields`` are written to settings already stored, when given, so a change
    made meanwhile to the others (in another tab) is kept. Returns how many scores
    changed.
    """
    if profile.pk is None:
        # The first save, unless another tab has just saved first: then update that row.
        profile.pk = (
            Profile.objects.filter(owner_id=profile.owner_id).values_list("pk", flat=True).first()
        )
    try:
        with transaction.atomic():
            profile.save(update_fields=None if profile.pk is None else fields)
    except IntegrityError:
        profile.pk = Profile.objects.get(owner_id=profile.owner_id).pk
        profile.save(force_update=True, update_fields=fields)
    # Saved in part, the profile in hand may not hold the rest as stored: read them back.
    return refresh_derived_scores(profile.owner_id, profile=profile if fields is None else None)


@transaction.atomic
def use_derived_score(*, opportunity: Opportunity, criterion: Criterion) -> Derivation:
    """Clear a score set by hand on a derived criterion: it follows its inputs again.

    Returns the derivation now in force (its value is None when there is nothing to
    derive it from yet, leaving the criterion unscored).
    """
    if not criterion.derived_from_offer:
        raise ValueError(
            f"{criterion.name!r} is not derived from the offer: it is scored by hand, or from "
            "its number"
        )
    evaluation = live_evaluation(opportunity, lock=True)
    Score.objects.filter(evaluation=evaluation, criterion=criterion).update(
        overridden=False, updated_at=timezone.now()
    )
    refresh_derived_scores(opportunity.owner_id, opportunities=[opportunity])
    # Only this criterion's derivation is read: it is all the curve lookup needs.
    return opportunity_pay(opportunity, criteria=[criterion]).derived[criterion.kind]
