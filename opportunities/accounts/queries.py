"""Your data is yours: export all of it, import it into a fresh account, delete it.

The JSON export is the complete record (criteria, opportunities with their stage
history, every evaluation with its scores, decisions, gut rankings, settings, the rounds
of questions put to friends with their answers) with ids that only link rows within the
file; the import rebuilds it under new ids. A friend's link is exported without its
token's hash: the file opens no one's page. CSV exports are one table each, for
spreadsheets.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from opportunities.models import (
    CheckIn,
    Commitment,
    Criterion,
    Decision,
    DecisionAlternative,
    Evaluation,
    Forecast,
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
    GutRanking,
    KillCriterion,
    Opportunity,
    Owner,
    Person,
    PremortemReason,
    Profile,
    Question,
    Score,
    StageChange,
    TimelineEntry,
    WeightVersion,
)

FORMAT = "crossroads-export"


VERSION = 1


def data_fields(model) -> list[str]:
    """The fields an export carries for ``model``: everything the user entered or the app
    derived, but not ids, links (rebuilt on import) or bookkeeping timestamps. Read from
    the model, so a new field is exported without anyone remembering to list it."""
    skipped = {"id", "created_at", "updated_at"}
    return [
        f.name for f in model._meta.concrete_fields if not f.is_relation and f.name not in skipped
    ]


PROFILE_FIELDS = data_fields(Profile)


CRITERION_FIELDS = data_fields(Criterion)


OPPORTUNITY_FIELDS = data_fields(Opportunity)


STAGE_CHANGE_FIELDS = data_fields(StageChange)


EVALUATION_FIELDS = data_fields(Evaluation)


SCORE_FIELDS = data_fields(Score)


DECISION_FIELDS = data_fields(Decision)


PERSON_FIELDS = data_fields(Person)


TIMELINE_FIELDS = data_fields(TimelineEntry)


QUESTION_FIELDS = data_fields(Question)


ALTERNATIVE_FIELDS = data_fields(DecisionAlternative)


FRIEND_ROUND_FIELDS = [*data_fields(FriendRound), "created_at"]
"""A round's data, and when it was asked (rounds are listed by it)."""


INVITATION_FIELDS = [
    *(name for name in data_fields(FriendInvitation) if name != "token_hash"),
    "created_at",
]
"""A link's data without its token's hash: an export is a file people keep and send, and
an imported link is made unusable anyway (the token is not the importer's to hold). When
it was made is kept: a link's length is counted from it."""


FRIEND_ANSWER_FIELDS = data_fields(FriendAnswer)


FRIEND_SCORE_FIELDS = data_fields(FriendScore)


WEIGHT_VERSION_FIELDS = [*data_fields(WeightVersion), "created_at"]
"""A version of the weights, and when it was set (priorities over time is dated by it)."""


COMMITMENT_FIELDS = data_fields(Commitment)


PREMORTEM_FIELDS = data_fields(PremortemReason)


KILL_CRITERION_FIELDS = data_fields(KillCriterion)


FORECAST_FIELDS = data_fields(Forecast)


CHECK_IN_FIELDS = data_fields(CheckIn)
"""A check-in's answers, ``rescored`` keyed by the file's criterion ids."""


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(instance, fields: Iterable[str]) -> dict[str, Any]:
    return {field: _plain(getattr(instance, field)) for field in fields}


