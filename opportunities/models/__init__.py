"""Crossroads' data: opportunities, the criteria they are weighed on, their
evaluations (live and frozen checkpoints), and the decisions taken on them.

One module per feature; every model is importable from here. Every row carries its
owner, and every query starts from ``for_user`` so another person's data is never
within reach of a view. Table names are the app's (``opportunities_<model>``), as
they were when this was one module.
"""

from opportunities.models.base import SCORE_RANGE, OwnedManager, OwnedQuerySet, Owner, owner_id_of
from opportunities.models.compare import GutRanking
from opportunities.models.criteria import DERIVED_FROM_OFFER, Criterion, CriterionKind, CurveShape
from opportunities.models.friends import (
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
)
from opportunities.models.journal import (
    Decision,
    DecisionAlternative,
    DecisionChoice,
    GutCheck,
    Outcome,
    RevisitReminder,
)
from opportunities.models.learning import (
    CalendarFeed,
    CheckIn,
    CheckInKind,
    Commitment,
    Door,
    Forecast,
    KillCriterion,
    PremortemReason,
    Quality,
    Resolution,
)
from opportunities.models.pay import PayBasis, Profile
from opportunities.models.people import Person, Relationship
from opportunities.models.pipeline import (
    FINAL_STAGES,
    Arrangement,
    Opportunity,
    Schedule,
    Source,
    Stage,
    StageChange,
    Workplace,
)
from opportunities.models.questions import Question
from opportunities.models.scoring import Evaluation, EvaluationQuerySet, Score
from opportunities.models.timeline import WRITTEN_BY_HAND, EntryKind, TimelineEntry
from opportunities.models.web import EVERYONE, PageVersion, Throttle, UsedFormToken
from opportunities.models.weights import WeightSource, WeightVersion

__all__ = [
    "DERIVED_FROM_OFFER",
    "EVERYONE",
    "FINAL_STAGES",
    "SCORE_RANGE",
    "WRITTEN_BY_HAND",
    "Arrangement",
    "CalendarFeed",
    "CheckIn",
    "CheckInKind",
    "Commitment",
    "Criterion",
    "CriterionKind",
    "CurveShape",
    "Decision",
    "DecisionAlternative",
    "DecisionChoice",
    "Door",
    "EntryKind",
    "Evaluation",
    "EvaluationQuerySet",
    "Forecast",
    "FriendAnswer",
    "FriendInvitation",
    "FriendRound",
    "FriendScore",
    "GutCheck",
    "GutRanking",
    "KillCriterion",
    "Opportunity",
    "Outcome",
    "OwnedManager",
    "OwnedQuerySet",
    "Owner",
    "PageVersion",
    "PayBasis",
    "Person",
    "PremortemReason",
    "Profile",
    "Quality",
    "Question",
    "Relationship",
    "Resolution",
    "RevisitReminder",
    "Schedule",
    "Score",
    "Source",
    "Stage",
    "StageChange",
    "Throttle",
    "TimelineEntry",
    "UsedFormToken",
    "WeightSource",
    "WeightVersion",
    "Workplace",
    "owner_id_of",
]
