"""The benchmark's floor: the cheapest page a signed-in user can ask for.

``make bench`` measures every page against this view, in the same run on the same
machine, so its figures say how much a page costs on top of what any request pays
(WSGI, the whole middleware stack, the session and the user). It is routed only by
``bench.urls``, which only the benchmark's settings (``bench.settings``) use: no
deployment has it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from opportunities.web.htmx import HtmxHttpRequest


@require_safe
@login_required
def baseline(request: HtmxHttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
