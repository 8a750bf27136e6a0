"""Remind people of check-ins on their decisions that are due.

Run it daily from cron (or Django's tasks framework), beside ``send_revisit_reminders``.
It is idempotent: see ``learning.services.checkins.send_check_in_reminders``.
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from opportunities.learning.services.checkins import send_check_in_reminders
from opportunities.web.data_version import bumps_everyone


class Command(BaseCommand):
    help = "Record (and email, where there is an address) one reminder per check-in due."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Pretend today is this ISO date (for testing).")

    @bumps_everyone
    def handle(self, *args, today: str | None = None, **options) -> None:
        day = date.fromisoformat(today) if today else timezone.localdate()
        sent = send_check_in_reminders(today=day)
        self.stdout.write(f"{sent} check-in reminder(s) sent.")
