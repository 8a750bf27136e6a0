"""The help page: the ideas behind the numbers, in plain language. Public, so a person can
read it before deciding to sign up."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from opportunities.accounts.services import MAX_IMPORT_BYTES
from opportunities.friends.core import DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS
from opportunities.learning.core import MIN_RESCORES, MIN_SAMPLE
from opportunities.models.limits import (
    MAX_CHECKPOINTS,
    MAX_CRITERIA,
    MAX_DECISIONS,
    MAX_OPPORTUNITIES,
    MAX_PEOPLE,
    MAX_QUESTIONS,
    MAX_TIMELINE_ENTRIES,
)
from opportunities.scoring.core import CLOSE_CALL_POINTS

LIMITS = {
    "opportunities": MAX_OPPORTUNITIES,
    "criteria": MAX_CRITERIA,
    "checkpoints": MAX_CHECKPOINTS,
    "decisions": MAX_DECISIONS,
    "timeline": MAX_TIMELINE_ENTRIES,
    "questions": MAX_QUESTIONS,
    "people": MAX_PEOPLE,
    "import_megabytes": MAX_IMPORT_BYTES // (1024 * 1024),
}


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "opportunities/help/help.html",
        {
            "close_call_points": CLOSE_CALL_POINTS,
            "limits": LIMITS,
            "friends": {"default_days": DEFAULT_EXPIRY_DAYS, "max_days": MAX_EXPIRY_DAYS},
            "judging": {"min_sample": MIN_SAMPLE, "min_rescores": MIN_RESCORES},
        },
    )
