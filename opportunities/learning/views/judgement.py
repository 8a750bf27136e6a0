"""How well I judge: the calibration of the user's resolved forecasts, the matrix, the gut
and the friends held against how glad they turned out to be, and the criteria they tend
to over- or under-score before deciding. Read only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from opportunities.learning.core import MIN_RESCORES, MIN_SAMPLE
from opportunities.learning.queries.judgement import judgement as read_judgement
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.page_cache import cacheable


@cacheable
@require_safe
@login_required
def judgement(request: AuthenticatedHttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "opportunities/learning/judgement.html",
        {
            "judgement": read_judgement(request.user),
            "min_sample": MIN_SAMPLE,
            "min_rescores": MIN_RESCORES,
        },
    )
