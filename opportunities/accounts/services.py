"""Writes to a whole account: signing up, importing an export into a fresh account,
deleting an account with everything in it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.dateparse import parse_date, parse_datetime

from opportunities.accounts.queries import (
    CRITERION_FIELDS,
    DECISION_FIELDS,
    EVALUATION_FIELDS,
    FORMAT,
    OPPORTUNITY_FIELDS,
    PROFILE_FIELDS,
    SCORE_FIELDS,
    STAGE_CHANGE_FIELDS,
    VERSION,
)
from opportunities.criteria.services import create_default_criteria
from opportunities.models import (
    Criterion,
    Decision,
    Evaluation,
    GutRanking,
    Opportunity,
    Profile,
    Score,
    StageChange,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024


@transaction.atomic
def sign_up(*, username: str, password: str, email: str = "") -> User:
    """A new account, given the default criteria so its owner can start scoring at once.
    The email address (optional) is where reminders to revisit a decision are sent."""
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    create_default_criteria(user)
    return user


def change_email(*, user: User, email: str) -> User:
    """Send reminders to ``email`` from now on; an empty one means the dashboard only."""
    user.email = BaseUserManager.normalize_email(email.strip())
    user.save(update_fields=["email"])
    return user


def delete_account(*, user: User) -> None:
    """Delete the account and everything it owns: every row carries its owner, and
    deleting the owner cascades to all of them (scores' criteria included)."""
    user.delete()


class ImportProblem(ValueError):
    """The file cannot be imported; the message says why in plain words."""


def _convert(model: type[Model], field: str, value: Any) -> Any:
    """Turn a JSON value back into what the model field holds, validating it."""
    model_field = model._meta.get_field(field)
    if value is None:
        if not model_field.null:
            raise ImportProblem(f"{model.__name__}.{field} cannot be empty.")
        return None
    internal = model_field.get_internal_type()
    try:
        if internal == "DecimalField":
            return Decimal(str(value))
        if internal == "DateTimeField":
            parsed = parse_datetime(str(value))
            if parsed is None:
                raise ValueError
            return parsed
        if internal == "DateField":
            parsed_date = parse_date(str(value))
            if parsed_date is None:
                raise ValueError
            return parsed_date
    except (ValueError, InvalidOperation) as exc:
        raise ImportProblem(f"{model.__name__}.{field} has an unreadable value.") from exc
    return value


def _build[M: Model](model: type[M], data: dict[str, Any], fields: list[str], **extra: Any) -> M:
    if not isinstance(data, dict):
        raise ImportProblem(f"An entry in {model._meta.verbose_name_plural} is not an object.")
    values = {f: _convert(model, f, data[f]) for f in fields if f in data}
    instance = model(**values, **extra)
    instance.full_clean(exclude=[*extra, *(f"{k[:-3]}" for k in extra if k.endswith("_id"))])
    return instance


@transaction.atomic
def import_user_data(user: User, data: Any) -> dict[str, int]:
    """Rebuild an export in ``user``'s account, all or nothing.

    Only an account without opportunities can take an import (its untouched default
    criteria are replaced), so nothing is ever merged or overwritten by accident.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportProblem("This is not a Crossroads export file.")
    if data.get("version") != VERSION:
        raise ImportProblem(f"This export has version {data.get('version')!r}; expected 1.")
    if Opportunity.objects.for_user(user).exists():
        raise ImportProblem(
            "Import only works into an account with no opportunities yet, so nothing is "
            "merged or overwritten. Create a fresh account and import there."
        )
    try:
        return _import(user, data)
    except ImportProblem:
        raise
    except ValidationError as exc:
        raise ImportProblem("The file has invalid values: " + "; ".join(exc.messages)) from exc
    except IntegrityError as exc:
        raise ImportProblem(
            "The file contradicts itself (for example two status quo opportunities, or two "
            "active criteria with the same name)."
        ) from exc
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ImportProblem("The file is incomplete or damaged.") from exc


def _import(user: User, data: dict[str, Any]) -> dict[str, int]:
    Criterion.objects.for_user(user).filter(scores__isnull=True).delete()
    Profile.objects.for_user(user).delete()
    if data.get("profile"):
        _build(Profile, data["profile"], PROFILE_FIELDS, owner_id=user.pk).save()

    criteria: dict[int, Criterion] = {}
    for item in data["criteria"]:
        criterion = _build(Criterion, item, CRITERION_FIELDS, owner_id=user.pk)
        criterion.save()
        criteria[int(item["id"])] = criterion

    opportunity_ids: dict[int, int] = {}
    counts = {"opportunities": 0, "evaluations": 0, "scores": 0, "decisions": 0}
    for item in data["opportunities"]:
        opportunity = _build(Opportunity, item, OPPORTUNITY_FIELDS, owner_id=user.pk)
        opportunity.save()
        opportunity_ids[int(item["id"])] = opportunity.pk
        counts["opportunities"] += 1
        StageChange.objects.bulk_create(
            _build(
                StageChange,
                change,
                STAGE_CHANGE_FIELDS,
                owner_id=user.pk,
                opportunity_id=opportunity.pk,
            )
            for change in item["stage_changes"]
        )
        evaluation_ids: dict[int, Evaluation] = {}
        for evaluation_data in item["evaluations"]:
            evaluation = _build(
                Evaluation,
                evaluation_data,
                EVALUATION_FIELDS,
                owner_id=user.pk,
                opportunity_id=opportunity.pk,
            )
            evaluation.save()
            evaluation_ids[int(evaluation_data["id"])] = evaluation
            counts["evaluations"] += 1
            scores = []
            for score_data in evaluation_data["scores"]:
                scored = criteria.get(int(score_data["criterion"]))
                if scored is None:
                    raise ImportProblem("A score refers to a criterion that is not in the file.")
                scores.append(
                    _build(
                        Score,
                        score_data,
                        SCORE_FIELDS,
                        owner_id=user.pk,
                        evaluation_id=evaluation.pk,
                        criterion_id=scored.pk,
                    )
                )
            Score.objects.bulk_create(scores)
            counts["scores"] += len(scores)
        for decision_data in item["decisions"]:
            based_on = evaluation_ids.get(int(decision_data["evaluation"]))
            if based_on is None:
                raise ImportProblem("A decision refers to an evaluation that is not in the file.")
            _build(
                Decision,
                decision_data,
                DECISION_FIELDS,
                owner_id=user.pk,
                opportunity_id=opportunity.pk,
                evaluation_id=based_on.pk,
            ).save()
            counts["decisions"] += 1

    for ranking in data.get("gut_rankings", []):
        old_ids = [int(i) for i in ranking["order"]]
        if any(i not in opportunity_ids for i in old_ids):
            continue  # a ranking of opportunities deleted before the export
        new_order = [opportunity_ids[i] for i in old_ids]
        GutRanking.objects.create(
            owner_id=user.pk,
            selection="-".join(str(i) for i in sorted(new_order)),
            order=new_order,
        )
    return counts
