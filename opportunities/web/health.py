"""The health check load balancers ask: does the database answer, are migrations applied?"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
