"""Retire every page the page cache keeps, in every app server.

Writes made through the app (requests, commands, tasks) retire the pages they could make
stale by themselves (``opportunities.web.data_version``). Run this after changing data by
hand (psql, ``manage.py shell``); without it such a change shows once the pages expire
(``DJANGO_PAGE_CACHE_SECONDS``, 10 minutes by default).
"""

from django.core.management.base import BaseCommand

from opportunities.models import EVERYONE
from opportunities.web.data_version import bump


class Command(BaseCommand):
    help = "Retire every cached page, in every app server (after changing data by hand)."

    def handle(self, *args, **options) -> None:
        bump(EVERYONE)
        self.stdout.write("Every cached page is retired: each is drawn afresh when next seen.")