def export_user_data(user: Owner) -> dict[str, Any]:
    """Everything the user owns, as plain JSON-ready data (a constant number of queries).

    Ids only link rows within the file: an opportunity's lineage, variants and contacts,
    a timeline entry's person and what it records, a decision's alternatives. Files from
    before the story existed simply lack those keys, and still import."""
    profile = Profile.objects.for_user(user).first()
    criteria = list(Criterion.objects.for_user(user).order_by("position", "id"))
    people = list(Person.objects.for_user(user).order_by("id"))
    opportunities = list(
        Opportunity.objects.for_user(user).order_by("created_at", "id").prefetch_related("contacts")
    )
    stage_changes = list(StageChange.objects.for_user(user).order_by("changed_at", "id"))
    evaluations = list(Evaluation.objects.for_user(user).order_by("created_at", "id"))
    scores = list(Score.objects.for_user(user).order_by("evaluation_id", "criterion_id"))
    decisions = list(Decision.objects.for_user(user).order_by("decided_on", "id"))
    alternatives = list(DecisionAlternative.objects.for_user(user).order_by("id"))
    entries = list(TimelineEntry.objects.for_user(user).order_by("happened_on", "id"))
    questions = list(Question.objects.for_user(user).order_by("asked_on", "id"))
    rankings = list(GutRanking.objects.for_user(user).order_by("created_at", "id"))
    versions = list(WeightVersion.objects.for_user(user).order_by("created_at", "id"))
    rounds = _friend_rounds(user)
    learned = _learning(user)

    def grouped(rows, key):
        groups: dict[int, list] = {}
        for row in rows:
            groups.setdefault(getattr(row, key), []).append(row)
        return groups

    changes_by = grouped(stage_changes, "opportunity_id")
    evaluations_by = grouped(evaluations, "opportunity_id")
    scores_by = grouped(scores, "evaluation_id")
    decisions_by = grouped(decisions, "opportunity_id")
    alternatives_by = grouped(alternatives, "decision_id")
    entries_by = grouped(entries, "opportunity_id")
    questions_by = grouped(questions, "opportunity_id")
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "profile": _row(profile, PROFILE_FIELDS) if profile else None,
        "criteria": [{"id": c.id} | _row(c, CRITERION_FIELDS) for c in criteria],
        "people": [{"id": p.id} | _row(p, PERSON_FIELDS) for p in people],
        "opportunities": [
            {"id": o.id}
            | _row(o, OPPORTUNITY_FIELDS)
            | {
                "arose_from": o.arose_from_id,
                "arose_from_person": o.arose_from_person_id,
                "variant_of": o.variant_of_id,
                "contacts": sorted(p.id for p in o.contacts.all()),
                "stage_changes": [
                    {"id": s.id} | _row(s, STAGE_CHANGE_FIELDS) for s in changes_by.get(o.id, [])
                ],
                "evaluations": [
                    {"id": e.id}
                    | _row(e, EVALUATION_FIELDS)
                    | {
                        "scores": [
                            {"criterion": s.criterion_id} | _row(s, SCORE_FIELDS)
                            for s in scores_by.get(e.id, [])
                        ]
                    }
                    for e in evaluations_by.get(o.id, [])
                ],
                "decisions": [
                    {"id": d.id, "evaluation": d.evaluation_id}
                    | _row(d, DECISION_FIELDS)
                    | {
                        "alternatives": [
                            {"opportunity": a.opportunity_id, "evaluation": a.evaluation_id}
                            | _row(a, ALTERNATIVE_FIELDS)
                            for a in alternatives_by.get(d.id, [])
                        ]
                    }
                    | learned.get(d.id, _NOTHING_LEARNED)
                    for d in decisions_by.get(o.id, [])
                ],
                "timeline": [
                    {
                        "person": t.person_id,
                        "stage_change": t.stage_change_id,
                        "evaluation": t.evaluation_id,
                        "decision": t.decision_id,
                        "question": t.question_id,
                        "check_in": t.check_in_id,
                    }
                    | _row(t, TIMELINE_FIELDS)
                    for t in entries_by.get(o.id, [])
                ],
                "questions": [
                    {"id": q.id, "criterion": q.criterion_id} | _row(q, QUESTION_FIELDS)
                    for q in questions_by.get(o.id, [])
                ],
            }
            for o in opportunities
        ],
        "gut_rankings": [
            {"selection": r.selection, "order": r.order, "created_at": _plain(r.created_at)}
            for r in rankings
        ],
        "friend_rounds": rounds,
        "weight_versions": [_row(v, WEIGHT_VERSION_FIELDS) for v in versions],
    }


def _friend_rounds(user: Owner) -> list[dict[str, Any]]:
    """The rounds of questions put to friends, each with the opportunities it asked
    about, its links (no token hash) and what friends answered: four queries."""
    rounds = list(
        FriendRound.objects.for_user(user)
        .order_by("created_at", "id")
        .prefetch_related(Prefetch("opportunities", queryset=Opportunity.objects.only("id")))
    )
    invitations = list(
        FriendInvitation.objects.for_user(user).defer("token_hash").order_by("created_at", "id")
    )
    answers = list(FriendAnswer.objects.for_user(user).order_by("invitation_id", "id"))
    scores = list(FriendScore.objects.for_user(user).order_by("answer_id", "criterion_id"))
    invitations_by = _grouped(invitations, "round_id")
    answers_by = _grouped(answers, "invitation_id")
    scores_by = _grouped(scores, "answer_id")
    return [
        {"id": r.id, "opportunities": sorted(o.id for o in r.opportunities.all())}
        | _row(r, FRIEND_ROUND_FIELDS)
        | {
            "invitations": [
                {"person": i.person_id}
                | _row(i, INVITATION_FIELDS)
                | {
                    "answers": [
                        {"opportunity": a.opportunity_id}
                        | _row(a, FRIEND_ANSWER_FIELDS)
                        | {
                            "scores": [
                                {"criterion": s.criterion_id} | _row(s, FRIEND_SCORE_FIELDS)
                                for s in scores_by.get(a.id, [])
                            ]
                        }
                        for a in answers_by.get(i.id, [])
                    ]
                }
                for i in invitations_by.get(r.id, [])
            ]
        }
        for r in rounds
    ]


