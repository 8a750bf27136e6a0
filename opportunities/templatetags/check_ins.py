"""Check-ins in templates: ``{{ check_in|check_in_state }}`` is "done", "due" (its day
has come) or "upcoming" (``learning.core.check_in_state``, today being today)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from opportunities.learning.core import CheckInState, check_in_state
from opportunities.models import CheckIn

register = template.Library()


@register.filter(name="check_in_state")
def check_in_state_filter(check_in: CheckIn) -> CheckInState:
    return check_in_state(
        due_on=check_in.due_on, done_on=check_in.done_on, today=timezone.localdate()
    )
