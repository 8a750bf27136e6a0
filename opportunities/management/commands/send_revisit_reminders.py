"""Remind people of decisions that are due for a revisit.

Run it daily from cron (or Django's tasks framework); nothing else needs to be
running. It is idempotent: see ``journal.services.send_revisit_reminders``.
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from opportunities.journal.services import send_revisit_reminders
from opportunities.web.data_version import bumps_everyone


class Command(BaseCommand):
    help = "Record (and email, where there is an address) reminders for decisions due a revisit."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Pretend today is this ISO date (for testing).")

    @bumps_everyone
    def handle(self, *args, today: str | None = None, **options) -> None:
        day = date.fromisoformat(today) if today else timezone.localdate()
        sent = send_revisit_reminders(today=day)
        self.stdout.write(f"{sent} reminder(s) sent.")
