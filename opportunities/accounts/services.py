"""Writes to a whole account: signing up, importing an export into a fresh account,
deleting an account with everything in it."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from opportunities.accounts.queries import (
    ALTERNATIVE_FIELDS,
    CRITERION_FIELDS,
    DECISION_FIELDS,
    EVALUATION_FIELDS,
    FORMAT,
    OPPORTUNITY_FIELDS,
    PERSON_FIELDS,
    PROFILE_FIELDS,
    SCORE_FIELDS,
    STAGE_CHANGE_FIELDS,
    TIMELINE_FIELDS,
    VERSION,
)
from opportunities.criteria.services import create_default_criteria
from opportunities.journal.core import EARLIEST_DAY, REVISIT_YEARS_AHEAD, years_after
from opportunities.models import (
    Criterion,
    Decision,
    DecisionAlternative,
    Evaluation,
    GutRanking,
    Opportunity,
    Person,
    Profile,
    Score,
    StageChange,
    TimelineEntry,
)
from opportunities.models.limits import (
    MAX_ALTERNATIVES,
    MAX_CHECKPOINTS,
    MAX_CRITERIA,
    MAX_DECISIONS,
    MAX_GUT_RANKINGS,
    MAX_OPPORTUNITIES,
    MAX_PEOPLE,
    MAX_STAGE_CHANGES,
    MAX_TIMELINE_ENTRIES,
    control_character_problem,
)
from opportunities.pay.core import PayInputError
from opportunities.pay.queries import check_offer, check_settings
from opportunities.pipeline.core import stage_for

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


MAX_PROBLEMS_SHOWN = 5
"""A file that breaks the rules is refused whole; its first few problems are named."""


def read_export(raw: bytes) -> Any:
    """The JSON of an uploaded export, or ``ImportProblem`` saying why it cannot be read.

    Numbers too large to be real (``1e400``) and JSON's NaN and Infinity are refused
    here, as is nesting no export has (a parser recursing through ``[`` × 100,000 runs
    out of stack).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportProblem("That file is not readable JSON: it is not UTF-8 text.") from exc
    try:
        return json.loads(text, parse_float=_finite_number, parse_constant=_no_constant)
    except ImportProblem:
        raise
    except RecursionError as exc:
        raise ImportProblem(
            "That file nests lists or objects thousands of levels deep; an export nests "
            "five at most. It is not an export."
        ) from exc
    except ValueError as exc:
        raise ImportProblem("That file is not readable JSON.") from exc


def _finite_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ImportProblem(f"That file holds a number too large to be real ({text[:24]}).")
    return value


def _no_constant(name: str) -> float:
    raise ImportProblem(f"That file holds {name}, which is not a number Crossroads keeps.")


class _Refused(ValueError):
    """One value of the file breaks a rule; the message says which."""


class _Problems:
    """Every rule the file breaks, each with where: the file is refused whole."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, where: str, why: str) -> None:
        self.found.append(f"{where}: {why}")

    def refuse_if_any(self) -> None:
        if not self.found:
            return
        shown = self.found[:MAX_PROBLEMS_SHOWN]
        more = len(self.found) - len(shown)
        listed = " ".join(
            f"({n}) {problem.rstrip('.')}." for n, problem in enumerate(shown, start=1)
        )
        tail = f" And {more} more." if more else ""
        raise ImportProblem(
            f"Nothing was imported: the file breaks {len(self.found)} rule"
            f"{'s' if len(self.found) != 1 else ''} Crossroads keeps. {listed}{tail}"
        )


_INTEGERS = {
    "IntegerField",
    "SmallIntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}
_TEXT = {"CharField", "TextField"}
_FAR_FUTURE_FIELDS = {"revisit_on", "follow_up_on"}
"""Dates that may lie ahead (a revisit, a follow-up); every other date in an export has
happened."""


def _date_range(field: str) -> tuple[date, date]:
    today = timezone.localdate()
    if field in _FAR_FUTURE_FIELDS:
        return EARLIEST_DAY, years_after(today, REVISIT_YEARS_AHEAD)
    return EARLIEST_DAY, today + timedelta(days=1)  # a day's grace for time zones


def _convert(model: type[Model], field: str, value: Any) -> Any:
    """Turn a JSON value back into what the model field holds, by the rules the forms
    keep: whole numbers where whole numbers go, finite numbers, text without control
    characters, dates from 2000 to today (a revisit up to five years ahead)."""
    model_field = model._meta.get_field(field)
    if value is None:
        if not model_field.null:
            raise _Refused("cannot be empty")
        return None
    internal = model_field.get_internal_type()
    if internal in _INTEGERS:
        if type(value) is not int:
            raise _Refused("is not a whole number")
        return value
    if internal == "FloatField":
        if type(value) not in (int, float) or not math.isfinite(value):
            raise _Refused("is not a number")
        return value
    if internal == "BooleanField":
        if type(value) is not bool:
            raise _Refused("is neither true nor false")
        return value
    if internal in _TEXT:
        if not isinstance(value, str):
            raise _Refused("is not text")
        if problem := control_character_problem(value):
            raise _Refused(problem)
        return value
    if internal == "DecimalField":
        if type(value) not in (int, float, str):
            raise _Refused("is not a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise _Refused("is not a number") from exc
        if not number.is_finite():
            raise _Refused("is not a number")
        return number
    if internal in ("DateTimeField", "DateField"):
        return _convert_day(field, value, with_time=internal == "DateTimeField")
    return value


def _convert_day(field: str, value: Any, *, with_time: bool) -> date | datetime:
    try:
        parsed = (parse_datetime if with_time else parse_date)(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise _Refused("is not a readable date")
    day = parsed
    if isinstance(parsed, datetime):
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, UTC)
        try:
            day = parsed.astimezone(UTC).date()
        except OverflowError as exc:  # 9999-12-31T23:00-05:00 is in year 10000
            raise _Refused("is dated out of any sense") from exc
    earliest, latest = _date_range(field)
    if not earliest <= day <= latest:
        raise _Refused(
            f"is dated {day.isoformat()}; dates run from {earliest.isoformat()} "
            f"to {latest.isoformat()}"
        )
    return parsed


def _build[M: Model](
    model: type[M],
    data: Any,
    fields: list[str],
    *,
    where: str,
    problems: _Problems,
    **extra: Any,
) -> M | None:
    """The row ``data`` as an unsaved ``model``, validated as a form would; None (with
    its problems noted) when it breaks a rule."""
    if not isinstance(data, dict):
        problems.add(where, "is not an object")
        return None
    values: dict[str, Any] = {}
    broken = False
    for name in fields:
        if name not in data:
            continue
        try:
            values[name] = _convert(model, name, data[name])
        except _Refused as refused:
            problems.add(f"{where}, {name}", str(refused))
            broken = True
    if broken:
        return None
    instance = model(**values, **extra)
    try:
        instance.full_clean(exclude=[*extra, *(f"{k[:-3]}" for k in extra if k.endswith("_id"))])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            problems.add(where if name == NON_FIELD_ERRORS else f"{where}, {name}", messages[0])
        return None
    return instance


def _rows(
    data: dict[str, Any],
    key: str,
    *,
    where: str,
    limit: int,
    problems: _Problems,
    required: bool = True,
) -> list[Any]:
    """The list under ``key``, refused when it is missing (and ``required``), is not a
    list, or holds more than ``limit``."""
    if key not in data and required:
        problems.add(where, f"“{key}” is missing: the file is incomplete or damaged")
        return []
    rows = data.get(key, [])
    if not isinstance(rows, list):
        problems.add(where, f"“{key}” is not a list")
        return []
    if len(rows) > limit:
        problems.add(where, f"{len(rows):,} {key.replace('_', ' ')}; Crossroads keeps {limit:,}")
        return []
    return rows


def _ref(value: Any) -> int | None:
    """An id that links rows within the file: a whole number, or None."""
    return value if type(value) is int else None


@transaction.atomic
def import_user_data(user: User, data: Any) -> dict[str, int]:
    """Rebuild an export in ``user``'s account, all or nothing.

    Only an account without opportunities can take an import (its untouched default
    criteria are replaced), so nothing is ever merged or overwritten by accident. Every
    row passes the rules the forms keep (``_convert``, the models' own validation, pay's
    checks) and the account limits (``models.limits``); a file that breaks any is refused
    whole, naming its first few problems.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportProblem("This is not a Crossroads export file.")
    if data.get("version") != VERSION:
        version = str(data.get("version"))[:20]
        raise ImportProblem(f"This export has version {version}; Crossroads reads version 1.")
    for key in ("criteria", "opportunities"):
        if not isinstance(data.get(key), list):
            raise ImportProblem(
                f"The file is incomplete or damaged: its “{key}” are missing or not a list."
            )
    if Opportunity.objects.for_user(user).exists():
        raise ImportProblem(
            "Import only works into an account with no opportunities yet, so nothing is "
            "merged or overwritten. Create a fresh account and import there."
        )
    problems = _Problems()
    try:
        with transaction.atomic():
            counts = _import(user, data, problems)
            problems.refuse_if_any()  # rolls back whatever was written
    except ImportProblem:
        raise
    except IntegrityError as exc:
        raise ImportProblem(
            "The file contradicts itself (for example two status quo opportunities, or two "
            "active criteria with the same name)."
        ) from exc
    return counts


@dataclass
class _Links:
    """What the file's ids became, to rebuild the links between its rows. A row that was
    refused maps to None: what refers to it is skipped without a second note."""

    criteria: dict[int, Criterion | None] = field(default_factory=dict)
    people: dict[int, Person | None] = field(default_factory=dict)
    opportunities: dict[int, Opportunity] = field(default_factory=dict)
    evaluations: dict[int, Evaluation | None] = field(default_factory=dict)
    lineage: list[tuple[Opportunity, dict[str, Any], str]] = field(default_factory=list)
    alternatives: list[tuple[Decision, Any, str]] = field(default_factory=list)

    def person(self, value: Any, *, where: str, problems: _Problems) -> tuple[bool, int | None]:
        """(found, id) of the person a row names; (False, None) noted as a problem."""
        if value is None:
            return True, None
        key = _ref(value)
        if key not in self.people:
            problems.add(where, "refers to a person who is not in the file")
            return False, None
        found = self.people[key]
        return found is not None, found.pk if found is not None else None


def _import(user: User, data: dict[str, Any], problems: _Problems) -> dict[str, int]:
    Criterion.objects.for_user(user).filter(scores__isnull=True).delete()
    Profile.objects.for_user(user).delete()
    profile = Profile(owner_id=user.pk)
    if data.get("profile") is not None:
        built = _build(
            Profile,
            data["profile"],
            PROFILE_FIELDS,
            where="pay settings",
            problems=problems,
            owner_id=user.pk,
        )
        if built is not None:
            try:
                check_settings(built)
            except PayInputError as error:
                problems.add(f"pay settings, {error.field}", str(error))
            else:
                built.save()
                profile = built

    links = _Links(
        criteria=_import_keyed(
            user,
            Criterion,
            _rows(data, "criteria", where="the file", limit=MAX_CRITERIA, problems=problems),
            CRITERION_FIELDS,
            noun="criterion",
            problems=problems,
        ),
        people=_import_keyed(
            user,
            Person,
            _rows(
                data,
                "people",
                where="the file",
                limit=MAX_PEOPLE,
                problems=problems,
                required=False,
            ),
            PERSON_FIELDS,
            noun="person",
            problems=problems,
        ),
    )

    counts = {"opportunities": 0, "evaluations": 0, "scores": 0, "decisions": 0}
    rows = _rows(
        data, "opportunities", where="the file", limit=MAX_OPPORTUNITIES, problems=problems
    )
    for n, item in enumerate(rows, start=1):
        where = f"opportunity {n}"
        opportunity = _build(
            Opportunity,
            item,
            OPPORTUNITY_FIELDS,
            where=where,
            problems=problems,
            owner_id=user.pk,
        )
        key = _ref(item.get("id")) if isinstance(item, dict) else None
        if key is None:
            problems.add(where, "has no whole-number id")
        if opportunity is None or key is None:
            continue
        try:
            check_offer(opportunity, profile)
        except PayInputError as error:
            problems.add(f"{where}, {error.field}", str(error))
            continue
        # The status quo is at "now", whatever an export from before said (pipeline.core).
        opportunity.stage = stage_for(opportunity.stage, is_status_quo=opportunity.is_status_quo)
        _, opportunity.arose_from_person_id = links.person(
            item.get("arose_from_person"), where=f"{where}, arose_from_person", problems=problems
        )
        contacts = item.get("contacts", [])
        if not isinstance(contacts, list) or len(contacts) > MAX_PEOPLE:
            problems.add(f"{where}, contacts", "is not a list of people")
            continue
        opportunity.save()
        contact_ids = [
            pk
            for ok, pk in (
                links.person(c, where=f"{where}, contacts", problems=problems) for c in contacts
            )
            if ok and pk is not None
        ]
        if contact_ids:
            opportunity.contacts.set(contact_ids)
        links.opportunities[key] = opportunity
        links.lineage.append((opportunity, item, where))
        counts["opportunities"] += 1
        _import_history(user, item, opportunity, links, counts, where=where, problems=problems)

    _link_lineage(links, problems)
    _link_alternatives(user, links, problems)

    rows = _rows(
        data,
        "gut_rankings",
        where="the file",
        limit=MAX_GUT_RANKINGS,
        problems=problems,
        required=False,
    )
    opportunity_ids = {key: o.pk for key, o in links.opportunities.items()}
    for n, ranking in enumerate(rows, start=1):
        order = ranking.get("order") if isinstance(ranking, dict) else None
        if not isinstance(order, list) or any(_ref(i) is None for i in order):
            problems.add(f"gut ranking {n}", "its order is not a list of ids")
            continue
        if any(i not in opportunity_ids for i in order):
            continue  # a ranking of opportunities deleted before the export
        new_order = [opportunity_ids[i] for i in order]
        GutRanking.objects.create(
            owner_id=user.pk,
            selection="-".join(str(i) for i in sorted(new_order)),
            order=new_order,
        )
    return counts


def _import_keyed[M: Model](
    user: User,
    model: type[M],
    rows: list[Any],
    fields: list[str],
    *,
    noun: str,
    problems: _Problems,
) -> dict[int, M | None]:
    """Rows that others refer to by id (criteria, people), saved; each file id mapped to
    its new row, or to None when the row was refused."""
    keyed: dict[int, M | None] = {}
    for n, item in enumerate(rows, start=1):
        where = f"{noun} {n}"
        row = _build(model, item, fields, where=where, problems=problems, owner_id=user.pk)
        key = _ref(item.get("id")) if isinstance(item, dict) else None
        if key is None:
            problems.add(where, "has no whole-number id")
            continue
        if row is not None:
            row.save()
        keyed[key] = row
    return keyed


def _link_lineage(links: _Links, problems: _Problems) -> None:
    """What each opportunity arose from, and which it is a variant of: the file's ids
    become the new ones once every opportunity is in."""
    for opportunity, item, where in links.lineage:
        changed = []
        for name in ("arose_from", "variant_of"):
            value = item.get(name)
            if value is None:
                continue
            target = links.opportunities.get(_ref(value) or -1)
            if target is None or target.pk == opportunity.pk:
                problems.add(f"{where}, {name}", "refers to an opportunity that is not in the file")
                continue
            setattr(opportunity, f"{name}_id", target.pk)
            changed.append(name)
        if changed:
            opportunity.save(update_fields=changed)


def _link_alternatives(user: User, links: _Links, problems: _Problems) -> None:
    """The options each decision was weighed against, each with its frozen checkpoint
    (which may belong to any opportunity of the file)."""
    rows: list[DecisionAlternative] = []
    for decision, alternatives, where in links.alternatives:
        if not isinstance(alternatives, list) or len(alternatives) > MAX_ALTERNATIVES:
            problems.add(f"{where}, alternatives", "is not a list of alternatives")
            continue
        for k, data in enumerate(alternatives, start=1):
            at = f"{where}, alternative {k}"
            if not isinstance(data, dict):
                problems.add(at, "is not an object")
                continue
            key = _ref(data.get("evaluation"))
            if key not in links.evaluations:
                problems.add(at, "refers to an evaluation that is not in the file")
                continue
            frozen = links.evaluations[key]
            if frozen is None:
                continue  # refused, and said so
            target = data.get("opportunity")
            option = links.opportunities.get(_ref(target) or -1) if target is not None else None
            alternative = _build(
                DecisionAlternative,
                data,
                ALTERNATIVE_FIELDS,
                where=at,
                problems=problems,
                owner_id=user.pk,
                decision_id=decision.pk,
                opportunity_id=option.pk if option is not None else None,
                evaluation_id=frozen.pk,
            )
            if alternative is not None:
                rows.append(alternative)
    DecisionAlternative.objects.bulk_create(rows)


def _import_history(
    user: User,
    item: dict[str, Any],
    opportunity: Opportunity,
    links: _Links,
    counts: dict[str, int],
    *,
    where: str,
    problems: _Problems,
) -> None:
    """An opportunity's stage changes, evaluations with their scores, decisions and
    timeline."""
    changes: dict[int, StageChange | None] = {}
    rows = _rows(item, "stage_changes", where=where, limit=MAX_STAGE_CHANGES, problems=problems)
    for m, change_data in enumerate(rows, start=1):
        change = _build(
            StageChange,
            change_data,
            STAGE_CHANGE_FIELDS,
            where=f"{where}, stage change {m}",
            problems=problems,
            owner_id=user.pk,
            opportunity_id=opportunity.pk,
        )
        if change is not None:
            change.save()
        key = _ref(change_data.get("id")) if isinstance(change_data, dict) else None
        if key is not None:
            changes[key] = change

    own_evaluations: set[int] = set()
    rows = _rows(item, "evaluations", where=where, limit=MAX_CHECKPOINTS + 1, problems=problems)
    for m, evaluation_data in enumerate(rows, start=1):
        at = f"{where}, evaluation {m}"
        evaluation = _build(
            Evaluation,
            evaluation_data,
            EVALUATION_FIELDS,
            where=at,
            problems=problems,
            owner_id=user.pk,
            opportunity_id=opportunity.pk,
        )
        key = _ref(evaluation_data.get("id")) if isinstance(evaluation_data, dict) else None
        if key is None:
            problems.add(at, "has no whole-number id")
        else:
            links.evaluations[key] = evaluation
            own_evaluations.add(key)
        if evaluation is None or key is None:
            continue
        evaluation.save()
        counts["evaluations"] += 1
        scores = []
        score_rows = _rows(
            evaluation_data, "scores", where=at, limit=MAX_CRITERIA, problems=problems
        )
        for k, score_data in enumerate(score_rows, start=1):
            ref = _ref(score_data.get("criterion")) if isinstance(score_data, dict) else None
            if ref not in links.criteria:
                problems.add(f"{at}, score {k}", "refers to a criterion that is not in the file")
                continue
            scored = links.criteria[ref]
            if scored is None:
                continue  # its criterion was refused, and said so
            score = _build(
                Score,
                score_data,
                SCORE_FIELDS,
                where=f"{at}, score {k}",
                problems=problems,
                owner_id=user.pk,
                evaluation_id=evaluation.pk,
                criterion_id=scored.pk,
            )
            if score is not None:
                scores.append(score)
        Score.objects.bulk_create(scores)
        counts["scores"] += len(scores)

    decisions: dict[int, Decision | None] = {}
    rows = _rows(item, "decisions", where=where, limit=MAX_DECISIONS, problems=problems)
    for m, decision_data in enumerate(rows, start=1):
        at = f"{where}, decision {m}"
        key = _ref(decision_data.get("evaluation")) if isinstance(decision_data, dict) else None
        if key not in own_evaluations:
            problems.add(at, "refers to an evaluation that is not in the file")
            continue
        based_on = links.evaluations[key] if key is not None else None
        if based_on is None:
            continue  # its evaluation was refused, and said so
        decision = _build(
            Decision,
            decision_data,
            DECISION_FIELDS,
            where=at,
            problems=problems,
            owner_id=user.pk,
            opportunity_id=opportunity.pk,
            evaluation_id=based_on.pk,
        )
        if decision is not None:
            decision.save()
            counts["decisions"] += 1
            links.alternatives.append((decision, decision_data.get("alternatives", []), at))
        own = _ref(decision_data.get("id"))
        if own is not None:
            decisions[own] = decision

    _import_timeline(
        user,
        item,
        opportunity,
        links,
        changes,
        decisions,
        own_evaluations,
        where=where,
        problems=problems,
    )


def _import_timeline(
    user: User,
    item: dict[str, Any],
    opportunity: Opportunity,
    links: _Links,
    changes: dict[int, StageChange | None],
    decisions: dict[int, Decision | None],
    own_evaluations: set[int],
    *,
    where: str,
    problems: _Problems,
) -> None:
    """An opportunity's dated story; what an entry records must be the opportunity's own."""
    rows = _rows(
        item, "timeline", where=where, limit=MAX_TIMELINE_ENTRIES, problems=problems, required=False
    )
    entries = []
    for m, data in enumerate(rows, start=1):
        at = f"{where}, timeline entry {m}"
        if not isinstance(data, dict):
            problems.add(at, "is not an object")
            continue
        found, person_id = links.person(data.get("person"), where=at, problems=problems)
        refs: dict[str, int | None] = {"person_id": person_id}
        broken = not found
        for name, rows_by_id in (("stage_change", changes), ("decision", decisions)):
            value = data.get(name)
            if value is None:
                refs[f"{name}_id"] = None
                continue
            key = _ref(value)
            if key is None or key not in rows_by_id:
                problems.add(at, f"refers to a {name.replace('_', ' ')} that is not in the file")
                broken = True
                continue
            target = rows_by_id[key]
            broken = broken or target is None
            refs[f"{name}_id"] = target.pk if target is not None else None
        value = data.get("evaluation")
        refs["evaluation_id"] = None
        if value is not None:
            key = _ref(value)
            if key not in own_evaluations:
                problems.add(at, "refers to an evaluation that is not in the file")
                broken = True
            else:
                frozen = links.evaluations[key] if key is not None else None
                broken = broken or frozen is None
                refs["evaluation_id"] = frozen.pk if frozen is not None else None
        entry = _build(
            TimelineEntry,
            data,
            TIMELINE_FIELDS,
            where=at,
            problems=problems,
            owner_id=user.pk,
            opportunity_id=opportunity.pk,
            **refs,
        )
        if entry is not None and not broken:
            entries.append(entry)
    TimelineEntry.objects.bulk_create(entries)
