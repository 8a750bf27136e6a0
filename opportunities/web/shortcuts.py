"""The one way a view fetches what it was asked for by id."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from opportunities.models import Owner


def get_owned_or_404[M: Model](owned: type[M] | QuerySet[M], user: Owner, **lookups: Any) -> M:
    """The row of ``owned`` (a model, or one of its querysets) that ``user`` owns and that
    matches ``lookups``, or a 404.

    Another person's row is a 404, never a 403: it is indistinguishable from one that
    does not exist, so ids reveal nothing.
    """
    queryset = owned._default_manager.all() if isinstance(owned, type) else owned
    return get_object_or_404(queryset, owner=user, **lookups)