_NOTHING_LEARNED: dict[str, Any] = {
    "commitment": None,
    "premortem": [],
    "kill_criteria": [],
    "forecasts": [],
    "check_ins": [],
}


def _learning(user: Owner) -> dict[int, dict[str, Any]]:
    """What each decision holds for learning from it, by decision id: its commit step
    (what the predictors foresaw included), premortem, kill criteria, forecasts and
    check-ins (a kill criterion's by the file's id). Five queries."""
    commitments = {c.decision_id: c for c in Commitment.objects.for_user(user)}
    reasons = _grouped(
        PremortemReason.objects.for_user(user).order_by("position", "id"), "decision_id"
    )
    kills = _grouped(KillCriterion.objects.for_user(user).order_by("check_on", "id"), "decision_id")
    forecasts = _grouped(Forecast.objects.for_user(user).order_by("position", "id"), "decision_id")
    check_ins = _grouped(CheckIn.objects.for_user(user).order_by("due_on", "id"), "decision_id")
    decided = set(commitments) | set(reasons) | set(kills) | set(forecasts) | set(check_ins)
    return {
        decision_id: {
            "commitment": _row(commitments[decision_id], COMMITMENT_FIELDS)
            if decision_id in commitments
            else None,
            "premortem": [_row(r, PREMORTEM_FIELDS) for r in reasons.get(decision_id, [])],
            "kill_criteria": [
                {"id": k.id} | _row(k, KILL_CRITERION_FIELDS) for k in kills.get(decision_id, [])
            ],
            "forecasts": [_row(f, FORECAST_FIELDS) for f in forecasts.get(decision_id, [])],
            "check_ins": [
                {"id": c.id, "kill_criterion": c.kill_criterion_id} | _row(c, CHECK_IN_FIELDS)
                for c in check_ins.get(decision_id, [])
            ],
        }
        for decision_id in decided
    }


def _grouped(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


CSV_TABLES = (
    "opportunities",
    "criteria",
    "evaluations",
    "scores",
    "decisions",
    "stage_changes",
    "people",
    "timeline",
)


_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula (CSV injection); what friends
    said, frozen with a checkpoint, as its JSON."""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False) if value else ""
    text = "" if value is None else str(_plain(value))
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def export_csv(user: Owner, table: str) -> str:
    """One table of the user's data as CSV text."""
    if table not in CSV_TABLES:
        raise ValueError(table)
    if table == "opportunities":
        header = ["id", *OPPORTUNITY_FIELDS]
        rows = (
            [o.id, *(getattr(o, f) for f in OPPORTUNITY_FIELDS)]
            for o in Opportunity.objects.for_user(user).order_by("id")
        )
    elif table == "criteria":
        header = ["id", *CRITERION_FIELDS]
        rows = (
            [c.id, *(getattr(c, f) for f in CRITERION_FIELDS)]
            for c in Criterion.objects.for_user(user).order_by("position", "id")
        )
    elif table == "evaluations":
        header = ["id", "opportunity_id", *EVALUATION_FIELDS]
        rows = (
            [e.id, e.opportunity_id, *(getattr(e, f) for f in EVALUATION_FIELDS)]
            for e in Evaluation.objects.for_user(user).order_by("id")
        )
    elif table == "scores":
        header = ["evaluation_id", "criterion_id", *SCORE_FIELDS]
        rows = (
            [s.evaluation_id, s.criterion_id, *(getattr(s, f) for f in SCORE_FIELDS)]
            for s in Score.objects.for_user(user).order_by("evaluation_id", "criterion_id")
        )
    elif table == "decisions":
        header = ["id", "opportunity_id", "evaluation_id", *DECISION_FIELDS]
        rows = (
            [d.id, d.opportunity_id, d.evaluation_id, *(getattr(d, f) for f in DECISION_FIELDS)]
            for d in Decision.objects.for_user(user).order_by("id")
        )
    elif table == "people":
        header = ["id", *PERSON_FIELDS]
        rows = (
            [p.id, *(getattr(p, f) for f in PERSON_FIELDS)]
            for p in Person.objects.for_user(user).order_by("name", "id")
        )
    elif table == "timeline":
        header = ["opportunity_id", "person_id", *TIMELINE_FIELDS]
        rows = (
            [t.opportunity_id, t.person_id, *(getattr(t, f) for f in TIMELINE_FIELDS)]
            for t in TimelineEntry.objects.for_user(user).order_by(
                "opportunity_id", "happened_on", "id"
            )
        )
    else:
        header = ["opportunity_id", *STAGE_CHANGE_FIELDS]
        rows = (
            [s.opportunity_id, *(getattr(s, f) for f in STAGE_CHANGE_FIELDS)]
            for s in StageChange.objects.for_user(user).order_by("changed_at", "id")
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue()
