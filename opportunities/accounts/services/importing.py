"""Importing an export into a fresh account, all or nothing: the rows others refer to
(criteria, people), every opportunity with its past (``history``), then the links between
opportunities (lineage, variants), decisions' alternatives, gut rankings, the rounds
of questions put to friends with their answers, and the versions of the weights."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Model

from opportunities.accounts.queries import (
    ALTERNATIVE_FIELDS,
    CRITERION_FIELDS,
    FORMAT,
    OPPORTUNITY_FIELDS,
    PERSON_FIELDS,
    PROFILE_FIELDS,
    VERSION,
)
from opportunities.accounts.services.history import Links, import_history
from opportunities.accounts.services.reading import (
    ImportProblem,
    Problems,
    build_row,
    file_id,
    list_of,
)
from opportunities.accounts.services.rounds import import_friend_rounds
from opportunities.accounts.services.weights import import_weight_versions
from opportunities.models import (
    Criterion,
    DecisionAlternative,
    GutRanking,
    Opportunity,
    Person,
    Profile,
)
from opportunities.models.limits import (
    MAX_ALTERNATIVES,
    MAX_CRITERIA,
    MAX_GUT_RANKINGS,
    MAX_OPPORTUNITIES,
    MAX_PEOPLE,
)
from opportunities.pay.core import PayInputError
from opportunities.pay.queries import check_offer, check_settings
from opportunities.pipeline.core import stage_for


@transaction.atomic
def import_user_data(user: User, data: Any) -> dict[str, int]:
    """Rebuild an export in ``user``'s account, all or nothing.

    Only an account without opportunities can take an import (its untouched default
    criteria are replaced), so nothing is ever merged or overwritten by accident. Every
    row passes the rules the forms keep (``reading``, the models' own validation, pay's
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
    problems = Problems()
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


def _import(user: User, data: dict[str, Any], problems: Problems) -> dict[str, int]:
    Criterion.objects.for_user(user).filter(scores__isnull=True).delete()
    Profile.objects.for_user(user).delete()
    profile = Profile(owner_id=user.pk)
    if data.get("profile") is not None:
        built = build_row(
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

    links = Links(
        criteria=_import_keyed(
            user,
            Criterion,
            list_of(data, "criteria", where="the file", limit=MAX_CRITERIA, problems=problems),
            CRITERION_FIELDS,
            noun="criterion",
            problems=problems,
        ),
        people=_import_keyed(
            user,
            Person,
            list_of(
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
    rows = list_of(
        data, "opportunities", where="the file", limit=MAX_OPPORTUNITIES, problems=problems
    )
    for n, item in enumerate(rows, start=1):
        where = f"opportunity {n}"
        opportunity = build_row(
            Opportunity,
            item,
            OPPORTUNITY_FIELDS,
            where=where,
            problems=problems,
            owner_id=user.pk,
        )
        key = file_id(item.get("id")) if isinstance(item, dict) else None
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
        import_history(user, item, opportunity, links, counts, where=where, problems=problems)

    _link_lineage(links, problems)
    _link_alternatives(user, links, problems)

    rows = list_of(
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
        if not isinstance(order, list) or any(file_id(i) is None for i in order):
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
    import_friend_rounds(user, data, links, problems)
    import_weight_versions(user, data, links, problems)
    return counts


def _import_keyed[M: Model](
    user: User,
    model: type[M],
    rows: list[Any],
    fields: list[str],
    *,
    noun: str,
    problems: Problems,
) -> dict[int, M | None]:
    """Rows that others refer to by id (criteria, people), saved; each file id mapped to
    its new row, or to None when the row was refused."""
    keyed: dict[int, M | None] = {}
    for n, item in enumerate(rows, start=1):
        where = f"{noun} {n}"
        row = build_row(model, item, fields, where=where, problems=problems, owner_id=user.pk)
        key = file_id(item.get("id")) if isinstance(item, dict) else None
        if key is None:
            problems.add(where, "has no whole-number id")
            continue
        if row is not None:
            row.save()
        keyed[key] = row
    return keyed


def _link_lineage(links: Links, problems: Problems) -> None:
    """What each opportunity arose from, and which it is a variant of: the file's ids
    become the new ones once every opportunity is in."""
    for opportunity, item, where in links.lineage:
        changed = []
        for name in ("arose_from", "variant_of"):
            value = item.get(name)
            if value is None:
                continue
            target = links.opportunities.get(file_id(value) or -1)
            if target is None or target.pk == opportunity.pk:
                problems.add(f"{where}, {name}", "refers to an opportunity that is not in the file")
                continue
            setattr(opportunity, f"{name}_id", target.pk)
            changed.append(name)
        if changed:
            opportunity.save(update_fields=changed)


def _link_alternatives(user: User, links: Links, problems: Problems) -> None:
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
            key = file_id(data.get("evaluation"))
            if key not in links.evaluations:
                problems.add(at, "refers to an evaluation that is not in the file")
                continue
            frozen = links.evaluations[key]
            if frozen is None:
                continue  # refused, and said so
            target = data.get("opportunity")
            option = links.opportunities.get(file_id(target) or -1) if target is not None else None
            alternative = build_row(
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
