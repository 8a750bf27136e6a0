"""Endpoints for machines (load balancers) and the error pages people see."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from opportunities.observability import request_id_var

logger = logging.getLogger(__name__)

_migrations_applied = False


def _pending_migrations() -> bool:
    """Whether the database lags behind the code. Once it has caught up it stays so for
    the life of the process (new code means a new process), so the check is cached."""
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _migrations_applied = not plan
    return not _migrations_applied


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Cheap and unauthenticated: does the database answer, are migrations applied?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = _pending_migrations()
    except DatabaseError:
        logger.warning("Health check: database unavailable")
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    if pending:
        return JsonResponse({"status": "unavailable", "migrations": "pending"}, status=503)
    return JsonResponse({"status": "ok"})


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    html = render_to_string(
        "error.html",
        {
            "status": status,
            "title": title,
            "message": message,
            "request_id": getattr(request, "request_id", None) or request_id_var.get(),
        },
        request=request,
    )
    return HttpResponse(html, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request,
        404,
        "Page not found",
        "There is nothing here — perhaps it was deleted, or the link is mistyped.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        500,
        "Something went wrong",
        "Crossroads hit an error it did not expect. Nothing you saved before is lost; "
        "please try again in a moment.",
    )


def service_unavailable(request: HttpRequest) -> HttpResponse:
    response = _error_page(
        request,
        503,
        "Crossroads is briefly unavailable",
        "The database is not answering right now. Your saved work is safe; "
        "try again in a few seconds.",
    )
    response["Retry-After"] = "5"
    return response
