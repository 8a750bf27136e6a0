"""Remind people of decisions that are due for a revisit.

Run it daily from cron (or Django's tasks framework); nothing else needs to be
running. Each decision is reminded once per revisit date, however often the
command runs, because a reminder row is claimed before its email is sent.
"""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Decision, RevisitReminder


class Command(BaseCommand):
    help = "Record (and email, where there is an address) reminders for decisions due a revisit."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Pretend today is this ISO date (for testing).")

    def handle(self, *args, today: str | None = None, **options) -> None:
        day = date.fromisoformat(today) if today else timezone.localdate()
        due = (
            Decision.objects.filter(revisit_on__isnull=False, revisit_on__lte=day)
            .exclude(reminders__due_on=F("revisit_on"))
            .select_related("owner", "opportunity")
            .order_by("owner_id", "revisit_on", "id")
        )
        sent = 0
        for decision in due:
            with transaction.atomic():
                _, created = RevisitReminder.objects.get_or_create(
                    decision=decision,
                    due_on=decision.revisit_on,
                    defaults={"owner_id": decision.owner_id},
                )
                if not created:
                    continue
                sent += 1
                if decision.owner.email:
                    send_mail(
                        subject=f"Time to revisit your decision on {decision.opportunity.title}",
                        message=(
                            f"On {decision.decided_on:%d %B %Y} you decided to "
                            f"{decision.get_choice_display().lower()} "
                            f"“{decision.opportunity.title}”. You asked to look back on it "
                            f"on {decision.revisit_on:%d %B %Y}: what happened, and what did "
                            f"you learn?\n\n{settings.SITE_URL}{reverse('opportunities:dashboard')}"
                        ),
                        from_email=None,
                        recipient_list=[decision.owner.email],
                    )
        self.stdout.write(f"{sent} reminder(s) sent.")
